import { Molecule } from "openchemlib";

/**
 * Bemis–Murcko scaffolds, to keep a chemical series together when a model is evaluated: molecules that share a
 * scaffold go to the same cross-validation fold, so a model is judged on series it has not seen rather than on
 * close analogues of its training molecules.
 *
 * The scaffold is what RDKit's MurckoDecompose keeps (RDKit's MurckoScaffold, which MoleculeNet's scaffold split
 * uses; not in RDKit's JavaScript build, hence OpenChemLib here): ring atoms and the atoms on paths between rings
 * (non-ring atoms are stripped from the ends inwards until none is left dangling), plus any stripped atom joined by
 * a double bond to a kept one (the =O of a lactam or a ring ketone). Stereo is dropped (MoleculeNet splits with
 * includeChirality=False), so stereoisomers share a scaffold. The key is the scaffold's canonical idcode; acyclic
 * molecules all share the empty key.
 */

export const ACYCLIC = "";

/** The scaffold key of an OpenChemLib molecule (left unchanged). */
export function scaffoldKey(mol: Molecule): string {
  const scaffold = scaffoldOf(mol);
  return scaffold.getAllAtoms() === 0 ? ACYCLIC : scaffold.getIDCode();
}

export function scaffoldKeyOfIdcode(idcode: string): string {
  return scaffoldKey(Molecule.fromIDCode(idcode, false));
}

/** Throws when OpenChemLib cannot read the SMILES. */
export function scaffoldKeyOfSmiles(smiles: string): string {
  return scaffoldKey(Molecule.fromSmiles(smiles, { noCoordinates: true, noStereo: true }));
}

/** A new molecule: the Bemis–Murcko scaffold of `mol`, without stereo. */
export function scaffoldOf(mol: Molecule): Molecule {
  const m = mol.getCompactCopy();
  m.removeExplicitHydrogens();
  m.ensureHelperArrays(Molecule.cHelperRings);
  const atoms = m.getAllAtoms();
  const degree = new Int32Array(atoms);
  const removed = new Uint8Array(atoms);
  const dangling: number[] = [];
  for (let a = 0; a < atoms; a++) {
    degree[a] = m.getConnAtoms(a);
    if (!m.isRingAtom(a) && degree[a]! <= 1) dangling.push(a);
  }
  // Strip chains from their free ends: what is left of a chain joins two rings.
  while (dangling.length > 0) {
    const a = dangling.pop()!;
    if (removed[a]) continue;
    removed[a] = 1;
    for (let i = 0; i < m.getConnAtoms(a); i++) {
      const neighbour = m.getConnAtom(a, i);
      if (removed[neighbour] || m.isRingAtom(neighbour)) continue;
      if (--degree[neighbour]! <= 1) dangling.push(neighbour);
    }
  }
  // RDKit keeps an atom double-bonded to a ring or linker atom (only that atom: what hangs from it goes).
  const doubly: number[] = [];
  for (let a = 0; a < atoms; a++) {
    if (!removed[a]) continue;
    for (let i = 0; i < m.getConnAtoms(a); i++) {
      if (!removed[m.getConnAtom(a, i)] && m.getBondOrder(m.getConnBond(a, i)) === 2) doubly.push(a);
    }
  }
  for (const a of doubly) removed[a] = 0;
  const strip: number[] = [];
  for (let a = 0; a < atoms; a++) if (removed[a]) strip.push(a);
  if (strip.length > 0) m.deleteAtoms(strip);
  m.stripStereoInformation();
  return m;
}
