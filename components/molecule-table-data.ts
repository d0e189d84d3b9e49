import type { MoleculeTable as TableData } from "@/db/queries/molecules/table";

/** The molecule table's data as the table and its chart read it: dense per-row columns for each assay. */

export interface AssayColumn {
  key: string;
  label: string;
  unit: string | null;
  higherIsBetter: boolean;
  /** Dense by row: NaN where the molecule has no value. */
  value: Float64Array;
  /** Dense by row: "=", "<", ">" or "" (no value). */
  qualifier: string[];
  measured: number;
}

export interface PreparedTable {
  data: TableData;
  assays: AssayColumn[];
  /** Lower-case "code name aliases" per row, for the text filter. */
  haystack: string[];
}

export function prepare(data: TableData): PreparedTable {
  const assays = data.assays.map((a) => {
    const value = new Float64Array(data.count).fill(Number.NaN);
    const qualifier = new Array<string>(data.count).fill("");
    a.rows.forEach((row, i) => {
      value[row] = a.values[i]!;
      qualifier[row] = a.qualifiers[i]!;
    });
    return { key: a.key, label: a.label, unit: a.unit, higherIsBetter: a.higherIsBetter, value, qualifier, measured: a.rows.length };
  });
  const haystack = data.code.map((code, i) => `${code} ${data.name[i]} ${data.aliases[i]}`.toLowerCase());
  return { data, assays, haystack };
}
