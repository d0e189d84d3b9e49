import { Molecule } from "openchemlib";

// Relative imports only under lib/search: the chemistry worker (lib/sandbox/worker.mjs) loads encodeMolecule through
// lib/chem/structure.ts outside the bundler, where the `@/` alias does not exist.

/**
 * The compact molecular graph the search index verifies substructure candidates on, in the atom order of
 * OpenChemLib's canonical idcode (so matched atoms can be highlighted on a depiction drawn from the idcode).
 *
 * Why our own graph instead of OpenChemLib's SSSearcher on molecules decoded from idcodes: decoding costs ~100 µs and
 * SSSearcher rebuilds its per-molecule feature tables on every setMolecule (~35 µs), so verifying 30,000 candidates
 * takes over a second. This graph is ready to match as stored (3 bytes per atom and per bond) and keeps exactly the
 * atom and bond properties OpenChemLib's substructure search compares, so the matcher (match.ts) answers what
 * SSSearcher answers (checked on the HIV set by tests/unit/search).
 *
 * Layout: [atoms, bonds, atoms × (element | aromatic << 7, H | ringBonds << 2 | pi << 4 | isotope << 6 | charged << 7),
 *          bonds × (atom1, atom2, kind | ring << 3 | aromatic << 4), charged atoms × (atom, charge)]
 * Charges sit in a list after the bonds: most atoms carry none, and 2 bytes an atom keep the index under 300 bytes a
 * molecule.
 * A molecule of more than 254 heavy atoms (a polymer, a protein fragment) is stored as [255]: the index then verifies
 * it with OpenChemLib on the molecule decoded from its idcode.
 */
export type EncodedGraph = Uint8Array;

export const TOO_LARGE = 255;

/** Bond kinds as OpenChemLib's substructure search tells them apart. */
export const BOND_METAL = 0;
export const BOND_SINGLE = 1;
export const BOND_DOUBLE = 2;
export const BOND_TRIPLE = 3;
export const BOND_DELOCALIZED = 4;
/** Quadruple/quintuple bonds: rare; compared as their own kind. */
export const BOND_HIGHER = 5;

/** Encodes a molecule; `mol` must be in canonical atom order (Molecule.fromIDCode) for highlighting to line up. */
export function encodeMolecule(mol: Molecule): EncodedGraph {
  mol.ensureHelperArrays(Molecule.cHelperRings);
  const atoms = mol.getAtoms();
  const bonds = mol.getBonds();
  if (atoms > 254 || bonds > 65535) return Uint8Array.of(TOO_LARGE);
  let heavyBonds = 0;
  for (let bond = 0; bond < bonds; bond++) {
    if (mol.getBondAtom(0, bond) < atoms && mol.getBondAtom(1, bond) < atoms) heavyBonds++;
  }
  if (heavyBonds > 255) return Uint8Array.of(TOO_LARGE);
  let charged = 0;
  for (let atom = 0; atom < atoms; atom++) if (mol.getAtomCharge(atom) !== 0) charged++;
  const out = new Uint8Array(2 + atoms * 2 + heavyBonds * 3 + charged * 2);
  out[0] = atoms;
  out[1] = heavyBonds;
  let at = 2;
  for (let atom = 0; atom < atoms; atom++) {
    const ringBonds = mol.getAtomRingBondCount(atom);
    out[at++] = (mol.getAtomicNo(atom) & 0x7f) | (mol.isAromaticAtom(atom) ? 0x80 : 0);
    out[at++] =
      Math.min(mol.getAllHydrogens(atom), 3) |
      ((ringBonds === 0 ? 0 : Math.min(ringBonds, 4) - 1) << 2) |
      (Math.min(mol.getAtomPi(atom), 2) << 4) |
      (mol.getAtomMass(atom) !== 0 ? 0x40 : 0) |
      (mol.getAtomCharge(atom) !== 0 ? 0x80 : 0);
  }
  for (let bond = 0; bond < bonds; bond++) {
    const a = mol.getBondAtom(0, bond);
    const b = mol.getBondAtom(1, bond);
    if (a >= atoms || b >= atoms) continue;
    out[at++] = a;
    out[at++] = b;
    out[at++] = bondKind(mol, bond) | (mol.isRingBond(bond) ? 8 : 0) | (mol.isAromaticBond(bond) ? 16 : 0);
  }
  for (let atom = 0; atom < atoms; atom++) {
    const charge = mol.getAtomCharge(atom);
    if (charge === 0) continue;
    out[at++] = atom;
    out[at++] = charge & 0xff;
  }
  return out;
}

export function bondKind(mol: Molecule, bond: number): number {
  if (mol.isDelocalizedBond(bond) || mol.getBondType(bond) === Molecule.cBondTypeDelocalized) return BOND_DELOCALIZED;
  const order = mol.getBondOrder(bond);
  if (order === 0) return BOND_METAL;
  if (order <= 3) return order;
  return BOND_HIGHER;
}

/** Decoded views of one encoded graph, with adjacency lists, built per verification (cheap: one pass). */
export interface GraphView {
  atoms: number;
  element: Uint8Array;
  aromatic: Uint8Array;
  /** H count capped at 3. */
  hydrogens: Uint8Array;
  /** 0 = chain, 1 = two ring bonds, 2 = three, 3 = four or more. */
  ringBonds: Uint8Array;
  /** Pi electrons capped at 2. */
  pi: Uint8Array;
  isotope: Uint8Array;
  charge: Int8Array;
  /** Neighbours other than through metal-ligand bonds (OpenChemLib's getConnAtoms). */
  connAtoms: Uint8Array;
  /** CSR adjacency over every bond, metal-ligand included. */
  adjStart: Uint16Array;
  adjAtom: Uint8Array;
  adjBondFlags: Uint8Array;
}

export function isTooLarge(graph: EncodedGraph): boolean {
  return graph[0] === TOO_LARGE && graph.length === 1;
}

/** A reusable view sized for the largest encodable molecule: verification fills it per candidate, allocation-free. */
export function createGraphView(): GraphView {
  return {
    atoms: 0,
    element: new Uint8Array(256),
    aromatic: new Uint8Array(256),
    hydrogens: new Uint8Array(256),
    ringBonds: new Uint8Array(256),
    pi: new Uint8Array(256),
    isotope: new Uint8Array(256),
    charge: new Int8Array(256),
    connAtoms: new Uint8Array(256),
    adjStart: new Uint16Array(257),
    adjAtom: new Uint8Array(512),
    adjBondFlags: new Uint8Array(512),
  };
}

/** Decodes an encoded graph (at `offset` in `bytes`) into `view` (a fresh one unless given). */
export function viewGraph(bytes: Uint8Array, offset = 0, view: GraphView = createGraphView()): GraphView {
  const atoms = bytes[offset]!;
  const bonds = bytes[offset + 1]!;
  const { element, aromatic, hydrogens, ringBonds, pi, isotope, charge, connAtoms, adjStart, adjAtom, adjBondFlags } = view;
  view.atoms = atoms;
  let at = offset + 2;
  let charged = 0;
  for (let atom = 0; atom < atoms; atom++) {
    const e = bytes[at]!;
    const p = bytes[at + 1]!;
    element[atom] = e & 0x7f;
    aromatic[atom] = e >> 7;
    hydrogens[atom] = p & 3;
    ringBonds[atom] = (p >> 2) & 3;
    pi[atom] = (p >> 4) & 3;
    isotope[atom] = (p >> 6) & 1;
    charged += p >> 7;
    charge[atom] = 0;
    connAtoms[atom] = 0;
    adjStart[atom + 1] = 0;
    at += 2;
  }
  const chargeStart = at + bonds * 3;
  for (let i = 0; i < charged; i++) charge[bytes[chargeStart + i * 2]!] = (bytes[chargeStart + i * 2 + 1]! << 24) >> 24;
  adjStart[0] = 0;
  const bondStart = at;
  // Count degrees into adjStart[atom + 1], then prefix sums, then fill (adjStart[atom] walks up to its end).
  for (let bond = 0; bond < bonds; bond++, at += 3) {
    const a = bytes[at]!;
    const b = bytes[at + 1]!;
    adjStart[a + 1]!++;
    adjStart[b + 1]!++;
    if ((bytes[at + 2]! & 7) !== BOND_METAL) {
      connAtoms[a]!++;
      connAtoms[b]!++;
    }
  }
  for (let atom = 0; atom < atoms; atom++) adjStart[atom + 1]! += adjStart[atom]!;
  at = bondStart;
  for (let bond = 0; bond < bonds; bond++, at += 3) {
    const a = bytes[at]!;
    const b = bytes[at + 1]!;
    const flags = bytes[at + 2]!;
    const ia = adjStart[a]!++;
    adjAtom[ia] = b;
    adjBondFlags[ia] = flags;
    const ib = adjStart[b]!++;
    adjAtom[ib] = a;
    adjBondFlags[ib] = flags;
  }
  // Each adjStart[atom] now holds its end, which is the next atom's start: shift back by one.
  for (let atom = atoms; atom > 0; atom--) adjStart[atom] = adjStart[atom - 1]!;
  adjStart[0] = 0;
  return view;
}

/** Bytes an encoded graph takes, read from its header (a stored record of another layout will not add up). */
export function encodedLength(bytes: Uint8Array, offset = 0): number {
  if (bytes[offset] === TOO_LARGE && bytes.length === offset + 1) return 1;
  let charged = 0;
  for (let atom = 0; atom < bytes[offset]!; atom++) charged += bytes[offset + 3 + atom * 2]! >> 7;
  return 2 + bytes[offset]! * 2 + bytes[offset + 1]! * 3 + charged * 2;
}
