import Papa from "papaparse";
import { parse as parseSdfText } from "sdf-parser";

import { ChemError } from "../chem/errors";
import { SHEET_LIMITS } from "../chem/limits";

export { SHEET_LIMITS };

export type SheetFormat = "csv" | "tsv";

export interface SheetLimits {
  maxChars: number;
  maxRows: number;
}

/**
 * A problem with one row of an import. `row` is the row number a spreadsheet shows: the header is row 1, the first
 * data row is row 2. For an SDF it is the record number, from 1.
 */
export interface SheetRowError {
  row: number;
  column?: string;
  message: string;
}

export interface SheetRow {
  row: number;
  /** Cell text by header, trimmed; a missing trailing cell is "". */
  cells: Record<string, string>;
}

export interface ParsedSheet {
  headers: string[];
  rows: SheetRow[];
  errors: SheetRowError[];
}

/** Parses CSV or TSV text with a header row. Blank rows are skipped (their row numbers are kept by the others). */
export function parseSheet(text: string, format: SheetFormat, limits: Partial<SheetLimits> = {}): ParsedSheet {
  const { maxChars, maxRows } = { ...SHEET_LIMITS, ...limits };
  if (typeof text !== "string") throw new ChemError("invalid_sheet", "The file is not text.", { field: "file" });
  checkSize(text, maxChars);
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") throw new ChemError("invalid_sheet", "The file is empty.", { field: "file" });

  const parsed = Papa.parse<string[]>(body, {
    delimiter: format === "tsv" ? "\t" : ",",
    header: false,
    skipEmptyLines: false,
    // Stop reading past the cap: header + maxRows rows + one to know the cap was passed.
    preview: maxRows + 2,
  });
  const [headerCells, ...records] = parsed.data;
  if (headerCells === undefined) throw new ChemError("invalid_sheet", "The file has no header row.", { field: "file" });
  const headers = uniqueHeaders(headerCells);
  const dataRows = records.filter((cells) => cells.some((cell) => cell.trim() !== ""));
  if (dataRows.length > maxRows) {
    throw new ChemError(
      "too_large",
      `The sheet has more than ${maxRows.toLocaleString("en")} rows; split it into smaller files.`,
      { field: "file" },
    );
  }

  const errors: SheetRowError[] = parsed.errors.map((error) => ({
    row: (error.row ?? 0) + 1,
    message:
      error.type === "Quotes"
        ? "A quoted cell is not closed or has stray quotes; check the quotation marks on this row."
        : error.message,
  }));
  const rows: SheetRow[] = [];
  records.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === "")) return;
    const extra = cells.slice(headers.length).filter((cell) => cell.trim() !== "");
    if (extra.length > 0) {
      errors.push({
        row,
        message:
          `This row has ${cells.length} cells but the header has ${headers.length} columns; ` +
          "the extra cells were ignored.",
      });
    }
    const entry: Record<string, string> = {};
    headers.forEach((header, column) => {
      entry[header] = (cells[column] ?? "").trim();
    });
    rows.push({ row, cells: entry });
  });
  return { headers, rows, errors };
}

function uniqueHeaders(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, index) => {
    const base = cell.trim() === "" ? `Column ${index + 1}` : cell.trim();
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

function checkSize(text: string, maxChars: number): void {
  if (text.length > maxChars) {
    throw new ChemError(
      "too_large",
      `The file is larger than the limit of ${(maxChars / 1_000_000).toLocaleString("en")} million characters.`,
      { field: "file" },
    );
  }
}

export interface SdfRecord {
  /** Record number in the file, from 1. */
  record: number;
  /** First line of the molfile (often the compound ID or name). */
  title: string;
  molfile: string;
  /** Data items (`> <FIELD>`), values trimmed, multi-line values joined with "\n". */
  fields: Record<string, string>;
}

export interface ParsedSdf {
  records: SdfRecord[];
  /** Field names in order of first appearance. */
  fieldNames: string[];
  errors: SheetRowError[];
}

export function parseSdf(text: string, limits: Partial<SheetLimits> = {}): ParsedSdf {
  const { maxChars, maxRows } = { ...SHEET_LIMITS, ...limits };
  if (typeof text !== "string") throw new ChemError("invalid_sheet", "The file is not text.", { field: "file" });
  checkSize(text, maxChars);
  const body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (body.trim() === "") throw new ChemError("invalid_sheet", "The file is empty.", { field: "file" });
  if (!/^M {2}END\s*$/m.test(body)) {
    throw new ChemError("invalid_sheet", "This is not an SD file: no molfile ending in 'M  END' was found.", {
      field: "file",
    });
  }
  const separators = body.match(/^\$\$\$\$/gm)?.length ?? 0;
  if (separators > maxRows) {
    throw new ChemError(
      "too_large",
      `The SD file has more than ${maxRows.toLocaleString("en")} records; split it into smaller files.`,
      { field: "file" },
    );
  }

  // dynamicTyping off: IDs such as "007" and values such as "1.50" must stay as written.
  const { molecules } = parseSdfText(body, { dynamicTyping: false, eol: "\n" });
  const records: SdfRecord[] = [];
  const errors: SheetRowError[] = [];
  const fieldNames: string[] = [];
  molecules.forEach((molecule, index) => {
    const record = index + 1;
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(molecule)) {
      if (name === "molfile") continue;
      fields[name] = String(value ?? "").trim();
      if (!fieldNames.includes(name)) fieldNames.push(name);
    }
    const molfile = molecule.molfile;
    if (!/^M {2}END\s*$/m.test(molfile)) {
      errors.push({ row: record, column: "molfile", message: "This record's molfile does not end with 'M  END'." });
    }
    records.push({ record, title: molfile.split("\n", 1)[0]?.trim() ?? "", molfile, fields });
  });
  return { records, fieldNames, errors };
}

export type CellValue = string | number | boolean | null | undefined;

/**
 * Excel and LibreOffice run a cell that starts with = + - @ as a formula (CSV injection), so such text gets a
 * leading apostrophe, as papaparse's escapeFormulae does. Left alone: plain numbers such as -1.5 or +3, and a lone
 * "=" or "-" (a qualifier, a "not measured"), which are data and cannot run anything.
 */
const FORMULA_START = /^[=+\-@\t\r](?=[\s\S])(?![0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$)/;

/** CSV (or TSV) text with a header row, CRLF line ends, quotes where needed. Columns default to all keys in order. */
export function toCsv(
  rows: readonly Record<string, CellValue>[],
  options: { columns?: readonly string[]; delimiter?: "," | "\t" } = {},
): string {
  const columns = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const data = rows.map((row) => columns.map((column) => row[column] ?? ""));
  return Papa.unparse(
    { fields: [...columns], data },
    { delimiter: options.delimiter ?? ",", newline: "\r\n", escapeFormulae: FORMULA_START },
  );
}

export interface SdfExportRecord {
  molfile: string;
  fields?: Record<string, CellValue>;
}

/**
 * SD file text: each molfile, its data items as `> <FIELD>` blocks, then `$$$$`. Null and undefined fields are left
 * out; an empty string is written as an empty item, which parseSdf (sdf-parser) reads back as absent.
 *
 * A blank line ends a data item, so blank lines inside a value are dropped; a value line starting with `>` or `$$$$`
 * (a qualifier such as ">10") would be read as a new item or record, so it gets one leading space. parseSdf trims
 * values, so both round-trip.
 */
export function toSdf(records: readonly SdfExportRecord[]): string {
  return records
    .map((entry, index) => {
      const molfile = entry.molfile.replace(/\r\n?/g, "\n").split(/^\$\$\$\$/m)[0]?.trimEnd() ?? "";
      if (!/(^|\n)M {2}END$/.test(molfile)) {
        throw new ChemError("invalid_structure", `Record ${index + 1}: the molfile must end with 'M  END'.`, {
          field: "molfile",
        });
      }
      const items = Object.entries(entry.fields ?? {})
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([name, value]) => {
          const text = sdfValue(String(value));
          // Header line, value lines, then the blank line that ends the item.
          return text === "" ? `> <${fieldName(name)}>\n\n` : `> <${fieldName(name)}>\n${text}\n\n`;
        });
      return [`${molfile}\n`, ...items, "$$$$\n"].join("");
    })
    .join("");
}

function fieldName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || /[<>\r\n]/.test(trimmed)) {
    throw new ChemError("invalid_sheet", `"${name}" cannot be an SD field name (no <, > or line breaks).`, {
      field: name,
    });
  }
  return trimmed;
}

function sdfValue(value: string): string {
  return value
    .split(/\r\n?|\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => (line.startsWith(">") || line.startsWith("$$$$") ? ` ${line}` : line))
    .join("\n");
}
