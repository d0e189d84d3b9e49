import type { GraphView } from "./graph";

/**
 * SMARTS bracket atoms that OpenChemLib 9.25's parser reads wrongly, read and evaluated here instead.
 *
 * OpenChemLib reads element symbols, atomic numbers, wildcards, lists, H counts, D, R/R0 and a lone charge as RDKit
 * does (tests/unit/search/rdkit-agreement.test.ts), but it drops a charge that has other primitives beside it
 * (`[N+;H0]` finds neutral amines), reads `R2` and `v3` as something else, and refuses or misreads `X`, `x`, `r`, `a`/`A`
 * beside an atomic number and `!` before a charge. A bracket holding any of those is parsed here into an expression
 * (Daylight SMARTS precedence: `!`, then `&` and juxtaposition, then `,`, then `;`) that the matcher evaluates on each
 * molecule atom; OpenChemLib is handed a stand-in atom that means no more than the expression (its element when the
 * expression requires one, else `*`), so the fingerprint screen stays correct.
 */
export type AtomExpr =
  | { op: "and" | "or"; args: AtomExpr[] }
  | { op: "not"; arg: AtomExpr }
  | { op: "element"; atomicNo: number; aromatic: boolean | null }
  | { op: "any" }
  | { op: "aromatic"; value: boolean }
  | { op: "H" | "D" | "X" | "x" | "v" | "charge"; value: number }
  /** Ring membership (R, R0, x without a number) or smallest ring size (r<n>); null = in any ring. */
  | { op: "ring"; size: number | null }
  | { op: "chain" }
  /**
   * Recursive SMARTS `$(...)`: the atom is the first atom of a match of the inner query (compiled rooted at it);
   * results kept per molecule. `inner` is plain data (a prepared query crosses from the sandbox process as it is);
   * `query` and `memo` are attached where it is matched (query.ts withMatchers).
   */
  | { op: "recursive"; inner: InnerQuery; query: AnchoredQuery | null; memo: RecursiveMemo | null };

/** A recursive SMARTS's inner query: match.ts's CompiledQuery (named structurally here, so the modules stay acyclic). */
export interface InnerQuery {
  atoms: number;
  own: (AtomExpr | null)[];
}

export interface RecursiveMemo {
  scratch: AtomScratch | null;
  generation: number;
  values: Int8Array;
}

/** A recursive SMARTS's matcher, attached by query.ts: whether it matches with its first atom on atom t. */
export interface AnchoredQuery {
  matchesAt(g: GraphView, t: number, budget?: MatchBudget): boolean;
}

/** Counts matching steps across molecules; `check` runs every 4,096 steps and throws to stop a runaway query. */
export interface MatchBudget {
  steps: number;
  check(): void;
}

export class SmartsAtomError extends Error {}

const ELEMENTS = (
  "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo " +
  "Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl " +
  "Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm"
).split(" ");
const ATOMIC_NO = new Map(ELEMENTS.map((symbol, i) => [symbol, i + 1]));
const AROMATIC = new Map([
  ["b", 5],
  ["c", 6],
  ["n", 7],
  ["o", 8],
  ["p", 15],
  ["s", 16],
  ["se", 34],
  ["as", 33],
  ["te", 52],
]);

/** Whether OpenChemLib would misread this bracket atom's body (the text between `[` and `]`). */
export function needsOwnReading(body: string): boolean {
  const tokens = tokenize(body);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "X" || t.kind === "x" || t.kind === "r" || t.kind === "v" || t.kind === "aromatic" || t.kind === "recursive") return true;
    if (t.kind === "R" && t.value !== null && t.value > 0) return true;
    if (t.kind === "charge" && (tokens.length > 2 || tokens[i - 1]?.kind === "!")) return true;
  }
  return false;
}

/**
 * Parses a bracket atom's body, e.g. `CX4`, `#7;a`, `N+;H0`, `c;r5`, `N;!$(NC=O)`. Throws SmartsAtomError with the
 * reason. `recursive` compiles the inner query of a `$(...)`; without it a recursive SMARTS is refused.
 */
export function parseAtomExpr(body: string, recursive?: (smarts: string) => InnerQuery): AtomExpr {
  const tokens = tokenize(body);
  let at = 0;
  const peek = () => tokens[at];
  /** Operands joined by one separator (`;` low-precedence and, `,` or), as one node when there are several. */
  const joined = (separator: ";" | ",", op: "and" | "or", operand: () => AtomExpr) => (): AtomExpr => {
    const args = [operand()];
    while (peek()?.kind === separator) {
      at++;
      args.push(operand());
    }
    return args.length === 1 ? args[0]! : { op, args };
  };
  const highAnd = (): AtomExpr => {
    const args = [unary()];
    for (;;) {
      const next = peek();
      if (next === undefined || next.kind === ";" || next.kind === ",") break;
      if (next.kind === "&") at++;
      args.push(unary());
    }
    return args.length === 1 ? args[0]! : { op: "and", args };
  };
  const or = joined(",", "or", highAnd);
  const lowAnd = joined(";", "and", or);
  const unary = (): AtomExpr => {
    const t = tokens[at++];
    if (t === undefined) throw new SmartsAtomError(`[${body}]: an operator is missing its operand.`);
    if (t.kind === "!") return { op: "not", arg: unary() };
    if (t.kind === "recursive") {
      if (!recursive) throw new SmartsAtomError(`[${body}]: recursive SMARTS is not supported here.`);
      return { op: "recursive", inner: recursive(t.text.slice(2, -1)), query: null, memo: null };
    }
    return primitive(t, body);
  };
  const expr = lowAnd();
  if (at !== tokens.length) throw new SmartsAtomError(`[${body}]: unexpected ${tokens[at]!.text}.`);
  return expr;
}

/**
 * The atom handed to OpenChemLib for an expression: its element if every match must be that element (written as
 * the expression writes it, so `C` stays aliphatic), else `*`. Never narrower than the expression.
 */
export function standInAtom(expr: AtomExpr): string {
  const required = expr.op === "and" ? expr.args : [expr];
  for (const arg of required) {
    if (arg.op !== "element") continue;
    const symbol = ELEMENTS[arg.atomicNo - 1]!;
    if (arg.aromatic === null) return `[#${arg.atomicNo}]`;
    if (!arg.aromatic) return `[${symbol}]`;
    const lower = [...AROMATIC].find(([, z]) => z === arg.atomicNo)?.[0];
    return lower ? `[${lower}]` : `[#${arg.atomicNo}]`;
  }
  return "*";
}

let generations = 0;

/**
 * Per-molecule scratch for evaluations that walk the graph (smallest ring sizes, recursive SMARTS), reset per
 * molecule; `generation` tells one molecule's results from the next.
 */
export class AtomScratch {
  readonly ringSize = new Int16Array(256);
  readonly distance = new Int16Array(256);
  readonly queue = new Uint8Array(256);
  generation = -1;
  /** The matching budget of the search in progress, passed on to recursive SMARTS. */
  budget: MatchBudget | undefined;
  private view: GraphView | null = null;

  reset(view: GraphView, budget?: MatchBudget): void {
    this.view = view;
    this.budget = budget;
    this.generation = ++generations;
    this.ringSize.fill(-1, 0, view.atoms);
  }

  /** Size of the smallest ring through atom `t` (0 when it is in none): breadth-first search over ring bonds. */
  smallestRing(t: number): number {
    const cached = this.ringSize[t]!;
    if (cached >= 0) return cached;
    const g = this.view!;
    let best = 0;
    for (let k = g.adjStart[t]!; k < g.adjStart[t + 1]!; k++) {
      if ((g.adjBondFlags[k]! & 8) === 0) continue;
      // Shortest path from this neighbour back to t that does not use the bond between them.
      const first = g.adjAtom[k]!;
      const length = this.pathBack(g, t, first, best === 0 ? 255 : best - 1);
      if (length > 0 && (best === 0 || length + 1 < best)) best = length + 1;
    }
    this.ringSize[t] = best;
    return best;
  }

  private pathBack(g: GraphView, t: number, first: number, limit: number): number {
    const { distance, queue } = this;
    distance.fill(-1, 0, g.atoms);
    distance[first] = 0;
    distance[t] = -2; // t is the goal; the bond t–first is not walked
    let head = 0;
    let tail = 0;
    queue[tail++] = first;
    while (head < tail) {
      const a = queue[head++]!;
      const d = distance[a]!;
      if (d >= limit) break;
      for (let k = g.adjStart[a]!; k < g.adjStart[a + 1]!; k++) {
        if ((g.adjBondFlags[k]! & 8) === 0) continue;
        const b = g.adjAtom[k]!;
        if (b === t) {
          if (a !== first) return d + 1;
          continue;
        }
        if (distance[b] !== -1) continue;
        distance[b] = d + 1;
        queue[tail++] = b;
      }
    }
    return 0;
  }
}

/** Whether molecule atom `t` of `g` satisfies the expression. */
export function atomMatches(expr: AtomExpr, g: GraphView, t: number, scratch: AtomScratch): boolean {
  switch (expr.op) {
    case "and":
      return expr.args.every((arg) => atomMatches(arg, g, t, scratch));
    case "or":
      return expr.args.some((arg) => atomMatches(arg, g, t, scratch));
    case "not":
      return !atomMatches(expr.arg, g, t, scratch);
    case "any":
      return true;
    case "element":
      return g.element[t] === expr.atomicNo && (expr.aromatic === null || (g.aromatic[t] === 1) === expr.aromatic);
    case "aromatic":
      return (g.aromatic[t] === 1) === expr.value;
    case "H":
      return g.hydrogens[t] === expr.value;
    case "D":
      return degree(g, t) === expr.value;
    case "X":
      return degree(g, t) + g.hydrogens[t]! === expr.value;
    case "x":
      return ringBonds(g, t) === expr.value;
    case "v":
      // Sum of bond orders in a Kekulé structure: a bond each, plus pi bonds and hydrogens.
      return g.connAtoms[t]! + g.pi[t]! + g.hydrogens[t]! === expr.value;
    case "charge":
      return g.charge[t] === expr.value;
    case "chain":
      return g.ringBonds[t] === 0;
    case "ring":
      if (g.ringBonds[t] === 0) return false;
      return expr.size === null || scratch.smallestRing(t) === expr.size;
    case "recursive": {
      const memo = expr.memo;
      if (memo === null || expr.query === null) throw new Error("A recursive SMARTS was matched before its matcher was attached.");
      if (memo.scratch !== scratch || memo.generation !== scratch.generation) {
        memo.scratch = scratch;
        memo.generation = scratch.generation;
        memo.values.fill(-1, 0, g.atoms);
      }
      if (memo.values[t] === -1) memo.values[t] = expr.query.matchesAt(g, t, scratch.budget) ? 1 : 0;
      return memo.values[t] === 1;
    }
  }
}

function degree(g: GraphView, t: number): number {
  return g.adjStart[t + 1]! - g.adjStart[t]!;
}

function ringBonds(g: GraphView, t: number): number {
  let n = 0;
  for (let k = g.adjStart[t]!; k < g.adjStart[t + 1]!; k++) if ((g.adjBondFlags[k]! & 8) !== 0) n++;
  return n;
}

type Token =
  | { kind: "!" | "&" | "," | ";"; text: string }
  | { kind: "element"; text: string; atomicNo: number; aromatic: boolean | null }
  | { kind: "any" | "aromatic"; text: string; value?: boolean }
  | { kind: "H" | "D" | "X" | "x" | "R" | "r" | "v" | "charge"; text: string; value: number | null }
  | { kind: "recursive"; text: string }
  | { kind: "other"; text: string };

/** Splits a bracket body into SMARTS primitives and operators; what this reader does not know is `other`. */
function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const digits = () => {
    const m = /^\d+/.exec(body.slice(i));
    if (!m) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  while (i < body.length) {
    const ch = body[i]!;
    const two = body.slice(i, i + 2);
    if (ch === "$" && body[i + 1] === "(") {
      // To the matching parenthesis.
      let end = i + 2;
      let depth = 1;
      for (; end < body.length && depth > 0; end++) {
        if (body[end] === "(") depth++;
        else if (body[end] === ")") depth--;
      }
      if (depth !== 0) throw new SmartsAtomError(`[${body}]: a $( is not closed.`);
      tokens.push({ kind: "recursive", text: body.slice(i, end) });
      i = end;
    } else if ("!&,;".includes(ch)) {
      tokens.push({ kind: ch as "!", text: ch });
      i++;
    } else if (ch === "*") {
      tokens.push({ kind: "any", text: ch });
      i++;
    } else if (ch === "#") {
      i++;
      const n = digits();
      tokens.push(n === null ? { kind: "other", text: "#" } : { kind: "element", text: `#${n}`, atomicNo: n, aromatic: null });
    } else if (ch === "+" || ch === "-") {
      const start = i;
      let count = 0;
      while (body[i] === ch) {
        count++;
        i++;
      }
      const n = count === 1 ? (digits() ?? 1) : count;
      tokens.push({ kind: "charge", text: body.slice(start, i), value: ch === "+" ? n : -n });
    } else if (two.length === 2 && AROMATIC.has(two)) {
      tokens.push({ kind: "element", text: two, atomicNo: AROMATIC.get(two)!, aromatic: true });
      i += 2;
    } else if (two.length === 2 && /[A-Z]/.test(ch) && ATOMIC_NO.has(two)) {
      tokens.push({ kind: "element", text: two, atomicNo: ATOMIC_NO.get(two)!, aromatic: false });
      i += 2;
    } else if ("HDXxRrv".includes(ch) && !(ch === "H" && tokens.length === 0 && !/\d/.test(body[i + 1] ?? ""))) {
      const start = i++;
      const n = digits();
      tokens.push({ kind: ch as "H", text: body.slice(start, i), value: n });
    } else if (ch === "a" || ch === "A") {
      tokens.push({ kind: "aromatic", text: ch, value: ch === "a" });
      i++;
    } else if (AROMATIC.has(ch)) {
      tokens.push({ kind: "element", text: ch, atomicNo: AROMATIC.get(ch)!, aromatic: true });
      i++;
    } else if (ATOMIC_NO.has(ch)) {
      tokens.push({ kind: "element", text: ch, atomicNo: ATOMIC_NO.get(ch)!, aromatic: false });
      i++;
    } else {
      tokens.push({ kind: "other", text: ch });
      i++;
    }
  }
  return tokens;
}

function primitive(t: Token, body: string): AtomExpr {
  switch (t.kind) {
    case "element":
      return { op: "element", atomicNo: t.atomicNo, aromatic: t.aromatic };
    case "any":
      return { op: "any" };
    case "aromatic":
      return { op: "aromatic", value: t.value! };
    case "charge":
      return { op: "charge", value: t.value! };
    case "H":
    case "D":
    case "X":
    case "v":
      return { op: t.kind, value: t.value ?? 1 };
    case "x":
      return t.value === null ? { op: "ring", size: null } : { op: "x", value: t.value };
    case "R":
      if (t.value === 0) return { op: "chain" };
      if (t.value === null) return { op: "ring", size: null };
      throw new SmartsAtomError(`[${body}]: R${t.value} (the number of rings an atom is in) is not supported; use R (in a ring), R0, or x<n> (ring bonds).`);
    case "r":
      return t.value === 0 ? { op: "chain" } : { op: "ring", size: t.value };
    default:
      throw new SmartsAtomError(`[${body}]: ${t.text} is not supported in an atom with X, x, r, v, a/A or a combined charge.`);
  }
}
