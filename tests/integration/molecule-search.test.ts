// Structure search through the database: the index is built from the registry, catches up with molecules registered
// or parked after it was built (by this process or another), and answers exact, substructure and similarity searches.
import { beforeAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import * as searchRoute from "@/app/api/v1/search/molecules/route";
import * as searchCsv from "@/app/api/v1/search/molecules/export.csv/route";
import * as searchSdf from "@/app/api/v1/search/molecules/export.sdf/route";
import { openDatabase, useDatabase, type Db } from "@/db/index";
import { activateMolecule } from "@/db/queries/molecules";

import { searchAssays, searchIndexFor } from "@/db/queries/molecules/search";
import { EXPORT_COLUMNS } from "@/db/queries/molecules/exports";
import { guessMapping } from "@/lib/sheets/mapping";
import { parseSdf, parseSheet } from "@/lib/sheets/sheet";
import { molecules } from "@/db/schema";
import { eq, sql } from "drizzle-orm";
import type { Actor } from "@/lib/auth/policy";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { addMeasurement, parkMolecule, registerMolecule, searchMolecules } from "./support/use-cases";
import { openChemLibRecord, recordParts } from "@/lib/search/record";
import { parseSubstructureQuery } from "@/lib/search/query";
import { catchUp } from "@/db/queries/molecules/search-index";
import { getRDKit } from "@/lib/chem/inchi";
import { SearchIndex } from "@/lib/search/index";
import { morganBits, tanimotoOf } from "@/lib/search/morgan";

const STRUCTURES = {
  nitrobenzene: "O=[N+]([O-])c1ccccc1",
  nitrotoluene: "Cc1ccc(cc1)N(=O)=O", // pentavalent nitro as written by some tools: stored in the same form
  benzamide: "NC(=O)c1ccccc1",
  paracetamol: "CC(=O)Nc1ccc(O)cc1",
  sulfanilamide: "Nc1ccc(cc1)S(N)(=O)=O",
  pyridine: "c1ccncc1",
  chloroquinoline: "Clc1ccnc2ccccc12",
};

describeEachDatabase("molecule search", (get) => {
  let db: Db;
  let slug: string;
  let otherSlug: string;
  let maintainer: NonNullable<Actor>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    useDatabase(get());
    db = get().db;
    const made = await makeRegistry(db);
    ({ slug, maintainer } = made);
    for (const [name, smiles] of Object.entries(STRUCTURES).slice(0, 5)) {
      const { molecule } = await registerMolecule(db, maintainer, { campaign: slug, smiles, name });
      ids[name] = molecule.code;
    }
    const other = await makeRegistry(db);
    otherSlug = other.slug;
    const { molecule } = await registerMolecule(db, other.maintainer, { campaign: otherSlug, smiles: STRUCTURES.pyridine, name: "pyridine" });
    ids.pyridine = molecule.code;
  }, 60_000);

  const codes = (result: { hits: { id: string }[] }) => result.hits.map((h) => h.id).sort();

  it("finds nitro compounds however the molecule was written, with the matched atoms", async () => {
    for (const q of ["[N+](=O)[O-]", "c[N+](=O)[O-]"]) {
      const result = await searchMolecules(db, { q, mode: "substructure", campaign: slug });
      expect(codes(result), q).toEqual([ids.nitrobenzene, ids.nitrotoluene].sort());
      expect(result.total).toBe(2);
      for (const hit of result.hits) expect(hit.atoms).toHaveLength(q.startsWith("c") ? 4 : 3);
    }
    // As in RDKit, which stores nitro charge-separated and reads a query literally: the pentavalent form finds nothing.
    expect((await searchMolecules(db, { q: "N(=O)=O", mode: "substructure", campaign: slug })).total).toBe(0);
  });

  it("answers SMARTS with wildcards, lists and ring/aromatic primitives", async () => {
    expect(codes(await searchMolecules(db, { q: "c1ccccc1C(=O)[NH2]", campaign: slug }))).toEqual([ids.benzamide]);
    expect(codes(await searchMolecules(db, { q: "S(=O)(=O)[#7]", campaign: slug }))).toEqual([ids.sulfanilamide]);
    expect(codes(await searchMolecules(db, { q: "[#6]~[#7;H1]~[#6]=O", campaign: slug }))).toEqual([ids.paracetamol]);
    expect(codes(await searchMolecules(db, { q: "*c1ccc(cc1)[N,S]", campaign: slug }))).toEqual(
      [ids.nitrotoluene, ids.paracetamol, ids.sulfanilamide].sort(),
    );
    expect((await searchMolecules(db, { q: "[c;R]", campaign: slug })).total).toBe(5);
    // Bracket atoms OpenChemLib would misread (total connections, a charge beside other primitives, ring size).
    expect(codes(await searchMolecules(db, { q: "[CX4]", campaign: slug }))).toEqual([ids.nitrotoluene, ids.paracetamol].sort());
    expect(codes(await searchMolecules(db, { q: "[N+;H0]", campaign: slug }))).toEqual([ids.nitrobenzene, ids.nitrotoluene].sort());
    expect(codes(await searchMolecules(db, { q: "[n;r6]", campaign: otherSlug }))).toEqual([ids.pyridine]);
    // Recursive SMARTS: an N with H that is not an amide N (sulfanilamide's; not benzamide's or paracetamol's).
    expect(codes(await searchMolecules(db, { q: "[NX3;H2,H1;!$(NC=O)]", campaign: slug }))).toEqual([ids.sulfanilamide]);
  });

  it("pages with a cursor and reports the total on every page", async () => {
    const first = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, limit: 2 });
    expect(first.total).toBe(5);
    expect(first.hits).toHaveLength(2);
    const second = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, limit: 2, cursor: first.cursor! });
    const third = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, limit: 2, cursor: second.cursor! });
    expect(second.total).toBe(5);
    expect(third.cursor).toBeNull();
    const all = [...first.hits, ...second.hits, ...third.hits].map((h) => h.id);
    expect(new Set(all).size).toBe(5);

    // total=false: the first page without counting; its cursor continues where the page ended.
    const quick = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, limit: 2, total: "false" });
    expect(quick.total).toBeNull();
    expect(quick.hits.map((h) => h.id)).toEqual(first.hits.map((h) => h.id));
    const after = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, limit: 2, cursor: quick.cursor! });
    expect(after.hits.map((h) => h.id)).toEqual(second.hits.map((h) => h.id));
  });

  it("narrows by property ranges", async () => {
    // MW: nitrobenzene 123, benzamide 121, nitrotoluene 137, paracetamol 151, sulfanilamide 172 (cLogP 0.74, 0.75,
    // 1.08, 1.02, -0.25).
    const light = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, mwMax: 140 });
    expect(codes(light)).toEqual([ids.nitrobenzene, ids.benzamide, ids.nitrotoluene].sort());
    const heavier = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, mwMin: 130, clogpMin: 0.9 });
    expect(codes(heavier)).toEqual([ids.nitrotoluene, ids.paracetamol].sort());
    expect(heavier.total).toBe(2);
  });

  it("narrows by measured potency, sorts by potency or a property across pages, and shows each hit's best values", async () => {
    const measure = (code: string, value: number, unit = "µM", qualifier: "=" | "<" | ">" = "=") =>
      addMeasurement(db, maintainer, code, { assay: "IC50", target: "Pfal", value, unit, qualifier });
    await measure(ids.nitrobenzene!, 0.5);
    await measure(ids.benzamide!, 800, "nM");
    await measure(ids.benzamide!, 2);
    await measure(ids.paracetamol!, 10, "µM", ">");
    await measure(ids.sulfanilamide!, 0.1, "µM", "<");
    const assay = "Pfal IC50|µM";
    expect(await searchAssays(db, slug)).toEqual([{ key: assay, label: "Pfal IC50 (µM)", molecules: 4 }]);
    expect(await searchAssays(db, otherSlug)).toEqual([]);

    // At least as potent as 1 µM: measured 0.5 and 0.8, bounded "<0.1"; ">10" says too little.
    const potent = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, assay, potency: 1 });
    expect(codes(potent)).toEqual([ids.nitrobenzene, ids.benzamide, ids.sulfanilamide].sort());
    const benzamide = potent.hits.find((h) => h.id === ids.benzamide)!;
    expect(benzamide.potency).toEqual([
      { label: "Pfal IC50", assay: "IC50", target: "Pfal", value: 0.8, unit: "µM", qualifier: "=", count: 2 },
    ]);

    // Most potent first; the molecule without a value last. Pages of two follow the same order.
    const order = [ids.sulfanilamide, ids.nitrobenzene, ids.benzamide, ids.paracetamol, ids.nitrotoluene];
    const byPotency = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, assay, sort: "potency" });
    expect(byPotency.hits.map((h) => h.id)).toEqual(order);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, assay, sort: "potency", limit: 2, cursor });
      expect(page.total).toBe(5);
      paged.push(...page.hits.map((h) => h.id));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(order);

    // MW 121 benzamide, 123 nitrobenzene, 137 nitrotoluene, 151 paracetamol, 172 sulfanilamide.
    const byMass = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, sort: "mw" });
    expect(byMass.hits.map((h) => h.id)).toEqual([ids.benzamide, ids.nitrobenzene, ids.nitrotoluene, ids.paracetamol, ids.sulfanilamide]);
    for (const hit of byMass.hits) expect(hit.atoms).toHaveLength(6); // the ring drawn highlighted, sorted or not
    const heaviest = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, sort: "-mw", limit: 1 });
    expect(heaviest.hits.map((h) => h.id)).toEqual([ids.sulfanilamide]);
    const clogps = (await searchMolecules(db, { q: "CC(=O)Nc1ccc(OC)cc1", mode: "similarity", threshold: 0.1, sort: "-clogp" })).hits.map((h) => h.clogp);
    expect(clogps.length).toBeGreaterThan(2);
    expect(clogps).toEqual([...clogps].sort((a, b) => b - a));

    await rejects(searchMolecules(db, { q: "C", potency: 1 }), "validation_failed", /assay/);
    await rejects(searchMolecules(db, { q: "C", sort: "potency" }), "validation_failed", /assay/);
    await rejects(searchMolecules(db, { q: "C", sort: "weight" }), "validation_failed", /sort/);
    // A cursor belongs to one order.
    const relevance = await searchMolecules(db, { q: "c1ccccc1", campaign: slug, limit: 1 });
    await rejects(searchMolecules(db, { q: "c1ccccc1", campaign: slug, sort: "mw", cursor: relevance.cursor! }), "validation_failed", /cursor/);
  });

  it("finds the exact structure however the SMILES is written, and similar ones best first", async () => {
    const exact = await searchMolecules(db, { q: "Oc1ccc(NC(C)=O)cc1", mode: "exact" });
    expect(codes(exact)).toEqual([ids.paracetamol]);
    expect((await searchMolecules(db, { q: "CC(=O)Nc1ccccc1", mode: "exact" })).total).toBe(0);

    const similar = await searchMolecules(db, { q: "CC(=O)Nc1ccc(OC)cc1", mode: "similarity", threshold: 0.3 });
    expect(similar.hits[0]!.id).toBe(ids.paracetamol);
    const scores = similar.hits.map((h) => h.similarity!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeGreaterThan(0.3);
    expect(scores[0]).toBeLessThan(1);
  });

  it("downloads every hit of a search as CSV or SDF in the search's order, with the similarity of a similarity search", async () => {
    const download = async (route: typeof searchCsv, format: string, params: Record<string, string>) => {
      const response = await route.GET(new Request(`http://notebook.test/api/v1/search/molecules/export.${format}?${new URLSearchParams(params)}`), {
        params: Promise.resolve({}),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    /** The molecules of an export in file order (one row or record per measurement repeats a molecule). */
    const inOrder = (list: string[]) => list.filter((id, i) => id !== list[i - 1]);

    // Sorted by MW, heaviest first; the page size and cursor of the address do not cut the download.
    const params = { q: "c1ccccc1", campaign: slug, sort: "-mw", limit: "1" };
    const shown = (await searchMolecules(db, { ...params, limit: 500 })).hits.map((h) => h.id);
    expect(shown).toHaveLength(5);
    const csv = await download(searchCsv, "csv", params);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${slug}-substructure-search.csv"`);
    const sheet = parseSheet(csv.text, "csv");
    expect(sheet.headers).toEqual([...EXPORT_COLUMNS]);
    expect(inOrder(sheet.rows.map((r) => r.cells.ID!))).toEqual(shown);
    expect(sheet.rows.find((r) => r.cells.ID === ids.paracetamol)?.cells.Name).toBe("paracetamol");

    const sdf = await download(searchSdf, "sdf", params);
    expect(sdf.headers.get("content-type")).toMatch(/^chemical\/x-mdl-sdfile/);
    const records = parseSdf(sdf.text);
    expect(records.errors).toEqual([]);
    expect(inOrder(records.records.map((r) => r.title))).toEqual(shown);
    expect(inOrder(records.records.map((r) => r.fields.ID!))).toEqual(shown);

    // Similarity: best first, each row with its similarity, a column an import leaves alone.
    const similarParams = { q: "CC(=O)Nc1ccc(OC)cc1", mode: "similarity", threshold: "0.3", campaign: slug };
    const similar = await searchMolecules(db, similarParams);
    const similarSheet = parseSheet((await download(searchCsv, "csv", similarParams)).text, "csv");
    expect(similarSheet.headers).toEqual([...EXPORT_COLUMNS, "Similarity"]);
    expect(inOrder(similarSheet.rows.map((r) => r.cells.ID!))).toEqual(similar.hits.map((h) => h.id));
    const first = similarSheet.rows[0]!.cells;
    expect(Number(first.Similarity)).toBeCloseTo(similar.hits[0]!.similarity!, 3);
    expect(guessMapping(similarSheet.headers)).toMatchObject({ id: "ID", smiles: "SMILES", unmapped: expect.arrayContaining(["Similarity"]) });

    // A query that does not parse is the same 422 as the search's; nothing is sent as a file.
    const bad = await download(searchCsv, "csv", { q: "c1ccc" });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-disposition")).toBeNull();
    expect(JSON.parse(bad.text).error.message).toMatch(/^q: .*could not be read/);
  });

  it("filters by campaign and keeps up with molecules registered and parked after the index was built", async () => {
    await searchIndexFor(db);
    expect(codes(await searchMolecules(db, { q: "c1ccncc1", campaign: otherSlug }))).toEqual([ids.pyridine]);
    expect((await searchMolecules(db, { q: "c1ccncc1", campaign: slug })).total).toBe(0);

    const { molecule } = await registerMolecule(db, maintainer, { campaign: slug, smiles: STRUCTURES.chloroquinoline });
    expect(codes(await searchMolecules(db, { q: "c1ccncc1", campaign: slug }))).toEqual([molecule.code]);

    await parkMolecule(db, maintainer, molecule.code, { reason: "inactive" });
    expect((await searchMolecules(db, { q: "c1ccncc1", campaign: slug })).total).toBe(0);
    expect(codes(await searchMolecules(db, { q: "c1ccncc1", campaign: slug, status: "parked" }))).toEqual([molecule.code]);
    await activateMolecule(db, maintainer, molecule.code);
    expect((await searchMolecules(db, { q: "c1ccncc1", campaign: slug })).total).toBe(1);
  });

  it("stores each molecule's search record so the next start only loads it", async () => {
    await searchMolecules(db, { q: "C", campaign: slug });
    const rows = await db.select({ record: molecules.searchRecord }).from(molecules).where(eq(molecules.status, "active"));
    expect(rows.length).toBeGreaterThan(5);
    // A whole record in the current layout, with the molecule's Morgan bits (these small molecules all have some).
    for (const row of rows) expect(recordParts(row.record)?.morgan.length).toBeGreaterThan(0);
  });

  it("computes again, in the sandbox, a record stored in the layout before Morgan fingerprints, and scores it as RDKit does", async () => {
    const [row] = await db
      .select({ id: molecules.id, record: molecules.searchRecord, inputSmiles: molecules.inputSmiles })
      .from(molecules)
      .where(eq(molecules.campaignCode, ids.paracetamol!));
    const current = recordParts(row!.record)!;
    // The earlier layout: screen, our own 512-bit similarity fingerprint, graph.
    const earlier = new Uint8Array(128 + current.graph.length);
    earlier.set(new Uint8Array(current.screen.buffer), 0);
    earlier.fill(0x11, 64, 128);
    earlier.set(current.graph, 128);
    await db.update(molecules).set({ searchRecord: earlier }).where(eq(molecules.id, row!.id));
    const state = { index: new SearchIndex(), version: 0, gaps: new Map<number, number>(), buildMs: 0 };
    expect(await catchUp(db, state)).toBe(1);
    const [stored] = await db.select({ record: molecules.searchRecord }).from(molecules).where(eq(molecules.id, row!.id));
    expect(Array.from(recordParts(stored!.record)!.morgan)).toEqual(Array.from(current.morgan));
    // RDKit's Tanimoto of the two structures as given, from its own fingerprints.
    const rdkit = await getRDKit();
    const query = "CC(=O)Nc1ccc(OC)cc1";
    const expected = tanimotoOf(morganBits(rdkit, query), morganBits(rdkit, row!.inputSmiles!));
    const hits = await state.index.similarity(morganBits(rdkit, query), { threshold: 0.05, limit: 50, filter: { status: "any" } });
    expect(hits.hits.find((h) => h.id === row!.id)?.similarity).toBe(expected);
  });

  it("moves a record of OpenChemLib's reading to RDKit's: the pyrazinone NH of an OSM compound is found as [nH] after the catch-up", async () => {
    // A real OSM Series 4 compound whose triazolopyrazinone ring RDKit calls aromatic and OpenChemLib does not: the
    // [nH] query missed it while records held OpenChemLib's graph.
    const smiles = "FC(F)Oc1ccc(cc1)c2nnc3C(=O)NC=C(C(=O)Nc4ccc(Cl)cc4)n23";
    const { molecule } = await registerMolecule(db, maintainer, { campaign: slug, smiles, name: "triazolopyrazinone" });
    const [row] = await db.select({ id: molecules.id, idcode: molecules.idcode }).from(molecules).where(eq(molecules.campaignCode, molecule.code));
    const aromaticNH = parseSubstructureQuery("[nH]");
    const before = new SearchIndex();
    before.add(row!.id, 0, true, row!.idcode, openChemLibRecord(row!.idcode));
    expect((await before.substructure(aromaticNH, { limit: 10, filter: { status: "any" } })).hits).toEqual([]);
    // Stored as an earlier layout marks it (the byte after the screen): the catch-up computes it again from the
    // SMILES as registered, in the sandbox, and stores it.
    const stale = openChemLibRecord(row!.idcode);
    stale[64] = 0xa2;
    await db.update(molecules).set({ searchRecord: stale }).where(eq(molecules.id, row!.id));
    const state = { index: new SearchIndex(), version: 0, gaps: new Map<number, number>(), buildMs: 0 };
    expect(await catchUp(db, state)).toBe(1);
    const found = await state.index.substructure(aromaticNH, { limit: 10, filter: { status: "any" } });
    expect(found.hits.map((h) => h.id)).toContain(row!.id);
    const [stored] = await db.select({ record: molecules.searchRecord }).from(molecules).where(eq(molecules.id, row!.id));
    expect(recordParts(stored!.record)?.flags).toBe(1); // RDKit's reading, in idcode order
    expect(codes(await searchMolecules(db, { q: "[nH]", campaign: slug }))).toContain(molecule.code);
    await parkMolecule(db, maintainer, molecule.code, { reason: "test molecule" });
  });

  it("a second process's index sees writes made through another", async () => {
    const database = get();
    if (database.kind !== "postgres" || !process.env.TEST_DATABASE_URL) return; // PGlite is one process by design
    const rows: unknown = await database.db.execute(sql`select current_database() as name`);
    const { name } = (rows as { name: string }[])[0]!;
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const second = await openDatabase({ kind: "postgres", url: url.toString(), max: 2 });
    try {
      await searchMolecules(second.db, { q: "C", campaign: slug });
      const { molecule } = await registerMolecule(db, maintainer, { campaign: slug, smiles: "O=C1CCCN1" });
      expect(codes(await searchMolecules(second.db, { q: "O=C1CCCN1", mode: "exact" }))).toEqual([molecule.code]);
    } finally {
      await second.close();
    }
  });

  it("sees a change whose transaction commits after a later one it has already seen", async () => {
    const database = get();
    if (database.kind !== "postgres" || !process.env.TEST_DATABASE_URL) return; // PGlite runs one transaction at a time
    const rows: unknown = await database.db.execute(sql`select current_database() as name`);
    const { name } = (rows as { name: string }[])[0]!;
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const second = await openDatabase({ kind: "postgres", url: url.toString(), max: 2 });
    const active = async (code: string) =>
      (await searchMolecules(second.db, { q: STRUCTURES[code as keyof typeof STRUCTURES], mode: "exact", campaign: slug })).total === 1;
    try {
      expect(await active("benzamide")).toBe(true);
      // A park that takes its search_version now but commits later, after a park with a higher version.
      let commit!: () => void;
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const slow = database.db.transaction(async (tx) => {
        await tx.execute(sql`update molecules set status = 'parked', park_reason = 'slow' where campaign_code = ${ids.benzamide!}`);
        written();
        await new Promise<void>((resolve) => (commit = resolve));
      });
      await wrote;
      await parkMolecule(db, maintainer, ids.paracetamol!, { reason: "fast" });
      expect(await active("paracetamol")).toBe(false);
      expect(await active("benzamide")).toBe(true); // not committed yet
      commit();
      await slow;
      expect(await active("benzamide")).toBe(false);
    } finally {
      await second.close();
      await activateMolecule(db, maintainer, ids.benzamide!);
      await activateMolecule(db, maintainer, ids.paracetamol!);
    }
  });

  it("refuses unreadable or unsupported queries with 422 and a message, through the API too", async () => {
    await rejects(searchMolecules(db, { q: "c1ccc" }), "validation_failed", /could not be read/);
    await rejects(searchMolecules(db, { q: "[$(C=O]N" }), "validation_failed", /\$\( inside it is not closed/);
    await rejects(searchMolecules(db, { q: "[Ch1]" }), "validation_failed", /"h" is not a SMARTS atom primitive/);
    await rejects(searchMolecules(db, { q: "C", mode: "similarity", threshold: 2 }), "validation_failed", /threshold/);
    await rejects(searchMolecules(db, { q: "C", cursor: "nonsense" }), "validation_failed", /cursor/);
    await rejects(searchMolecules(db, { q: "C", campaign: "no-such-campaign" }), "not_found");

    const call = async (query: string) => {
      const response = await searchRoute.GET(new Request(`http://notebook.test/api/v1/search/molecules?${query}`), {
        params: Promise.resolve({}),
      });
      return { status: response.status, json: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const bad = await call("q=C1CC");
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe("validation_failed");
    expect(bad.json.error.message).toMatch(/^q: /);

    const ok = await call(`q=${encodeURIComponent("[N+](=O)[O-]")}&campaign=${slug}&limit=1`);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ mode: "substructure", total: 2 });
    expect(ok.json.hits).toHaveLength(1);
    expect(ok.json.hits[0]).toMatchObject({ campaign: slug, atoms: expect.any(Array), url: expect.stringContaining("/molecules/") });
    expect(typeof ok.json.cursor).toBe("string");
  });

  it("a query that matches everything still answers with a cursor, and an aborted search stops", async () => {
    // "*" is any atom: every molecule (C would be aliphatic carbon only, as in RDKit).
    const all = await searchMolecules(db, { q: "*", status: "any", limit: 1 });
    const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(molecules)) as [{ count: number }];
    expect(all.total).toBe(count);
    expect(all.hits).toHaveLength(1);
    expect(all.cursor).not.toBeNull();
    const controller = new AbortController();
    controller.abort();
    await rejects(searchMolecules(db, { q: "C" }, { signal: controller.signal }), "cancelled", /cancelled/);
  });
});
