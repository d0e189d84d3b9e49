// Builds lib/demo/osm-predictions.ts, the demo's forecasting round, from the Open Source Malaria Series 4 master list:
//
//   npx tsx lib/demo/build-osm-predictions.ts [../shared/data/osm-series4-master-list.tsv]
//
// OSM's story: compounds were made, forecasts were sent before they were tested, and the forecasts were scored when
// the results came back. The demo replays it with real Series 4 molecules that are not among the demo's 40 measured
// ones (lib/demo/osm-molecules.ts): a sheet of structures and IDs only ("made, not tested yet"), their real Pfal IC50
// results for most of them (the rest stay untested), and one compound forecast by its SMILES before anyone
// registered it. The shared sheet is not part of the project; only the rows picked here are committed.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { readMasterList } from "./master-list";
import { fileURLToPath } from "node:url";
import { osmDemoSheet } from "./osm-molecules";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? path.resolve(here, "../../../shared/data/osm-series4-master-list.tsv");
const target = path.join(here, "osm-predictions.ts");
/** Molecules with an exact result, spread over the series' potency; every third (by potency) stays untested. */
const WANTED = 19;
const UNTESTED_EVERY = 3;

const { rows, at } = readMasterList(source);
const [ID, SERIES, ASSAY, VALUE, QUALIFIER, SMILES, KEY] = [
  "OSM_ID",
  "Series",
  "Assay",
  "Value",
  "Qualifier",
  "Canonical_Smiles",
  "InChIKey",
].map(at) as [number, number, number, number, number, number, number];

interface Result {
  molecule: string;
  lab: string;
  value: number;
  qualifier: "=" | "<" | ">";
}
interface Molecule {
  id: string;
  series: string;
  smiles: string;
  inchiKey: string;
  /** Its "Pfal IC50 (lab)" results (µM): the assay the demo forecasts. Other strains and Broad's 3D7 column are not. */
  results: Result[];
  /** Best exact result (µM), Infinity when it has none. */
  best: number;
}
const molecules = new Map<string, Molecule>();
for (const line of rows) {
  const cells = line.split("\t");
  const id = cells[ID]!;
  const m = molecules.get(id) ?? { id, series: cells[SERIES]!, smiles: cells[SMILES]!, inchiKey: cells[KEY]!, results: [], best: Infinity };
  const lab = /^Pfal IC50 \((.+)\)$/.exec(cells[ASSAY]!)?.[1];
  const value = Number(cells[VALUE]);
  const qualifier = cells[QUALIFIER]!;
  if (lab && Number.isFinite(value) && (qualifier === "=" || qualifier === "<" || qualifier === ">")) {
    m.results.push({ molecule: id, lab, value, qualifier });
    if (qualifier === "=") m.best = Math.min(m.best, value);
  }
  molecules.set(id, m);
}

// Not among the demo's 40 (by ID or structure), one ID per cell, and no boron cluster (carboranes' SMILES are beyond
// what a demo should lean on).
const demoRows = osmDemoSheet.split("\n").slice(1);
const demoIds = new Set(demoRows.map((r) => r.split("\t")[0]!));
const taken = new Set(demoRows.map((r) => r.split("\t").at(-1)!));
const usable = [...molecules.values()].filter(
  (m) =>
    m.series === "4" &&
    !demoIds.has(m.id) &&
    !m.id.includes(";") &&
    !/B(?!r)/.test(m.smiles) &&
    m.results.length > 0 &&
    !taken.has(m.inchiKey),
);
const number = (m: Molecule) => Number(/(\d+)$/.exec(m.id)?.[1] ?? 0);
const exact = usable.filter((m) => Number.isFinite(m.best)).sort((a, b) => a.best - b.best || number(a) - number(b));
const picked: Molecule[] = [];
for (let k = 0; k < WANTED; k++) {
  const m = exact[Math.round((k * (exact.length - 1)) / (WANTED - 1))]!;
  if (!picked.includes(m) && !picked.some((p) => p.inchiKey === m.inchiKey)) picked.push(m);
}
// One inactive compound too ("> 10 µM"): its result is a bound, scored as censored.
const inactive = usable
  .filter((m) => !Number.isFinite(m.best) && m.results.every((r) => r.qualifier === ">" && r.value === 10))
  .sort((a, b) => number(a) - number(b))[0];
if (!inactive) throw new Error("no inactive Series 4 compound with a > 10 µM result");
// Forecast by its SMILES before it was registered: the most potent exact one left.
const unregistered = exact.find(
  (m) => !picked.includes(m) && !picked.some((p) => p.inchiKey === m.inchiKey) && m.inchiKey !== inactive.inchiKey,
);
if (!unregistered) throw new Error("no Series 4 compound left to forecast by SMILES");

const untested = picked.filter((_, i) => i % UNTESTED_EVERY === UNTESTED_EVERY - 1);
const tested = [...picked.filter((m) => !untested.includes(m)), inactive];
const made = [...picked, inactive].sort((a, b) => number(a) - number(b));
const sheet = ["OSM_ID\tSeries\tCanonical_Smiles\tInChIKey", ...made.map((m) => [m.id, m.series, m.smiles, m.inchiKey].join("\t"))].join(
  "\n",
);
const results = tested.sort((a, b) => number(a) - number(b)).flatMap((m) => m.results);
const literal = (r: Result) =>
  `{ molecule: ${JSON.stringify(r.molecule)}, lab: ${JSON.stringify(r.lab)}, value: ${r.value}, qualifier: "${r.qualifier}" }`;
const list = (items: readonly Result[], indent: string) => items.map((r) => `${indent}${literal(r)},`).join("\n");
// As Prettier writes them, so that the generated file passes its check: one line when it fits.
const array = (items: readonly Result[]) => {
  const inline = `[${items.map(literal).join(", ")}]`;
  return inline.length <= 120 ? inline : `[\n${list(items, "    ")}\n  ]`;
};

const out = `// Generated by lib/demo/build-osm-predictions.ts from the Open Source Malaria "Master Chemical List" (Series 4 and
// related series, annotated export of 2019-08-20; public data of the OSM consortium). Do not edit by hand.
//
// A forecasting round on ${made.length} real Series 4 molecules that are not among the demo's 40 measured ones, and one compound
// forecast by its SMILES before it was registered: server/cli/seed-predictions.ts imports the sheet, has the demo's
// people submit forecasts, then adds the results (${tested.length} molecules tested, ${untested.length} left untested: ${untested.map((m) => m.id).join(", ")}).

/** The molecules as made and registered, structures and IDs only: nobody has tested them yet. */
export const osmForecastSheet =
  ${JSON.stringify(sheet)};

export interface OsmForecastResult {
  molecule: string;
  lab: string;
  /** µM, of "Pfal IC50" (target Pfal, endpoint IC50). */
  value: number;
  qualifier: "=" | "<" | ">";
}

/** The Pfal IC50 results of the tested ones, as the sheet has them (one per lab and replicate). */
export const osmForecastResults: OsmForecastResult[] = [
${list(results, "  ")}
];

/** A real Series 4 compound forecast by its SMILES, registered afterwards under its OSM ID, then tested. */
export const osmForecastUnregistered: { id: string; smiles: string; results: OsmForecastResult[] } = {
  id: ${JSON.stringify(unregistered.id)},
  smiles: ${JSON.stringify(unregistered.smiles)},
  results: ${array(unregistered.results)},
};

export const osmForecastUnit = "µM";
`;
writeFileSync(target, out);
console.log(
  `wrote ${path.relative(process.cwd(), target)}: ${made.length} molecules (${tested.length} tested, ${results.length} results), ` +
    `untested ${untested.map((m) => m.id).join(" ")}, by SMILES ${unregistered.id}`,
);
