import { Molecule } from "openchemlib";

// Relative imports only under lib/search: the chemistry worker (lib/sandbox/worker.mjs) loads these files outside the
// bundler, where the `@/` alias does not exist.

/**
 * The compact molecular graph the search index matches substructure queries on: RDKit's reading of the molecule
 * (its aromaticity, its hydrogen counts, its ring perception), so a SMARTS means here what it means in RDKit and every
 * tool built on it. Atoms are stored in the atom order of the molecule's canonical idcode when the two toolkits' atoms
 * line up (they read a SMILES or molfile in the same order), so matched atoms can be highlighted on a depiction drawn
 * from the idcode; the record says whether they do (record.ts).
 *
 * Layout: [atoms uint16 LE, bonds uint16 LE,
 *          atoms × (element | aromatic << 7, H | rings << 3 | charged << 6 | isotope << 7),
 *          bonds × (atom1, atom2, kind | ring << 3 | aromatic << 4 | kekulé double << 5),
 *          charged atoms × (atom, charge), isotopic atoms × (atom, mass number uint16 LE)]
 * An atom number takes one byte when the molecule has at most 256 atoms, else two (little-endian). `H` is the atom's
 * own hydrogen count (RDKit's total, explicit H atoms not included), capped at 7; `rings` the number of rings of
 * RDKit's ring set (symmetrized SSSR) it is in, capped at 7. Charges and isotopes sit in lists after the bonds: most
 * atoms carry neither.
 */
export type EncodedGraph = Uint8Array;

/** Bond kinds: what SMARTS bond primitives tell apart. */
export const BOND_OTHER = 0; // zero-order, dative, hydrogen bonds
export const BOND_SINGLE = 1;
export const BOND_DOUBLE = 2;
export const BOND_TRIPLE = 3;
export const BOND_AROMATIC = 4;
/** Quadruple and higher. */
export const BOND_HIGHER = 5;
export const RING_BOND = 8;
export const AROMATIC_BOND = 16;
/** An aromatic bond that is double in RDKit's Kekulé form (for valence `v`); not part of what bond queries see. */
export const KEKULE_DOUBLE = 32;

/** One molecule as RDKit's JSON (MolToJSON, "rdkitjson") writes it. */
interface RDKitJson {
  defaults?: { atom?: JsonAtom; bond?: JsonBond };
  molecules: {
    atoms?: JsonAtom[];
    bonds?: JsonBond[];
    extensions?: { name?: string; aromaticAtoms?: number[]; aromaticBonds?: number[]; atomRings?: number[][] }[];
  }[];
}
interface JsonAtom {
  z?: number;
  impHs?: number;
  chg?: number;
  isotope?: number;
}
interface JsonBond {
  bo?: number;
  atoms?: [number, number];
}

/** A molecule's graph as plain arrays, before encoding: what either toolkit's reading is turned into. */
export interface PlainGraph {
  element: number[];
  aromatic: boolean[];
  hydrogens: number[];
  rings: number[];
  charge: number[];
  isotope: number[];
  bonds: { a: number; b: number; flags: number }[];
}

/** RDKit's reading of a molecule, from `mol.get_json()`. */
export function graphFromRDKitJson(json: string): PlainGraph {
  const parsed = JSON.parse(json) as RDKitJson;
  const mol = parsed.molecules[0] ?? {};
  const atomDefaults = parsed.defaults?.atom ?? {};
  const bondDefaults = parsed.defaults?.bond ?? {};
  const atoms = (mol.atoms ?? []).map((atom) => ({ ...atomDefaults, ...atom }));
  const extension = mol.extensions?.find((e) => e.name === "rdkitRepresentation") ?? {};
  const aromaticAtoms = new Set(extension.aromaticAtoms ?? []);
  const aromaticBonds = new Set(extension.aromaticBonds ?? []);
  const rings = extension.atomRings ?? [];
  const ringCount = new Array<number>(atoms.length).fill(0);
  const ringBonds = new Set<number>();
  for (const ring of rings) {
    ring.forEach((atom, i) => {
      ringCount[atom]!++;
      const next = ring[(i + 1) % ring.length]!;
      ringBonds.add(pairKey(atom, next));
    });
  }
  const bonds = (mol.bonds ?? []).map((raw, i) => {
    const bond = { ...bondDefaults, ...raw };
    const [a, b] = bond.atoms ?? [0, 0];
    return { a, b, flags: bondFlags(bond.bo ?? 1, aromaticBonds.has(i), ringBonds.has(pairKey(a, b))) };
  });
  return {
    element: atoms.map((atom) => atom.z ?? 6),
    aromatic: atoms.map((_, i) => aromaticAtoms.has(i)),
    hydrogens: atoms.map((atom) => atom.impHs ?? 0),
    rings: ringCount,
    charge: atoms.map((atom) => atom.chg ?? 0),
    isotope: atoms.map((atom) => atom.isotope ?? 0),
    bonds,
  };
}

/** A bond's flags from its order in the Kekulé form and whether it is aromatic and in a ring. */
function bondFlags(order: number, aromatic: boolean, ring: boolean): number {
  const kind = aromatic ? BOND_AROMATIC : order === 0 ? BOND_OTHER : order <= 3 ? order : BOND_HIGHER;
  return kind | (ring ? RING_BOND : 0) | (aromatic ? AROMATIC_BOND : 0) | (aromatic && order === 2 ? KEKULE_DOUBLE : 0);
}

function pairKey(a: number, b: number): number {
  return a < b ? a * 65536 + b : b * 65536 + a;
}

/**
 * OpenChemLib's reading of a molecule, for the few structures RDKit refuses (a valence it does not accept): they stay
 * findable, on OpenChemLib's aromaticity. `mol` in canonical idcode order.
 */
export function graphFromOpenChemLib(mol: Molecule): PlainGraph {
  mol.ensureHelperArrays(Molecule.cHelperRings);
  const atoms = mol.getAtoms();
  const ringSet = mol.getRingSet();
  const rings = new Array<number>(atoms).fill(0);
  for (let r = 0; r < ringSet.getSize(); r++) for (const atom of ringSet.getRingAtoms(r)) if (atom < atoms) rings[atom]!++;
  const bonds: PlainGraph["bonds"] = [];
  for (let bond = 0; bond < mol.getBonds(); bond++) {
    const a = mol.getBondAtom(0, bond);
    const b = mol.getBondAtom(1, bond);
    if (a >= atoms || b >= atoms) continue;
    bonds.push({ a, b, flags: bondFlags(mol.getBondOrder(bond), mol.isAromaticBond(bond) || mol.isDelocalizedBond(bond), mol.isRingBond(bond)) });
  }
  const each = <T>(f: (atom: number) => T) => Array.from({ length: atoms }, (_, atom) => f(atom));
  return {
    element: each((atom) => mol.getAtomicNo(atom)),
    aromatic: each((atom) => mol.isAromaticAtom(atom)),
    hydrogens: each((atom) => mol.getAllHydrogens(atom)),
    rings,
    charge: each((atom) => mol.getAtomCharge(atom)),
    isotope: each((atom) => mol.getAtomMass(atom)),
    bonds,
  };
}

/** The graph with its atoms renumbered: atom i becomes `order[i]`. */
export function reorder(graph: PlainGraph, order: ArrayLike<number>): PlainGraph {
  const n = graph.element.length;
  const permute = <T>(values: T[]): T[] => {
    const out = new Array<T>(n);
    values.forEach((value, i) => (out[order[i]!] = value));
    return out;
  };
  return {
    element: permute(graph.element),
    aromatic: permute(graph.aromatic),
    hydrogens: permute(graph.hydrogens),
    rings: permute(graph.rings),
    charge: permute(graph.charge),
    isotope: permute(graph.isotope),
    bonds: graph.bonds.map((bond) => ({ a: order[bond.a]!, b: order[bond.b]!, flags: bond.flags })),
  };
}

export function encodeGraph(graph: PlainGraph): EncodedGraph {
  const atoms = graph.element.length;
  const width = atoms > 256 ? 2 : 1;
  const charged: number[] = [];
  const isotopic: number[] = [];
  for (let atom = 0; atom < atoms; atom++) {
    if (graph.charge[atom] !== 0) charged.push(atom);
    if (graph.isotope[atom] !== 0) isotopic.push(atom);
  }
  const bonds = graph.bonds.length;
  const out = new Uint8Array(4 + atoms * 2 + bonds * (2 * width + 1) + charged.length * (width + 1) + isotopic.length * (width + 2));
  let at = 0;
  const u16 = (value: number) => {
    out[at++] = value & 0xff;
    out[at++] = value >> 8;
  };
  const index = width === 1 ? (atom: number) => void (out[at++] = atom) : u16;
  u16(atoms);
  u16(bonds);
  for (let atom = 0; atom < atoms; atom++) {
    out[at++] = (graph.element[atom]! & 0x7f) | (graph.aromatic[atom] ? 0x80 : 0);
    out[at++] =
      Math.min(graph.hydrogens[atom]!, 7) |
      (Math.min(graph.rings[atom]!, 7) << 3) |
      (graph.charge[atom] !== 0 ? 0x40 : 0) |
      (graph.isotope[atom] !== 0 ? 0x80 : 0);
  }
  for (const bond of graph.bonds) {
    index(bond.a);
    index(bond.b);
    out[at++] = bond.flags;
  }
  for (const atom of charged) {
    index(atom);
    out[at++] = graph.charge[atom]! & 0xff;
  }
  for (const atom of isotopic) {
    index(atom);
    u16(graph.isotope[atom]!);
  }
  return out;
}

/** Decoded views of one encoded graph, with adjacency lists, filled per verification (one pass, no allocation). */
export interface GraphView {
  atoms: number;
  element: Uint8Array;
  aromatic: Uint8Array;
  /** Total hydrogens as SMARTS `H` counts them: the atom's own and neighbouring H atoms. */
  hydrogens: Uint8Array;
  /** Number of rings (RDKit's ring set) the atom is in: SMARTS `R<n>`. */
  rings: Uint8Array;
  /** Sum of bond orders in the Kekulé form plus own hydrogens: SMARTS `v`. */
  valence: Uint8Array;
  isotope: Uint16Array;
  charge: Int8Array;
  /** CSR adjacency over every bond. */
  adjStart: Uint32Array;
  adjAtom: Uint16Array;
  adjBondFlags: Uint8Array;
}

export function createGraphView(atoms = 256, bonds = 512): GraphView {
  return {
    atoms: 0,
    element: new Uint8Array(atoms),
    aromatic: new Uint8Array(atoms),
    hydrogens: new Uint8Array(atoms),
    rings: new Uint8Array(atoms),
    valence: new Uint8Array(atoms),
    isotope: new Uint16Array(atoms),
    charge: new Int8Array(atoms),
    adjStart: new Uint32Array(atoms + 1),
    adjAtom: new Uint16Array(bonds * 2),
    adjBondFlags: new Uint8Array(bonds * 2),
  };
}

const BOND_VALENCE = [0, 1, 2, 3, 1, 4];

/**
 * Decodes an encoded graph (at `offset` in `bytes`) into `view` (a fresh one unless given); returns the view it
 * filled, which is a new, larger one when the molecule does not fit the given view.
 */
export function viewGraph(bytes: Uint8Array, offset = 0, given?: GraphView): GraphView {
  const atoms = bytes[offset]! | (bytes[offset + 1]! << 8);
  const bonds = bytes[offset + 2]! | (bytes[offset + 3]! << 8);
  const view = given && given.element.length >= atoms && given.adjAtom.length >= bonds * 2 ? given : createGraphView(Math.max(atoms, 256), Math.max(bonds, 512));
  const { element, aromatic, hydrogens, rings, valence, isotope, charge, adjStart, adjAtom, adjBondFlags } = view;
  const wide = atoms > 256;
  view.atoms = atoms;
  let at = offset + 4;
  let charged = 0;
  let isotopic = 0;
  for (let atom = 0; atom < atoms; atom++) {
    const e = bytes[at]!;
    const p = bytes[at + 1]!;
    element[atom] = e & 0x7f;
    aromatic[atom] = e >> 7;
    hydrogens[atom] = p & 7;
    valence[atom] = p & 7;
    rings[atom] = (p >> 3) & 7;
    charged += (p >> 6) & 1;
    isotopic += p >> 7;
    charge[atom] = 0;
    isotope[atom] = 0;
    adjStart[atom + 1] = 0;
    at += 2;
  }
  const read = wide
    ? () => {
        const v = bytes[at]! | (bytes[at + 1]! << 8);
        at += 2;
        return v;
      }
    : () => bytes[at++]!;
  const bondStart = at;
  adjStart[0] = 0;
  // Count degrees into adjStart[atom + 1], then prefix sums, then fill (adjStart[atom] walks up to its end).
  for (let bond = 0; bond < bonds; bond++) {
    const a = read();
    const b = read();
    const flags = bytes[at++]!;
    adjStart[a + 1]!++;
    adjStart[b + 1]!++;
    const order = (flags & KEKULE_DOUBLE) !== 0 ? 2 : BOND_VALENCE[flags & 7]!;
    valence[a]! += order;
    valence[b]! += order;
    if (element[b] === 1) hydrogens[a]!++;
    if (element[a] === 1) hydrogens[b]!++;
  }
  for (let i = 0; i < charged; i++) {
    const atom = read();
    charge[atom] = (bytes[at++]! << 24) >> 24;
  }
  for (let i = 0; i < isotopic; i++) {
    const atom = read();
    isotope[atom] = bytes[at]! | (bytes[at + 1]! << 8);
    at += 2;
  }
  for (let atom = 0; atom < atoms; atom++) adjStart[atom + 1]! += adjStart[atom]!;
  at = bondStart;
  for (let bond = 0; bond < bonds; bond++) {
    const a = read();
    const b = read();
    const flags = bytes[at++]!;
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

/** Bytes an encoded graph takes, read from its header and flags (a record of another layout will not add up). */
export function encodedLength(bytes: Uint8Array, offset = 0): number {
  if (bytes.length < offset + 4) return -1;
  const atoms = bytes[offset]! | (bytes[offset + 1]! << 8);
  const bonds = bytes[offset + 2]! | (bytes[offset + 3]! << 8);
  const width = atoms > 256 ? 2 : 1;
  if (bytes.length < offset + 4 + atoms * 2) return -1;
  let charged = 0;
  let isotopic = 0;
  for (let atom = 0; atom < atoms; atom++) {
    const p = bytes[offset + 5 + atom * 2]!;
    charged += (p >> 6) & 1;
    isotopic += p >> 7;
  }
  return 4 + atoms * 2 + bonds * (2 * width + 1) + charged * (width + 1) + isotopic * (width + 2);
}
