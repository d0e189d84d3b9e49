import { isElnError } from "./model";
import { readElnArchive, type ElnJobResult } from "./read";

/**
 * What the sandbox workers run for .eln archives (lib/sandbox/jobs.ts, job kind "eln"): the archive's bytes in, the
 * package read from it or why it is refused out, as plain data. The reason travels as a result rather than as the
 * job's error so that the sandbox's error type stays the chemistry one; sandbox.ts turns it back into an ElnError.
 */
export function elnJob(bytes: Uint8Array): ElnJobResult {
  try {
    return { package: readElnArchive(bytes) };
  } catch (error) {
    if (isElnError(error)) return { error: { code: error.code, message: error.message } };
    // A parser tripped over something the checks let through: the archive is at fault.
    return {
      error: { code: "bad_metadata", message: "The archive could not be read: its metadata is malformed in a way we do not know." },
    };
  }
}
