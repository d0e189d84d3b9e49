// npm run bench:import — import the MoleculeNet HIV set (41,127 real molecules) into a fresh
// campaign through the registry's import (parse, canonicalize, InChIKey, properties, store), and
// compare with the RDKit PostgreSQL cartridge loading and indexing the same file in the same run
// when the `rdkit` extension is installed (Debian: postgresql-15-rdkit) and a superuser can create it.
//   BENCH_ROWS (default: all) · BENCH_RDKIT_URL (a superuser connection; default: psql as the
//   postgres OS user when running as root)
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/index";

import { ensureUserByLogin } from "@/db/queries/users";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { projectRoot } from "../e2e/support/paths";
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

async function ours(): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "nb-import-bench-"));
  const database = await openDatabase({ kind: "pglite", dataDir });
  try {
    const user = await ensureUserByLogin(database.db, "bench-importer");
    const actor = { id: user.id, login: user.login };
    await createCampaign(database.db, actor, { name: "HIV screen", slug: "hiv" });
    const memory = peakMemory();
    const started = performance.now();
    let last = 0;
    const result = await importSheet(database.db, actor, "hiv", { format: "csv", text: csv }, {
      onProgress: ({ done, total }) => {
        if (done - last >= 5000 || done === total) {
          last = done;
          console.log(`  ${done}/${total} rows, ${((done / (performance.now() - started)) * 1000).toFixed(0)} rows/s`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const peak = memory.stop();
    console.log(`ours (PGlite, ${os.cpus().length} cores, worker threads): ${rows} rows in ${seconds.toFixed(1)} s = ${(rows / seconds).toFixed(0)} molecules/s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
    console.log(`  registered ${result.registered}, unchanged ${result.unchanged}, failed ${result.failed}; first errors: ${result.errors.slice(0, 3).map((e) => `row ${e.row}: ${e.message}`).join(" | ")}`);
    return seconds;
  } finally {
    await database.close();
    await closeSharedChemPool();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The cartridge: COPY the SMILES, build mols with mol_from_smiles, and a GiST index — timed as one psql session. */
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
       create table mols as select row_number() over () as id, mol_from_smiles(smiles::cstring) as m from raw;
       create index mols_m on mols using gist (m);`,
      db,
    );
    const seconds = (performance.now() - started) / 1000;
    if (!load.ok) return console.log(`cartridge: failed: ${load.out}`), null;
    const count = run("select count(*) filter (where m is not null) || ' of ' || count(*) from mols", db);
    console.log(`cartridge (RDKit in PostgreSQL, one backend): loaded and indexed ${rows} rows in ${seconds.toFixed(1)} s (${count.out.split("\n").pop()?.trim()} parsed)`);
    return seconds;
  } finally {
    run(`drop database if exists ${db} with (force)`);
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

console.log(`importing ${rows} rows of ${path.basename(source)}`);
const cartridgeSeconds = cartridge();
const ourSeconds = await ours();
if (cartridgeSeconds) {
  console.log(`ratio ours / cartridge: ${(ourSeconds / cartridgeSeconds).toFixed(2)} (goal < 0.75)`);
}
