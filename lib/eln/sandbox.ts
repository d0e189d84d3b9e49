import { isChemError } from "../chem/errors";
import { sharedChemPool, toChemError, type ChemWorkerPool } from "../sandbox/pool";
import { ELN_LIMITS, ElnError, type ElnPackage } from "./model";
import type { ElnJobResult } from "./read";

/**
 * The server's side of reading an .eln archive: the bytes go to a sandbox worker (a process with a heap limit,
 * killed at its time limit), which unzips, checks and parses them; the server only checks the size first. Throws an
 * ElnError (the archive's fault) or a ChemError (the workers are unavailable, the client went away).
 */
export async function readElnInSandbox(
  bytes: Uint8Array,
  options: { pool?: ChemWorkerPool; signal?: AbortSignal } = {},
): Promise<ElnPackage> {
  if (bytes.byteLength > ELN_LIMITS.archiveBytes) {
    throw new ElnError(
      "too_large",
      `The archive is larger than ${ELN_LIMITS.archiveBytes / 1024 / 1024} MB; export fewer entries at a time.`,
    );
  }
  const pool = options.pool ?? sharedChemPool();
  let outcomes;
  try {
    outcomes = await pool.call<ElnJobResult>("eln", [bytes], { timeoutMs: ELN_LIMITS.timeoutMs, signal: options.signal });
  } catch (error) {
    if (isChemError(error) && error.code === "timeout") {
      throw new ElnError(
        "unsupported",
        `Reading this archive took longer than ${ELN_LIMITS.timeoutMs / 1000} s and was stopped; split it into smaller archives.`,
      );
    }
    if (isChemError(error) && error.code === "crashed") {
      throw new ElnError(
        "zip_bomb",
        "Reading this archive needed more memory than allowed and was stopped; split it into smaller archives.",
      );
    }
    throw error;
  }
  const outcome = outcomes[0]!;
  if (!outcome.ok) throw toChemError(outcome.error);
  if ("error" in outcome.result) throw new ElnError(outcome.result.error.code, outcome.result.error.message);
  return outcome.result.package;
}
