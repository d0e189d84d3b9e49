import { Canonizer, Molecule } from "openchemlib";

import type { RDKitModule, RDKitMol } from "../chem/inchi";
import { readMolecule, standardize, type StructureInput } from "../chem/structure";
import { FP_WORDS, moleculeScreen } from "./fingerprint";
import { encodedLength, encodeGraph, graphFromOpenChemLib, graphFromRDKitJson, reorder, viewGraph, type PlainGraph } from "./graph";
import { MORGAN, positions } from "./morgan";

/**
 * What the index keeps (and the database stores, molecules.search_record) per molecule:
 * [screen fingerprint, 64 bytes][layout mark, 1 byte][flags, 1 byte][n, uint16 LE][the n set bits of the Morgan
 * similarity fingerprint, uint16 LE each, ascending (morgan.ts)][compact graph, graph.ts].
 * Everything comes from one reading of the structure as registered (the SMILES or molfile given) by RDKit: its graph
 * (aromaticity, hydrogens, rings) for substructure search and the screen, its Morgan fingerprint for similarity.
 * Flags: bit 0 set when the graph's atoms are in the canonical idcode's order (so matched atoms can be highlighted on
 * a depiction drawn from the idcode); bit 1 set when RDKit could not read the structure and the graph is OpenChemLib's
 * reading (no Morgan bits then).
 */
export const FP_BYTES = FP_WORDS * 4;
/** Marks this layout; a record in an earlier one (OpenChemLib's graph, or our own fingerprint) is computed again. */
const LAYOUT = 0xa3;
const HEADER = FP_BYTES + 4;
export const IN_IDCODE_ORDER = 1;
export const READ_BY_OPENCHEMLIB = 2;

export function searchRecord(graph: PlainGraph, morgan: Uint16Array, flags: number): Uint8Array {
  const encoded = encodeGraph(graph);
  const graphAt = HEADER + morgan.length * 2;
  const out = new Uint8Array(graphAt + encoded.length);
  out.set(new Uint8Array(moleculeScreen(viewGraph(encoded)).buffer), 0);
  const view = new DataView(out.buffer);
  out[FP_BYTES] = LAYOUT;
  out[FP_BYTES + 1] = flags;
  view.setUint16(FP_BYTES + 2, morgan.length, true);
  morgan.forEach((bit, i) => view.setUint16(HEADER + i * 2, bit, true));
  out.set(encoded, graphAt);
  return out;
}

const MORGAN_OPTIONS = JSON.stringify(MORGAN);

/** The record of a molecule RDKit could not read (or could not be asked): OpenChemLib's graph of its idcode. */
export function openChemLibRecord(idcode: string): Uint8Array {
  return searchRecord(graphFromOpenChemLib(Molecule.fromIDCode(idcode, false)), new Uint16Array(0), IN_IDCODE_ORDER | READ_BY_OPENCHEMLIB);
}

/**
 * The search record of a registered molecule: RDKit reads `input` (the SMILES or molfile as registered) once, for its
 * graph and its Morgan fingerprint; OpenChemLib's canonical numbering of the same input puts the graph in idcode
 * order when the two toolkits' atoms line up. A structure RDKit cannot read gets OpenChemLib's graph of the idcode.
 */
export function searchRecordOf(rdkit: RDKitModule, input: { idcode: string } & StructureInput): Uint8Array {
  const text = input.molfile || input.smiles || "";
  const mol = text ? rdkit.get_mol(text) : null;
  try {
    return recordFromReadings(mol, () => standardized(input), input.idcode);
  } finally {
    mol?.delete();
  }
}

/**
 * The record from readings already made: RDKit's molecule of the structure as registered (null or invalid when RDKit
 * could not read it) and OpenChemLib's, standardized as the registry does before canonicalizing (asked for only when
 * needed; null when it cannot be had).
 */
export function recordFromReadings(rdkitMol: RDKitMol | null, openChemLib: () => Molecule | null, idcode: string): Uint8Array {
  if (rdkitMol === null || !rdkitMol.is_valid()) return openChemLibRecord(idcode);
  const morgan = positions(rdkitMol.get_morgan_fp_as_uint8array(MORGAN_OPTIONS) as Uint8Array);
  const graph = graphFromRDKitJson(rdkitMol.get_json());
  const mol = openChemLib();
  const order = mol && idcodeOrder(mol, idcode, graph);
  return order ? searchRecord(reorder(graph, order), morgan, IN_IDCODE_ORDER) : searchRecord(graph, morgan, 0);
}

/** OpenChemLib's reading of the input, standardized as lib/chem/structure.ts describeMolecule does; null if unreadable. */
function standardized(input: StructureInput): Molecule | null {
  try {
    return standardize(readMolecule(input.molfile ? { molfile: input.molfile } : { smiles: input.smiles }, { coordinates: false }));
  } catch {
    return null;
  }
}

/**
 * Where each of RDKit's atoms sits in the idcode: OpenChemLib has read the same text in the same atom order (`mol`,
 * standardized, its idcode made); null when the readings do not line up atom for atom (different atom counts or
 * elements, or a numbering that does not give the stored idcode's atoms and bonds).
 *
 * Without defined stereo the atoms are matched onto the stored idcode's decoded molecule (an isomorphism on element,
 * charge, isotope, hydrogens, neighbours and bond order): far cheaper than canonicalizing again, and any isomorphism
 * puts a matched substructure on atoms the depiction shows the same way. With defined stereo (an automorphism that
 * ignores it could swap diastereotopic atoms), or when the match runs past its budget, the canonizer numbers them.
 */
function idcodeOrder(mol: Molecule, idcode: string, graph: PlainGraph): number[] | null {
  const atoms = mol.getAllAtoms();
  if (atoms !== graph.element.length) return null;
  for (let atom = 0; atom < atoms; atom++) if (mol.getAtomicNo(atom) !== graph.element[atom]) return null;
  // The stored idcode's molecule, decoded only where it is needed (a molecule with defined stereo whose canonizer
  // gives the stored idcode never needs it).
  let decoded: Molecule | null = null;
  const storedMolecule = (): Molecule | null => {
    decoded ??= Molecule.fromIDCode(idcode, false);
    return decoded.getAllAtoms() === atoms && decoded.getAllBonds() === mol.getAllBonds() ? decoded : null;
  };
  if (!hasDefinedStereo(mol)) {
    const stored = storedMolecule();
    if (stored === null) return null;
    const mapped = isomorphism(mol, stored);
    if (mapped !== null) return mapped;
  }
  const canonizer = new Canonizer(mol);
  const order = Array.from(canonizer.getGraphIndexes()).slice(0, atoms);
  if (new Set(order).size !== atoms || !order.every((i) => i >= 0 && i < atoms)) return null;
  // The canonizer's idcode is the stored one unless the molecule has stereo features the two encode differently
  // (undefined double bonds): then the numbering is checked against the stored idcode's atoms and bonds.
  if (canonizer.getIDCode() === idcode) return order;
  const stored = storedMolecule();
  if (stored === null) return null;
  stored.ensureHelperArrays(Molecule.cHelperNeighbours);
  for (let atom = 0; atom < atoms; atom++) {
    const at = order[atom]!;
    if (stored.getAtomicNo(at) !== mol.getAtomicNo(atom) || stored.getAtomCharge(at) !== mol.getAtomCharge(atom)) return null;
  }
  for (let bond = 0; bond < mol.getAllBonds(); bond++) {
    if (stored.getBond(order[mol.getBondAtom(0, bond)]!, order[mol.getBondAtom(1, bond)]!) < 0) return null;
  }
  return order;
}

/** A tetrahedral, axial or double-bond parity that is defined (not none, not unknown). */
function hasDefinedStereo(mol: Molecule): boolean {
  mol.ensureHelperArrays(Molecule.cHelperParities); // already so after getIDCode(), as in the registry's worker
  for (let atom = 0; atom < mol.getAtoms(); atom++) {
    const parity = mol.getAtomParity(atom);
    if (parity === Molecule.cAtomParity1 || parity === Molecule.cAtomParity2) return true;
  }
  for (let bond = 0; bond < mol.getBonds(); bond++) {
    const parity = mol.getBondParity(bond);
    if (parity === Molecule.cBondParityEor1 || parity === Molecule.cBondParityZor2) return true;
  }
  return false;
}

/** Steps (atoms tried) the isomorphism may take before the canonizer is asked instead: symmetric cages need few. */
const MATCH_BUDGET = 20_000;

/**
 * An isomorphism from `mol`'s atoms onto `stored`'s (same atom and bond counts): atoms agree on element, charge,
 * isotope, hydrogens and neighbour count, bonds on order (aromatic and delocalized bonds as one kind). Backtracking
 * in breadth-first order from each fragment's first atom; null if there is none or the budget runs out.
 */
function isomorphism(mol: Molecule, stored: Molecule): number[] | null {
  mol.ensureHelperArrays(Molecule.cHelperRings);
  stored.ensureHelperArrays(Molecule.cHelperRings);
  const n = mol.getAllAtoms();
  const label = (m: Molecule, atom: number) =>
    `${m.getAtomicNo(atom)},${m.getAtomCharge(atom)},${m.getAtomMass(atom)},${m.getAllHydrogens(atom)},${m.getAllConnAtoms(atom)}`;
  const kind = (m: Molecule, bond: number) => (m.isAromaticBond(bond) || m.isDelocalizedBond(bond) ? 4 : m.getBondOrder(bond));
  const ours = Array.from({ length: n }, (_, atom) => label(mol, atom));
  const theirs = Array.from({ length: n }, (_, atom) => label(stored, atom));
  // Breadth-first order over each fragment; `parent` is the earlier neighbour an atom's candidates come from.
  const order: number[] = [];
  const parent = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  for (let root = 0; root < n; root++) {
    if (seen[root]) continue;
    seen[root] = 1;
    order.push(root);
    for (let head = order.length - 1; head < order.length; head++) {
      const atom = order[head]!;
      for (let i = 0; i < mol.getAllConnAtoms(atom); i++) {
        const next = mol.getConnAtom(atom, i);
        if (seen[next]) continue;
        seen[next] = 1;
        parent[next] = atom;
        order.push(next);
      }
    }
  }
  const image = new Int32Array(n).fill(-1);
  const used = new Uint8Array(n);
  let steps = 0;
  const fits = (atom: number, candidate: number): boolean => {
    if (used[candidate] || ours[atom] !== theirs[candidate]) return false;
    for (let i = 0; i < mol.getAllConnAtoms(atom); i++) {
      const other = image[mol.getConnAtom(atom, i)]!;
      if (other < 0) continue;
      const bond = stored.getBond(candidate, other);
      if (bond < 0 || kind(stored, bond) !== kind(mol, mol.getConnBond(atom, i))) return false;
    }
    return true;
  };
  const extend = (position: number): boolean => {
    if (position === n) return true;
    const atom = order[position]!;
    const from = parent[atom]! >= 0 ? image[parent[atom]!]! : -1;
    const count = from >= 0 ? stored.getAllConnAtoms(from) : n;
    for (let i = 0; i < count; i++) {
      const candidate = from >= 0 ? stored.getConnAtom(from, i) : i;
      if (++steps > MATCH_BUDGET) return false;
      if (!fits(atom, candidate)) continue;
      image[atom] = candidate;
      used[candidate] = 1;
      if (extend(position + 1)) return true;
      image[atom] = -1;
      used[candidate] = 0;
    }
    return false;
  };
  return extend(0) ? Array.from(image) : null;
}

export interface RecordParts {
  screen: Uint32Array;
  morgan: Uint16Array;
  graph: Uint8Array;
  flags: number;
}

/** The parts of a record in this layout, or null for a record that is not one (missing, older layout, cut short). */
export function recordParts(record: Uint8Array | null | undefined): RecordParts | null {
  if (!record || record.length < HEADER + 4 || record[FP_BYTES] !== LAYOUT) return null;
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const n = view.getUint16(FP_BYTES + 2, true);
  const graphAt = HEADER + n * 2;
  if (record.length < graphAt + 4 || record.length !== graphAt + encodedLength(record, graphAt)) return null;
  const morgan = new Uint16Array(n);
  for (let i = 0; i < n; i++) morgan[i] = view.getUint16(HEADER + i * 2, true);
  return {
    screen: new Uint32Array(record.buffer.slice(record.byteOffset, record.byteOffset + FP_BYTES)),
    morgan,
    graph: record.subarray(graphAt),
    flags: record[FP_BYTES + 1]!,
  };
}
