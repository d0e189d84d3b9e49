import { parseAtomExpr, SmartsAtomError, type AtomExpr, type InnerQuery } from "./smarts-atom";
import { AROMATIC_BOND, BOND_AROMATIC, BOND_DOUBLE, BOND_SINGLE, BOND_TRIPLE, RING_BOND } from "./graph";

/**
 * A SMILES or SMARTS read as a substructure query the way RDKit's SMARTS parser (get_qmol) reads it: upper-case
 * atoms aliphatic, lower-case aromatic, a bond left unwritten "single or aromatic", `-` a single bond that is not
 * aromatic (a biaryl bond, `c-c`), `:` an aromatic bond, `~` any bond, `@` a ring bond, with `!`, `&`, `,` and `;`.
 * Branches, ring closures (digits and `%nn`) and `.`-separated parts; `/` and `\` are read as single bonds (double-bond
 * geometry is not compared, as in RDKit's default substructure search).
 */
export interface QueryGraph {
  atoms: AtomExpr[];
  bonds: QueryBond[];
}

export interface QueryBond {
  a: number;
  b: number;
  /** Null: unwritten (single or aromatic). */
  expr: BondExpr | null;
}

export type BondExpr =
  | { op: "and" | "or"; args: BondExpr[] }
  | { op: "not"; arg: BondExpr }
  | { op: "single" | "double" | "triple" | "aromatic" | "any" | "ring" };

export class SmartsError extends Error {}

const ORGANIC = /^(Cl|Br|B|C|N|O|P|S|F|I|b|c|n|o|p|s)/;
const BOND_CHARS = "-=#:~@/\\!&,;";

/** Reads a SMILES/SMARTS; `recursive` compiles the inner query of each `$(...)`. Throws SmartsError with the reason. */
export function parseSmarts(text: string, recursive?: (smarts: string) => InnerQuery): QueryGraph {
  const atoms: AtomExpr[] = [];
  const bonds: QueryBond[] = [];
  const branches: number[] = [];
  const open = new Map<number, { atom: number; expr: BondExpr | null; at: number }>();
  let previous = -1;
  let pending: BondExpr | null = null;
  let pendingAt = -1;
  let i = 0;

  const addAtom = (expr: AtomExpr) => {
    const atom = atoms.length;
    atoms.push(expr);
    if (previous >= 0) bonds.push({ a: previous, b: atom, expr: pending });
    else if (pending !== null) throw new SmartsError(`A bond at position ${pendingAt + 1} has no atom before it.`);
    pending = null;
    previous = atom;
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "[") {
      const close = closingBracket(text, i);
      if (close < 0) {
        const inner = text.indexOf("$(", i) >= 0 ? " (or a $( inside it is not closed)" : "";
        throw new SmartsError(`The [ at position ${i + 1} is not closed${inner}.`);
      }
      addAtom(atomExpr(text.slice(i + 1, close), recursive));
      i = close + 1;
    } else if (ch === "(") {
      if (previous < 0) throw new SmartsError(`A branch at position ${i + 1} has no atom before it (grouping by parentheses is not supported).`);
      if (pending !== null) throw new SmartsError(`A bond before the branch at position ${i + 1} belongs inside it.`);
      branches.push(previous);
      i++;
    } else if (ch === ")") {
      if (branches.length === 0) throw new SmartsError(`The ) at position ${i + 1} closes no branch.`);
      if (pending !== null) throw new SmartsError(`A bond at position ${pendingAt + 1} ends the branch without an atom.`);
      previous = branches.pop()!;
      i++;
    } else if (ch === ".") {
      if (pending !== null) throw new SmartsError(`A bond at position ${pendingAt + 1} has no atom after it.`);
      if (previous < 0 || branches.length > 0) throw new SmartsError(`The "." at position ${i + 1} does not separate two parts.`);
      previous = -1;
      i++;
    } else if (BOND_CHARS.includes(ch)) {
      if (pending !== null) throw new SmartsError(`Two bonds in a row at position ${i + 1}.`);
      const end = bondEnd(text, i);
      pendingAt = i;
      pending = bondExpr(text.slice(i, end), i);
      i = end;
    } else if (/\d/.test(ch) || ch === "%") {
      let label: number;
      const start = i;
      if (ch === "%") {
        const m = /^%(\d\d)|^%\((\d{1,5})\)/.exec(text.slice(i));
        if (!m) throw new SmartsError(`A ring closure "%" at position ${i + 1} needs two digits.`);
        label = Number(m[1] ?? m[2]);
        i += m[0].length;
      } else {
        label = Number(ch);
        i++;
      }
      if (previous < 0) throw new SmartsError(`The ring closure at position ${start + 1} has no atom before it.`);
      const opened = open.get(label);
      if (opened === undefined) {
        open.set(label, { atom: previous, expr: pending, at: start });
      } else {
        open.delete(label);
        if (opened.atom === previous) throw new SmartsError(`The ring closure at position ${start + 1} bonds an atom to itself.`);
        if (bonds.some((b) => (b.a === opened.atom && b.b === previous) || (b.b === opened.atom && b.a === previous))) {
          throw new SmartsError(`The ring closure at position ${start + 1} bonds two atoms that are already bonded.`);
        }
        bonds.push({ a: opened.atom, b: previous, expr: pending ?? opened.expr });
      }
      pending = null;
    } else {
      const organic = ORGANIC.exec(text.slice(i));
      let expr: AtomExpr;
      let length = 1;
      if (organic) {
        length = organic[1]!.length;
        expr = atomExpr(organic[1]!, recursive);
      } else if (ch === "*") expr = { op: "any" };
      else if (ch === "a" || ch === "A") expr = { op: "aromatic", value: ch === "a" };
      else throw new SmartsError(`Unexpected "${ch}" at position ${i + 1}.`);
      addAtom(expr);
      i += length;
    }
  }
  if (pending !== null) throw new SmartsError(`The bond at position ${pendingAt + 1} has no atom after it.`);
  if (branches.length > 0) throw new SmartsError("A branch ( is not closed.");
  if (open.size > 0) throw new SmartsError(`The ring closure ${[...open.keys()][0]} is opened but never closed.`);
  if (atoms.length === 0) throw new SmartsError("The query contains no atoms.");
  return { atoms, bonds };
}

function atomExpr(body: string, recursive?: (smarts: string) => InnerQuery): AtomExpr {
  try {
    return parseAtomExpr(body, recursive);
  } catch (error) {
    if (error instanceof SmartsAtomError) throw new SmartsError(error.message);
    throw error;
  }
}

/** The "]" closing the bracket atom opened at `start` (a recursive SMARTS inside has brackets of its own), or -1. */
function closingBracket(text: string, start: number): number {
  let depth = 0;
  for (let k = start + 1; k < text.length; k++) {
    const c = text[k]!;
    if (c === "[" || c === "(") depth++;
    else if ((c === ")" || c === "]") && depth > 0) depth--;
    else if (c === "]") return k;
  }
  return -1;
}

function bondEnd(text: string, start: number): number {
  let k = start;
  while (k < text.length && BOND_CHARS.includes(text[k]!)) k++;
  return k;
}

const BOND_PRIMITIVES: Record<string, BondExpr["op"]> = {
  "-": "single",
  "/": "single",
  "\\": "single",
  "=": "double",
  "#": "triple",
  ":": "aromatic",
  "~": "any",
  "@": "ring",
};

/** A bond expression, with the atom expressions' precedence: `!`, then `&` and juxtaposition, then `,`, then `;`. */
function bondExpr(text: string, offset: number): BondExpr {
  let at = 0;
  const fail = (what: string): never => {
    throw new SmartsError(`The bond "${text}" at position ${offset + 1}: ${what}.`);
  };
  const unary = (): BondExpr => {
    const c = text[at++];
    if (c === undefined) return fail("an operator is missing its operand");
    if (c === "!") return { op: "not", arg: unary() };
    const op = BOND_PRIMITIVES[c];
    if (op === undefined) return fail(`unexpected "${c}"`);
    return { op } as BondExpr;
  };
  const high = (): BondExpr => {
    const args = [unary()];
    while (at < text.length && text[at] !== "," && text[at] !== ";") {
      if (text[at] === "&") at++;
      args.push(unary());
    }
    return args.length === 1 ? args[0]! : { op: "and", args };
  };
  const joined = (separator: string, op: "and" | "or", operand: () => BondExpr) => (): BondExpr => {
    const args = [operand()];
    while (text[at] === separator) {
      at++;
      args.push(operand());
    }
    return args.length === 1 ? args[0]! : { op, args };
  };
  const expr = joined(";", "and", joined(",", "or", high))();
  if (at !== text.length) fail(`unexpected "${text[at]}"`);
  return expr;
}

/** Whether a molecule bond with these flags (graph.ts: kind | ring | aromatic) satisfies the expression. */
export function bondMatches(expr: BondExpr | null, flags: number): boolean {
  const kind = flags & 7;
  if (expr === null) return kind === BOND_SINGLE || (flags & AROMATIC_BOND) !== 0;
  switch (expr.op) {
    case "and":
      return expr.args.every((arg) => bondMatches(arg, flags));
    case "or":
      return expr.args.some((arg) => bondMatches(arg, flags));
    case "not":
      return !bondMatches(expr.arg, flags);
    case "single":
      return kind === BOND_SINGLE;
    case "double":
      return kind === BOND_DOUBLE;
    case "triple":
      return kind === BOND_TRIPLE;
    case "aromatic":
      return kind === BOND_AROMATIC || (flags & AROMATIC_BOND) !== 0;
    case "any":
      return true;
    case "ring":
      return (flags & RING_BOND) !== 0;
  }
}
