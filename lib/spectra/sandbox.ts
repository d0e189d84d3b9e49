import { LRUCache } from "lru-cache";

import { isChemError } from "../chem/errors";
import { sharedChemPool, toChemError, type ChemWorkerPool, type JobOptions } from "../sandbox/pool";
import { assertSpectrumSize, isSpectrumError, SPECTRUM_LIMITS, SpectrumError, type ParsedSpectrum } from "./model";
import type { SpectrumJobResult } from "./sandboxed";

// The server's side of reading spectra: every JCAMP-DX file is parsed in the chemistry sandbox (a worker process
// with a heap limit, killed at its time limit), never on the server's event loop. Parsed spectra are kept in memory
// by content hash, so zooming (a new window of the same spectrum) and other readers do not parse again.

export interface SpectrumReadOptions extends JobOptions {
  /** Default: the shared pool. */
  pool?: ChemWorkerPool;
  /** Tests only, honoured by a pool made with testHooks: the worker blocks this long, like a runaway parse. */
  testDelayMs?: number;
}

/** Parses a JCAMP-DX file in the sandbox. Throws SpectrumError (the file's fault) or ChemError (workers unavailable, aborted). */
export async function readSpectrumInSandbox(bytes: Uint8Array, options: SpectrumReadOptions = {}): Promise<ParsedSpectrum> {
  assertSpectrumSize(bytes.byteLength); // before the bytes are copied to a worker
  const { pool = sharedChemPool(), ...jobOptions } = options;
  const timeoutMs = jobOptions.timeoutMs ?? SPECTRUM_LIMITS.timeoutMs;
  let outcomes;
  try {
    outcomes = await pool.call<SpectrumJobResult>("spectrum", [bytes], { priority: "interactive", ...jobOptions, timeoutMs });
  } catch (error) {
    if (isChemError(error) && error.code === "timeout") {
      throw new SpectrumError(
        "timeout",
        `Reading this spectrum took longer than ${timeoutMs / 1000} s and was stopped; the file may be too large or malformed. It can still be downloaded.`,
      );
    }
    if (isChemError(error) && error.code === "crashed") {
      throw new SpectrumError(
        "crashed",
        "Reading this spectrum needed more memory than allowed and was stopped; the file may be too large or malformed. It can still be downloaded.",
      );
    }
    throw error; // the workers could not start (503), or the client went away
  }
  const outcome = outcomes[0]!;
  if (!outcome.ok) throw toChemError(outcome.error);
  if ("error" in outcome.result) throw new SpectrumError(outcome.result.error.code, outcome.result.error.message);
  return outcome.result.spectrum;
}

/** A failure is remembered briefly: a file that took the whole time limit must not take a worker again at every view. */
const FAILURE_TTL_MS = 60_000;

const parsed = new LRUCache<string, ParsedSpectrum | SpectrumError>({
  // A 64k-point NMR spectrum is 1 MB of numbers; 64 MB keeps the spectra being looked at.
  maxSize: 64 * 1024 * 1024,
  sizeCalculation: (value) => ("xs" in value ? value.xs.byteLength + value.ys.byteLength : 0) + 4_096,
});
const reading = new Map<string, Promise<ParsedSpectrum>>();

/**
 * The parsed spectrum of a file known by its content hash: from memory, from a parse already under way, or parsed
 * now in the sandbox (`bytes` is only called then).
 */
export async function spectrumOf(
  sha256: string,
  bytes: () => Uint8Array | Promise<Uint8Array>,
  options: SpectrumReadOptions = {},
): Promise<ParsedSpectrum> {
  const known = parsed.get(sha256);
  if (known !== undefined) {
    if (isSpectrumError(known)) throw known;
    return known;
  }
  let pending = reading.get(sha256);
  if (pending === undefined) {
    // Not tied to one client's signal: others may be waiting for the same parse.
    const { signal: _signal, ...shared } = options;
    pending = (async () => readSpectrumInSandbox(await bytes(), shared))();
    reading.set(sha256, pending);
    pending
      .then(
        (spectrum) => parsed.set(sha256, spectrum),
        (error: unknown) => {
          if (isSpectrumError(error)) parsed.set(sha256, error, { ttl: FAILURE_TTL_MS });
        },
      )
      .finally(() => reading.delete(sha256))
      .catch(() => undefined);
  }
  return pending;
}
