import { z } from "zod";
import { STRUCTURE_LIMITS } from "../chem/limits";
import { AppError } from "../errors";
import { canonicalCode } from "../molecules/campaign-id";
import { oneLine } from "../molecules/input";
import { parseSheet, type SheetFormat } from "../sheets/sheet";
import { isMolarUnit, PIC50, toPic50 } from "./units";

// Reading a prediction set: the JSON body's schema, the CSV reader, and the per-row checks both share. What needs
// the database or the chemistry sandbox (unknown IDs, unreadable SMILES, one structure twice) is checked by the
// server after these, and reported in the same shape (duplicateKeys).

export const PREDICTION_LIMITS = {
  rows: 10_000,
  csvBytes: 2_000_000,
  name: 200,
  description: 5_000,
  method: 500,
} as const;

/** A problem with one row, numbered as the user sees it: CSV lines with the header as line 1; JSON rows from 1. */
export interface PredictionRowError {
  row: number;
  /** molecule, smiles, value, uncertainty, rank; "row" for a line the CSV reader could not split. */
  field: string;
  message: string;
}

/** A row as read, before checking: CSV cells as text, JSON members as sent. */
export interface RawPredictionRow {
  row: number;
  molecule: string | null;
  smiles: string | null;
  value: number | string | null;
  uncertainty: number | string | null;
  rank: number | string | null;
}

/** A checked row: a canonical campaign ID or a SMILES, the value as given and on the pIC50 scale. */
export interface PredictionRow {
  row: number;
  molecule: string | null;
  smiles: string | null;
  /** In the set's unit. */
  value: number;
  pic50: number;
  /** In the set's unit, as given. */
  uncertainty: number | null;
  rank: number | null;
}

const numberOrText = (description: string) =>
  z.union([z.number(), z.string()], { error: "must be a number" }).nullish().meta({ description });

/** One row of the JSON body. Types only: every value is checked per row (checkPredictionRows), as a CSV cell is. */
export const predictionRowInput = z.strictObject({
  molecule: z.string({ error: "must be a string" }).nullish().meta({ description: "a registered campaign ID, e.g. OSM-S-123" }),
  smiles: z
    .string({ error: "must be a string" })
    .nullish()
    .meta({ description: `a compound not registered (yet), at most ${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")} characters` }),
  value: numberOrText("required: the prediction in the set's unit (text is read as a number; a missing value is a row error)"),
  uncertainty: numberOrText("optional, in the set's unit, not negative"),
  rank: numberOrText("optional, a positive whole number: 1 is the most promising"),
});
export type PredictionRowInput = z.infer<typeof predictionRowInput>;

/** What a set says about itself: the JSON body's members besides its rows (a CSV upload gives them apart). */
export const predictionSetDetails = z.strictObject({
  name: oneLine(PREDICTION_LIMITS.name).pipe(z.string().min(1, "is required: name the set")),
  description: z
    .string({ error: "must be a string" })
    .trim()
    .max(PREDICTION_LIMITS.description, `must be at most ${PREDICTION_LIMITS.description.toLocaleString("en")} characters`)
    .optional()
    .meta({ description: "how the predictions were made" }),
  method: z
    .url({ protocol: /^https?$/, hostname: z.regexes.domain, error: "must be an http or https URL" })
    .max(PREDICTION_LIMITS.method, `must be at most ${PREDICTION_LIMITS.method} characters`)
    .optional()
    .meta({ description: "a link to the code or a description of the method" }),
  unit: z
    .string({ error: "is required: pIC50 or the assay's unit" })
    .trim()
    .min(1, "is required: pIC50 or the assay's unit")
    .max(24, "must be at most 24 characters")
    .meta({ examples: ["pIC50", "µM", "nM"], description: "pIC50, or a molar unit for a concentration endpoint (IC50, EC50, Ki...)" }),
  confirm: z
    .boolean({ error: "must be true or false" })
    .default(false)
    .meta({ description: "accept the set without the rows that have errors" }),
});
export type PredictionSetDetails = z.infer<typeof predictionSetDetails>;

/** The JSON body of a submission. */
export const submitPredictionsJson = predictionSetDetails.extend({
  // zod checks an array's length before its items, so 100,000 rows are refused without reading them.
  rows: z
    .array(predictionRowInput, { error: "must be a list of rows" })
    .min(1, "must have at least one row")
    .max(PREDICTION_LIMITS.rows, `must have at most ${PREDICTION_LIMITS.rows.toLocaleString("en")} rows; split the set`),
});
export type SubmitPredictionsJson = z.infer<typeof submitPredictionsJson>;

const COLUMN_NAMES: Readonly<Record<string, keyof Omit<RawPredictionRow, "row">>> = {
  molecule: "molecule",
  id: "molecule",
  molecule_id: "molecule",
  compound: "molecule",
  smiles: "smiles",
  value: "value",
  prediction: "value",
  predicted: "value",
  uncertainty: "uncertainty",
  sd: "uncertainty",
  error: "uncertainty",
  rank: "rank",
};

const tooManyRows = () =>
  new AppError(
    "payload_too_large",
    `A prediction set has at most ${PREDICTION_LIMITS.rows.toLocaleString("en")} rows; this one has more. Split it into several sets.`,
    { fields: { rows: `at most ${PREDICTION_LIMITS.rows.toLocaleString("en")} rows` } },
  );

/**
 * The rows of a CSV (or, when the header has tabs and no comma, TSV) upload. Size and row caps are checked before
 * the cells are read: over 2 MB is refused unread, and the reader stops one row past 10,000. Columns are known by
 * name in any case (`Molecule ID` = `molecule_id`); other columns are ignored.
 */
export function readPredictionCsv(text: string): { rows: RawPredictionRow[]; errors: PredictionRowError[] } {
  // Every UTF-16 unit is at least one UTF-8 byte, so the cheap length test refuses huge text before encoding it.
  if (text.length > PREDICTION_LIMITS.csvBytes || new TextEncoder().encode(text).length > PREDICTION_LIMITS.csvBytes) {
    throw new AppError("payload_too_large", `The file is larger than ${PREDICTION_LIMITS.csvBytes / 1_000_000} MB.`, {
      fields: { file: `at most ${PREDICTION_LIMITS.csvBytes / 1_000_000} MB` },
    });
  }
  const firstLine = text.split(/\r|\n/, 1)[0] ?? "";
  const format: SheetFormat = firstLine.includes("\t") && !firstLine.includes(",") ? "tsv" : "csv";
  let sheet: ReturnType<typeof parseSheet>;
  try {
    sheet = parseSheet(text, format, { maxChars: PREDICTION_LIMITS.csvBytes, maxRows: PREDICTION_LIMITS.rows });
  } catch (error) {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (name === "ChemError" && code === "too_large") throw tooManyRows();
    throw error;
  }
  const columns = new Map<keyof Omit<RawPredictionRow, "row">, string>();
  for (const header of sheet.headers) {
    const role =
      COLUMN_NAMES[
        header
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, "_")
      ];
    if (role === undefined) continue;
    const earlier = columns.get(role);
    if (earlier !== undefined) fileError(`The columns "${earlier}" and "${header}" both give the ${role}; keep one.`);
    columns.set(role, header);
  }
  if (!columns.has("value")) fileError("The file has no value column: name it value, prediction or predicted.");
  if (!columns.has("molecule") && !columns.has("smiles")) {
    fileError("The file has no molecule or smiles column: name the molecule column molecule, id, molecule_id or compound.");
  }
  if (sheet.rows.length === 0) fileError("The file has a header but no rows.");
  const cell = (cells: Record<string, string>, role: keyof Omit<RawPredictionRow, "row">): string | null => {
    const header = columns.get(role);
    const text = header === undefined ? "" : (cells[header] ?? "");
    return text === "" ? null : text;
  };
  const rows = sheet.rows.map(({ row, cells }) => ({
    row,
    molecule: cell(cells, "molecule"),
    smiles: cell(cells, "smiles"),
    value: cell(cells, "value") ?? "",
    uncertainty: cell(cells, "uncertainty"),
    rank: cell(cells, "rank"),
  }));
  const errors = sheet.errors.map((error) => ({ row: error.row, field: "row", message: error.message }));
  return { rows, errors };
}

function fileError(message: string): never {
  throw new AppError("validation_failed", message, { fields: { file: message } });
}

/** The JSON body's rows, numbered from 1. */
export function jsonPredictionRows(rows: readonly PredictionRowInput[]): RawPredictionRow[] {
  if (rows.length > PREDICTION_LIMITS.rows) throw tooManyRows();
  return rows.map((r, index) => ({
    row: index + 1,
    molecule: r.molecule ?? null,
    smiles: r.smiles ?? null,
    value: r.value ?? null,
    uncertainty: r.uncertainty ?? null,
    rank: r.rank ?? null,
  }));
}

/**
 * Checks every row against a unit already accepted for the assay (units.ts predictionUnit) and normalizes the good
 * ones. A row with any error is left out of `rows`; each occurrence of a molecule given twice is an error, so
 * neither value is taken for the other.
 */
export function checkPredictionRows(
  raw: readonly RawPredictionRow[],
  unit: string,
): { rows: PredictionRow[]; errors: PredictionRowError[] } {
  if (unit !== PIC50 && !isMolarUnit(unit)) {
    throw new AppError("validation_failed", `unit: "${unit.slice(0, 24)}" is not pIC50 or a molar unit.`, {
      fields: { unit: "must be pIC50 or a molar unit" },
    });
  }
  const errors: PredictionRowError[] = [];
  const rows: PredictionRow[] = [];
  const ids: { row: number; key: string }[] = [];
  for (const r of raw) {
    const before = errors.length;
    const { code, row } = checkRow(r, unit, (field, message) => errors.push({ row: r.row, field, message }));
    // A molecule given twice is reported even when one of its rows has other errors.
    if (code !== null) ids.push({ row: r.row, key: code });
    if (row !== null && errors.length === before) rows.push(row);
  }
  const repeated = sharedKeys(ids, (key, others) => `${key} is also on ${rowList(others)}: a set predicts each molecule once`, "molecule");
  const dropped = new Set(repeated.map((error) => error.row));
  return { rows: rows.filter((row) => !dropped.has(row.row)), errors: sortErrors([...errors, ...repeated]) };
}

/** One row checked: its canonical ID, and its normalized form unless a value it needs is unusable (each problem goes to `fail`). */
function checkRow(
  r: RawPredictionRow,
  unit: string,
  fail: (field: string, message: string) => void,
): { code: string | null; row: PredictionRow | null } {
  const molecule = r.molecule?.trim() || null;
  const smiles = r.smiles?.trim() || null;
  let code: string | null = null;
  if (molecule !== null && smiles !== null) fail("molecule", "gives both a molecule ID and a SMILES: give one of them");
  else if (molecule === null && smiles === null) fail("molecule", "needs a molecule ID or a SMILES");
  else if (molecule !== null) {
    code = canonicalCode(molecule);
    if (code === null) fail("molecule", `"${molecule.slice(0, 40)}" is not a campaign ID like OSM-S-123`);
  } else if (smiles !== null && smiles.length > STRUCTURE_LIMITS.smilesChars) {
    const limit = STRUCTURE_LIMITS.smilesChars.toLocaleString("en");
    fail("smiles", `is ${smiles.length.toLocaleString("en")} characters long; the limit is ${limit}`);
  }
  const value = numberIn(r.value, "value", fail, (v) =>
    v <= 0 && isMolarUnit(unit) ? `must be above 0 for a concentration in ${unit}` : null,
  );
  const uncertainty =
    r.uncertainty === null || r.uncertainty === ""
      ? null
      : numberIn(r.uncertainty, "uncertainty", fail, (v) => (v < 0 ? "must not be negative" : null));
  const rank =
    r.rank === null || r.rank === ""
      ? null
      : numberIn(r.rank, "rank", fail, (v) =>
          Number.isSafeInteger(v) && v >= 1 ? null : "must be a positive whole number (1 is the most promising)",
        );
  const pic50 = value === null ? null : toPic50(value, unit);
  if (value === null || pic50 === null) return { code, row: null };
  return { code, row: { row: r.row, molecule: code, smiles: code === null ? smiles : null, value, pic50, uncertainty, rank } };
}

/** A number that passes `problem` (which says what is wrong, or null), or null after reporting why not. */
function numberIn(
  raw: number | string | null,
  field: string,
  fail: (field: string, message: string) => void,
  problem: (value: number) => string | null,
): number | null {
  const value = readNumber(raw);
  const message = typeof value === "string" ? value : problem(value);
  if (message === null) return value as number;
  fail(field, message);
  return null;
}

/**
 * Rows whose structures are the same (by the registry's key, found by the server with the sandbox): an error on
 * each, naming the others, as for a molecule ID given twice.
 */
export function duplicateKeys(rows: readonly { row: number; key: string; field?: string }[]): PredictionRowError[] {
  return sortErrors(
    sharedKeys(rows, (_, others) => `the same structure as ${rowList(others)}: a set predicts each compound once`, "smiles"),
  );
}

/**
 * A whole upload read and checked: CSV text or the JSON body's rows. Errors of the reader and of the checks
 * together, by row; only rows without any error are returned.
 */
export function readPredictions(
  source: { csv: string } | { rows: readonly PredictionRowInput[] },
  unit: string,
): { rows: PredictionRow[]; errors: PredictionRowError[] } {
  const read = "csv" in source ? readPredictionCsv(source.csv) : { rows: jsonPredictionRows(source.rows), errors: [] };
  const checked = checkPredictionRows(read.rows, unit);
  const bad = new Set(read.errors.map((error) => error.row));
  return { rows: checked.rows.filter((row) => !bad.has(row.row)), errors: sortErrors([...read.errors, ...checked.errors]) };
}

function sharedKeys(
  rows: readonly { row: number; key: string; field?: string }[],
  message: (key: string, others: number[]) => string,
  defaultField: string,
): PredictionRowError[] {
  const byKey = new Map<string, { row: number; field?: string }[]>();
  for (const r of rows) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const errors: PredictionRowError[] = [];
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    for (const r of group) {
      const others = group.filter((o) => o !== r).map((o) => o.row);
      errors.push({ row: r.row, field: r.field ?? defaultField, message: message(key, others) });
    }
  }
  return errors;
}

/** "row 7", "rows 2 and 7", "rows 2, 5, 7, 9, 11 and 3 more". */
function rowList(rows: readonly number[]): string {
  const sorted = [...rows].sort((a, b) => a - b);
  if (sorted.length === 1) return `row ${sorted[0]}`;
  const shown = sorted.slice(0, 5);
  const rest = sorted.length - shown.length;
  return rest > 0 ? `rows ${shown.join(", ")} and ${rest} more` : `rows ${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

const FIELD_ORDER = ["row", "molecule", "smiles", "value", "uncertainty", "rank"];

function sortErrors(errors: PredictionRowError[]): PredictionRowError[] {
  return errors.sort((a, b) => a.row - b.row || FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number from a JSON member or a CSV cell, or what is wrong with it. */
function readNumber(raw: number | string | null): number | string {
  if (raw === null) return "is missing: give a number";
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : "must be a finite number";
  const text = raw.trim();
  if (text === "") return "is empty: give a number";
  const shown = `"${text.slice(0, 20)}"`;
  if (/^[+-]?\d*,\d+$/.test(text)) return `${shown} is not a number: write decimals with a point (${text.replace(",", ".")})`;
  if (/^[<>=≤≥]/.test(text)) return `${shown} is not a number: a prediction is one value, without < or >`;
  if (!NUMBER.test(text)) return `${shown} is not a number`;
  const value = Number(text);
  return Number.isFinite(value) ? value : `${shown} is not a finite number`;
}
