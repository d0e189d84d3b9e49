import { count, eq, sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { requireCampaign } from "@/db/queries/campaigns";

import { listFeed } from "@/db/queries/events";
import { listMeasurements } from "@/db/queries/measurements";
import { entriesMentioning, moleculesMentionedIn } from "@/db/queries/mentions";

import { activateMolecule, getMolecule, requireMolecule } from "@/db/queries/molecules";
import { keyConflicts } from "@/db/queries/molecules/writes";
import { measurements, molecules } from "@/db/schema";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseSheet } from "@/lib/sheets/sheet";
import { today } from "@/lib/entries/input";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, refusal, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, createEntry, listMolecules, parkMolecule, registerMolecule, setRegistrySettings, updateEntry } from "./support/use-cases";

afterAll(() => closeSharedChemPool());

const ALANINE_L = "C[C@H](N)C(=O)O";
const ALANINE_D = "C[C@@H](N)C(=O)O";

describeEachDatabase("molecule registry", (get) => {
  it("registers real OSM compounds with the InChIKeys the campaign computed, numbering them in order", async () => {
    const { db } = get();
    const chemist = await makeUser(db);
    const { slug, prefix } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const picks = ["OSM-A-1", "OSM-S-106", "OSM-S-175", "OSM-S-389", "OSM-S-201"].map(
      (id) => sheet.rows.find((r) => r.cells.OSM_ID === id)!.cells,
    );
    const codes: string[] = [];
    for (const cells of picks) {
      const { molecule, warnings } = await registerMolecule(db, chemist, {
        campaign: slug,
        smiles: cells.Canonical_Smiles,
        name: cells.OSM_ID,
      });
      expect(molecule.inchikey, cells.OSM_ID).toBe(cells.InChIKey);
      expect(molecule.inchi).toMatch(/^InChI=1S\//);
      expect(warnings).toEqual([]);
      codes.push(molecule.code);
    }
    expect(codes).toEqual([1, 2, 3, 4, 5].map((n) => `${prefix}-A-${n}`));
    const first = await requireMolecule(db, codes[0]!.toLowerCase());
    expect(first).toMatchObject({
      name: "OSM-A-1",
      formula: "C22H20N4O3S2",
      status: "active",
      registeredBy: chemist.login,
      path: `/molecules/${codes[0]}`,
    });
    expect(first.properties.monoisotopicMass).toBeCloseTo(452.0977, 3);
    expect(first.molfile).toContain("M  END");
    const [news] = await listFeed(db, { campaignId: (await requireCampaign(db, slug)).id, limit: 1 });
    expect(news).toMatchObject({
      kind: "molecule.registered",
      title: `${codes[4]} registered`,
      path: `/molecules/${codes[4]}`,
      actor: { login: chemist.login },
    });
  });

  it("registers a carborane without InChI, with a warning, rather than refusing it", async () => {
    const { db } = get();
    const { slug, maintainer } = await makeRegistry(db);
    const smiles = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCC\\C\\4=C\\BBBBB[BH2][BH2]BB4)n23"; // OSM-S-424
    const { molecule, warnings } = await registerMolecule(db, maintainer, { campaign: slug, smiles });
    expect(molecule).toMatchObject({ formula: "C16H23B9F2N4O2", inchi: null, inchikey: null });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/No standard InChI/);
  });

  it("catches duplicates: the same structure written differently, a stereoisomer, a salt — each by its compare mode", async () => {
    const { db } = get();
    const { slug, maintainer } = await makeRegistry(db);
    const ethanol = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCO" })).molecule;
    const again = await rejects(
      registerMolecule(db, maintainer, { campaign: slug, smiles: "OCC" }),
      "conflict",
      new RegExp(`already registered as ${ethanol.code}`),
    );
    expect(again.status).toBe(409);
    expect(again.details?.existing).toMatchObject({ id: ethanol.code });

    const l = (await registerMolecule(db, maintainer, { campaign: slug, smiles: ALANINE_L })).molecule;
    await rejects(
      registerMolecule(db, maintainer, { campaign: slug, smiles: ALANINE_D, compare: "no-stereo" }),
      "conflict",
      new RegExp(l.code),
    );
    const d = (await registerMolecule(db, maintainer, { campaign: slug, smiles: ALANINE_D })).molecule; // exact: a different molecule
    expect(d.idcode).not.toBe(l.idcode);
    expect(d.idcodeNoStereo).toBe(l.idcodeNoStereo);

    const salt = `${ALANINE_L}.Cl`;
    await rejects(registerMolecule(db, maintainer, { campaign: slug, smiles: salt, compare: "parent" }), "conflict", new RegExp(l.code));
    const hcl = (await registerMolecule(db, maintainer, { campaign: slug, smiles: salt })).molecule;
    expect(hcl.parentIdcode).toBe(l.parentIdcode);
    expect((await listMolecules(db, { campaign: slug })).total).toBe(4);
  });

  it("compares by RDKit's keys, and a molecule stored before them (no keys yet) by its idcode, under each compare mode", async () => {
    const { db } = get();
    const { slug, maintainer } = await makeRegistry(db);
    const l = (await registerMolecule(db, maintainer, { campaign: slug, smiles: ALANINE_L })).molecule;
    const [keys] = await db
      .select({ key: molecules.registryKey, keyNoStereo: molecules.registryKeyNoStereo, parentKey: molecules.parentRegistryKey })
      .from(molecules)
      .where(eq(molecules.campaignCode, l.code));
    expect(keys).toEqual({ key: ALANINE_L, keyNoStereo: "CC(N)C(=O)O", parentKey: ALANINE_L });
    // Keys decide: a stored key that differs is a different structure, even with the same idcode.
    await db.update(molecules).set({ registryKey: "C", registryKeyNoStereo: "C", parentRegistryKey: "C" }).where(eq(molecules.campaignCode, l.code));
    const other = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "N[C@@H](C)C(=O)O" })).molecule;
    expect(other.idcode).toBe(l.idcode);
    // As before the data repair: no keys, so the idcodes compare, exactly, without stereo and as parents (the
    // first-registered match is named: the one without keys, not the later one found by its key).
    await db.update(molecules).set({ registryKey: null, registryKeyNoStereo: null, parentRegistryKey: null }).where(eq(molecules.campaignCode, l.code));
    for (const [smiles, compare] of [
      ["OC(=O)[C@H](C)N", "exact"],
      [ALANINE_D, "no-stereo"],
      [`${ALANINE_L}.Cl`, "parent"],
    ] as const) {
      await rejects(registerMolecule(db, maintainer, { campaign: slug, smiles, compare }), "conflict", new RegExp(l.code));
    }
  });

  it("lists for maintainers the molecules RDKit's keys take for one structure though registered apart; batches are not listed", async () => {
    const { db } = get();
    const { slug, maintainer } = await makeRegistry(db);
    const campaign = await requireCampaign(db, slug);
    const a = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "Oc1ccccn1" })).molecule;
    const b = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "O=c1cccc[nH]1" })).molecule;
    // A second batch of the same structure, registered on purpose: same key, same idcode.
    const batch = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "n1ccccc1O", allowDuplicateOf: a.code })).molecule;
    expect(await keyConflicts(db, campaign.id)).toEqual([]);
    // As if RDKit read the two tautomers as one structure (a toolkit that normalized tautomers would).
    const [first] = await db.select({ key: molecules.registryKey }).from(molecules).where(eq(molecules.campaignCode, a.code));
    await db.update(molecules).set({ registryKey: first!.key }).where(eq(molecules.campaignCode, b.code));
    // The batch shares the group's key and the first molecule's idcode: listed with the group, never on its own.
    expect(await keyConflicts(db, campaign.id)).toEqual([{ oneFor: "rdkit", smiles: first!.key, codes: [a.code, b.code, batch.code] }]);
  });

  it("lists for maintainers the molecules one idcode covers though RDKit's keys tell them apart", async () => {
    const { db } = get();
    const { slug, maintainer } = await makeRegistry(db);
    const campaign = await requireCampaign(db, slug);
    const a = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "OC(=O)c1ccccc1" })).molecule;
    const b = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "OC(=O)c1ccccn1" })).molecule;
    const batch = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "c1ccccc1C(O)=O", allowDuplicateOf: a.code })).molecule;
    expect(await keyConflicts(db, campaign.id)).toEqual([]);
    // As if OpenChemLib had taken the two for one structure while RDKit's keys differ: the keys let the second in.
    const [stored] = await db.select({ idcode: molecules.idcode, smiles: molecules.smiles }).from(molecules).where(eq(molecules.campaignCode, a.code));
    await db.update(molecules).set({ idcode: stored!.idcode }).where(eq(molecules.campaignCode, b.code));
    const conflicts = await keyConflicts(db, campaign.id);
    expect(conflicts).toEqual([{ oneFor: "openchemlib", smiles: expect.any(String), codes: [a.code, b.code, batch.code] }]);
    const [other] = await db.select({ smiles: molecules.smiles }).from(molecules).where(eq(molecules.campaignCode, b.code));
    expect([stored!.smiles, other!.smiles]).toContain(conflicts[0]!.smiles);
  });

  it("a maintainer registers a salt form linked to its parent; a member cannot, and an unrelated structure is refused", async () => {
    const { db } = get();
    const member = await makeUser(db, "member");
    const { slug, maintainer } = await makeRegistry(db, [{ actor: member, role: "member" }]);
    const base = (await registerMolecule(db, member, { campaign: slug, smiles: ALANINE_L })).molecule;
    await rejects(registerMolecule(db, member, { campaign: slug, smiles: `${ALANINE_L}.Cl`, parentId: base.code }), "forbidden");
    await rejects(
      registerMolecule(db, maintainer, { campaign: slug, smiles: "CCO", parentId: base.code }),
      "validation_failed",
      /not a batch or salt form/,
    );
    const salt = (await registerMolecule(db, maintainer, { campaign: slug, smiles: `${ALANINE_L}.Cl`, parentId: base.code })).molecule;
    expect(salt.parentCode).toBe(base.code);
    // A second batch of the very same structure: allowed for a maintainer who names the molecule it duplicates.
    const batch = (await registerMolecule(db, maintainer, { campaign: slug, smiles: ALANINE_L, allowDuplicateOf: base.code.toLowerCase() }))
      .molecule;
    expect(batch.idcode).toBe(base.idcode);
    expect((await requireMolecule(db, base.code)).forms).toEqual([salt.code, batch.code]);
  });

  it("20 concurrent registrations get 20 distinct, consecutive numbers", async () => {
    const { db } = get();
    const { slug, maintainer, prefix } = await makeRegistry(db);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => registerMolecule(db, maintainer, { campaign: slug, smiles: `${"C".repeat(i + 1)}O` })),
    );
    const numbers = results.map((r) => Number(r.molecule.code.split("-")[2])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.molecule.code)).size).toBe(20);
    expect(results.every((r) => r.molecule.code.startsWith(`${prefix}-A-`))).toBe(true);
  });

  it("of concurrent registrations of one structure exactly one succeeds; the others name it", async () => {
    const { db } = get();
    const { slug, maintainer } = await makeRegistry(db);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => registerMolecule(db, maintainer, { campaign: slug, smiles: "OC(=O)c1ccccc1O" })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const code = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof registerMolecule>>>).value.molecule.code;
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(r.reason).toMatchObject({ code: "conflict", details: { existing: { id: code } } });
    }
    expect((await listMolecules(db, { campaign: slug })).total).toBe(1);
  });

  it("never hands a number out twice: not after parking, and given IDs move the counter past them", async () => {
    const { db } = get();
    const { slug, maintainer, prefix } = await makeRegistry(db);
    const one = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCN" })).molecule;
    const two = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCCN" })).molecule;
    const parked = await parkMolecule(db, maintainer, two.code, { reason: "Weak in the 3D7 assay" });
    expect(parked).toMatchObject({ status: "parked", parkReason: "Weak in the 3D7 assay" });
    const three = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCCCN" })).molecule;
    expect([one.code, two.code, three.code]).toEqual([`${prefix}-A-1`, `${prefix}-A-2`, `${prefix}-A-3`]);

    const given = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCCCCN", id: `${prefix.toLowerCase()}-a-10` }))
      .molecule;
    expect(given.code).toBe(`${prefix}-A-10`);
    expect((await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCCCCCN" })).molecule.code).toBe(`${prefix}-A-11`);
    // An older gap may be filled by a given ID; another site has its own numbers.
    expect((await registerMolecule(db, maintainer, { campaign: slug, smiles: "NCCN", id: `${prefix}-A-5` })).molecule.code).toBe(
      `${prefix}-A-5`,
    );
    expect((await registerMolecule(db, maintainer, { campaign: slug, smiles: "NCCCN", site: "s" })).molecule.code).toBe(`${prefix}-S-1`);

    await rejects(registerMolecule(db, maintainer, { campaign: slug, smiles: "OCCO", id: `${prefix}-A-2` }), "conflict", /already taken/);
    await rejects(registerMolecule(db, maintainer, { campaign: slug, smiles: "OCCO", id: "ZZZ-A-1" }), "validation_failed", /not an ID of/);
    await rejects(
      registerMolecule(db, maintainer, { campaign: slug, smiles: "OCCO", id: "OSM-S-007" }),
      "validation_failed",
      /not a campaign ID/,
    );
    expect((await activateMolecule(db, maintainer, two.code)).status).toBe("active");
    expect((await registerMolecule(db, maintainer, { campaign: slug, smiles: "OCCO" })).molecule.code).toBe(`${prefix}-A-12`);
  });

  it("aliases are kept, searchable in any case, unique in the campaign, and find the molecule", async () => {
    const { db } = get();
    const { slug, maintainer, prefix } = await makeRegistry(db);
    const m = (
      await registerMolecule(db, maintainer, {
        campaign: slug,
        smiles: "c1ccncc1",
        name: "Pyridine",
        aliases: ["MMV669844", `${prefix}-A-40`],
      })
    ).molecule;
    expect(m.aliases).toEqual(["MMV669844", `${prefix}-A-40`]);
    expect((await getMolecule(db, "mmv669844"))?.code).toBe(m.code);
    expect((await listMolecules(db, { campaign: slug, q: "mmv6698" })).molecules.map((x) => x.code)).toEqual([m.code]);
    expect((await listMolecules(db, { campaign: slug, q: "pyrid" })).total).toBe(1);
    await rejects(
      registerMolecule(db, maintainer, { campaign: slug, smiles: "c1ccccc1", aliases: ["mmv669844"] }),
      "conflict",
      /already names/,
    );
    // The alias that is one of the campaign's IDs is reserved.
    expect((await registerMolecule(db, maintainer, { campaign: slug, smiles: "c1ccccc1" })).molecule.code).toBe(`${prefix}-A-41`);
  });

  it("measurements are validated, linked to an entry of the campaign, and append-only in the database", async () => {
    const { db } = get();
    const member = await makeUser(db, "member");
    const outsider = await makeUser(db, "outsider");
    const { slug, maintainer } = await makeRegistry(db, [{ actor: member, role: "member" }]);
    const other = await makeRegistry(db);
    const m = (await registerMolecule(db, member, { campaign: slug, smiles: ALANINE_L })).molecule;
    const entry = await createEntry(db, member, { campaign: slug, date: today(), title: "3D7 assay", body: `Tested ${m.code}.` });
    const foreign = await createEntry(db, other.maintainer, { campaign: other.slug, date: today(), title: "Elsewhere", body: "" });
    const added = await addMeasurement(db, member, m.code, {
      assay: "IC50",
      target: "Pfal (3D7)",
      lab: "Dundee",
      value: 0.25,
      unit: "uM",
      qualifier: "<",
      measuredOn: "2024-03-05",
      entryId: entry.id,
    });
    expect(added).toMatchObject({
      molecule: m.code,
      assay: "IC50",
      unit: "µM",
      qualifier: "<",
      value: 0.25,
      entry: { id: entry.id },
      addedBy: member.login,
    });
    await addMeasurement(db, maintainer, m.code, { assay: "IC50", target: "Pfal (3D7)", value: 120, unit: "nM" });
    await rejects(addMeasurement(db, member, m.code, { assay: "IC50", value: "0.3" }), "validation_failed", /value/);
    await rejects(addMeasurement(db, member, m.code, { assay: "IC50", value: 1, qualifier: "≈" }), "validation_failed", /qualifier/);
    await rejects(addMeasurement(db, member, m.code, { assay: "IC50", value: 1, unit: "<script>" }), "validation_failed", /unit/);
    await rejects(addMeasurement(db, member, m.code, { assay: "IC50", value: 1, entryId: foreign.id }), "validation_failed", /entryId/);
    await rejects(addMeasurement(db, outsider, m.code, { assay: "IC50", value: 1 }), "forbidden");
    await rejects(addMeasurement(db, null, m.code, { assay: "IC50", value: 1 }), "unauthorized");
    expect(await listMeasurements(db, m.code)).toHaveLength(2);
    // Best potency: 120 nM = 0.12 µM beats "< 0.25 µM".
    expect((await requireMolecule(db, m.code)).potency).toEqual([
      { label: "Pfal (3D7) IC50", assay: "IC50", target: "Pfal (3D7)", value: 0.12, unit: "µM", qualifier: "=", count: 2 },
    ]);

    expect(await refusal(db.update(measurements).set({ value: 99 }).where(eq(measurements.id, added.id)))).toMatch(/append-only/);
    expect(await refusal(db.delete(measurements).where(eq(measurements.id, added.id)))).toMatch(/append-only/);
    expect(await refusal(db.execute(sql`truncate measurements cascade`))).toMatch(/append-only/);
    expect((await listMeasurements(db, m.code))[0]!.value).toBe(0.25);
  });

  it("records mentions on save, updates them on edit, and links IDs registered later or kept as aliases", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug, maintainer, prefix } = await makeRegistry(db, [{ actor: author, role: "member" }]);
    const a = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCO", aliases: [`${prefix}-A-30`] })).molecule;
    const b = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCN" })).molecule;
    const entry = await createEntry(db, author, {
      campaign: slug,
      date: today(),
      title: `Coupling of ${a.code}`,
      body: `Made ${b.code} and planned ${prefix}-A-20. See [the page](/molecules/${prefix}-A-21). Old name: ${prefix}-A-30.`,
    });
    expect((await moleculesMentionedIn(db, entry.id)).map((m) => m.code)).toEqual([a.code, b.code]);
    expect((await entriesMentioning(db, b.id)).map((e) => e.id)).toEqual([entry.id]);

    const edited = await updateEntry(db, author, entry.id, {
      body: `Only ${prefix}-A-20 now.`,
      title: "Plan",
      baseRevision: entry.revisionId,
    });
    expect(edited.changed).toBe(true);
    expect(await moleculesMentionedIn(db, entry.id)).toEqual([]);
    expect(await entriesMentioning(db, b.id)).toEqual([]);
    const later = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCC", id: `${prefix}-A-20` })).molecule;
    expect((await moleculesMentionedIn(db, entry.id)).map((m) => m.code)).toEqual([later.code]);
    expect((await entriesMentioning(db, later.id)).map((e) => e.title)).toEqual(["Plan"]);

    const viaAlias = await createEntry(db, author, { campaign: slug, date: today(), title: "Old notes", body: `${prefix}-A-30 again` });
    expect((await moleculesMentionedIn(db, viaAlias.id)).map((m) => m.code)).toEqual([a.code]);
    expect((await entriesMentioning(db, a.id)).map((e) => e.id)).toEqual([viaAlias.id]);
  });

  it("refuses anonymous and non-member writes, and bad structures, writing nothing", async () => {
    const { db } = get();
    const outsider = await makeUser(db, "outsider");
    const member = await makeUser(db, "member");
    const { slug, maintainer } = await makeRegistry(db, [{ actor: member, role: "member" }]);
    const m = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCO" })).molecule;
    const before = await db.select({ n: count() }).from(molecules);
    await rejects(registerMolecule(db, null, { campaign: slug, smiles: "CCCO" }), "unauthorized");
    await rejects(registerMolecule(db, outsider, { campaign: slug, smiles: "CCCO" }), "forbidden");
    await rejects(parkMolecule(db, member, m.code, { reason: "no" }), "forbidden");
    await rejects(parkMolecule(db, null, m.code, { reason: "no" }), "unauthorized");
    await rejects(setRegistrySettings(db, member, slug, { prefix: "HIJACK" }), "forbidden");
    const unreadable = await rejects(
      registerMolecule(db, member, { campaign: slug, smiles: "C1CC" }),
      "validation_failed",
      /could not be read/,
    );
    expect(unreadable.status).toBe(422);
    expect(unreadable.details?.fields).toHaveProperty("smiles");
    expect((await rejects(registerMolecule(db, member, { campaign: slug, smiles: "C".repeat(2_001) }), "payload_too_large")).status).toBe(
      413,
    );
    await rejects(registerMolecule(db, member, { campaign: slug, smiles: "" }), "validation_failed", /empty/);
    await rejects(registerMolecule(db, member, { campaign: slug, smiles: "CCO", molfile: "x\ny" }), "validation_failed", /not both/);
    await rejects(registerMolecule(db, member, { campaign: slug, molfile: "not a molfile" }), "validation_failed", /not a molfile/);
    await rejects(registerMolecule(db, member, { campaign: slug, smiles: "[Xx]" }), "validation_failed");
    await rejects(registerMolecule(db, member, { campaign: slug, smiles: "*CC" }), "validation_failed", /wildcard/);
    await rejects(registerMolecule(db, member, { campaign: slug, smiles: "CCCO", compare: "fuzzy" }), "validation_failed", /compare/);
    await rejects(registerMolecule(db, member, { campaign: "no-such-campaign", smiles: "CCCO" }), "not_found");
    expect(await db.select({ n: count() }).from(molecules)).toEqual(before);
  });
});
