// A chemistry worker for bench:import's measurement of issue 12's proposed design (import-design.ts), not the
// product's worker (lib/sandbox/worker.mjs): each structure is read once by RDKit, which gives the registry keys
// (lib/chem/keys.ts, as the product makes them), the standard InChI, the Morgan bits and
// the search graph; OpenChemLib reads it only for the properties (no idcode: no stereo perception, no canonizer).
import { getRDKit, inchiOf, type InchiResult } from "@/lib/chem/inchi";
import { registryKeys } from "@/lib/chem/keys";
import { propertiesOf, readMolecule, standardize } from "@/lib/chem/structure";
import type { PropertyValues } from "@/lib/molecules/properties";
import { graphFromRDKitJson } from "@/lib/search/graph";
import { positions } from "@/lib/search/morgan";
import { searchRecord } from "@/lib/search/record";
import { LEVELS, type Level } from "./import-levels";

export interface KeyedStructure extends PropertyValues {
  key: string;
  keyNoStereo: string;
  parentKey: string;
  formula: string;
  inchi: InchiResult | null;
  record: Uint8Array;
}

const rdkit = await getRDKit();
const MORGAN = JSON.stringify({ radius: 2, nBits: 2048 });

function keyed(smiles: string, level: Level = "properties"): KeyedStructure | null {
  const mol = rdkit.get_mol(smiles);
  if (mol === null || !mol.is_valid()) {
    mol?.delete();
    return null;
  }
  try {
    const depth = LEVELS.indexOf(level);
    // The cartridge's work (its part of bench:import): canonical SMILES, InChIKey, Morgan bits.
    const keys = depth >= 1 ? registryKeys(mol, rdkit) : { key: mol.get_smiles(), keyNoStereo: "", parentKey: "" };
    let inchi: InchiResult | null = null;
    try {
      inchi = inchiOf(mol, rdkit);
    } catch {
      // registered without InChI, as in the product
    }
    const bits = mol.get_morgan_fp_as_uint8array(MORGAN) as Uint8Array;
    const record = depth >= 2 ? searchRecord(graphFromRDKitJson(mol.get_json()), positions(bits), 0) : new Uint8Array();
    const properties = depth >= 3 ? propertiesOf(standardize(readMolecule({ smiles }, { coordinates: false }))) : null;
    return { ...keys, inchi, record, ...properties! };
  } finally {
    mol.delete();
  }
}

process.on("message", (job: { id: number; smiles: string[]; level?: Level }) => {
  const started = performance.now();
  const out = job.smiles.map((smiles) => {
    try {
      return keyed(smiles, job.level);
    } catch {
      return null;
    }
  });
  process.send!({ id: job.id, out, ms: performance.now() - started });
});
// Warm, as the product's workers are before their first job (lib/sandbox/jobs.ts warmUp).
keyed("C[C@H](N)C(=O)Oc1ccccc1.Cl");
process.send!({ ready: true });
