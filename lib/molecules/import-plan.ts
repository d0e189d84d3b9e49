import type { Qualifier } from "./model";
import type { ParsedSdf, ParsedSheet, SheetRowError } from "@/lib/sheets/sheet";
import { extractRecords, guessMapping, type ColumnMapping } from "@/lib/sheets/mapping";
import { AppError } from "@/lib/errors";
import { describeAssay, normalizeUnit } from "./assay";
import type { ImportIdMode, ImportMappingInput } from "@/lib/contract/imports";
import { splitCampaignIds, tryParseCampaignId } from "./campaign-id";

/**
 * Turning a parsed sheet into rows to register: which column is what, and each row's IDs, structure and
 * measurements. Pure; db/queries/molecule-imports.ts writes the rows.
 */

export interface ImportMapping extends ColumnMapping {
  unit: string | null;
  target: string | null;
  lab: string | null;
  date: string | null;
}

export interface PlannedMeasurement {
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: Qualifier;
  measuredOn: string | null;
}

export interface PlannedRow {
  row: number;
  /** The first of the ID cell's IDs that is this campaign's; the others become aliases (see planRows). */
  code: string | null;
  aliases: string[];
  /**
   * IDs of the ID cell with another campaign's prefix, kept as aliases (ids=foreign-as-aliases): they find the
   * molecule again when the sheet names it on several rows, or is imported again. Also in `aliases`.
   */
  foreignIds: string[];
  smiles: string | null;
  molfile: string | null;
  name: string | null;
  series: string | null;
  /** The InChIKey the sheet states, checked against ours. */
  inchiKey: string | null;
  measurements: PlannedMeasurement[];
}

const EXTRA_ROLES: Record<"unit" | "target" | "lab" | "date", readonly string[]> = {
  unit: ["unit", "units"],
  target: ["target", "strain", "target strain", "organism"],
  lab: ["lab", "laboratory", "site lab"],
  date: ["date", "measured on", "assay date"],
};

const headerKey = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** Roles guessed from the headers (lib/chem guessMapping plus unit/target/lab/date), then the given ones on top. */
export function resolveMapping(headers: readonly string[], given: ImportMappingInput = {}): ImportMapping {
  const guessed = guessMapping(headers);
  const extra = { unit: null, target: null, lab: null, date: null } as Record<keyof typeof EXTRA_ROLES, string | null>;
  for (const role of Object.keys(EXTRA_ROLES) as (keyof typeof EXTRA_ROLES)[]) {
    const header = guessed.unmapped.find((h) => EXTRA_ROLES[role].includes(headerKey(h)));
    if (header !== undefined) extra[role] = header;
  }
  const mapping: ImportMapping = { ...guessed, ...extra };
  for (const [role, value] of Object.entries(given)) {
    if (value === undefined) continue;
    (mapping as unknown as Record<string, unknown>)[role] = value;
  }
  const named = [
    ...Object.entries(mapping)
      .filter(([role, v]) => role !== "measurements" && role !== "unmapped" && typeof v === "string")
      .map(([role, v]) => [role, v as string] as const),
    ...mapping.measurements.map((m) => ["measurements", m.column] as const),
  ];
  for (const [role, column] of named) {
    if (!headers.includes(column)) {
      const message = `the file has no column "${column}" (its columns: ${headers.join(", ").slice(0, 300)})`;
      throw new AppError("validation_failed", `mapping.${role}: ${message}`, { fields: { [`mapping.${role}`]: message } });
    }
  }
  mapping.unmapped = headers.filter((h) => !named.some(([, column]) => column === h));
  return mapping;
}

// An SD file's structure is its molfile, not a cell: planRows gets it through this stand-in SMILES column, which
// lib/chem's extractRecords treats as any other (so a record with a molfile and no ID is not "without structure").
const MOLFILE_COLUMN = "\u0000molfile";

/** An SD file as a sheet: data items are the columns, the record number the row. */
export function sdfAsSheet(sdf: ParsedSdf): { sheet: ParsedSheet; molfiles: Map<number, string> } {
  const molfiles = new Map(sdf.records.map((r) => [r.record, r.molfile]));
  const rows = sdf.records.map((r) => ({ row: r.record, cells: { ...r.fields, [MOLFILE_COLUMN]: "molfile" } }));
  return { sheet: { headers: sdf.fieldNames, rows, errors: sdf.errors }, molfiles };
}

export interface Plan {
  rows: PlannedRow[];
  /** Rows that cannot be imported, with why; a row appears here or in `rows`, never both. */
  errors: SheetRowError[];
  warnings: SheetRowError[];
}

export interface PlanOptions {
  /** The campaign's own prefixes (for ids=adopt-prefix, including the adopted one). */
  prefixes: readonly string[];
  /** IDs with another prefix: own-only (the default) fails their rows, the other modes keep them as aliases. */
  ids?: ImportIdMode;
  defaultUnit?: string | null;
  molfiles?: Map<number, string>;
}

/**
 * Each data row as a PlannedRow. A cell with several IDs ("OSM-S-208;OSM-S-218;OSM-S-416") names one compound that
 * was given several IDs over the campaign's history: the first becomes its ID, the others its aliases, and all of
 * them stay reserved. IDs with another campaign's prefix fail the row (ids=own-only) or become aliases, the molecule
 * taking the campaign's own numbering (the other modes). Qualifiers "<=" and ">=" are stored as "<" and ">" (bounds
 * either way), "~" as "=", with a warning. Values whose column and row name no unit get `defaultUnit`, if given.
 */
export function planRows(sheet: ParsedSheet, mapping: ImportMapping, options: PlanOptions): Plan {
  const molfiles = options.molfiles;
  const effective: ColumnMapping = molfiles ? { ...mapping, smiles: MOLFILE_COLUMN } : mapping;
  const { records, errors: cellErrors } = extractRecords({ ...sheet, errors: [] }, effective);
  // Parser complaints (extra cells, stray quotes) leave the row readable: they are warnings. Cell errors fail the row.
  const warnings: SheetRowError[] = [...sheet.errors];
  const errors: SheetRowError[] = [...cellErrors];
  const failed = new Set(cellErrors.map((e) => e.row));
  const cellsByRow = new Map(sheet.rows.map((r) => [r.row, r.cells]));
  const unitless = new Set<string>();
  const aliased = new Set<string>();
  const rows: PlannedRow[] = [];
  const isOwn = (id: string) => options.prefixes.some((p) => id.startsWith(`${p}-`));
  for (const record of records) {
    const own = record.ids.filter(isOwn);
    const foreign = record.ids.filter((id) => !isOwn(id));
    if (foreign.length > 0 && (options.ids ?? "own-only") === "own-only") {
      for (const id of foreign) errors.push({ row: record.row, column: mapping.id!, message: notOwnMessage(id, options.prefixes) });
      failed.add(record.row);
    }
    if (failed.has(record.row)) continue;
    const cells = cellsByRow.get(record.row) ?? {};
    const cell = (column: string | null) => (column === null ? "" : (cells[column] ?? "").trim());
    const rowErrors: SheetRowError[] = [];
    const measurements: PlannedMeasurement[] = [];
    for (const m of record.measurements) {
      const label = describeAssay(m.assay);
      let unit = m.unit ?? label.unit;
      if (unit === null && cell(mapping.unit) !== "") {
        unit = normalizeUnit(cell(mapping.unit));
        if (unit === null) rowErrors.push({ row: record.row, column: mapping.unit!, message: `"${cell(mapping.unit)}" is not a unit.` });
      }
      if (unit === null && options.defaultUnit) unit = options.defaultUnit;
      if (unit === null && !/^p|%/.test(label.assay)) unitless.add(m.assay);
      const measuredOn = cell(mapping.date) || null;
      if (measuredOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(measuredOn)) {
        rowErrors.push({ row: record.row, column: mapping.date!, message: `"${measuredOn}" is not a date as YYYY-MM-DD.` });
      }
      const qualifier = m.qualifier === "<=" ? "<" : m.qualifier === ">=" ? ">" : m.qualifier === "~" ? "=" : m.qualifier;
      if (qualifier !== m.qualifier) {
        warnings.push({ row: record.row, message: `The qualifier "${m.qualifier}" of ${m.assay} was stored as "${qualifier}".` });
      }
      measurements.push({
        assay: label.assay,
        target: cell(mapping.target) || label.target,
        lab: cell(mapping.lab) || label.lab,
        value: m.value,
        unit,
        qualifier,
        measuredOn,
      });
    }
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    for (const id of foreign) aliased.add(tryParseCampaignId(id)!.prefix);
    rows.push({
      row: record.row,
      code: own[0] ?? null,
      aliases: [...own.slice(1), ...foreign, ...record.aliases],
      foreignIds: foreign,
      smiles: molfiles ? null : record.smiles,
      molfile: molfiles?.get(record.row) ?? null,
      name: record.name,
      series: record.series,
      inchiKey: record.inchiKey,
      measurements,
    });
  }
  for (const assay of unitless) {
    warnings.push({
      row: 1,
      column: assay,
      message: `Values of "${assay}" have no unit: give the file's unit (e.g. unit=µM) so they can be compared.`,
    });
  }
  for (const prefix of aliased) {
    warnings.push({
      row: 1,
      column: mapping.id!,
      message: `IDs starting with ${prefix}- are not this campaign's: each is kept as an alias of a molecule with this campaign's own ID.`,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors, warnings };
}

function notOwnMessage(id: string, prefixes: readonly string[]): string {
  return (
    `${id} does not belong to this campaign (expected ${prefixes.join(" or ")}); to keep it as an alias of a molecule ` +
    `with this campaign's own ID, import with ids=foreign-as-aliases.`
  );
}

/** How many distinct IDs of the sheet's ID column use each prefix, most used first (ties: first seen first). */
export function sheetPrefixes(sheet: ParsedSheet, mapping: Pick<ColumnMapping, "id">): { prefix: string; ids: number }[] {
  if (mapping.id === null) return [];
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const row of sheet.rows) {
    for (const id of splitCampaignIds(row.cells[mapping.id] ?? "").ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const prefix = tryParseCampaignId(id)!.prefix;
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
  }
  // Array.prototype.sort is stable: equal counts keep the order of first appearance.
  return [...counts].map(([prefix, ids]) => ({ prefix, ids })).sort((a, b) => b.ids - a.ids);
}

/**
 * The prefix an import with ids=adopt-prefix makes the campaign's: the one most of the sheet's IDs use. IDs with any
 * other prefix are then kept as aliases, like ids=foreign-as-aliases does. A sheet without IDs has none to adopt.
 */
export function prefixToAdopt(sheet: ParsedSheet, mapping: Pick<ColumnMapping, "id">): string {
  const [most] = sheetPrefixes(sheet, mapping);
  if (most === undefined) {
    const message =
      mapping.id === null
        ? "adopt-prefix needs an ID column, and none is mapped"
        : `adopt-prefix needs campaign IDs such as OSM-S-123 in the ID column "${mapping.id}", and it has none`;
    throw new AppError("validation_failed", `ids: ${message}`, { fields: { ids: message } });
  }
  return most.prefix;
}
