import { getRDKit } from "@/lib/chem/inchi";
import { parseStructure } from "@/lib/chem/structure";
import { searchRecordOf } from "@/lib/search/record";

const rdkit = await getRDKit();

/** A molecule as the registry stores it: its canonical idcode and its search record (RDKit's reading of the SMILES). */
export function stored(smiles: string): { idcode: string; record: Uint8Array } {
  const { idcode } = parseStructure({ smiles }, { molfile: "given" });
  return { idcode, record: searchRecordOf(rdkit, { idcode, smiles }) };
}
