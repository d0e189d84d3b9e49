// npm run bench:import — import the MoleculeNet HIV set (41,127 real molecules) into a fresh
// campaign through the registry's import (parse, canonicalize, InChIKey, properties, search record, store), on
// PGlite and (with TEST_DATABASE_URL) on PostgreSQL, and compare with the RDKit PostgreSQL cartridge doing the same
// work in the same run, when the `rdkit` extension is installed (Debian: postgresql-15-rdkit) and a superuser can
// create it: parse every SMILES, its canonical SMILES, standard InChIKey and Morgan fingerprint (radius 2, 2048
// bits), GiST indexes on the molecule and the fingerprint and a b-tree on the canonical SMILES. Each database also
// times the design issue 12 proposes (import-design.ts: RDKit's keys, no idcode), as a measurement, before it is built,
// and the ladder of that design's chemistry on both cores with nothing written, from the cartridge's own work upwards.
//   --ladder: only the cartridge and the ladder · BENCH_ROWS (default: all) · BENCH_RDKIT_URL (a superuser connection; default: psql as the
//   postgres OS user when running as root) · TEST_DATABASE_URL (the PostgreSQL run's role and server)
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/db/index";

import { ensureUserByLogin } from "@/db/queries/users";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { getRDKit, inchiOf } from "@/lib/chem/inchi";
import { describeMolecule, readMolecule } from "@/lib/chem/structure";
import { recordFromReadings } from "@/lib/search/record";
import { projectRoot } from "../e2e/support/paths";
import { keyedImport, workLadder } from "./import-design";
import { superuserPsql } from "./psql";
import { createCampaign, importSheet } from "../integration/support/use-cases";

const source = path.resolve(projectRoot, "../shared/data/hiv-41k.csv");
const limit = process.env.BENCH_ROWS ? Number(process.env.BENCH_ROWS) : Infinity;
const lines = readFileSync(source, "utf8").split(/\r?\n/).filter(Boolean);
const csv = [lines[0], ...lines.slice(1, 1 + Math.min(limit, lines.length - 1))].join("\n");
const rows = csv.split("\n").length - 1;

function peakMemory(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

/**
 * A fresh database of `kind` with a user and the "hiv" campaign, for one timed import (`run`), removed afterwards;
 * null (and why, printed) when PostgreSQL is not at hand.
 */
async function withCampaign<T>(kind: "pglite" | "postgres", run: (database: Database, actor: { id: number; login: string }) => Promise<T>): Promise<T | null> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "nb-import-bench-"));
  const pgName = `nb_import_${process.pid}`;
  let url: string | null = null;
  if (kind === "postgres") {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) return console.log("on PostgreSQL: skipped (no TEST_DATABASE_URL)"), null;
    const role = new URL(base).username;
    const created = superuserPsql(`create database ${pgName} owner ${role}`);
    if (!created.ok) return console.log(`on PostgreSQL: skipped (${created.out.split("\n")[0]})`), null;
    url = base.replace(/\/[^/?]*(\?|$)/, `/${pgName}$1`);
  }
  const database = await openDatabase(url ? { kind: "postgres", url } : { kind: "pglite", dataDir });
  try {
    const user = await ensureUserByLogin(database.db, "bench-importer");
    const actor = { id: user.id, login: user.login };
    await createCampaign(database.db, actor, { name: "HIV screen", slug: "hiv" });
    return await run(database, actor);
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (url) superuserPsql(`drop database if exists ${pgName} with (force)`);
  }
}

const label = (kind: "pglite" | "postgres") => (kind === "pglite" ? "PGlite" : "PostgreSQL");

function ours(kind: "pglite" | "postgres"): Promise<number | null> {
  return withCampaign(kind, async (database, actor) => {
    const memory = peakMemory();
    const started = performance.now();
    let last = 0;
    let split = { waitingMs: 0, writingMs: 0 };
    const result = await importSheet(database.db, actor, "hiv", { format: "csv", text: csv }, {
      onProgress: ({ done, total, waitingMs, writingMs }) => {
        split = { waitingMs, writingMs };
        if (done - last >= 5000 || done === total) {
          last = done;
          console.log(`  ${done}/${total} rows, ${((done / (performance.now() - started)) * 1000).toFixed(0)} rows/s`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const peak = memory.stop();
    console.log(`ours (${label(kind)}, ${os.cpus().length} cores, sandbox processes): ${rows} rows in ${seconds.toFixed(1)} s = ${(rows / seconds).toFixed(0)} molecules/s; peak RSS of this process ${(peak / 2 ** 20).toFixed(0)} MiB`);
    console.log(
      `  where the time went: waiting for the chemistry workers ${(split.waitingMs / 1000).toFixed(1)} s, writing to the database ` +
        `${(split.writingMs / 1000).toFixed(1)} s (the workers parse the next batches meanwhile), the rest ${(seconds - (split.waitingMs + split.writingMs) / 1000).toFixed(1)} s`,
    );
    console.log(`  registered ${result.registered}, unchanged ${result.unchanged}, failed ${result.failed}; first errors: ${result.errors.slice(0, 3).map((e) => `row ${e.row}: ${e.message}`).join(" | ")}`);
    return seconds;
  });
}

/** Issue 12's proposed design (import-design.ts): what the import would take with RDKit's keys and no idcode. */
function design(kind: "pglite" | "postgres"): Promise<number | null> {
  return withCampaign(kind, async (database, actor) => {
    const smiles = csv.split("\n").slice(1).map((line) => line.split(",")[0]!);
    const run = await keyedImport(database, actor.id, "hiv", smiles);
    console.log(
      `proposed design (${label(kind)}; RDKit keys, no idcode): ${rows} rows in ${run.seconds.toFixed(1)} s = ${(rows / run.seconds).toFixed(0)} molecules/s, ` +
        `${run.stored} stored; waiting ${(run.waitingMs / 1000).toFixed(1)} s, writing ${(run.writingMs / 1000).toFixed(1)} s; ` +
        `${((run.workerMs / rows) * 1000).toFixed(0)} µs of worker time a molecule`,
    );
    return run.seconds;
  });
}

/**
 * The cartridge doing the registry's work, timed as one psql session: COPY the SMILES, parse each (mol_from_smiles),
 * its canonical SMILES (the duplicate key), standard InChIKey and Morgan fingerprint (radius 2, 2048 bits), then GiST
 * indexes on the molecule (substructure) and the fingerprint (similarity) and a b-tree on the key.
 */
function cartridge(): number | null {
  const run = superuserPsql;
  const available = run("select 1 from pg_available_extensions where name = 'rdkit'");
  if (!available.ok) return console.log(`cartridge: skipped (no superuser connection: ${available.out.split("\n")[0]})`), null;
  const db = `nb_rdkit_${process.pid}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nb-rdkit-"));
  chmodSync(dir, 0o755); // the database server reads the file as its own OS user
  const file = path.join(dir, "hiv.csv");
  writeFileSync(file, csv, { mode: 0o644 });
  try {
    if (!run(`create database ${db}`).ok) return console.log("cartridge: skipped (could not create a database)"), null;
    const ext = run("create extension rdkit", db);
    if (!ext.ok) return console.log(`cartridge: skipped (${ext.out.split("\n")[0]}; install postgresql-15-rdkit)`), null;
    const started = performance.now();
    const load = run(
      `create table raw (smiles text, hiv_active int);
       copy raw from program 'cat ${file}' with (format csv, header true);
       set rdkit.morgan_fp_size = 2048;
       create table mols as
         select row_number() over () as id, m, mol_to_smiles(m)::text as key, mol_inchikey(m)::text as inchikey, morganbv_fp(m, 2) as fp
         from (select mol_from_smiles(smiles::cstring) as m from raw) parsed;
       create index mols_m on mols using gist (m);
       create index mols_fp on mols using gist (fp);
       create index mols_key on mols (key);`,
      db,
    );
    const seconds = (performance.now() - started) / 1000;
    if (!load.ok) return console.log(`cartridge: failed: ${load.out}`), null;
    const count = run("select count(*) filter (where m is not null) || ' of ' || count(*) from mols", db);
    console.log(`cartridge (RDKit in PostgreSQL, one backend; parse, canonical SMILES, InChIKey, Morgan, 2 GiST + b-tree): ${rows} rows in ${seconds.toFixed(1)} s = ${(rows / seconds).toFixed(0)} molecules/s (${count.out.split("\n").pop()?.trim()} parsed)`);
    return seconds;
  } finally {
    run(`drop database if exists ${db} with (force)`);
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/**
 * What one structure costs in a chemistry worker, step by step, measured in this process on the first 2,000 rows
 * (the workers run the same code, lib/sandbox/jobs.ts describe): where the import's parse time goes.
 */
async function stepProfile(): Promise<void> {
  const rdkit = await getRDKit();
  const steps: Record<string, number> = {};
  const time = <T,>(step: string, run: () => T): T => {
    const start = performance.now();
    const out = run();
    steps[step] = (steps[step] ?? 0) + performance.now() - start;
    return out;
  };
  let n = 0;
  for (const line of csv.split("\n").slice(1, 2001)) {
    const smiles = line.split(",")[0]!;
    try {
      const mol = time("OpenChemLib: read the SMILES", () => readMolecule({ smiles }, { coordinates: false }));
      const structure = time("OpenChemLib: idcode, SMILES, properties, parent", () => describeMolecule(mol, { molfile: false }));
      const rd = time("RDKit: read the SMILES", () => rdkit.get_mol(smiles));
      if (!rd?.is_valid()) continue;
      time("RDKit: InChI and InChIKey", () => inchiOf(rd, rdkit));
      time("search record: RDKit graph, Morgan; idcode order", () => recordFromReadings(rd, () => mol, structure.idcode));
      rd.delete();
      n++;
    } catch {
      // a row the registry refuses
    }
  }
  const total = Object.values(steps).reduce((a, b) => a + b, 0);
  console.log(`one structure in a chemistry worker (${n} molecules, in this process): ${((total / n) * 1000).toFixed(0)} µs`);
  for (const [step, ms] of Object.entries(steps)) console.log(`  ${step.padEnd(52)} ${((ms / n) * 1000).toFixed(0).padStart(5)} µs (${((ms / total) * 100).toFixed(0)} %)`);
}

/**
 * The design's chemistry without writing, level by level (import-levels.ts), against the cartridge: its first rung is
 * the cartridge's own work in RDKit's WebAssembly on both cores, the floor of any design with this toolkit here.
 */
async function ladder(cartridgeSeconds: number | null): Promise<void> {
  const smiles = csv.split("\n").slice(1).map((line) => line.split(",")[0]!);
  console.log(`the design's chemistry on ${os.cpus().length} cores (two worker processes, nothing written), level by level:`);
  for (const [level, seconds] of await workLadder(smiles)) {
    const ratio = cartridgeSeconds ? `; ${(seconds / cartridgeSeconds).toFixed(2)} of the cartridge` : "";
    console.log(`  + ${level.padEnd(10)} ${seconds.toFixed(1).padStart(6)} s = ${(rows / seconds).toFixed(0)} molecules/s${ratio}`);
  }
}

const ladderOnly = process.argv.includes("--ladder");
console.log(`importing ${rows} rows of ${path.basename(source)}`);
if (!ladderOnly) await stepProfile();
const cartridgeSeconds = cartridge();
await ladder(cartridgeSeconds);
for (const kind of ladderOnly ? [] : (["pglite", "postgres"] as const)) {
  for (const [name, run] of [["ours", ours], ["proposed design", design]] as const) {
    const seconds = await run(kind);
    if (seconds !== null && cartridgeSeconds) {
      console.log(`ratio ${name} (${kind}) / cartridge: ${(seconds / cartridgeSeconds).toFixed(2)} (${seconds.toFixed(1)} s / ${cartridgeSeconds.toFixed(1)} s; goal ≤ 0.75)`);
    }
  }
}
await closeSharedChemPool();
