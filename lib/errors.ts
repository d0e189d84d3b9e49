import type { ChemErrorCode } from "./chem/errors";

/** One error type for the whole app; each code maps to one HTTP status. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  /** A method the resource refuses by design (a sealed prediction set cannot be changed). */
  method_not_allowed: 405,
  conflict: 409,
  /** A link that worked once and no longer does (an expired confirmation link). */
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  /** The client went away before the answer (nginx's 499): nobody reads it, and it is not logged as a failure. */
  cancelled: 499,
  database_busy: 503,
  /** The chemistry workers could not start: a server problem, try again later. */
  chemistry_unavailable: 503,
  /** No SMTP server is configured: e-mail is off, nothing is queued for sending. */
  mail_off: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** Field name (a dotted path into the input) → what is wrong with it. */
export type FieldErrors = Record<string, string>;

/** What an error carries beside its code and message, by code; sent to clients as extra members of `error`. */
export interface ErrorDetailsByCode {
  validation_failed: {
    fields?: FieldErrors;
    /** A search stopped at its time limit. */
    timeout?: boolean;
    /** An unknown assay: the ones measured there. */
    assays?: string[];
  };
  payload_too_large: { fields?: FieldErrors };
  conflict: {
    fields?: FieldErrors;
    /** A stale save: the entry's current revision. */
    current?: unknown;
    /** A molecule already registered with this structure, ID or alias. */
    existing?: { id: string; name: string | null; path: string };
    /** How "the same structure" was compared: exact, no-stereo or parent. */
    compare?: string;
  };
  rate_limited: { retryAfter: number; fields?: undefined };
}

export type ErrorDetails<C extends ErrorCode = ErrorCode> = C extends keyof ErrorDetailsByCode ? ErrorDetailsByCode[C] : { fields?: FieldErrors };

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: ErrorDetails<C> | undefined;

  constructor(code: C, message: string, details?: ErrorDetails<C>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  /** Narrows the error, and so its details, to one code. */
  is<K extends ErrorCode>(code: K): this is AppError<K> {
    const mine: ErrorCode = this.code;
    return mine === code;
  }
}

/** The name and code of a thrown value, whatever bundle, worker or process made it. */
function brand(error: unknown): { name: string; code: unknown; message: string } | null {
  if (typeof error !== "object" || error === null) return null;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return typeof name === "string" ? { name, code, message: typeof message === "string" ? message : "" } : null;
}

/**
 * By brand, not by class: Next.js bundles instrumentation, routes and server actions apart, and an error made in one
 * bundle (the shared chemistry pool, the search index) is not an instance of another bundle's class.
 */
export function isAppError(error: unknown): error is AppError {
  const b = brand(error);
  return b?.name === "AppError" && typeof b.code === "string" && b.code in errorStatus;
}

/**
 * How chemistry failures reach a client. The input's fault is a 4xx the chemist can act on; a broken toolkit is a
 * 503. A time-out or a crash is 422, not 503: the same structure would fail again, so retrying does not help.
 */
const CHEM_STATUS: Record<ChemErrorCode, ErrorCode> = {
  invalid_structure: "validation_failed",
  invalid_campaign_id: "validation_failed",
  invalid_sheet: "validation_failed",
  inchi_failed: "validation_failed", // registration keeps the molecule without InChI instead; see registerMolecule
  timeout: "validation_failed",
  crashed: "validation_failed",
  too_large: "payload_too_large",
  aborted: "cancelled",
  worker_failed: "chemistry_unavailable",
};

/** PostgreSQL's "character not in repertoire" (a NUL byte in text) and "untranslatable character". */
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

/**
 * The one mapping from anything thrown to the AppError a client gets (API answer or form error), or null for an
 * unexpected error, which the caller logs and answers with a 500. Every route handler and server action goes
 * through it (app/_lib/api.ts, app/_lib/action.ts).
 */
export function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  const b = brand(error);
  if (b === null) return null;
  const field = (error as { field?: unknown }).field;
  const fields = (name: string) => ({ fields: { [name]: b.message } });
  switch (b.name) {
    case "ChemError": {
      const code = CHEM_STATUS[b.code as ChemErrorCode];
      if (code === undefined) return null;
      return new AppError(code, b.message, typeof field === "string" ? fields(field) : undefined);
    }
    case "QueryError":
      return new AppError("validation_failed", `q: ${b.message}`, fields("q"));
    case "SearchTimeout":
      return new AppError("validation_failed", `q: ${b.message}`, { ...fields("q"), timeout: true });
    case "SearchAborted":
      return new AppError("cancelled", b.message);
    case "SpectrumError":
      // A file that cannot be drawn (not JCAMP-DX, over the cap, 2D, stopped by the sandbox) is the file's fault and
      // fails the same way again: 422, also for the size cap (the request itself, a GET, is not too large).
      return new AppError("validation_failed", b.message);
  }
  // A database driver's error, or drizzle's wrapper around one (`cause`).
  const cause = (error as { cause?: unknown }).cause;
  const sqlState = [b.code, brand(cause)?.code].find((c) => typeof c === "string");
  if (typeof sqlState === "string" && UNSTORABLE_TEXT.has(sqlState)) {
    return new AppError("validation_failed", "The text contains a character that cannot be stored (a NUL byte); remove it.");
  }
  return null;
}
