import { readJcamp } from "./jcamp";
import { isSpectrumError, type ParsedSpectrum, type SpectrumErrorCode } from "./model";

/**
 * What the sandbox workers run for spectra (lib/sandbox/jobs.ts, job kind "spectrum"): a JCAMP-DX file's bytes in,
 * its parsed spectrum or the reason it cannot be drawn out, as plain data. The reason travels as a result rather
 * than as the job's error so that the sandbox's error type stays the chemistry one; sandbox.ts turns it back into a
 * SpectrumError in the server.
 */
export type SpectrumJobResult = { spectrum: ParsedSpectrum } | { error: { code: SpectrumErrorCode; message: string } };

export function spectrumJob(bytes: Uint8Array): SpectrumJobResult {
  try {
    return { spectrum: readJcamp(bytes) };
  } catch (error) {
    if (isSpectrumError(error)) return { error: { code: error.code, message: error.message } };
    // The parser tripped over something in the file (it checks little and throws TypeErrors): the file is at fault.
    return {
      error: { code: "unreadable", message: "This JCAMP-DX file could not be read: it is malformed or uses a variant we do not know." },
    };
  }
}
