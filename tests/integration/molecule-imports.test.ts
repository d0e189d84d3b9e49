import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listMeasurements } from "@/db/queries/measurements";
import { exportCampaign } from "@/db/queries/molecules/exports";

import { registrySettings } from "@/db/queries/molecules/registry";
import { getMolecule, requireMolecule } from "@/db/queries/molecules";
import { requireCampaign } from "@/db/queries/campaigns";
import { measurements, molecules } from "@/db/schema";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseSheet } from "@/lib/sheets/sheet";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { importSheet, listMolecules } from "./support/use-cases";

afterAll(() => closeSharedChemPool());

const OSM = readSharedData("osm-series4-master-list.tsv");
const HIV_LINES = readSharedData("hiv-41k.csv")
  .split(/\r?\n/)
  .filter((line) => line !== "");
const SLOW = 300_000;

describeEachDatabase("molecule import and export", (get) => {
  // One campaign holds the OSM prefix in this database; the OSM tests build on its import.
  let osm: Awaited<ReturnType<typeof makeRegistry>>;
  let first: Awaited<ReturnType<typeof importSheet>>;
  beforeAll(async () => {
    osm = await makeRegistry(get().db, [], "OSM");
    first = await importSheet(get().db, osm.maintainer, osm.slug, { format: "tsv", text: OSM, unit: "µM" });
  }, SLOW);

  it("imports the OSM Series 4 master list: 348 molecules, 439 measurements, the campaign's InChIKeys", async () => {
    const { db } = get();
    // 440 rows; rows 379 and 380 are the same measurement (OSM-S-586, Dundee, > 25), so the second changes nothing.
    expect(first).toMatchObject({ imported: 439, unchanged: 1, failed: 0, errors: [], registered: 348, measurementsAdded: 439 });
    expect(first.warnings).toEqual([
      {
        row: 261,
        column: "InChIKey",
        message: "OSM-S-395: the file's InChIKey BSXLJNOXQMXUOB-CRFYJIHUSA-N differs from the computed BSXLJNOXQMXUOB-UHFFFAOYSA-N.",
      },
      { row: 287, message: "OSM-S-424 was registered without InChI: RDKit could not read this molfile (bad valence or syntax)." },
    ]);
    const sheet = parseSheet(OSM, "tsv");
    const expected = new Map(sheet.rows.map((r) => [r.cells.OSM_ID!.split(";")[0]!, r.cells.InChIKey!]));
    const { molecules: all, total } = await listMolecules(db, { campaign: osm.slug, perPage: 1000 });
    expect(total).toBe(348);
    const same = all.filter((m) => m.inchikey === expected.get(m.code));
    expect(same.length / 348).toBeGreaterThanOrEqual(0.99);
    expect(
      all
        .filter((m) => m.inchikey !== expected.get(m.code))
        .map((m) => m.code)
        .sort(),
    ).toEqual(["OSM-S-395", "OSM-S-424"]);
    // The registry's RDKit keys are stored with each molecule; only the carborane RDKit cannot read has none.
    const campaign = await requireCampaign(db, osm.slug);
    const unkeyed = await db
      .select({ code: molecules.campaignCode })
      .from(molecules)
      .where(and(eq(molecules.campaignId, campaign.id), isNull(molecules.registryKey)));
    expect(unkeyed).toEqual([{ code: "OSM-S-424" }]);
  });

  it("keeps a cell of several IDs as one molecule with aliases, and the counters past every ID", async () => {
    const { db } = get();
    const m = await requireMolecule(db, "OSM-S-218");
    expect(m).toMatchObject({ code: "OSM-S-208", aliases: ["OSM-S-218", "OSM-S-416"], series: "4" });
    expect((await getMolecule(db, "osm-s-636"))?.code).toBe("OSM-S-586");
    const settings = await registrySettings(db, await requireCampaign(db, osm.slug));
    const next = new Map<string, number>();
    for (const [, site, n] of OSM.matchAll(/OSM-([A-Z])-(\d+)/g)) next.set(site!, Math.max(next.get(site!) ?? 0, Number(n) + 1));
    expect([...next.keys()].sort()).toEqual(["A", "E", "L", "S", "W"]);
    expect(settings.counters).toEqual([...next].sort().map(([site, n]) => ({ prefix: "OSM", site, next: n })));
  });

  it("turns the sheet's qualifiers and per-lab assays into measurements and best potencies", async () => {
    const { db } = get();
    const rows = await db
      .select({ qualifier: measurements.qualifier, n: count() })
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(eq(molecules.campaignId, osm.campaign.id))
      .groupBy(measurements.qualifier);
    expect(Object.fromEntries(rows.map((r) => [r.qualifier, Number(r.n)]))).toEqual({ "=": 258, ">": 181 });
    const a1 = await listMeasurements(db, "OSM-A-1");
    expect(a1.map((m) => [m.target, m.assay, m.lab, m.qualifier, m.value, m.unit])).toEqual([
      ["Pfal", "IC50", "Guy", "=", 3.05, "µM"],
      ["Pfal (K1)", "IC50", "Guy", "=", 4.379, "µM"],
    ]);
    expect((await requireMolecule(db, "OSM-A-1")).potency.map((p) => [p.label, p.value, p.qualifier])).toEqual([
      ["Pfal (K1) IC50", 4.379, "="],
      ["Pfal IC50", 3.05, "="],
    ]);
  });

  it(
    "re-importing the same file changes nothing",
    async () => {
      const { db } = get();
      const before = await Promise.all([db.select({ n: count() }).from(molecules), db.select({ n: count() }).from(measurements)]);
      const again = await importSheet(db, osm.maintainer, osm.slug, { format: "tsv", text: OSM, unit: "µM" });
      expect(again).toMatchObject({
        imported: 0,
        unchanged: 440,
        failed: 0,
        errors: [],
        warnings: [],
        registered: 0,
        measurementsAdded: 0,
      });
      expect(await Promise.all([db.select({ n: count() }).from(molecules), db.select({ n: count() }).from(measurements)])).toEqual(before);
    },
    SLOW,
  );

  it(
    "exports CSV and SDF that import back: unchanged into the campaign, identical into a new one",
    async () => {
      const { db } = get();
      const csv = await exportCampaign(db, osm.slug, "csv");
      expect(csv).toMatchObject({ filename: `${osm.slug}-molecules.csv`, contentType: "text/csv; charset=utf-8" });
      expect(csv.body.split("\r\n")[0]).toMatch(/^ID,Name,Aliases,Series,Status,Parent,SMILES,InChIKey,/);
      expect(await importSheet(db, osm.maintainer, osm.slug, { format: "csv", text: csv.body })).toMatchObject({
        imported: 0,
        failed: 0,
        registered: 0,
        measurementsAdded: 0,
      });
      const sdf = await exportCampaign(db, osm.slug, "sdf");
      expect(sdf.body.split("$$$$\n")[0]).toMatch(/^OSM-A-1\n/);
      expect(await importSheet(db, osm.maintainer, osm.slug, { format: "sdf", text: sdf.body })).toMatchObject({
        imported: 0,
        failed: 0,
        registered: 0,
        measurementsAdded: 0,
      });

      const summary = async (slug: string) =>
        (await listMolecules(db, { campaign: slug, perPage: 1000 })).molecules
          .map((m) => [m.idcode, m.inchikey, m.formula, JSON.stringify(m.potency)].join(" "))
          .sort();
      const original = await summary(osm.slug);
      for (const [format, text] of [
        ["csv", csv.body],
        ["sdf", sdf.body],
      ] as const) {
        const copy = await makeRegistry(db);
        const result = await importSheet(db, copy.maintainer, copy.slug, { format, text, mapping: { id: null } });
        expect(result, format).toMatchObject({ failed: 0, registered: 348, measurementsAdded: 439 });
        expect(await summary(copy.slug), format).toEqual(original);
      }
    },
    SLOW,
  );

  it(
    "imports the first 2,000 molecules of the HIV set and reports the rate",
    async () => {
      const { db, kind } = get();
      const { slug, maintainer } = await makeRegistry(db);
      const text = HIV_LINES.slice(0, 2001).join("\n");
      const started = performance.now();
      const result = await importSheet(db, maintainer, slug, { format: "csv", text });
      const seconds = (performance.now() - started) / 1000;
      console.log(`HIV import on ${kind}: 2,000 rows in ${seconds.toFixed(1)} s = ${Math.round(2000 / seconds)} rows/s`);
      expect(result).toMatchObject({ failed: 0, errors: [] });
      expect(result.imported + result.unchanged).toBe(2000);
      expect(result.registered).toBe(result.imported);
      expect((await listMolecules(db, { campaign: slug })).total).toBe(result.registered);
      expect(result.warnings.every((w) => /registered without InChI/.test(w.message))).toBe(true);
      // The batch write stores the RDKit keys too: every molecule RDKit reads has them.
      const campaign = await requireCampaign(db, slug);
      const keyed = await db
        .select({ n: count() })
        .from(molecules)
        .where(and(eq(molecules.campaignId, campaign.id), isNotNull(molecules.registryKey), isNotNull(molecules.parentRegistryKey)));
      const unreadable = result.warnings.filter((w) => /RDKit could not read/.test(w.message)).length;
      expect(keyed[0]!.n).toBe(result.registered - unreadable);
      // Molecules stored before the keys (none yet) are still the same structures: the batch finds them by idcode.
      await db
        .update(molecules)
        .set({ registryKey: null, registryKeyNoStereo: null, parentRegistryKey: null })
        .where(eq(molecules.campaignId, campaign.id));
      const again = await importSheet(db, maintainer, slug, { format: "csv", text: HIV_LINES.slice(0, 201).join("\n") });
      expect(again).toMatchObject({ registered: 0, unchanged: 200, failed: 0 });
    },
    SLOW,
  );

  it("reports each failing row with its number, column and reason, and imports the rest", async () => {
    const { db } = get();
    const { slug, maintainer, prefix } = await makeRegistry(db);
    const refusedByOpenChemLib = HIV_LINES[12453]!.slice(0, HIV_LINES[12453]!.lastIndexOf(","));
    const text = [
      "ID,SMILES,Name,IC50 (nM)",
      `${prefix}-A-1,CCO,ethanol,12`,
      `,C1CC,ring not closed,`,
      `,${refusedByOpenChemLib},aromatic tellurium,`,
      `,${"C".repeat(2_001)},too long,`,
      `NOPE-1,CCN,bad id,`,
      `ZZZ-A-1,CCN,foreign id,`,
      `,CCCl,bad value,abc`,
      `${prefix}-A-1,CCCC,same ID other structure,5`,
      `,CC(=O)O,acetic acid,<3`,
      `,OCC,ethanol again,12`,
    ].join("\n");
    const result = await importSheet(db, maintainer, slug, { format: "csv", text });
    expect(result).toMatchObject({ imported: 2, unchanged: 1, failed: 7, registered: 2, measurementsAdded: 2 });
    expect(result.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "SMILES"],
      [4, "SMILES"],
      [5, "SMILES"],
      [6, "ID"],
      [7, "ID"],
      [8, "IC50 (nM)"],
      [9, undefined],
    ]);
    expect(result.errors[0]!.message).toMatch(/could not be read: dangling ring closure/);
    expect(result.errors[3]!.message).toMatch(/"NOPE-1" is not a campaign ID/);
    expect(result.errors[4]!.message).toMatch(/ZZZ-A-1 does not belong to this campaign/);
    expect(result.errors[5]!.message).toMatch(/"abc" is not a number/);
    expect(result.errors[6]!.message).toMatch(new RegExp(`${prefix}-A-1 is already registered with a different structure`));
    const acid = (await listMolecules(db, { campaign: slug, q: "acetic" })).molecules[0]!;
    expect(acid.potency).toEqual([{ label: "IC50", assay: "IC50", target: null, value: 0.003, unit: "µM", qualifier: "<", count: 1 }]);
    expect(await listMeasurements(db, `${prefix}-A-1`)).toHaveLength(1);
  });

  it("refuses files it cannot read, oversize files and callers who may not write, storing nothing", async () => {
    const { db } = get();
    const member = await makeUser(db, "member");
    const outsider = await makeUser(db, "outsider");
    const { slug } = await makeRegistry(db, [{ actor: member, role: "member" }]);
    const before = await db.select({ n: count() }).from(molecules);
    await rejects(importSheet(db, null, slug, { format: "csv", text: "SMILES\nCCO" }), "unauthorized");
    await rejects(importSheet(db, outsider, slug, { format: "csv", text: "SMILES\nCCO" }), "forbidden");
    await rejects(importSheet(db, member, slug, { format: "xlsx", text: "SMILES\nCCO" }), "validation_failed", /format/);
    await rejects(importSheet(db, member, slug, { format: "csv", text: "   " }), "validation_failed", /empty/);
    await rejects(importSheet(db, member, slug, { format: "sdf", text: "SMILES\nCCO" }), "validation_failed", /not an SD file/);
    await rejects(
      importSheet(db, member, slug, { format: "csv", text: "SMILES\nCCO", mapping: { smiles: "Structure" } }),
      "validation_failed",
      /no column "Structure"/,
    );
    await rejects(
      importSheet(db, member, slug, { format: "csv", text: "SMILES\n" + "C\n".repeat(50_001) }),
      "payload_too_large",
      /more than 50,000 rows/,
    );
    await rejects(importSheet(db, member, slug, { format: "csv", text: "SMILES\n" + "C".repeat(20_000_001) }), "payload_too_large");
    expect(await db.select({ n: count() }).from(molecules)).toEqual(before);
  });
});
