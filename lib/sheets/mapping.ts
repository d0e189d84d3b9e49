import { STRUCTURE_LIMITS } from "../chem/limits";
import { splitCampaignIds } from "../molecules/campaign-id";
import type { ParsedSheet, SheetRowError } from "./sheet";

/** Which column of an import holds what. Every column has at most one role; `null` means "not in this sheet". */
export interface ColumnMapping {
  id: string | null;
  smiles: string | null;
  name: string | null;
  aliases: string | null;
  inchiKey: string | null;
  series: string | null;
  /** Long format (one measurement per row): assay name, value and qualifier columns. */
  assay: string | null;
  value: string | null;
  qualifier: string | null;
  /** Wide format: one column per endpoint/lab, e.g. "Pfal IC50 (GSK)". */
  measurements: MeasurementColumn[];
  unmapped: string[];
}

export interface MeasurementColumn {
  column: string;
  /** IC50, EC50, pIC50, Ki, Kd, MIC, GI50, CC50, ED50, LD50 or %inhibition. */
  endpoint: string;
  /** Unit written in the header (µM, nM, ...), or null when the header does not say. */
  unit: string | null;
}

/** Header text reduced for matching: "Canonical_Smiles" -> "canonical smiles". */
function key(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9µ%]+/g, " ")
    .trim();
}

// Candidates in order of preference; the first header found wins.
const ROLE_HEADERS: Record<Exclude<keyof ColumnMapping, "measurements" | "unmapped">, readonly string[]> = {
  id: ["osm id", "campaign id", "compound id", "molecule id", "registry id", "cmpd id", "compound", "id"],
  smiles: ["isomeric smiles", "smiles", "canonical smiles", "structure smiles", "smiles string"],
  inchiKey: ["inchikey", "inchi key", "standard inchikey", "standard inchi key"],
  name: ["name", "compound name", "molecule name", "common name", "iupac name", "chemical name"],
  aliases: ["aliases", "alias", "synonyms", "synonym", "other ids", "other names", "alternative ids", "alt ids"],
  series: ["series", "chemical series"],
  assay: ["assay", "assay name", "test"],
  value: ["value", "result", "activity value", "measured value"],
  qualifier: ["qualifier", "relation", "operator", "sign"],
};

const ENDPOINT =
  /(?<![a-z0-9])(p?ic ?50|p?ec ?50|ki|kd|mic|gi ?50|cc ?50|ed ?50|ld ?50|% ?inh(?:ibition)?)(?![a-z0-9])/;
const UNIT = /(?:^|[\s(\[])(µm|um|nm|mm|pm|µg ?\/ ?ml|ug ?\/ ?ml|mg ?\/ ?ml)(?=$|[\s)\]])/i;

/** Guesses the role of each column from its header, e.g. OSM_ID -> id, Canonical_Smiles -> smiles. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const free = new Set(headers);
  const take = (candidates: readonly string[], fallback?: (k: string) => boolean): string | null => {
    for (const candidate of candidates) {
      const header = headers.find((h) => free.has(h) && key(h) === candidate);
      if (header !== undefined) {
        free.delete(header);
        return header;
      }
    }
    const loose = fallback && headers.find((h) => free.has(h) && fallback(key(h)));
    if (loose) free.delete(loose);
    return loose || null;
  };
  const mapping: ColumnMapping = {
    id: take(ROLE_HEADERS.id, (k) => / id$/.test(k) && !k.includes("inchi")),
    smiles: take(ROLE_HEADERS.smiles, (k) => /\bsmiles\b/.test(k)),
    inchiKey: take(ROLE_HEADERS.inchiKey),
    name: take(ROLE_HEADERS.name),
    aliases: take(ROLE_HEADERS.aliases),
    series: take(ROLE_HEADERS.series),
    assay: take(ROLE_HEADERS.assay),
    value: take(ROLE_HEADERS.value),
    qualifier: take(ROLE_HEADERS.qualifier),
    measurements: [],
    unmapped: [],
  };
  for (const header of headers) {
    if (!free.has(header)) continue;
    const endpoint = ENDPOINT.exec(key(header))?.[1];
    if (endpoint === undefined) mapping.unmapped.push(header);
    else mapping.measurements.push({ column: header, endpoint: endpointName(endpoint), unit: unitName(header) });
  }
  return mapping;
}

function endpointName(raw: string): string {
  const compact = raw.replace(/\s+/g, "");
  if (compact.startsWith("%")) return "%inhibition";
  if (compact === "ki") return "Ki";
  if (compact === "kd") return "Kd";
  return compact.startsWith("p") ? `p${compact.slice(1).toUpperCase()}` : compact.toUpperCase();
}

function unitName(header: string): string | null {
  const raw = UNIT.exec(header)?.[1]?.toLowerCase().replace(/\s+/g, "");
  if (raw === undefined) return null;
  return raw.replace(/^u/, "µ").replace(/m$/, "M").replace(/ml$/, "mL");
}

export interface ImportMeasurement {
  /** The assay cell (long format) or the column header (wide format). */
  assay: string;
  endpoint: string | null;
  unit: string | null;
  qualifier: "=" | "<" | ">" | "<=" | ">=" | "~";
  value: number;
}

export interface ImportRecord {
  row: number;
  /** Campaign IDs of the row; a cell may hold several separated by ";". */
  ids: string[];
  smiles: string | null;
  name: string | null;
  aliases: string[];
  inchiKey: string | null;
  series: string | null;
  measurements: ImportMeasurement[];
}

const EMPTY_VALUES = new Set(["", "na", "n/a", "nd", "n.d.", "-", "—", "nt", "n.t."]);
const QUALIFIERS = new Set(["=", "<", ">", "<=", ">=", "~"]);

/**
 * Reads the mapped cells of every row into import records, with a per-row error (row, column, message) for each
 * cell that cannot be used. Structures are not parsed here: the caller runs them through safe.ts.
 * Measurements come from the long-format columns when a value column is mapped, otherwise from the wide columns
 * (sheets such as the OSM master list carry both, and the wide cells repeat the long ones).
 */
export function extractRecords(
  sheet: ParsedSheet,
  mapping: ColumnMapping,
  options: { prefixes?: readonly string[] } = {},
): { records: ImportRecord[]; errors: SheetRowError[] } {
  const records: ImportRecord[] = [];
  const errors: SheetRowError[] = [...sheet.errors];
  for (const { row, cells } of sheet.rows) {
    const cell = (column: string | null): string => (column === null ? "" : (cells[column] ?? ""));
    const fail = (column: string | null, message: string): void => {
      errors.push(column === null ? { row, message } : { row, column, message });
    };

    const { ids, invalid } = splitCampaignIds(cell(mapping.id));
    for (const text of invalid) fail(mapping.id, `"${text}" is not a campaign ID like OSM-S-123.`);
    const prefixes = options.prefixes;
    for (const id of ids) {
      if (prefixes && !prefixes.some((p) => id.startsWith(`${p}-`))) {
        fail(mapping.id, `${id} does not belong to this campaign (expected ${prefixes.join(" or ")}).`);
      }
    }
    const smiles = cell(mapping.smiles);
    if (smiles.length > STRUCTURE_LIMITS.smilesChars) fail(mapping.smiles, "This SMILES is too long.");
    if (smiles === "" && ids.length === 0) {
      fail(mapping.smiles ?? mapping.id, "This row has neither a SMILES nor an ID.");
    }

    const measurements: ImportMeasurement[] = [];
    if (mapping.value !== null) {
      const assay = cell(mapping.assay);
      const reading = readMeasurement(cell(mapping.value), cell(mapping.qualifier));
      if (typeof reading === "string") fail(mapping.value, reading);
      else if (reading !== null) {
        const endpoint = ENDPOINT.exec(key(assay))?.[1];
        measurements.push({
          assay,
          endpoint: endpoint === undefined ? null : endpointName(endpoint),
          unit: unitName(assay),
          ...reading,
        });
      }
    } else {
      for (const column of mapping.measurements) {
        const reading = readMeasurement(cell(column.column), "");
        if (typeof reading === "string") fail(column.column, reading);
        else if (reading !== null) {
          measurements.push({ assay: column.column, endpoint: column.endpoint, unit: column.unit, ...reading });
        }
      }
    }

    records.push({
      row,
      ids,
      smiles: smiles === "" ? null : smiles,
      name: cell(mapping.name) || null,
      aliases: cell(mapping.aliases)
        .split(/[;|\n]+/)
        .map((alias) => alias.trim())
        .filter((alias) => alias !== ""),
      inchiKey: cell(mapping.inchiKey) || null,
      series: cell(mapping.series) || null,
      measurements,
    });
  }
  return { records, errors };
}

type Reading = Pick<ImportMeasurement, "qualifier" | "value">;

/** A reading, null for an empty cell, or an error message. Accepts ">10" in the value cell itself. */
function readMeasurement(valueCell: string, qualifierCell: string): Reading | null | string {
  const text = valueCell.trim();
  if (EMPTY_VALUES.has(text.toLowerCase())) return null;
  const match = /^(<=|>=|[<>=~])?\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(text);
  if (!match) return `"${text}" is not a number.`;
  const qualifier = (qualifierCell.trim() || match[1] || "=").replace("≤", "<=").replace("≥", ">=");
  if (!QUALIFIERS.has(qualifier)) return `"${qualifierCell}" is not a qualifier (use =, <, >, <=, >= or ~).`;
  return { qualifier: qualifier as Reading["qualifier"], value: Number(match[2]) };
}
