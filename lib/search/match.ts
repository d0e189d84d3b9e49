import { Molecule } from "openchemlib";

import { BOND_HIGHER, bondKind, type GraphView } from "./graph";
import { AtomScratch, atomMatches, type AtomExpr, type MatchBudget } from "./smarts-atom";

/**
 * A substructure query compiled for our matcher. The rules are OpenChemLib's SSSearcher's (default match mode), so a
 * query means here what it means in OpenChemLib's own search, which tests/unit/search checks molecule by molecule:
 * - a query atom's element, atom list or wildcard (with an exclusion list) must fit the molecule atom;
 * - query features (aromatic, ring bonds, H count, neighbours, charge sign, pi electrons) are sets of allowed values,
 *   narrowed by the query atom's own state (an aromatic query atom needs an aromatic atom, a ring atom a ring atom,
 *   a charged atom that charge, n neighbours at least n);
 * - a bond fits when the molecule bond's kind (single, double, triple, delocalized, metal), ring and aromatic state are
 *   all allowed; an aromatic double bond of the query also fits a delocalized bond.
 * Stereo, isotope and ring-size queries are not compiled (compileQuery returns null): those are verified with
 * SSSearcher itself.
 */
export interface CompiledQuery {
  atoms: number;
  /** Atomic number, or -1 for a wildcard. */
  element: Int16Array;
  /** Allowed atomic numbers (list) or excluded ones (wildcard with list); null when the element decides. */
  list: (Uint8Array | null)[];
  charge: Int8Array;
  connAtoms: Uint8Array;
  noMoreNeighbours: Uint8Array;
  moreNeighbours: Uint8Array;
  /** Per atom, a 4096-entry table over the molecule atom's state key (see stateKey): 1 = allowed. */
  allowed: Uint8Array[];
  /** Traversal: atoms in matching order, each with the earlier atom it hangs from (-1 starts a component). */
  order: Int16Array;
  parent: Int16Array;
  /** Per order position, allowed molecule-bond flag values (bit per flags & 31) for the bond to the parent. */
  parentBondMask: Uint32Array;
  /** Per order position, ring closures back to earlier atoms: [atom, mask, atom, mask, ...]. */
  closures: number[][];
  /** Per atom, the bracket expression read by smarts-atom.ts (atoms OpenChemLib would misread), or null. */
  own: (AtomExpr | null)[];
}

const BOND_FLAG_VALUES = 32;

/** State key of a molecule atom: aromatic, ring-bond class, H, neighbour class, charge sign, pi. 12 bits. */
export function stateKey(aromatic: number, ringBonds: number, hydrogens: number, conn: number, charge: number, pi: number): number {
  const chargeSign = charge < 0 ? 0 : charge === 0 ? 1 : 2;
  return aromatic | (ringBonds << 1) | (hydrogens << 3) | (Math.min(conn, 4) << 5) | (chargeSign << 8) | (pi << 10);
}

/** Compiles an OpenChemLib fragment (setFragment(true)); null when it uses features only SSSearcher handles. */
export function compileQuery(fragment: Molecule, own: (AtomExpr | null)[] = [], root?: number): CompiledQuery | null {
  fragment.ensureHelperArrays(Molecule.cHelperRings);
  const atoms = fragment.getAtoms();
  const element = new Int16Array(atoms);
  const list: (Uint8Array | null)[] = [];
  const charge = new Int8Array(atoms);
  const connAtoms = new Uint8Array(atoms);
  const noMore = new Uint8Array(atoms);
  const more = new Uint8Array(atoms);
  const allowed: Uint8Array[] = [];
  const base = fragment.getCompactCopy().getIDCode();

  for (let atom = 0; atom < atoms; atom++) {
    const qf = fragment.getAtomQueryFeaturesObject(atom);
    if (qf.matchStereo || qf.ringSize0 || qf.ringSize3 || qf.ringSize4 || qf.ringSize5 || qf.ringSize6 || qf.ringSize7 || qf.ringSizeLarge) return null;
    if (fragment.getAtomMass(atom) !== 0) return null;
    const any = isWildcardAtom(fragment, atom, base);
    const atomList = fragment.getAtomList(atom);
    element[atom] = any ? -1 : fragment.getAtomicNo(atom);
    list.push(atomList && atomList.length > 0 ? Uint8Array.from(atomList) : null);
    charge[atom] = fragment.getAtomCharge(atom);
    connAtoms[atom] = fragment.getConnAtoms(atom);
    noMore[atom] = qf.noMoreNeighbours ? 1 : 0;
    more[atom] = qf.moreNeighbours ? 1 : 0;

    const ringBonds = fragment.getAtomRingBondCount(atom);
    const pi = fragment.getAtomPi(atom);
    const needAromatic = qf.aromatic || fragment.isAromaticAtom(atom);
    const ringOk = [
      !(qf.notChain || ringBonds !== 0),
      !(qf.not2RingBonds || ringBonds > 2),
      !(qf.not3RingBonds || ringBonds > 3),
      !qf.not4RingBonds,
    ];
    const hOk = [!qf.not0Hydrogen, !qf.not1Hydrogen, !qf.not2Hydrogen, !qf.not3Hydrogen];
    const conn = connAtoms[atom]!;
    const connOk = [
      !(qf.not0Neighbours || conn >= 1),
      !(qf.not1Neighbour || conn >= 2),
      !(qf.not2Neighbours || conn >= 3),
      !(qf.not3Neighbours || conn >= 4),
      !qf.not4Neighbours,
    ];
    const c = charge[atom]!;
    const chargeOk = [!(qf.notChargeNeg || c > 0), !(qf.notCharge0 || c !== 0), !(qf.noChargePos || c < 0)];
    const piOk = [!(qf.not0PiElectrons || pi > 0), !(qf.not1PiElectron || pi > 1), !qf.not2PiElectrons];
    const table = new Uint8Array(4096);
    for (let key = 0; key < 4096; key++) {
      const arom = key & 1;
      if (arom === 0 && needAromatic) continue;
      if (arom === 1 && qf.notAromatic) continue;
      if (!ringOk[(key >> 1) & 3] || !hOk[(key >> 3) & 3]) continue;
      const cc = (key >> 5) & 7;
      const cs = (key >> 8) & 3;
      const p = (key >> 10) & 3;
      if (cc > 4 || cs > 2 || p > 2) continue;
      if (!connOk[cc] || !chargeOk[cs] || !piOk[p]) continue;
      table[key] = 1;
    }
    allowed.push(table);
  }

  const bonds = fragment.getBonds();
  const bondMask = new Uint32Array(bonds);
  for (let bond = 0; bond < bonds; bond++) {
    if (fragment.isBondBridge(bond)) return null;
    const features = fragment.getBondQueryFeatures(bond);
    if ((features & Molecule.cBondQFRingSize) !== 0 || (features & Molecule.cBondQFMatchStereo) !== 0) return null;
    bondMask[bond] = queryBondMask(fragment, bond);
  }

  // Traversal order: breadth first per component, so each atom after the first is reached from a mapped neighbour.
  const order = new Int16Array(atoms);
  const parent = new Int16Array(atoms).fill(-1);
  const parentBondMask = new Uint32Array(atoms);
  const closures: number[][] = [];
  const position = new Int16Array(atoms).fill(-1);
  let next = 0;
  // Start each component at its rarest atom (a heteroatom of one definite element, more neighbours first): fewer
  // molecule atoms fit it, so fewer partial matches are tried.
  const rarity = (atom: number) =>
    (element[atom]! > 0 && element[atom] !== 6 && list[atom] === null ? 100 : element[atom] === 6 ? 10 : 0) + connAtoms[atom]!;
  // A recursive SMARTS is matched from its first atom (`root`), which must sit on a given molecule atom.
  const roots = Array.from({ length: atoms }, (_, a) => a).sort((a, b) => (b === root ? 1 : 0) - (a === root ? 1 : 0) || rarity(b) - rarity(a) || a - b);
  for (const root of roots) {
    if (position[root] !== -1) continue;
    position[root] = next;
    order[next++] = root;
    for (let head = next - 1; head < next; head++) {
      const atom = order[head]!;
      for (let i = 0; i < fragment.getAllConnAtomsPlusMetalBonds(atom); i++) {
        const neighbour = fragment.getConnAtom(atom, i);
        if (neighbour >= atoms || position[neighbour] !== -1) continue;
        position[neighbour] = next;
        order[next] = neighbour;
        parent[next] = atom;
        parentBondMask[next] = bondMask[fragment.getConnBond(atom, i)]!;
        next++;
      }
    }
  }
  for (let pos = 0; pos < atoms; pos++) {
    const atom = order[pos]!;
    const list: number[] = [];
    for (let i = 0; i < fragment.getAllConnAtomsPlusMetalBonds(atom); i++) {
      const neighbour = fragment.getConnAtom(atom, i);
      if (neighbour >= atoms || neighbour === parent[pos] || position[neighbour]! >= pos) continue;
      list.push(neighbour, bondMask[fragment.getConnBond(atom, i)]!);
    }
    closures.push(list);
  }
  return {
    atoms,
    element,
    list,
    charge,
    connAtoms,
    noMoreNeighbours: noMore,
    moreNeighbours: more,
    allowed,
    order,
    parent,
    parentBondMask,
    closures,
    own: Array.from({ length: atoms }, (_, atom) => own[atom] ?? null),
  };
}

/** The molecule-bond flag values (bit per `flags & 31`, see graph.ts) a fragment bond accepts. */
export function queryBondMask(fragment: Molecule, bond: number): number {
  const features = fragment.getBondQueryFeatures(bond);
  let word = ((fragmentBondDefaults(fragment, bond) | features) & Molecule.cBondQFSimpleFeatures) ^ Molecule.cBondQFNarrowing;
  if ((word & Molecule.cBondQFDouble) !== 0 && fragment.isAromaticBond(bond)) word |= Molecule.cBondQFDelocalized;
  let mask = 0;
  for (let flags = 0; flags < BOND_FLAG_VALUES; flags++) {
    if ((flags & 7) > BOND_HIGHER) continue;
    if ((MOLECULE_BOND_WORD[flags]! & ~word) === 0) mask |= 1 << flags;
  }
  return mask >>> 0;
}

/**
 * Whether a fragment atom is a wildcard. The JS API has no getter for the flag: clearing it changes the idcode only if
 * it was set. `reference` is the idcode of an unchanged compact copy (a copy, not the fragment itself: copying can
 * re-perceive stereo and change the idcode on its own).
 */
export function isWildcardAtom(fragment: Molecule, atom: number, reference = fragment.getCompactCopy().getIDCode()): boolean {
  const probe = fragment.getCompactCopy();
  probe.setAtomQueryFeature(atom, Molecule.cAtomQFAny, false);
  return probe.getIDCode() !== reference;
}

function fragmentBondDefaults(fragment: Molecule, bond: number): number {
  let word = 0;
  const kind = bondKind(fragment, bond);
  word |= KIND_FEATURE[kind]!;
  if (fragment.isRingBond(bond)) word |= Molecule.cBondQFRing;
  if (fragment.isAromaticBond(bond)) word |= Molecule.cBondQFAromatic;
  return word;
}

// OpenChemLib marks a metal-ligand bond with the bond *type* constant here, as SSSearcher does; quadruple and
// quintuple bonds get no bond-type feature. Kept identical so that both searches agree.
const KIND_FEATURE = [
  Molecule.cBondTypeMetalLigand,
  Molecule.cBondQFSingle,
  Molecule.cBondQFDouble,
  Molecule.cBondQFTriple,
  Molecule.cBondQFDelocalized,
  0,
];

/** SSSearcher's feature word of a molecule bond, by our bond flags (kind | ring << 3 | aromatic << 4). */
const MOLECULE_BOND_WORD = (() => {
  const words = new Int32Array(BOND_FLAG_VALUES);
  for (let flags = 0; flags < BOND_FLAG_VALUES; flags++) {
    const kind = flags & 7;
    if (kind > BOND_HIGHER) continue;
    const defaults =
      KIND_FEATURE[kind]! |
      ((flags & 8) !== 0 ? Molecule.cBondQFRing : Molecule.cBondQFNotRing) |
      ((flags & 16) !== 0 ? Molecule.cBondQFAromatic : Molecule.cBondQFNotAromatic);
    words[flags] = (defaults & (Molecule.cBondQFSimpleFeatures | Molecule.cBondQFBridge)) ^ Molecule.cBondQFNarrowing;
  }
  return words;
})();

export class MatchBudgetExceeded extends Error {
  constructor() {
    super("The query took too long to match.");
  }
}

export type { MatchBudget } from "./smarts-atom";

/**
 * Finds one embedding of the query in the molecule: query atom → molecule atom, or null. Backtracking over the
 * precomputed traversal (VF-style): each atom is tried only among the neighbours of its mapped parent.
 */
export function findMatch(q: CompiledQuery, g: GraphView, budget?: MatchBudget): Int16Array | null {
  return new Matcher(q).find(g, budget);
}

/** Matches one compiled query against many molecules, reusing its scratch arrays (no allocation per molecule). */
export class Matcher {
  private readonly keys = new Int16Array(256);
  private readonly map: Int16Array;
  private readonly used = new Uint8Array(256);
  private readonly cursor: Int32Array;
  private readonly scratch = new AtomScratch();
  private readonly hasOwn: boolean;
  private anchor = -1;
  private g: GraphView | null = null;

  constructor(private readonly q: CompiledQuery) {
    this.hasOwn = q.own.some((expr) => expr !== null);
    this.map = new Int16Array(q.atoms);
    this.cursor = new Int32Array(q.atoms);
  }

  /** One embedding (query atom → molecule atom; a copy), or null. */
  find(g: GraphView, budget?: MatchBudget): Int16Array | null {
    return this.run(g, budget) ? this.map.slice() : null;
  }

  test(g: GraphView, budget?: MatchBudget): boolean {
    return this.run(g, budget);
  }

  /** Whether the query matches with its first traversal atom (the root it was compiled with) on molecule atom t. */
  testAt(g: GraphView, t: number, budget?: MatchBudget): boolean {
    this.anchor = t;
    try {
      return this.run(g, budget);
    } finally {
      this.anchor = -1;
    }
  }

  private atomOk(qa: number, t: number): boolean {
    const g = this.g!;
    const q = this.q;
    if (this.used[t] !== 0) return false;
    const e = q.element[qa]!;
    const te = g.element[t]!;
    if (e > 0 && q.list[qa] === null) {
      if (te !== e) return false;
    } else {
      const l = q.list[qa] ?? null;
      if (e === -1) {
        if (l !== null && l.includes(te)) return false;
      } else if (l !== null && !l.includes(te)) return false;
    }
    const conn = g.connAtoms[t]!;
    const qc = q.connAtoms[qa]!;
    if (qc > conn) return false;
    if (q.noMoreNeighbours[qa] !== 0 && qc !== conn) return false;
    if (q.moreNeighbours[qa] !== 0 && qc >= conn) return false;
    let key = this.keys[t]!;
    if (key < 0) {
      key = stateKey(g.aromatic[t]!, g.ringBonds[t]!, g.hydrogens[t]!, conn, g.charge[t]!, g.pi[t]!);
      this.keys[t] = key;
    }
    if (q.allowed[qa]![key] === 0) return false;
    const c = q.charge[qa]!;
    if (c !== 0 && c !== g.charge[t]) return false;
    const own = q.own[qa];
    return own === null || own === undefined || atomMatches(own, g, t, this.scratch);
  }

  private closuresOk(pos: number, t: number): boolean {
    const list = this.q.closures[pos]!;
    if (list.length === 0) return true;
    const g = this.g!;
    for (let i = 0; i < list.length; i += 2) {
      const other = this.map[list[i]!]!;
      let found = false;
      for (let k = g.adjStart[t]!; k < g.adjStart[t + 1]!; k++) {
        if (g.adjAtom[k] === other) {
          found = ((list[i + 1]! >>> (g.adjBondFlags[k]! & 31)) & 1) === 1;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }

  private run(g: GraphView, budget?: MatchBudget): boolean {
    const q = this.q;
    if (q.atoms > g.atoms) return false;
    this.g = g;
    const { keys, map, used, cursor } = this;
    // Atom state keys are computed when first needed; -1 = not yet.
    keys.fill(-1, 0, g.atoms);
    used.fill(0, 0, g.atoms);
    if (this.hasOwn) this.scratch.reset(g, budget);
    map.fill(-1);

    let pos = 0;
    cursor[0] = -1;
    while (pos >= 0) {
      if (budget && (++budget.steps & 4095) === 0) budget.check();
      const qa = q.order[pos]!;
      // Undo this position's previous choice before trying the next candidate.
      if (map[qa] !== -1) {
        used[map[qa]!] = 0;
        map[qa] = -1;
      }
      const parent = q.parent[pos]!;
      let chosen = -1;
      if (parent === -1) {
        // Anchored (testAt): the first atom is tried on the anchor only.
        const anchored = pos === 0 && this.anchor >= 0;
        const last = anchored ? Math.min(this.anchor + 1, g.atoms) : g.atoms;
        for (let t = anchored ? Math.max(cursor[pos]! + 1, this.anchor) : cursor[pos]! + 1; t < last; t++) {
          if (this.atomOk(qa, t) && this.closuresOk(pos, t)) {
            chosen = t;
            cursor[pos] = t;
            break;
          }
        }
      } else {
        const tp = map[parent]!;
        const end = g.adjStart[tp + 1]!;
        const mask = q.parentBondMask[pos]!;
        for (let k = cursor[pos] === -1 ? g.adjStart[tp]! : cursor[pos]! + 1; k < end; k++) {
          if (((mask >>> (g.adjBondFlags[k]! & 31)) & 1) === 0) continue;
          const t = g.adjAtom[k]!;
          if (this.atomOk(qa, t) && this.closuresOk(pos, t)) {
            chosen = t;
            cursor[pos] = k;
            break;
          }
        }
      }
      if (chosen === -1) {
        pos--;
        continue;
      }
      map[qa] = chosen;
      used[chosen] = 1;
      pos++;
      if (pos === q.atoms) return true;
      cursor[pos] = -1;
    }
    return false;
  }
}
