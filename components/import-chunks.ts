import Papa from "papaparse";
import type { ImportResult } from "@/db/queries/molecules/imports";
import { parseSdf, parseSheet, toSdf, type ParsedSheet, type SheetRowError } from "@/lib/sheets/sheet";
import { sdfAsSheet } from "@/lib/molecules/import-plan";

/**
 * The browser side of an import, without React: read the file as the server will, cut it into request bodies, send
 * one, and add its answer to the report with row numbers mapped back to the file. Used by components/import-wizard.tsx.
 */

/** One request body and the file's row (or SD record) number of each of its data rows. */
export interface Chunk {
  body: string;
  rows: number[];
}

export type Format = "csv" | "tsv" | "sdf";
export interface Parsed {
  sheet: ParsedSheet;
  molfiles?: Map<number, string>;
  /** The original SD records, for re-sending them in chunks. */
  sdf?: ReturnType<typeof parseSdf>["records"];
}
export type Report = Omit<ImportResult, "errors" | "warnings"> & { errors: SheetRowError[]; warnings: SheetRowError[] };

/** Chunks of at least 50 rows, about 20 chunks for a large file: real progress without hundreds of requests. */
export const chunkSize = (rows: number) => Math.min(5_000, Math.max(50, Math.ceil(rows / 20)));

export function detectFormat(text: string, filename: string | null): Format {
  const ext = filename?.toLowerCase().match(/\.(\w+)$/)?.[1];
  if (ext === "sdf" || ext === "sd" || ext === "mol") return "sdf";
  if (ext === "tsv" || ext === "tab") return "tsv";
  if (ext === "csv") return "csv";
  if (/^M {2}END\s*$/m.test(text)) return "sdf";
  const first = text.slice(0, 5_000).split(/\r?\n/, 1)[0] ?? "";
  return (first.match(/\t/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? "tsv" : "csv";
}

export function parse(text: string, format: Format): Parsed {
  if (format !== "sdf") return { sheet: parseSheet(text, format) };
  const sdf = parseSdf(text);
  return { ...sdfAsSheet(sdf), sdf: sdf.records };
}

/** The file cut into request bodies, with each body's row numbers in the file (index = row in the chunk). */
export function chunks(parsed: Parsed, format: Format, idColumn: string | null): Chunk[] {
  const out: Chunk[] = [];
  const size = chunkSize(parsed.sheet.rows.length);
  if (format === "sdf") {
    const records = parsed.sdf ?? [];
    for (let i = 0; i < records.length; i += size) {
      const part = records.slice(i, i + size);
      out.push({ body: toSdf(part.map((r) => ({ molfile: r.molfile, fields: r.fields }))), rows: part.map((r) => r.record) });
    }
    return out;
  }
  const { headers, rows } = parsed.sheet;
  for (let i = 0; i < rows.length;) {
    let end = Math.min(rows.length, i + size);
    // Keep the rows of one ID (one per measurement, as in the OSM sheet) in one request.
    while (
      idColumn &&
      end < rows.length &&
      rows[end]!.cells[idColumn] !== "" &&
      rows[end]!.cells[idColumn] === rows[end - 1]!.cells[idColumn]
    )
      end++;
    const part = rows.slice(i, end);
    const body = Papa.unparse(
      { fields: headers, data: part.map((r) => headers.map((h) => r.cells[h] ?? "")) },
      { delimiter: format === "tsv" ? "\t" : ",", newline: "\n" },
    );
    out.push({ body, rows: part.map((r) => r.row) });
    i = end;
  }
  return out;
}

export async function post(url: string, body: string): Promise<ImportResult> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "text/plain; charset=utf-8" }, body });
    if (res.ok) return (await res.json()) as ImportResult;
    if (res.status === 429 && attempt < 3) {
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 10)));
      continue;
    }
    const error = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(error?.error?.message ?? `The server answered HTTP ${res.status}.`);
  }
}

export const emptyReport = (): Report => ({
  imported: 0,
  unchanged: 0,
  failed: 0,
  errors: [],
  warnings: [],
  registered: 0,
  measurementsAdded: 0,
});

/**
 * The report with one chunk's answer added. The server numbers rows within the chunk (header row 1, first data row 2;
 * SD records from 1): they are mapped back to the file's. Messages about a column (row 1) come once per chunk and are
 * kept once.
 */
export function addChunk(sum: Report, result: ImportResult, chunk: Chunk, format: Format): Report {
  const offset = format === "sdf" ? 1 : 2;
  const toFile = (e: SheetRowError): SheetRowError => ({
    ...e,
    row: format !== "sdf" && e.row === 1 ? 1 : (chunk.rows[e.row - offset] ?? e.row),
  });
  const seen = new Set(sum.warnings.map((w) => JSON.stringify(w)));
  const warnings = result.warnings.map(toFile).filter((w) => !seen.has(JSON.stringify(w)));
  return {
    imported: sum.imported + result.imported,
    unchanged: sum.unchanged + result.unchanged,
    failed: sum.failed + result.failed,
    registered: sum.registered + result.registered,
    measurementsAdded: sum.measurementsAdded + result.measurementsAdded,
    errors: [...sum.errors, ...result.errors.map(toFile)],
    warnings: [...sum.warnings, ...new Map(warnings.map((w) => [JSON.stringify(w), w])).values()],
  };
}
