import fs from "node:fs";
import { parseStructure } from "./lib/chem/structure";
import { getRDKit } from "./lib/chem/inchi";
import { isChemError } from "./lib/chem/errors";
const R = await getRDKit();
const lines = fs.readFileSync("../shared/data/hiv-41k.csv", "utf8").split(/\r?\n/).slice(1).filter(Boolean);
const step = Number(process.argv[2] ?? 20);
const sample = lines.filter((_, i) => i % step === 0).slice(0, step === 1 ? undefined : 2000).map(l => l.slice(0, l.lastIndexOf(",")));
let rdRejects = 0, ok = 0, chemErr = 0, other = 0, heavyMis = 0; const t = Date.now();
const errs: Record<string, number> = {};
for (const smiles of sample) {
  const m = R.get_mol(smiles); if (!m) { rdRejects++; continue; }
  const d = JSON.parse(m.get_descriptors()); m.delete();
  try { const s = parseStructure({ smiles }); ok++; if (s.heavyAtoms !== d.NumHeavyAtoms) { heavyMis++; console.log(smiles, s.heavyAtoms, d.NumHeavyAtoms); } }
  catch (e) { if (isChemError(e)) { chemErr++; const k = e.message.slice(0, 70); errs[k] = (errs[k] ?? 0) + 1; } else { other++; console.log("OTHER", smiles, e); } }
}
console.log({ n: sample.length, rdRejects, ok, chemErr, other, heavyMis, ms: Date.now() - t }, errs);
