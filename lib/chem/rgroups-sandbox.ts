import { ChemError, isChemError } from "./errors";
import { checkCoreText, RGROUP_LIMITS, type RGroupCore, type RGroupDecomposition } from "./rgroups";
import { callSandbox, type SandboxControl } from "../sandbox/call";

// The server's side of R-group decomposition (rgroups.ts runs in the chemistry worker processes): a core and the
// molecules to decompose are user input, so RDKit reads them there, ahead of bulk work, stopped at the caller's
// deadline or when its client goes away.

export type RGroupControl = SandboxControl;

/**
 * Molecules per job. RDKit decomposes a few hundred molecules a second in a worker, so a job of this size stays
 * well inside a page's time budget, and the two workers share a long list. Each chunk is matched on its own: only
 * for a symmetric core could RDKit then pick a different but equivalent mapping from one chunk to the next.
 */
export const RGROUP_CHUNK = 500;

async function sandboxed<T>(kind: "rgroup-core" | "rgroups" | "substituent-svg", input: unknown, control: RGroupControl): Promise<T> {
  try {
    return await callSandbox<T>(kind, input, control);
  } catch (error) {
    if (!isChemError(error)) throw error;
    // The pool's own messages speak of "this structure"; say what was being done instead.
    if (error.code === "timeout") {
      throw new ChemError(
        "timeout",
        "The R-group table took too long to compute and was stopped; try a more specific core or fewer molecules.",
      );
    }
    if (error.code === "crashed") {
      throw new ChemError("crashed", "The R-group table needed more memory than allowed and was stopped; try a smaller core.");
    }
    throw error; // the input's own error, aborted, or the chemistry workers are unavailable
  }
}

/** readCore in the sandbox: the core's labels and prefilter query, or a ChemError saying what is wrong with it. */
export function readCoreInSandbox(core: string, control: RGroupControl): Promise<RGroupCore> {
  checkCoreText(core); // a malformed or oversize core is refused before it is copied to a worker
  return sandboxed<RGroupCore>("rgroup-core", core, control);
}

/**
 * decomposeRGroups in the sandbox, RGROUP_CHUNK molecules per job, both workers at once; rows and apart molecules
 * come back in input order. Throws ChemError: the core's fault (`invalid_structure`, `too_large`), `timeout` at the
 * deadline, `aborted`, `worker_failed`.
 */
export async function decomposeInSandbox(
  core: string,
  molecules: readonly { id: number; smiles: string }[],
  control: RGroupControl,
): Promise<RGroupDecomposition> {
  const { labels } = checkCoreText(core);
  if (molecules.length > RGROUP_LIMITS.molecules) {
    throw new ChemError(
      "too_large",
      `An R-group table takes at most ${RGROUP_LIMITS.molecules.toLocaleString("en")} molecules; ${molecules.length.toLocaleString("en")} were given.`,
    );
  }
  if (molecules.length === 0) {
    await readCoreInSandbox(core, control); // still say whether the core itself is readable
    return { labels, rows: [], apart: [] };
  }
  const chunks: { id: number; smiles: string }[][] = [];
  for (let i = 0; i < molecules.length; i += RGROUP_CHUNK) chunks.push(molecules.slice(i, i + RGROUP_CHUNK));
  // When one job fails the table cannot be shown: stop the others rather than let them run to the deadline.
  const stop = new AbortController();
  const signal = control.signal ? AbortSignal.any([control.signal, stop.signal]) : stop.signal;
  const parts = await Promise.all(
    chunks.map((chunk) => sandboxed<RGroupDecomposition>("rgroups", { core, molecules: chunk }, { ...control, signal })),
  ).finally(() => stop.abort());
  return {
    labels: parts[0]!.labels,
    rows: parts.flatMap((part) => part.rows),
    apart: parts.flatMap((part) => part.apart),
  };
}

/** A substituent's drawing (rgroups.ts drawSubstituent), made in the sandbox: the SMILES is anyone's text. */
export function drawSubstituentInSandbox(smiles: string, size: { width: number; height: number }, control: RGroupControl): Promise<string> {
  return sandboxed<string>("substituent-svg", { smiles, ...size }, control);
}
