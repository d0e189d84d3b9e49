// npm run bench:search — structure search on the MoleculeNet HIV set (41,127 molecules): our index against RDKit in
// memory (@rdkit/rdkit: pattern-fingerprint screen, then get_substruct_match) and, when the `rdkit` extension can be
// created (Debian: postgresql-15-rdkit; as the postgres OS user via runuser, or BENCH_RDKIT_URL), the RDKit PostgreSQL
// cartridge with GiST indexes, in the same run on the same molecules and queries. Prints per-query times and ratios,
// medians, exact-search time, bytes per molecule, index build time, and a scaling run.
//   BENCH_ROWS (default: all) · BENCH_SCALE (default 400000; 1000000 for the full run) · BENCH_RDKIT_URL
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import initRDKitModule from "@rdkit/rdkit";
import { Molecule } from "openchemlib";
import http from "node:http";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { searchIndexFor } from "@/db/queries/molecules/search";
import { propertyKeys, type PropertyValues } from "@/lib/molecules/properties";
import { ensureUserByLogin } from "@/db/queries/users";
import { molecules } from "@/db/schema";
import { SearchIndex } from "@/lib/search/index";
import { parseMoleculeQuery, parseSubstructureQuery } from "@/lib/search/query";
import { morganBits } from "@/lib/search/morgan";
import { searchRecordOf } from "@/lib/search/record";
import { projectRoot } from "../e2e/support/paths";
import { superuserPsql } from "./psql";
import { createCampaign, searchMolecules } from "../integration/support/use-cases";

const PLACEHOLDER_PROPERTIES = Object.fromEntries(propertyKeys.map((k) => [k, 1])) as PropertyValues;

const QUERIES = [
  "c1ccccc1",
  "c1ccc2ccccc2c1",
  "c1ccncc1",
  "c1ccc2[nH]ccc2c1",
  "C(=O)N",
  "S(=O)(=O)N",
  "[N+](=O)[O-]",
  "[Cl,Br,I]",
  "FC(F)F",
  "[#6]~[#7]~[#6]=O",
  "*c1ccccc1",
  "[C;R]",
  "[c;H1]",
  "C#N",
  "P(=O)(O)O",
  "O=C1CCCN1",
];
/** Queries with bracket primitives beyond element, charge and H (X, r, a/A, $()): printed apart from the goal's median. */
const OWN_ATOM_QUERIES = ["[CX4]", "[OX2H]", "[#7+;H0]", "[c;r5]", "[#7;a]", "[CX3](=O)[OX1H0-,OX2H1]", "[NX3;H2,H1;!$(NC=O)]"];
const SIMILARITY_QUERIES = ["CC(=O)Nc1ccc(O)cc1", "O=C(O)c1ccccc1O", "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "c1ccc2c(c1)ccc1ccccc12"];

const source = path.resolve(projectRoot, "../shared/data/hiv-41k.csv");
const limit = process.env.BENCH_ROWS ? Number(process.env.BENCH_ROWS) : Infinity;
const scale = process.env.BENCH_SCALE ? Number(process.env.BENCH_SCALE) : 400_000;
const smiles = readFileSync(source, "utf8")
  .split(/\r?\n/)
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split(",")[0]!)
  .slice(0, limit);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const time = async <T,>(f: () => T | Promise<T>): Promise<[Awaited<T>, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
};
/** Warm: one untimed run, then the best of `n`. */
const warm = async <T,>(f: () => T | Promise<T>, n = 3): Promise<[Awaited<T>, number]> => {
  let best = Infinity;
  let result = await f();
  for (let i = 0; i < n; i++) {
    const [r, t] = await time(f);
    result = r;
    best = Math.min(best, t);
  }
  return [result, best];
};

console.log(
  `structure search on ${smiles.length} molecules of ${path.basename(source)}; ${os.cpus().length} cores (shared: figures are noisy)`,
);

// ---- records: what registration stores per molecule ----
const rdkit = await initRDKitModule();
rdkit.disable_logging();
const idcodes: string[] = [];
const records: Uint8Array[] = [];
const valid: number[] = [];
let parseMs = 0;
let recordMs = 0;
for (let i = 0; i < smiles.length; i++) {
  let t = performance.now();
  let idcode: string;
  try {
    const mol = Molecule.fromSmiles(smiles[i]!, { noCoordinates: true });
    mol.removeExplicitHydrogens();
    mol.normalizeAmbiguousBonds();
    idcode = mol.getIDCode();
  } catch {
    continue;
  }
  parseMs += performance.now() - t;
  t = performance.now();
  records.push(searchRecordOf(rdkit, { idcode, smiles: smiles[i]! }));
  recordMs += performance.now() - t;
  idcodes.push(idcode);
  valid.push(i);
}
console.log(
  `search record (RDKit reading: graph, screen, Morgan; idcode order) per molecule: ${((recordMs / records.length) * 1000).toFixed(0)} µs (OpenChemLib SMILES parse alone: ${((parseMs / records.length) * 1000).toFixed(0)} µs)`,
);

// ---- index build (what a start does with the stored records) ----
const build = (n: number) => {
  const index = new SearchIndex();
  for (let i = 0; i < n; i++) index.add(i + 1, 1, true, idcodes[i % idcodes.length]!, records[i % records.length]!);
  index.compact(); // as the server does after loading
  return index;
};
const [index, buildMs] = await time(() => build(records.length));
const recordBytes = records.reduce((n, r) => n + r.length, 0) / records.length;
console.log(`index build from stored records: ${records.length} molecules in ${ms(buildMs)} ms`);
console.log(
  `index memory: ${index.bytesPerMolecule().toFixed(0)} bytes/molecule in use, fixed-size tables shared out (goal ≤ 350; ${index.bytesPerMolecule({ fixed: false }).toFixed(0)} without them; ${(index.memoryBytes() / index.size).toFixed(0)} with the arrays' spare capacity); stored records average ${recordBytes.toFixed(0)} bytes`,
);

// ---- RDKit in memory ----
const rdMols: ReturnType<typeof rdkit.get_mol>[] = [];
const rdFps: Uint8Array[] = [];
for (const i of valid) {
  const m = rdkit.get_mol(smiles[i]!);
  rdMols.push(m);
  rdFps.push(m ? (m.get_pattern_fp_as_uint8array() as Uint8Array) : new Uint8Array(256));
}
const rdkitSearch = (q: string) => {
  const qmol = rdkit.get_qmol(q)!;
  const qfp = qmol.get_pattern_fp_as_uint8array() as Uint8Array;
  const hits: number[] = [];
  outer: for (let i = 0; i < rdMols.length; i++) {
    const fp = rdFps[i]!;
    for (let k = 0; k < qfp.length; k++) if ((qfp[k]! & ~fp[k]!) !== 0) continue outer;
    if (rdMols[i] && rdMols[i]!.get_substruct_match(qmol) !== "{}") hits.push(i);
  }
  qmol.delete();
  return hits.length;
};

// ---- cartridge ----
const psql = superuserPsql;
const cartDb = `nb_search_${process.pid}`;
let cartridge = false;
const cartDir = mkdtempSync(path.join(os.tmpdir(), "nb-search-"));
chmodSync(cartDir, 0o755);
{
  const file = path.join(cartDir, "smiles.txt");
  writeFileSync(file, valid.map((i) => smiles[i]).join("\n") + "\n", { mode: 0o644 });
  if (psql("select 1").ok && psql(`create database ${cartDb}`).ok && psql("create extension rdkit", cartDb).ok) {
    const load = psql(
      `create table raw (smiles text); copy raw from '${file}';
       create table mols as select row_number() over () as id, mol_from_smiles(smiles::cstring) as m from raw;
       delete from mols where m is null;
       create index mols_m on mols using gist (m);
       create table fps as select id, morganbv_fp(m) as fp from mols;
       create index fps_fp on fps using gist (fp);
       analyze;`,
      cartDb,
    );
    cartridge = load.ok;
    if (!load.ok) console.log(`cartridge: load failed: ${load.out.split("\n")[0]}`);
  } else {
    console.log("cartridge: not available (no superuser connection or no rdkit extension): cartridge ratios are not printed");
  }
}
/** Server-side execution time of one statement, warm (best of `n` after one run), from EXPLAIN ANALYZE. */
function cartridgeMs(sql: string, settings = "", n = 3): number {
  let best = Infinity;
  for (let i = 0; i <= n; i++) {
    const r = psql(`${settings} explain (analyze, format json) ${sql}`, cartDb);
    if (!r.ok) throw new Error(r.out);
    const plan = JSON.parse(r.out.slice(r.out.indexOf("["))) as { "Execution Time": number }[];
    if (i > 0) best = Math.min(best, plan[0]!["Execution Time"]);
  }
  return best;
}
const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

// ---- substructure ----
console.log("\nsubstructure: complete hit list, warm (best of 3)");
console.log(
  "query".padEnd(22) +
    "hits".padStart(7) +
    "ours ms".padStart(10) +
    "RDKit mem ms".padStart(14) +
    "ratio".padStart(8) +
    (cartridge ? "cartridge ms".padStart(14) + "ratio".padStart(8) : ""),
);
const ratios: number[] = [];
const cartRatios: number[] = [];
/** One row of the table: our complete hit list against RDKit in memory (and the cartridge); the ratios. */
async function substructureRow(q: string): Promise<{ rdkit: number; cartridge: number | null }> {
  const parsed = parseSubstructureQuery(q);
  // The complete list of hit ids, as the RDKit loop below makes it (matched atoms are found for a shown page only).
  const [ours, oursMs] = await warm(() => index.substructure(parsed, { limit: 1e9, countAll: true, atoms: false }));
  const [, rdMs] = await warm(() => rdkitSearch(q), 2);
  let cart = "";
  let cartRatio: number | null = null;
  if (cartridge) {
    const cMs = cartridgeMs(`select id from mols where m @> ${sq(q)}::qmol`);
    cartRatio = oursMs / cMs;
    cart = ms(cMs).padStart(14) + cartRatio.toFixed(2).padStart(8);
  }
  console.log(
    q.padEnd(22) +
      String(ours.hits.length).padStart(7) +
      ms(oursMs).padStart(10) +
      ms(rdMs).padStart(14) +
      (oursMs / rdMs).toFixed(2).padStart(8) +
      cart,
  );
  return { rdkit: oursMs / rdMs, cartridge: cartRatio };
}
for (const q of QUERIES) {
  const row = await substructureRow(q);
  ratios.push(row.rdkit);
  if (row.cartridge !== null) cartRatios.push(row.cartridge);
}
console.log(`median ratio ours / RDKit in memory: ${median(ratios).toFixed(2)} (goal ≤ 0.25)`);
if (cartridge) console.log(`median ratio ours / cartridge (GiST): ${median(cartRatios).toFixed(2)}`);
console.log("queries with more bracket primitives (X, r, a/A, $(); not in the median above):");
const ownRatios: number[] = [];
for (const q of OWN_ATOM_QUERIES) ownRatios.push((await substructureRow(q)).rdkit);
console.log(`median ratio ours / RDKit in memory for these: ${median(ownRatios).toFixed(2)}`);

// First page (50 hits, no total), as the API's first answer needs.
const firstPage: number[] = [];
for (const q of QUERIES) {
  const parsed = parseSubstructureQuery(q);
  for (let i = 0; i < 5; i++) firstPage.push((await time(() => index.substructure(parsed, { limit: 50 })))[1]);
}
firstPage.sort((a, b) => a - b);
console.log(
  `first page of 50 hits (index only, no HTTP): p50 ${ms(median(firstPage))} ms, p95 ${ms(firstPage[Math.floor(firstPage.length * 0.95)]!)} ms (through HTTP below)`,
);

// ---- similarity ----
console.log("\nsimilarity (RDKit's Morgan, radius 2, 2048 bits, kept sparse, vs the cartridge's morganbv_fp: the same fingerprint)");
const simRatios: number[] = [];
// A search takes about a millisecond on either side, so both are timed as the best of 10 warm runs.
const SIM_RUNS = 10;
for (const q of SIMILARITY_QUERIES) {
  const fp = morganBits(rdkit, q);
  const [top, topMs] = await warm(() => index.similarity(fp, { threshold: 0.05, limit: 50 }), SIM_RUNS);
  const [thr, thrMs] = await warm(() => index.similarity(fp, { threshold: 0.5, limit: 1e9 }), SIM_RUNS);
  let line = `${q.padEnd(30)} top-50 ${ms(topMs)} ms · ≥0.5: ${thr.total} hits ${ms(thrMs)} ms`;
  if (cartridge) {
    const cTop = cartridgeMs(`select id from fps order by fp <%> morganbv_fp(${sq(q)}::mol) limit 50`, "", SIM_RUNS);
    const cThr = cartridgeMs(`select id from fps where fp % morganbv_fp(${sq(q)}::mol)`, "set rdkit.tanimoto_threshold = 0.5;", SIM_RUNS);
    simRatios.push(topMs / cTop, thrMs / cThr);
    line += ` | cartridge top-50 ${ms(cTop)} ms (ratio ${(topMs / cTop).toFixed(2)}), ≥0.5 ${ms(cThr)} ms (ratio ${(thrMs / cThr).toFixed(2)})`;
  }
  void top;
  console.log(line);
}
if (cartridge) console.log(`median similarity ratio ours / cartridge: ${median(simRatios).toFixed(2)} (goal ≤ 0.25)`);

// ---- exact ----
// 51 molecules spread over the set (every 800th), each looked up by its SMILES as given in the file.
const exactTimes: number[] = [];
for (let i = 0; i < idcodes.length; i += 800) {
  const q = smiles[valid[i]!]!;
  const [found, t] = await warm(() => {
    const { idcode } = parseMoleculeQuery(q);
    return index.exactCandidates(idcode, { status: "any" });
  });
  if (!found.includes(i + 1)) console.log(`exact: ${q} not found!`);
  exactTimes.push(t);
}
exactTimes.sort((a, b) => a - b);
console.log(
  `\nexact search by canonical structure (parse + canonicalize + lookup), ${exactTimes.length} molecules: median ${ms(median(exactTimes))} ms, ` +
    `p95 ${ms(exactTimes[Math.floor(exactTimes.length * 0.95)]!)} ms (goal ≤ 2 ms)`,
);

// ---- through the database and HTTP: index rebuilt from stored records, first page p95 ----
{
  const database = await openDatabase({ kind: "pglite" });
  try {
    const db = database.db;
    const user = await ensureUserByLogin(db, "bench-search");
    await createCampaign(db, { id: user.id, login: user.login }, { name: "HIV screen", slug: "hiv" });
    const campaign = await requireCampaign(db, "hiv");
    // Rows as the registry stores them, as far as search reads them (other columns get placeholders: this measures
    // search, not registration).
    for (let i = 0; i < records.length; i += 1000) {
      const batch = [];
      for (let j = i; j < Math.min(records.length, i + 1000); j++) {
        batch.push({
          campaignId: campaign.id,
          campaignCode: `HIV-A-${j + 1}`,
          site: "A",
          number: j + 1,
          smiles: smiles[valid[j]!]!,
          idcode: idcodes[j]!,
          idcodeNoStereo: idcodes[j]!,
          parentIdcode: idcodes[j]!,
          molfile: "",
          formula: "",
          // Placeholder properties (this benchmark times search, not registration): one value per row of the table.
          ...PLACEHOLDER_PROPERTIES,
          registeredById: user.id,
          searchRecord: records[j]!,
        });
      }
      await db.insert(molecules).values(batch);
    }
    // As an import does when it is done (db/queries/molecule-imports.ts): fresh planner statistics.
    await db.execute(sql`analyze molecules`);
    const [state, startMs] = await time(() => searchIndexFor(db));
    console.log(`
index rebuilt from the database (PGlite, stored records): ${state.index.size} molecules in ${ms(startMs)} ms`);
    const server = http.createServer((req, res) => {
      const params = Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams);
      searchMolecules(db, params).then(
        (result) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(result));
        },
        (error: unknown) => {
          res.writeHead(422, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: String(error) }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const get = async (query: string) => {
      const t = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/?${query}`);
      const body = (await response.json()) as { hits?: unknown[]; total?: number | null };
      if (response.status !== 200) throw new Error(JSON.stringify(body));
      return [body, performance.now() - t] as const;
    };
    const pageTimes: number[] = [];
    const fullTimes: number[] = [];
    for (const q of QUERIES) {
      const query = new URLSearchParams({ q, limit: "50", total: "false" }).toString();
      await get(query);
      for (let i = 0; i < 5; i++) pageTimes.push((await get(query))[1]);
      fullTimes.push((await get(new URLSearchParams({ q, limit: "50" }).toString()))[1]);
    }
    pageTimes.sort((a, b) => a - b);
    const exactHttp: number[] = [];
    for (let i = 0; i < idcodes.length; i += 800) {
      const query = new URLSearchParams({ q: smiles[valid[i]!]!, mode: "exact" }).toString();
      await get(query);
      exactHttp.push((await get(query))[1]);
    }
    console.log(
      `first page of 50 hits through HTTP (searchMolecules behind node:http, PGlite, ${QUERIES.length} queries × 5): ` +
        `p50 ${ms(median(pageTimes))} ms, p95 ${ms(pageTimes[Math.floor(pageTimes.length * 0.95)]!)} ms (goal ≤ 25 ms); ` +
        `with the total counted: median ${ms(median(fullTimes))} ms`,
    );
    console.log(`exact search through HTTP (${exactHttp.length} molecules): median ${ms(median(exactHttp))} ms`);
    server.close();
  } finally {
    await database.close();
  }
}

// ---- scaling ----
// Growth from the set itself (41k, whose index fits in the CPU's caches) and, beyond the caches, from half the
// largest size to the largest: linear growth means time per molecule stays the same.
console.log(`\nscaling: the set repeated with distinct IDs to ${scale.toLocaleString("en")} molecules`);
const [half] = await time(() => build(Math.round(scale / 2)));
const [big, bigBuild] = await time(() => build(scale));
console.log(`index build: ${ms(bigBuild)} ms; memory ${big.bytesPerMolecule().toFixed(0)} bytes/molecule in use`);
const growthLine = (label: string, small: number, middle: number, large: number) => {
  const growth = large / small / (big.size / index.size);
  const growthBeyond = large / middle / (big.size / half.size);
  console.log(
    `${label.padEnd(16)} ${ms(small)} ms at ${index.size} → ${ms(middle)} ms at ${half.size} → ${ms(large)} ms at ${big.size}: ` +
      `${growth.toFixed(2)} of linear from ${index.size}, ${growthBeyond.toFixed(2)} of linear from ${half.size}`,
  );
};
for (const q of ["c1ccncc1", "S(=O)(=O)N", "[N+](=O)[O-]"]) {
  const parsed = parseSubstructureQuery(q);
  const all = { limit: 1e9, countAll: true, atoms: false };
  const [, small] = await warm(() => index.substructure(parsed, all), 2);
  const [, middle] = await warm(() => half.substructure(parsed, all), 2);
  const [, large] = await warm(() => big.substructure(parsed, all), 2);
  growthLine(q, small, middle, large);
}
for (const q of SIMILARITY_QUERIES.slice(0, 2)) {
  const fp = morganBits(rdkit, q);
  for (const [threshold, limit] of [
    [0.05, 50],
    [0.5, 1e9],
  ] as const) {
    const search = (on: SearchIndex) => () => on.similarity(fp, { threshold, limit });
    const [, small] = await warm(search(index), SIM_RUNS);
    const [, middle] = await warm(search(half), SIM_RUNS);
    const [, large] = await warm(search(big), SIM_RUNS);
    growthLine(`${q.slice(0, 9)} ≥${threshold}`, small, middle, large);
  }
}

if (cartridge) psql(`drop database if exists ${cartDb} with (force)`);
rmSync(cartDir, { recursive: true, force: true });
