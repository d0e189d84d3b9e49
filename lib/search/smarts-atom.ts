import type { GraphView } from "./graph";

/**
 * SMARTS atom expressions (the text of a bracket atom, or an organic-subset atom), read as RDKit reads them, and
 * evaluated on the atoms of a stored molecule's graph (graph.ts: RDKit's perception).
 *
 * Primitives: element symbols (upper case aliphatic, lower case aromatic), `#n`, `*`, `a`, `A`, `D`, `H`, `X`, `x`,
 * `v`, `R`, `r`, charges, isotopes and recursive SMARTS `$(...)`; chirality (`@`, `@@`) and atom maps (`:n`) are
 * read and, as in RDKit's default substructure search, not compared. Operators with Daylight precedence: `!`, then `&`
 * and juxtaposition, then `,`, then `;`.
 */
export type AtomExpr =
  | { op: "and" | "or"; args: AtomExpr[] }
  | { op: "not"; arg: AtomExpr }
  | { op: "element"; atomicNo: number; aromatic: boolean | null }
  | { op: "any" }
  | { op: "aromatic"; value: boolean }
  | { op: "H" | "D" | "X" | "x" | "v" | "charge" | "isotope"; value: number }
  /** In exactly `value` rings of RDKit's ring set (R<n>, n > 0). */
  | { op: "rings"; value: number }
  /** Ring membership (R, r, x without a number) or smallest ring size (r<n>); null = in any ring. */
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

let generations = 0;

/**
 * Per-molecule scratch for evaluations that walk the graph (smallest ring sizes, recursive SMARTS), reset per
 * molecule; `generation` tells one molecule's results from the next.
 */
export class AtomScratch {
  ringSize = new Int16Array(256);
  distance = new Int32Array(256);
  queue = new Int32Array(256);
  generation = -1;
  /** The matching budget of the search in progress, passed on to recursive SMARTS. */
  budget: MatchBudget | undefined;
  private view: GraphView | null = null;

  reset(view: GraphView, budget?: MatchBudget): void {
    this.view = view;
    this.budget = budget;
    this.generation = ++generations;
    if (this.ringSize.length < view.atoms) {
      this.ringSize = new Int16Array(view.atoms);
      this.distance = new Int32Array(view.atoms);
      this.queue = new Int32Array(view.atoms);
    }
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
      const length = this.pathBack(g, t, first, best === 0 ? g.atoms : best - 1);
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
      // Total connections: neighbours (explicit H atoms among them) plus the atom's own hydrogens.
      return degree(g, t) + ownHydrogens(g, t) === expr.value;
    case "x":
      return ringBonds(g, t) === expr.value;
    case "v":
      return g.valence[t] === expr.value;
    case "charge":
      return g.charge[t] === expr.value;
    case "isotope":
      return g.isotope[t] === expr.value;
    case "rings":
      return g.rings[t] === expr.value;
    case "chain":
      return g.rings[t] === 0;
    case "ring":
      if (g.rings[t] === 0) return false;
      return expr.size === null || scratch.smallestRing(t) === expr.size;
    case "recursive": {
      const memo = expr.memo;
      if (memo === null || expr.query === null) throw new Error("A recursive SMARTS was matched before its matcher was attached.");
      if (memo.scratch !== scratch || memo.generation !== scratch.generation) {
        memo.scratch = scratch;
        memo.generation = scratch.generation;
        if (memo.values.length < g.atoms) memo.values = new Int8Array(g.atoms);
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

/** Hydrogens of the atom itself: its H count less its neighbouring H atoms. */
function ownHydrogens(g: GraphView, t: number): number {
  let n = g.hydrogens[t]!;
  for (let k = g.adjStart[t]!; k < g.adjStart[t + 1]!; k++) if (g.element[g.adjAtom[k]!] === 1) n--;
  return n;
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
  | { kind: "H" | "D" | "X" | "x" | "R" | "r" | "v" | "charge" | "isotope"; text: string; value: number | null }
  /** Chirality and atom maps: read, not compared (RDKit's substructure search ignores them by default). */
  | { kind: "ignored"; text: string }
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
    } else if (/\d/.test(ch)) {
      const start = i;
      const n = digits()!;
      tokens.push({ kind: "isotope", text: body.slice(start, i), value: n });
    } else if (ch === "@") {
      // @, @@, @?, @TH1, @AL2, @SP3, @TB12, @OH25
      const m = /^@(@|[?]|TH\d|AL\d|SP\d|TB\d{1,2}|OH\d{1,2})?[?]?/.exec(body.slice(i))!;
      tokens.push({ kind: "ignored", text: m[0] });
      i += m[0].length;
    } else if (ch === ":") {
      const start = i++;
      if (digits() === null) throw new SmartsAtomError(`[${body}]: an atom map ":" needs a number.`);
      tokens.push({ kind: "ignored", text: body.slice(start, i) });
    } else if (ch === "#") {
      i++;
      const n = digits();
      tokens.push(n === null || n < 1 || n > 118 ? { kind: "other", text: "#" } : { kind: "element", text: `#${n}`, atomicNo: n, aromatic: null });
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
    } else if (ch === "H" && tokens.every((t) => t.kind === "isotope") && !/\d/.test(body[i + 1] ?? "")) {
      // [H], [2H], [H+]: a hydrogen atom. Anywhere else ([CH], [NH2], [N;H]) H is a hydrogen count.
      tokens.push({ kind: "element", text: "H", atomicNo: 1, aromatic: false });
      i++;
    } else if ("HDXxRrv".includes(ch)) {
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
    case "ignored":
      return { op: "any" };
    case "aromatic":
      return { op: "aromatic", value: t.value! };
    case "charge":
      return { op: "charge", value: t.value! };
    case "isotope":
      return { op: "isotope", value: t.value! };
    case "H":
    case "D":
    case "X":
    case "v":
      return { op: t.kind, value: t.value ?? 1 };
    case "x":
      return t.value === null ? { op: "ring", size: null } : { op: "x", value: t.value };
    case "R":
      if (t.value === 0) return { op: "chain" };
      return t.value === null ? { op: "ring", size: null } : { op: "rings", value: t.value };
    case "r":
      return t.value === 0 ? { op: "chain" } : { op: "ring", size: t.value };
    default:
      throw new SmartsAtomError(
        `[${body}]: "${t.text}" is not a SMARTS atom primitive this search reads (elements, #n, *, a, A, D, H, X, x, v, R, r, charges, isotopes, $(...)).`,
      );
  }
}
