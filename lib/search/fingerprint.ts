import { BOND_HIGHER, type GraphView } from "./graph";
import { atomRequirements, queryBondMask } from "./match";
import type { QueryGraph } from "./smarts";

/**
 * The substructure screen: one 512-bit fingerprint per molecule, as 16 32-bit words.
 *
 * Element counts and every simple path of up to 6 atoms labelled with elements and bond kinds, folded to 512 bits. A
 * query sets only the bits of features it *requires* (paths through atoms of one definite element and bonds of one
 * definite kind), and every embedding maps a query path onto a molecule path with the same labels, so a molecule that
 * matches has all the query's bits: the screen never drops a hit (tested on the HIV set).
 *
 * The similarity fingerprint is RDKit's Morgan fingerprint (morgan.ts), not made here.
 */
export const FP_WORDS = 16;
const FP_BITS = FP_WORDS * 32;
const MAX_PATH_BONDS = 5;
const COUNT_STEPS = [2, 3, 4, 6, 8, 12, 16];

interface LabelledGraph {
  atoms: number;
  /** Atom label (element + 1), or 0 when the query does not fix the element. */
  label: Int16Array;
  /**
   * Second family of paths: atoms labelled by element and aromaticity (element * 2 + aromatic + 1, or 0 when the
   * query does not fix both), bonds not labelled. It keeps SMILES-like queries selective where their bonds are
   * ambiguous ("single or aromatic", an aromatic double bond that also fits a delocalized one).
   */
  label2: Int16Array;
  adjStart: Int32Array;
  adjAtom: Int32Array;
  /** Bond label (kind + 1), or 0 when the query does not fix it. */
  adjLabel: Int16Array;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function setBit(fp: Uint32Array, hash: number): void {
  const bit = mix(hash) % FP_BITS;
  fp[bit >>> 5]! |= 1 << (bit & 31);
}

const P = 0x01000193;

function screenOf(g: LabelledGraph): Uint32Array {
  const fp = new Uint32Array(FP_WORDS);
  const counts = new Map<number, number>();
  for (let a = 0; a < g.atoms; a++) {
    const l = g.label[a]!;
    if (l !== 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  for (const [l, n] of counts) {
    for (const step of COUNT_STEPS) if (n >= step) setBit(fp, 0x5bd1e995 ^ (l * 131 + step));
  }
  const visited = new Uint8Array(g.atoms);
  let labels = g.label;
  let family = 0;
  // Forward hash and reverse hash of the label sequence; the smaller names the undirected path.
  const walk = (atom: number, bonds: number, fwd: number, rev: number, power: number): void => {
    setBit(fp, Math.min(fwd >>> 0, rev >>> 0) ^ (bonds * 0x9e3779b1) ^ family);
    if (bonds === MAX_PATH_BONDS) return;
    visited[atom] = 1;
    for (let k = g.adjStart[atom]!; k < g.adjStart[atom + 1]!; k++) {
      const next = g.adjAtom[k]!;
      const bl = family === 0 ? g.adjLabel[k]! : 1;
      const al = labels[next]!;
      if (visited[next] || bl === 0 || al === 0) continue;
      const bx = 200 + bl;
      const f1 = (Math.imul(fwd, P) + bx) | 0;
      const r1 = (rev + Math.imul(bx, power)) | 0;
      const p1 = Math.imul(power, P);
      const f2 = (Math.imul(f1, P) + al) | 0;
      const r2 = (r1 + Math.imul(al, p1)) | 0;
      walk(next, bonds + 1, f2, r2, Math.imul(p1, P));
    }
    visited[atom] = 0;
  };
  for (let a = 0; a < g.atoms; a++) {
    const l = g.label[a]!;
    if (l !== 0) walk(a, 0, l, l, P);
  }
  labels = g.label2;
  family = 0x51ed27;
  for (let a = 0; a < g.atoms; a++) {
    const l = g.label2[a]!;
    if (l !== 0) walk(a, 0, l, l, P);
  }
  return fp;
}

/** Screen fingerprint of a stored molecule. */
export function moleculeScreen(v: GraphView): Uint32Array {
  const edges = v.adjStart[v.atoms]!;
  for (let k = 0; k < edges; k++) {
    if ((v.adjBondFlags[k]! & 7) === BOND_HIGHER) return new Uint32Array(FP_WORDS).fill(0xffffffff);
  }
  const label = new Int16Array(v.atoms);
  const label2 = new Int16Array(v.atoms);
  for (let a = 0; a < v.atoms; a++) {
    label[a] = v.element[a]! + 1;
    label2[a] = v.element[a]! * 2 + v.aromatic[a]! + 1;
  }
  const adjLabel = new Int16Array(edges);
  for (let k = 0; k < edges; k++) adjLabel[k] = (v.adjBondFlags[k]! & 7) + 1;
  return screenOf({
    atoms: v.atoms,
    label,
    label2,
    adjStart: Int32Array.from(v.adjStart.subarray(0, v.atoms + 1)),
    adjAtom: Int32Array.from(v.adjAtom.subarray(0, edges)),
    adjLabel,
  });
}

/** Screen fingerprint a query requires: only what every match must contain. */
export function queryScreen(query: QueryGraph): Uint32Array {
  const atoms = query.atoms.length;
  const label = new Int16Array(atoms);
  const label2 = new Int16Array(atoms);
  query.atoms.forEach((expr, a) => {
    const { element, aromatic } = atomRequirements(expr);
    label[a] = element > 0 ? element + 1 : 0;
    if (element > 0 && aromatic >= 0) label2[a] = element * 2 + aromatic + 1;
  });
  const adj: number[][] = Array.from({ length: atoms }, () => []);
  for (const bond of query.bonds) {
    const mask = queryBondMask(bond.expr);
    let kinds = 0;
    // Molecules holding a quadruple bond get a full screen (moleculeScreen), so that kind can be left out here.
    for (let flags = 0; flags < 32; flags++) if ((mask >>> flags) & 1 && (flags & 7) !== BOND_HIGHER) kinds |= 1 << (flags & 7);
    // Exactly one bond kind allowed: the path label is certain.
    const l = kinds !== 0 && (kinds & (kinds - 1)) === 0 ? Math.log2(kinds) + 1 : 0;
    adj[bond.a]!.push(bond.b, l);
    adj[bond.b]!.push(bond.a, l);
  }
  const adjStart = new Int32Array(atoms + 1);
  const adjAtom: number[] = [];
  const adjLabel: number[] = [];
  for (let a = 0; a < atoms; a++) {
    adjStart[a] = adjAtom.length;
    for (let i = 0; i < adj[a]!.length; i += 2) {
      adjAtom.push(adj[a]![i]!);
      adjLabel.push(adj[a]![i + 1]!);
    }
  }
  adjStart[atoms] = adjAtom.length;
  return screenOf({ atoms, label, label2, adjStart, adjAtom: Int32Array.from(adjAtom), adjLabel: Int16Array.from(adjLabel) });
}
