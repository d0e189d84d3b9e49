import type { ChemErrorCode } from "@/lib/chem/errors";
import { isChemError } from "@/lib/chem/errors";
import { AppError, type ErrorCode } from "@/lib/errors";

/**
 * How chemistry failures reach the API. The input's fault is a 4xx the chemist can act on; a broken toolkit is a 503.
 * A time-out is 422, not 503: the same structure would time out again, so retrying does not help — the message says
 * the structure may be too large or malformed.
 */
const CHEM_STATUS: Record<ChemErrorCode, ErrorCode> = {
  invalid_structure: "validation_failed", // 422
  invalid_campaign_id: "validation_failed", // 422
  invalid_sheet: "validation_failed", // 422
  inchi_failed: "validation_failed", // 422 (registration keeps the molecule without InChI instead; see registerMolecule)
  timeout: "validation_failed", // 422
  too_large: "payload_too_large", // 413
  worker_failed: "chemistry_unavailable", // 503
};

/** A ChemError as the AppError the API answers with (field errors under `fields`); anything else is rethrown as is. */
export function toAppError(error: unknown): unknown {
  if (!isChemError(error)) return error;
  const fields = error.field === undefined ? undefined : { fields: { [error.field]: error.message } };
  return new AppError(CHEM_STATUS[error.code], error.message, fields);
}

/** Runs chemistry and turns its ChemErrors into AppErrors. */
export async function withChemErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toAppError(error);
  }
}
