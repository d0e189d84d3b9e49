import { isChemError } from "../chem/errors";
import { callSandbox, type SandboxControl } from "../sandbox/call";
import { sharedChemPool, type WorkerOutcome } from "../sandbox/pool";
import { classifyByPattern } from "./classify";
import { SearchAborted, SearchTimeout } from "./index";
import { QueryError, type PreparedQuery } from "./query";
import { openChemLibRecord } from "./record";

// The server's side of sandboxed search work (sandboxed.ts runs in the chemistry worker processes): each call is a
// job of the shared pool, ahead of bulk work, stopped at the search's deadline or when its client goes away.

/** The search's deadline (its time-limit error then) and its request. */
export type SearchControl = SandboxControl;

async function sandboxed<T>(kind: "query" | "verify" | "classify", input: unknown, control: SearchControl): Promise<T> {
  try {
    return await callSandbox<T>(kind, input, control);
  } catch (error) {
    if (!isChemError(error)) throw error;
    if (error.code === "timeout") throw new SearchTimeout();
    if (error.code === "aborted") throw new SearchAborted();
    if (error.code === "crashed") throw new QueryError("This query needed more memory than a search may use; simplify it.");
    if (error.code === "invalid_structure") throw new QueryError(error.message);
    throw error; // worker_failed: the chemistry workers are unavailable (503)
  }
}

/** Reads a search query in the sandbox (lib/search/query.ts prepareQuery). Throws QueryError, SearchTimeout, SearchAborted. */
export function prepareInSandbox(
  mode: "substructure" | "exact" | "similarity",
  text: string,
  control: SearchControl,
): Promise<PreparedQuery> {
  return sandboxed<PreparedQuery>("query", { mode, text }, control);
}

/** The index's `verify`: molecules checked in the sandbox (sandboxed.ts verifyGraphs). */
export function sandboxVerifier(control: SearchControl): (text: string, graphs: Uint8Array[]) => Promise<(number[] | null)[]> {
  return (text, graphs) => sandboxed<(number[] | null)[]>("verify", { text, graphs }, control);
}

/** What the header box was given (classify.ts), decided in the sandbox: "text" when that takes too long. */
export async function classifyInSandbox(text: string, control: SearchControl): Promise<"inchikey" | "structure" | "text"> {
  const guess = classifyByPattern(text);
  if (guess !== "structure?") return guess;
  try {
    return await sandboxed<"inchikey" | "structure" | "text">("classify", text, control);
  } catch (error) {
    if (error instanceof SearchTimeout || error instanceof QueryError) return "text";
    throw error;
  }
}

/**
 * Search records of stored molecules (those stored before records existed, or in an earlier layout), computed in
 * the sandbox, both workers at once, from the idcode and the structure as registered (`text`: the SMILES or molfile
 * given); a molecule whose record cannot be made there gets OpenChemLib's graph of its idcode, without similarity bits.
 */
export async function recordsInSandbox(molecules: readonly { idcode: string; text: string }[]): Promise<Uint8Array[]> {
  const CHUNK = 250;
  const chunks: { idcode: string; text: string }[][] = [];
  for (let i = 0; i < molecules.length; i += CHUNK) chunks.push(molecules.slice(i, i + CHUNK));
  const results = await Promise.all(
    chunks.map(async (chunk) => {
      let outcomes: WorkerOutcome<Uint8Array>[] | null = null;
      try {
        outcomes = await sharedChemPool().call<Uint8Array>("record", chunk, { priority: "bulk", timeoutMs: 120_000 });
      } catch {
        // the workers are unavailable or the job died: each molecule below gets OpenChemLib's graph
      }
      return chunk.map((m, i) => {
        const outcome = outcomes?.[i];
        return outcome?.ok ? new Uint8Array(outcome.result) : openChemLibRecord(m.idcode);
      });
    }),
  );
  return results.flat();
}
