import { bondMatches, type QueryGraph } from "./smarts";
import { AtomScratch, atomMatches, type AtomExpr, type MatchBudget } from "./smarts-atom";
import { AROMATIC_BOND, BOND_AROMATIC, BOND_HIGHER, type GraphView } from "./graph";

/**
 * A substructure query compiled for our matcher: per query atom, what is checked first from the graph's arrays (the
 * element and aromaticity every match needs, the number of query neighbours) and the rest of its SMARTS expression;
 * per bond, the molecule-bond flag values (graph.ts: kind | ring << 3 | aromatic << 4) it accepts, as a 32-bit mask.
 * Plain data: a query compiled in the sandbox crosses to the server as it is.
 */
export interface CompiledQuery {
  atoms: number;
  /** Atomic number every match needs, or -1. */
  element: Int16Array;
  /** 1 aromatic, 0 aliphatic, -1 either. */
  aromatic: Int8Array;
  /** Query neighbours: a molecule atom needs at least as many. */
  degree: Uint8Array;
  /** Per atom, what its expression asks beyond element and aromaticity, or null. */
  own: (AtomExpr | null)[];
  /** Traversal: atoms in matching order, each with the earlier atom it hangs from (-1 starts a component). */
  order: Int16Array;
  parent: Int16Array;
  /** Per order position, allowed molecule-bond flag values (bit per flags & 31) for the bond to the parent. */
  parentBondMask: Uint32Array;
  /** Per order position, ring closures back to earlier atoms: [atom, mask, atom, mask, ...]. */
  closures: number[][];
}

const BOND_FLAG_VALUES = 32;

/** The molecule-bond flag values a query bond accepts, as a mask (bit per `flags & 31`). */
export function queryBondMask(expr: QueryGraph["bonds"][number]["expr"]): number {
  let mask = 0;
  for (let flags = 0; flags < BOND_FLAG_VALUES; flags++) {
    // Only flag values a molecule bond can have: kinds 0-5, the aromatic flag exactly on aromatic bonds.
    const kind = flags & 7;
    if (kind > BOND_HIGHER || (kind === BOND_AROMATIC) !== ((flags & AROMATIC_BOND) !== 0)) continue;
    if (bondMatches(expr, flags)) mask |= 1 << flags;
  }
  return mask >>> 0;
}

/** What an atom expression fixes for every match: element and aromaticity; and what is left to evaluate. */
export function atomRequirements(expr: AtomExpr): { element: number; aromatic: number; rest: AtomExpr | null } {
  const terms = expr.op === "and" ? expr.args : [expr];
  let element = -1;
  let aromatic = -1;
  const rest: AtomExpr[] = [];
  for (const term of terms) {
    if (term.op === "element" && element === -1) {
      element = term.atomicNo;
      if (term.aromatic !== null) aromatic = term.aromatic ? 1 : 0;
    } else if (term.op === "aromatic" && aromatic === -1) aromatic = term.value ? 1 : 0;
    else if (term.op !== "any") rest.push(term);
  }
  return { element, aromatic, rest: rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { op: "and", args: rest } };
}

/** Compiles a parsed query; `root` (a recursive SMARTS's first atom) is matched first, on the atom it is asked about. */
export function compileQuery(graph: QueryGraph, root?: number): CompiledQuery {
  const atoms = graph.atoms.length;
  const element = new Int16Array(atoms);
  const aromatic = new Int8Array(atoms);
  const degree = new Uint8Array(atoms);
  const own: (AtomExpr | null)[] = [];
  graph.atoms.forEach((expr, atom) => {
    const r = atomRequirements(expr);
    element[atom] = r.element;
    aromatic[atom] = r.aromatic;
    own.push(r.rest);
  });
  const neighbours: { atom: number; mask: number }[][] = Array.from({ length: atoms }, () => []);
  for (const bond of graph.bonds) {
    const mask = queryBondMask(bond.expr);
    neighbours[bond.a]!.push({ atom: bond.b, mask });
    neighbours[bond.b]!.push({ atom: bond.a, mask });
    degree[bond.a]!++;
    degree[bond.b]!++;
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
  const rarity = (atom: number) => (element[atom]! > 0 && element[atom] !== 6 ? 100 : element[atom] === 6 ? 10 : 0) + degree[atom]!;
  const starts = Array.from({ length: atoms }, (_, a) => a).sort(
    (a, b) => (b === root ? 1 : 0) - (a === root ? 1 : 0) || rarity(b) - rarity(a) || a - b,
  );
  for (const start of starts) {
    if (position[start] !== -1) continue;
    position[start] = next;
    order[next++] = start;
    for (let head = next - 1; head < next; head++) {
      const atom = order[head]!;
      for (const { atom: neighbour, mask } of neighbours[atom]!) {
        if (position[neighbour] !== -1) continue;
        position[neighbour] = next;
        order[next] = neighbour;
        parent[next] = atom;
        parentBondMask[next] = mask;
        next++;
      }
    }
  }
  for (let pos = 0; pos < atoms; pos++) {
    const atom = order[pos]!;
    const list: number[] = [];
    for (const { atom: neighbour, mask } of neighbours[atom]!) {
      if (neighbour === parent[pos] || position[neighbour]! >= pos) continue;
      list.push(neighbour, mask);
    }
    closures.push(list);
  }
  return { atoms, element, aromatic, degree, own, order, parent, parentBondMask, closures };
}

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
export function findMatch(q: CompiledQuery, g: GraphView, budget?: MatchBudget): Int32Array | null {
  return new Matcher(q).find(g, budget);
}

/** Matches one compiled query against many molecules, reusing its scratch arrays (no allocation per molecule). */
export class Matcher {
  private readonly map: Int32Array;
  private used = new Uint8Array(256);
  private readonly cursor: Int32Array;
  private readonly scratch = new AtomScratch();
  private readonly hasOwn: boolean;
  private anchor = -1;
  private g: GraphView | null = null;

  constructor(private readonly q: CompiledQuery) {
    this.hasOwn = q.own.some((expr) => expr !== null);
    this.map = new Int32Array(q.atoms);
    this.cursor = new Int32Array(q.atoms);
  }

  /** One embedding (query atom → molecule atom; a copy), or null. */
  find(g: GraphView, budget?: MatchBudget): Int32Array | null {
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
    if (e >= 0 && g.element[t] !== e) return false;
    const arom = q.aromatic[qa]!;
    if (arom >= 0 && g.aromatic[t] !== arom) return false;
    if (q.degree[qa]! > g.adjStart[t + 1]! - g.adjStart[t]!) return false;
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
    if (this.used.length < g.atoms) this.used = new Uint8Array(g.atoms);
    const { map, used, cursor } = this;
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
