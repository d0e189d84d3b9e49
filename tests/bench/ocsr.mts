// npm run bench:ocsr — how well pictures become structures (issue 18): real molecules (the OSM Series 4 compounds and
// a sample of the MoleculeNet HIV set, from ../shared/data) drawn in several styles (ocsr-render.ts), read by OSRA
// plainly and through each step of our pipeline (lib/ocsr), printed as the share recognized exactly (InChIKey equal)
// and without stereo (first InChIKey block), with the time per picture. Then the real pictures of the .eln examples.
// Printed, not asserted. Two pictures at once (both cores), everything under nice.
//   --sample N (molecules from each set; default: all 214 Series 4 and 500 HIV) · --styles a,b · BENCH_VERBOSE=1
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { getRDKit, type RDKitModule } from "@/lib/chem/inchi";
import { consensus } from "@/lib/ocsr/consensus";
import { guessUnreadableLabels } from "@/lib/ocsr/repair";
import { recognizePicture, type Candidate, type Recognized } from "@/lib/ocsr/recognize";
import { projectRoot } from "../e2e/support/paths";
import { STYLES, random, render } from "./ocsr-render";

os.setPriority(15); // children inherit it: OSRA and the normalizer run niced too

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const sample = arg("sample") === undefined ? undefined : Number(arg("sample"));
const styles = arg("styles") ? STYLES.filter((s) => arg("styles")!.split(",").includes(s.name)) : STYLES;
const data = path.resolve(projectRoot, "../shared/data");

/**
 * Each step's gain: OSRA on the file as sent ("plain"); normalized only (flattened, grey by the darkest channel, a
 * white border: "normalized"); scaled to 3 px lines and read as 300 dpi ("scaled"); scaled to 4 px lines and read at
 * a higher ink threshold ("dark"); the five variants voted on without guessing the labels OSRA could not read
 * ("unguessed"); the pipeline ("vote": those labels guessed, lib/ocsr/repair.ts). The middle four are the vote's own
 * runs, counted through the same consensus.
 */
const STEPS: Record<string, (c: Candidate) => boolean> = {
  normalized: (c) => c.variant === "as-is",
  scaled: (c) => c.variant === "stroke3",
  dark: (c) => c.variant === "stroke4-dark",
  unguessed: () => true,
  vote: () => true,
};
const guess = (smiles: string) => Promise.resolve(guessUnreadableLabels(smiles));
const modes = ["plain", ...Object.keys(STEPS)];

interface Molecule {
  id: string;
  smiles: string;
  inchikey: string;
}

function inchikeyOf(rdkit: RDKitModule, smiles: string): string | null {
  const mol = rdkit.get_mol(smiles);
  if (mol === null) return null;
  try {
    if (!mol.is_valid()) return null;
    const inchi = mol.get_inchi();
    return inchi ? rdkit.get_inchikey_for_inchi(inchi) || null : null;
  } catch {
    return null;
  } finally {
    mol.delete();
  }
}

function loadMolecules(rdkit: RDKitModule): Molecule[] {
  const rows = readFileSync(path.join(data, "osm-series4-master-list.tsv"), "utf8").split(/\r?\n/);
  const header = rows[0]!.split("\t");
  const [idCol, seriesCol, smilesCol] = ["OSM_ID", "Series", "Canonical_Smiles"].map((c) => header.indexOf(c));
  const series4 = new Map<string, string>();
  for (const row of rows.slice(1)) {
    const cells = row.split("\t");
    if (cells[seriesCol!] === "4" && cells[smilesCol!]) series4.set(cells[idCol!]!, cells[smilesCol!]!);
  }
  const hivAll = readFileSync(path.join(data, "hiv-41k.csv"), "utf8").split(/\r?\n/).slice(1).filter(Boolean);
  const pick = random(18);
  const hiv = new Map<string, string>();
  const want = Math.min(sample ?? 500, 500);
  while (hiv.size < want) {
    const i = Math.floor(pick() * hivAll.length);
    hiv.set(`HIV-${i + 1}`, hivAll[i]!.split(",")[0]!);
  }
  const osm = [...series4].slice(0, sample ?? Infinity);
  return [...osm, ...hiv].flatMap(([id, smiles]) => {
    const inchikey = inchikeyOf(rdkit, smiles);
    return inchikey === null ? [] : [{ id, smiles, inchikey }];
  });
}

interface Score {
  exact: number;
  noStereo: number;
  found: number;
  failed: number;
  ms: number;
  n: number;
}

async function mapLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const pct = (k: number, n: number) => (n === 0 ? "—" : `${((100 * k) / n).toFixed(1)} %`);
const pad = (s: string, n: number) => s.padEnd(n);
const SETS = ["OSM", "HIV"] as const;
const empty = (): Score => ({ exact: 0, noStereo: 0, found: 0, failed: 0, ms: 0, n: 0 });
const add = (a: Score, b: Score): Score => ({
  exact: a.exact + b.exact,
  noStereo: a.noStereo + b.noStereo,
  found: a.found + b.found,
  failed: a.failed + b.failed,
  ms: a.ms + b.ms,
  n: a.n + b.n,
});
const cell = (s: Score) =>
  pad(
    `${pct(s.exact, s.n).padStart(7)} ${pct(s.noStereo, s.n).padStart(7)} ${(s.ms / Math.max(1, s.n) / 1000).toFixed(2).padStart(5)}`,
    26,
  );
/** One table row: a label, then each mode's exact share, share without stereo, and seconds a picture. */
const line = (label: string, byMode: (mode: string) => Score) =>
  console.log(`${pad(label, 30)}${modes.map((m) => cell(byMode(m))).join("")}`);

async function main() {
  const rdkit = await getRDKit();
  const keyOf = (smiles: string) => Promise.resolve(inchikeyOf(rdkit, smiles));
  const molecules = loadMolecules(rdkit);
  console.log(
    `OSRA on ${molecules.length} molecules (${molecules.filter((m) => m.id.startsWith("OSM")).length} OSM Series 4, the rest HIV); ${os.cpus().length} cores, shared: times are noisy\n`,
  );
  console.log(`${pad("style, set (pictures)", 30)}${modes.map((m) => pad(m, 26)).join("")}`);
  console.log(`${pad("", 30)}${modes.map(() => pad("  exact no-ster s/img", 26)).join("")}`);
  const totals = new Map<string, Score>(); // by `${set} ${mode}` and `${clean|degraded} ${mode}`
  const total = (key: string, s: Score) => totals.set(key, add(totals.get(key) ?? empty(), s));
  for (const style of styles) {
    const scores = new Map<string, Score>(SETS.flatMap((set) => modes.map((m) => [`${set} ${m}`, empty()] as const)));
    await mapLimited(molecules, 2, async (m) => {
      let picture: { bytes: Uint8Array; type: string };
      try {
        picture = await render(m.smiles, style, rdkit, m.id.length * 7919 + m.smiles.length);
      } catch {
        return; // a molecule a toolkit cannot draw is not the recognizer's failure
      }
      const count = (mode: string, ms: number, structures: Recognized[] | null) => {
        const score = scores.get(`${m.id.slice(0, 3)} ${mode}`)!;
        score.ms += ms;
        score.n++;
        if (structures === null) {
          score.failed++;
          return;
        }
        const best = [...structures].sort((a, b) => b.votes - a.votes || b.confidence - a.confidence)[0];
        // A salt drawn as two pieces is read as two structures: their union counts too.
        const all = structures.length > 1 ? inchikeyOf(rdkit, structures.map((s) => s.smiles).join(".")) : null;
        if (best) score.found++;
        if (best?.key === m.inchikey || all === m.inchikey) score.exact++;
        const block = m.inchikey.slice(0, 14);
        if (best?.key.slice(0, 14) === block || all?.slice(0, 14) === block) score.noStereo++;
        if (process.env.BENCH_VERBOSE && mode === "vote" && best?.key !== m.inchikey && all !== m.inchikey) {
          console.error(
            `misread ${style.name} ${m.id}: drawn ${m.smiles} · read ${structures.map((s) => s.smiles).join(" | ") || "nothing"}`,
          );
        }
      };
      let started = performance.now();
      try {
        const plain = await recognizePicture(picture.bytes, picture.type, { canonicalize: keyOf, plain: true, variants: [], parallel: 1 });
        count("plain", performance.now() - started, plain.structures);
      } catch (error) {
        count("plain", performance.now() - started, null);
        if (process.env.BENCH_VERBOSE) console.error(style.name, "plain", m.id, (error as Error).message);
      }
      started = performance.now();
      try {
        const voted = await recognizePicture(picture.bytes, picture.type, { canonicalize: keyOf, guess, parallel: 1 });
        const ms = performance.now() - started;
        const normalizing = ms - voted.runs.reduce((sum, r) => sum + r.ms, 0);
        for (const [mode, keep] of Object.entries(STEPS)) {
          // A single variant's time: its OSRA run, and the normalizer's (which made all four at once).
          const own = voted.runs.filter((r) => keep({ variant: r.variant } as Candidate)).reduce((sum, r) => sum + r.ms, 0);
          count(
            mode,
            mode === "vote" ? ms : own + normalizing,
            mode === "vote" ? voted.structures : await consensus(voted.candidates.filter(keep), keyOf),
          );
        }
      } catch (error) {
        for (const mode of Object.keys(STEPS)) count(mode, performance.now() - started, null);
        if (process.env.BENCH_VERBOSE) console.error(style.name, "vote", m.id, (error as Error).message);
      }
    });
    for (const set of SETS) {
      line(`${style.name}, ${set} (${scores.get(`${set} ${modes[0]}`)!.n})`, (mode) => scores.get(`${set} ${mode}`)!);
      for (const mode of modes) {
        total(`${set} ${mode}`, scores.get(`${set} ${mode}`)!);
        total(`${style.degraded ? "degraded" : "clean"} ${set} ${mode}`, scores.get(`${set} ${mode}`)!);
        total(`${style.dpi} ${set} ${mode}`, scores.get(`${set} ${mode}`)!);
      }
    }
  }
  console.log("");
  for (const group of ["clean", "degraded", "150", "300"]) {
    for (const set of SETS)
      line(
        `${group === "150" || group === "300" ? `${group} dpi` : group}, ${set}`,
        (mode) => totals.get(`${group} ${set} ${mode}`) ?? empty(),
      );
  }
  for (const set of SETS) line(`all, ${set}`, (mode) => totals.get(`${set} ${mode}`) ?? empty());
  const failed = modes.map((m) => `${m} ${SETS.reduce((sum, set) => sum + (totals.get(`${set} ${m}`)?.failed ?? 0), 0)}`).join(", ");
  console.log(`\npictures the recognizer stopped on (errors): ${failed}`);
  await realPictures(keyOf);
}

/** The pictures in the public .eln examples: a reaction scheme in a PDF, and pictures without any structure. */
async function realPictures(keyOf: (smiles: string) => Promise<string | null>) {
  const rdkit = await getRDKit();
  const wanted: Record<string, string[]> = {
    "ai4green-workbook.eln": ["AI4-001-summary.pdf"],
    "rspace-selection.eln": ["Picture1_1701965472094.png", "lemmings_1701965473304.gif"],
    "elabftw-export.eln": ["example.jpg"],
    "pasta.eln": ["simple.png", "example.tif"],
    "sampledb-export.eln": ["demo.png"],
  };
  console.log("\nreal pictures from ../shared/data/eln-examples (the PDF holds benzoic acid + ethylamine → N-ethylbenzamide):");
  const expected = new Map(
    [
      ["benzoic acid", "OC(=O)c1ccccc1"],
      ["ethylamine", "CCN"],
      ["N-ethylbenzamide", "CCNC(=O)c1ccccc1"],
    ].map(([name, smi]) => [inchikeyOf(rdkit, smi!), name]),
  );
  const seen = new Set<string>();
  for (const [archive, names] of Object.entries(wanted)) {
    const files = unzipSync(readFileSync(path.join(data, "eln-examples", archive)), {
      filter: (f) => names.includes(path.basename(f.name)),
    });
    for (const [name, bytes] of Object.entries(files)) {
      if (seen.has(path.basename(name))) continue; // PASTA keeps the same picture in two folders
      seen.add(path.basename(name));
      const started = performance.now();
      try {
        // No declared type, as a scanner of attachments would call it (RSpace's "Picture1….png" is a JPEG).
        const r = await recognizePicture(bytes, null, { canonicalize: keyOf, guess });
        const found = r.structures.map(
          (s) => `${s.smiles}${expected.has(s.key) ? ` (${expected.get(s.key)})` : ""} [${s.votes}/${s.readings}]`,
        );
        console.log(
          `  ${path.basename(name)}: ${r.structures.length} structures in ${((performance.now() - started) / 1000).toFixed(1)} s${found.length ? `: ${found.join(", ")}` : ""}`,
        );
      } catch (error) {
        console.log(`  ${path.basename(name)}: ${(error as Error).message} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
  }
}

await main();
