import { Molecule } from "openchemlib";

import { assertBranchDepth } from "../chem/limits";
import { queryScreen } from "./fingerprint";
import { compileQuery, Matcher, type CompiledQuery } from "./match";
import { getRDKit } from "../chem/inchi";
import { morganBits } from "./morgan";
import { parseSmarts, SmartsError } from "./smarts";
import type { AtomExpr } from "./smarts-atom";

// Substructure queries are read by our SMARTS reader (smarts.ts) with RDKit's meaning; exact and similarity queries
// are whole molecules, read by OpenChemLib (the registry's canonical idcode) and RDKit (the Morgan fingerprint). The
// server reads queries in the sandbox processes (lib/sandbox/pool.ts, job "query"): a toolkit on untrusted text may
// take seconds. They answer with the plain-data PreparedQuery below, matched here with withMatchers.

export type SearchMode = "exact" | "substructure" | "similarity";

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryError";
  }
}

export const MAX_QUERY_LENGTH = 2000;

export interface SubstructureQuery {
  /** The query as written: what the sandbox reads again to verify molecules handed to it. */
  text: string;
  compiled: CompiledQuery;
  screen: Uint32Array;
}

/** A query read in the sandbox, as plain data (structured-clone safe): what a search needs of it. */
export type PreparedQuery =
  | { mode: "substructure"; text: string; compiled: CompiledQuery; screen: Uint32Array }
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
        const matcher = new Matcher(withMatchers(expr.inner as CompiledQuery)); // compiled by readQuery below
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
  return { text: prepared.text, compiled: withMatchers(prepared.compiled), screen: prepared.screen };
}

const MAX_RECURSION = 4;

/** A SMILES/SMARTS read and compiled; recursive SMARTS inside are compiled rooted at their first atom. */
function readQuery(text: string, depth: number, root?: number): { compiled: CompiledQuery; screen: Uint32Array } {
  try {
    const graph = parseSmarts(text, (inner) => {
      if (depth + 1 > MAX_RECURSION) throw new QueryError(`Recursive SMARTS nested more than ${MAX_RECURSION} deep is not supported.`);
      return readQuery(inner, depth + 1, 0).compiled;
    });
    return { compiled: compileQuery(graph, root), screen: queryScreen(graph) };
  } catch (error) {
    if (error instanceof SmartsError) throw new QueryError(`This SMILES/SMARTS could not be read: ${error.message}`);
    throw error;
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

function readSubstructureQuery(text: string): { compiled: CompiledQuery; screen: Uint32Array } {
  return readQuery(checkText(text), 0);
}

/**
 * A substructure query read in this process: SMILES or SMARTS read as RDKit's get_qmol reads it. For trusted text
 * (tests, benchmarks) and the sandbox itself; the server uses prepareQuery in the sandbox.
 */
export function parseSubstructureQuery(text: string): SubstructureQuery {
  const { compiled, screen } = readSubstructureQuery(text);
  return { text, compiled: withMatchers(compiled), screen };
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
