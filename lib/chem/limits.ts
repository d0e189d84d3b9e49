import { ChemError } from "./errors";

/** Input caps, checked before any parsing so that a huge paste or upload never reaches a toolkit. */
export const STRUCTURE_LIMITS = {
  smilesChars: 2_000,
  molfileBytes: 200_000,
} as const;

export const SHEET_LIMITS = {
  /** Characters of CSV/TSV/SDF text. */
  maxChars: 20_000_000,
  /** Data rows of a sheet, or records of an SDF. */
  maxRows: 50_000,
} as const;

/**
 * Throws `too_large` when a SMILES or molfile is over its cap. Free of any toolkit, so safe.ts can refuse oversize
 * input before copying it to a worker.
 */
export function assertStructureSize(field: "smiles" | "molfile", text: string): void {
  if (field === "smiles") {
    if (text.length > STRUCTURE_LIMITS.smilesChars) {
      throw new ChemError(
        "too_large",
        `The SMILES is ${text.length.toLocaleString("en")} characters long; the limit is ` +
          `${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")}.`,
        { field },
      );
    }
    return;
  }
  const limit = STRUCTURE_LIMITS.molfileBytes;
  // Every UTF-16 unit is at least one UTF-8 byte, so the cheap length test rejects huge input before encoding it.
  const bytes = text.length > limit ? text.length : new TextEncoder().encode(text).length;
  if (bytes > limit) {
    const kilobytes = Math.round(limit / 1000);
    throw new ChemError("too_large", `The molfile is larger than ${kilobytes} kB; paste a single structure.`, { field });
  }
}
