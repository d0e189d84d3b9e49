import type { RDKitModule } from "../chem/inchi";

// The similarity fingerprint: RDKit's Morgan fingerprint, radius 2, 2048 bits (ECFP4-like, the default chemists
// compare with), so that every Tanimoto the notebook shows is the number RDKit gives for the same two structures.
// Kept sparse, as the sorted positions of its set bits: a drug-sized molecule sets 30-70 of the 2048 bits.

export const MORGAN = { radius: 2, nBits: 2048 } as const;
const OPTIONS = JSON.stringify(MORGAN);

/** Sorted positions of the set bits of RDKit's Morgan fingerprint of a SMILES or molfile as RDKit reads it. */
export function morganBits(rdkit: RDKitModule, structure: string): Uint16Array {
  const mol = rdkit.get_mol(structure);
  if (!mol) throw new Error("RDKit could not read the structure");
  try {
    if (!mol.is_valid()) throw new Error("RDKit could not read the structure");
    const bytes = mol.get_morgan_fp_as_uint8array(OPTIONS) as Uint8Array;
    return positions(bytes);
  } finally {
    mol.delete();
  }
}

/** Bit i of the fingerprint is bit (i % 8) of byte i / 8, as RDKit lays out its bit vector. */
export function positions(bytes: Uint8Array): Uint16Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    let byte = bytes[i]!;
    while (byte !== 0) {
      const low = byte & -byte;
      out.push(i * 8 + 31 - Math.clz32(low));
      byte ^= low;
    }
  }
  return Uint16Array.from(out);
}

/** Tanimoto similarity of two sparse fingerprints, computed as RDKit computes it: common / (a + b − common). */
export function tanimotoOf(a: Uint16Array, b: Uint16Array): number {
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  const either = a.length + b.length - common;
  return either === 0 ? 0 : common / either;
}
