import { Molecule, SmilesParser } from "openchemlib";

import { assertBranchDepth } from "../chem/limits";
import { queryScreen } from "./fingerprint";
import { compileQuery, Matcher, type CompiledQuery } from "./match";
import { getRDKit } from "../chem/inchi";
import { morganBits } from "./morgan";
import { needsOwnReading, parseAtomExpr, SmartsAtomError, standInAtom, type AtomExpr } from "./smarts-atom";

// Reading a query runs OpenChemLib on untrusted text, and some texts cost it seconds (a 200-atom chain written as
// nested branches took 10 s): the server reads queries in the sandbox processes (lib/sandbox/pool.ts, job "query"),
// which answer with the plain-data PreparedQuery below, and matches them here with withMatchers.

export type SearchMode = "exact" | "substructure" | "similarity";

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryError";
  }
}

export const MAX_QUERY_LENGTH = 2000;

export interface SubstructureQuery {
  /** The query as written: what the sandbox reads again to verify molecules our matcher cannot. */
  text: string;
  /** Null when the query needs OpenChemLib's own matcher (stereo, isotopes, ring sizes). */
  compiled: CompiledQuery | null;
  screen: Uint32Array;
  /** The parsed fragment, when the query was read in this process (tests, benchmarks); lets the index verify here. */
  fragment?: Molecule;
}

/** A query read in the sandbox, as plain data (structured-clone safe): what a search needs of it. */
export type PreparedQuery =
  | { mode: "substructure"; text: string; compiled: CompiledQuery | null; screen: Uint32Array }
  | { mode: "molecule"; text: string; idcode: string; fingerprint: Uint16Array | null };

/**
 * Reads a query for a search: substructure (SMILES/SMARTS) or a whole molecule (exact; similarity, which also needs
 * the query's Morgan fingerprint from RDKit). Throws QueryError.
 */
export async function prepareQuery(input: { mode: "substructure" | "exact" | "similarity"; text: string }): Promise<PreparedQuery> {
  if (input.mode === "substructure") {
    const { compiled, screen } = readSubstructureQuery(input.text);
    return { mode: "substructure", text: input.text, compiled, screen };
  }
  const { idcode } = parseMoleculeQuery(input.text);
  const fingerprint = input.mode === "similarity" ? await similarityFingerprint(input.text) : null;
  return { mode: "molecule", text: input.text, idcode, fingerprint };
}

/** The Morgan fingerprint of a similarity query as RDKit reads its text (morgan.ts). Throws QueryError. */
export async function similarityFingerprint(text: string): Promise<Uint16Array> {
  try {
    return morganBits(await getRDKit(), checkText(text));
  } catch (error) {
    if (error instanceof QueryError) throw error;
    throw new QueryError("RDKit could not read this SMILES, so it cannot be compared by similarity.");
  }
}

/**
 * A prepared substructure query made ready to match: each recursive SMARTS gets its matcher and per-molecule memo
 * (they hold functions and state, so they never cross a process boundary). Modifies and returns `compiled`.
 */
export function withMatchers(compiled: CompiledQuery): CompiledQuery {
  const attach = (expr: AtomExpr): void => {
    switch (expr.op) {
      case "and":
      case "or":
        expr.args.forEach(attach);
        return;
      case "not":
        attach(expr.arg);
        return;
      case "recursive": {
        const matcher = new Matcher(withMatchers(expr.inner as CompiledQuery)); // made by anchoredQuery below
        expr.query = { matchesAt: (g, t, budget) => matcher.testAt(g, t, budget) };
        expr.memo = { scratch: null, generation: -1, values: new Int8Array(256) };
        return;
      }
      default:
        return;
    }
  };
  for (const expr of compiled.own) if (expr !== null) attach(expr);
  return compiled;
}

/** A substructure query prepared in the sandbox, ready for the index. */
export function substructureQueryOf(prepared: Extract<PreparedQuery, { mode: "substructure" }>): SubstructureQuery {
  return { text: prepared.text, compiled: prepared.compiled && withMatchers(prepared.compiled), screen: prepared.screen };
}

/**
 * Bracket atoms OpenChemLib would misread are read here (smarts-atom.ts): each is replaced by a stand-in atom for
 * OpenChemLib's parser, and its expression is returned by atom number for the matcher. A recursive SMARTS `$(...)`
 * inside one is read the same way, as a query anchored at its first atom.
 */
function readOwnAtoms(text: string, depth: number): { text: string; own: (AtomExpr | null)[] } {
  const own: (AtomExpr | null)[] = [];
  let out = "";
  let last = 0;
  forEachAtom(text, (start, end, body) => {
    try {
      if (body === null || !needsOwnReading(body)) {
        own.push(null);
        return;
      }
      const expr = parseAtomExpr(body, (inner) => anchoredQuery(inner, depth + 1));
      own.push(expr);
      out += text.slice(last, start) + standInAtom(expr);
      last = end;
    } catch (error) {
      if (error instanceof SmartsAtomError) throw new QueryError(error.message);
      throw error;
    }
  });
  return { text: out + text.slice(last), own };
}

const MAX_RECURSION = 4;

/** A recursive SMARTS's query, compiled with its first atom as the root: does it match with that atom on atom t? */
function anchoredQuery(smarts: string, depth: number): CompiledQuery {
  if (depth > MAX_RECURSION) throw new QueryError(`Recursive SMARTS nested more than ${MAX_RECURSION} deep is not supported.`);
  const { compiled } = readQuery(smarts, depth, 0);
  if (compiled === null) throw new QueryError(`$(${smarts}): stereo, isotopes or ring bonds of a given size are not supported in a recursive SMARTS.`);
  return compiled;
}

/** A SMILES/SMARTS read as a query fragment, its own-read atoms, and the compiled query (rooted at `root` if given). */
function readQuery(written: string, depth: number, root?: number): { fragment: Molecule; compiled: CompiledQuery | null } {
  const { text: q, own } = readOwnAtoms(written, depth);
  let fragment: Molecule;
  try {
    fragment = new SmilesParser({ smartsMode: "smarts" }).parseMolecule(q, { noCoordinates: true });
  } catch (error) {
    throw new QueryError(`This SMILES/SMARTS could not be read: ${parseFailure(error)}.`);
  }
  if (fragment.getAtoms() === 0) throw new QueryError("The query contains no atoms.");
  fragment.setFragment(true);
  applyAromaticity(q, fragment);
  const ownAtoms = own.some((expr) => expr !== null);
  // OpenChemLib numbers the atoms as written, unless it added or dropped some (explicit [H], for one).
  if (ownAtoms && own.length !== fragment.getAllAtoms()) {
    throw new QueryError("Atoms with X, x, r, v, a/A, $() or a combined charge cannot be used together with explicit hydrogen atoms.");
  }
  const compiled = compileQuery(fragment, ownAtoms ? own : undefined, root);
  if (ownAtoms && compiled === null) {
    throw new QueryError(
      "Atoms with X, x, r, v, a/A, $() or a combined charge cannot be used together with stereo, isotopes or ring bonds of a given size.",
    );
  }
  return { fragment, compiled };
}

/**
 * Calls `visit` for each atom of a SMILES/SMARTS in order (OpenChemLib numbers a parsed query's atoms the same way):
 * its span in the text and, for a bracket atom, the text between the brackets (null for an organic-subset atom).
 */
function forEachAtom(smarts: string, visit: (start: number, end: number, body: string | null, symbol: string) => void): void {
  let i = 0;
  while (i < smarts.length) {
    const ch = smarts[i]!;
    if (ch === "[") {
      // The matching "]": a recursive SMARTS inside ($(...)) has brackets of its own.
      let close = i + 1;
      for (let depth = 0; close < smarts.length; close++) {
        const c = smarts[close]!;
        if (c === "[" || c === "(") depth++;
        else if ((c === ")" || c === "]") && depth > 0) depth--;
        else if (c === "]") break;
      }
      const end = Math.min(close + 1, smarts.length);
      visit(i, end, smarts.slice(i + 1, close), "");
      i = end;
      continue;
    }
    const organic = ORGANIC.exec(smarts.slice(i));
    if (organic) {
      visit(i, i + organic[1]!.length, null, organic[1]!);
      i += organic[1]!.length;
      continue;
    }
    // SMARTS `a` (any aromatic atom) and `A` (any aliphatic one) stand without brackets too: read as `[a]`, `[A]`.
    if (ch === "a" || ch === "A") {
      visit(i, i + 1, ch, "");
      i++;
      continue;
    }
    if (ch === "%") i += 3;
    else i++;
  }
}

/**
 * In SMARTS (and so in RDKit's get_qmol) an upper-case element symbol is an aliphatic atom and a lower-case one an
 * aromatic atom: `C(=O)N` is not met by the ring carbon of a pyridone or the ring nitrogen of an N-sulfonyl indole.
 * OpenChemLib 9.25's SMARTS parser reads `C` as any carbon, so the constraint is added here, atom by atom (its atoms
 * are numbered in the order the SMARTS writes them). Atoms given by number (#6), wildcards and lists mixing both
 * forms (`[C,c]`) are left as written.
 */
const ORGANIC = /^(Cl|Br|B|C|N|O|P|S|F|I|b|c|n|o|p|s|se|as|\*)/;
const ELEMENT = /^([A-Z][a-z]?|[a-z]{1,2})/;

export function symbolAromaticity(smarts: string): ("aromatic" | "aliphatic" | null)[] {
  const out: ("aromatic" | "aliphatic" | null)[] = [];
  forEachAtom(smarts, (_start, _end, body, organic) => {
    if (body === null) {
      out.push(organic === "*" ? null : organic[0] === organic[0]!.toLowerCase() ? "aromatic" : "aliphatic");
      return;
    }
    const bare = body.replace(/^\d+/, ""); // isotope
    if (/[,]/.test(bare) || bare.startsWith("#") || bare.startsWith("*") || bare.startsWith("!")) {
      out.push(null);
      return;
    }
    const symbol = ELEMENT.exec(bare)?.[1] ?? "";
    // "H" alone is hydrogen, not a property; "Cl" etc. are elements with no aromatic form here.
    if (symbol === "" || symbol === "H") out.push(null);
    else out.push(symbol[0] === symbol[0]!.toLowerCase() ? "aromatic" : "aliphatic");
  });
  return out;
}

function applyAromaticity(smarts: string, fragment: Molecule): void {
  const kinds = symbolAromaticity(smarts);
  // Only when the atoms line up one to one with OpenChemLib's (no implicit atoms added or removed).
  if (kinds.length !== fragment.getAllAtoms()) return;
  kinds.forEach((kind, atom) => {
    if (kind === "aliphatic" && !fragment.isAromaticAtom(atom)) fragment.setAtomQueryFeature(atom, Molecule.cAtomQFNotAromatic, true);
    if (kind === "aromatic") fragment.setAtomQueryFeature(atom, Molecule.cAtomQFAromatic, true);
  });
  // A bond SMARTS leaves unwritten is "single or aromatic" (`*c1ccccc1` finds a ring fused at the starred atom);
  // OpenChemLib reads it as single. Widened where it can matter, i.e. unless both atoms are aliphatic. Only when the
  // query writes no single bond `-` itself (outside brackets, where - is a charge), since the parsed fragment does not
  // tell a written single bond from an unwritten one.
  if (/-/.test(smarts.replace(/\[[^\]]*\]/g, ""))) return;
  fragment.ensureHelperArrays(Molecule.cHelperRings);
  for (let bond = 0; bond < fragment.getBonds(); bond++) {
    if (fragment.getBondOrder(bond) !== 1 || fragment.isDelocalizedBond(bond) || fragment.getBondQueryFeatures(bond) !== 0) continue;
    const ends = [fragment.getBondAtom(0, bond), fragment.getBondAtom(1, bond)];
    if (ends.every((a) => kinds[a] === "aliphatic")) continue;
    fragment.setBondQueryFeature(bond, Molecule.cBondQFSingle | Molecule.cBondQFDelocalized, true);
  }
}

function checkText(text: string): string {
  const q = text.trim();
  if (q === "") throw new QueryError("Enter a structure: a SMILES or SMARTS.");
  if (q.length > MAX_QUERY_LENGTH) throw new QueryError(`The query is longer than ${MAX_QUERY_LENGTH} characters.`);
  if (/\s/.test(q)) throw new QueryError("The query contains a space; give a single SMILES or SMARTS.");
  try {
    assertBranchDepth(q, "q"); // the registry's limit: refused at once, not after a parse that may take seconds
  } catch (error) {
    throw new QueryError((error as Error).message);
  }
  return q;
}

function parseFailure(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw.replace(/^.*SmilesParser:\s*/, "").replace(/^Class\$\S+:\s*/, "").trim() || "unreadable";
}

function readSubstructureQuery(text: string): { fragment: Molecule; compiled: CompiledQuery | null; screen: Uint32Array } {
  const { fragment, compiled } = readQuery(checkText(text), 0);
  return { fragment, compiled, screen: queryScreen(fragment) };
}

/**
 * A substructure query read in this process: SMILES or SMARTS read in SMARTS mode, as RDKit's get_qmol reads it.
 * For trusted text (tests, benchmarks) and the sandbox itself; the server uses prepareQuery in the sandbox.
 */
export function parseSubstructureQuery(text: string): SubstructureQuery & { fragment: Molecule } {
  const { fragment, compiled, screen } = readSubstructureQuery(text);
  return { text, fragment, compiled: compiled && withMatchers(compiled), screen };
}

/**
 * A whole molecule (exact and similarity searches), standardized as the registry standardizes what it stores
 * (explicit H removed, ambiguous groups such as nitro in one form), then canonicalized.
 */
export function parseMoleculeQuery(text: string): { idcode: string } {
  const q = checkText(text);
  let mol: Molecule;
  try {
    mol = Molecule.fromSmiles(q, { noCoordinates: true });
  } catch (error) {
    throw new QueryError(`This SMILES could not be read: ${parseFailure(error)}.`);
  }
  if (mol.getAllAtoms() === 0) throw new QueryError("The query contains no atoms.");
  if (mol.isFragment()) throw new QueryError("Exact and similarity searches take a whole molecule, not a SMARTS.");
  mol.removeExplicitHydrogens();
  mol.normalizeAmbiguousBonds();
  return { idcode: mol.getIDCode() };
}
