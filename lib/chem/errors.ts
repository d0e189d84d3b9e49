/**
 * The one error type of the chemistry domain. Every function in lib/chem throws a ChemError (never a toolkit's raw
 * error) when its input is at fault, so callers can show `message` to a chemist and map `code` to an HTTP status.
 */
export type ChemErrorCode =
  | "invalid_structure" // empty, unreadable or not a real molecule
  | "too_large" // input over a size or row cap, refused before parsing
  | "invalid_campaign_id"
  | "invalid_sheet" // a spreadsheet/SDF that cannot be read at all
  | "inchi_failed" // RDKit could not produce an InChI for an otherwise valid structure
  | "timeout" // the sandboxed worker took too long and was killed
  | "crashed" // the sandboxed worker died on this input (out of memory, a toolkit's abort)
  | "aborted" // the caller cancelled (a client that went away)
  | "worker_failed"; // the sandboxed worker could not start, or the pool is closed or full

const CHEM_ERROR_CODES: ReadonlySet<string> = new Set<ChemErrorCode>([
  "invalid_structure",
  "too_large",
  "invalid_campaign_id",
  "invalid_sheet",
  "inchi_failed",
  "timeout",
  "crashed",
  "aborted",
  "worker_failed",
]);

export class ChemError extends Error {
  override readonly name = "ChemError";
  readonly code: ChemErrorCode;
  /** The input field at fault (`smiles`, `molfile`, `idcode`, a column name...), when there is one. */
  readonly field: string | undefined;

  constructor(code: ChemErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }

  /** Plain-data form, for crossing a worker or JSON boundary. */
  toJSON(): { code: ChemErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

/**
 * By brand (name and code), not by class: Next.js bundles instrumentation, routes and server actions apart, so the
 * shared worker pool of one bundle throws a ChemError class that another bundle's `instanceof` does not know.
 */
export function isChemError(error: unknown): error is ChemError {
  if (typeof error !== "object" || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "ChemError" && typeof code === "string" && CHEM_ERROR_CODES.has(code);
}

/**
 * OpenChemLib's GWT-compiled errors read like "Class$S19: SmilesParser: dangling ring closure: 1; position:4".
 * Keep the useful part for the chemist.
 */
export function toolkitMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw
    .replace(/^(?:[\w$]+:\s*)?(?:Class\$\w+:\s*)/, "")
    .replace(/^(?:SmilesParser|MolfileParser):\s*/i, "")
    .trim();
}
