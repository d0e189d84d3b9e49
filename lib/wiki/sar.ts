import type { RGroupDecomposition } from "../chem/rgroups";
import type { Qualifier } from "../molecules/model";
import { comparePotency, meetsPotency } from "../molecules/potency";

// The table of a wiki "sar" block: one row per molecule of an R-group decomposition (lib/chem/rgroups.ts) with its
// best value in one assay, most potent first, and for a core with two attachment points the R1 × R2 matrix. Pure:
// the block's loader gathers the decomposition, best values and codes.

export interface SarPotency {
  value: number;
  qualifier: Qualifier;
  unit: string | null;
}

export interface SarRow {
  id: number;
  /** The molecule's code (campaign ID), or `#id` when it has none. */
  code: string;
  /** "R1", "R2"… → substituent SMILES, as in the decomposition. */
  substituents: Record<string, string>;
  best: SarPotency | null;
}

export interface SarCell {
  /** Every molecule with this R1 and R2, most potent first. */
  codes: string[];
  best: SarPotency | null;
}

export interface SarMatrix {
  /** Distinct R1 substituents, the one with the most potent molecule first. */
  r1: string[];
  r2: string[];
  /** cells[i][j]: the molecules with R1 = r1[i] and R2 = r2[j]; null where none was made. */
  cells: (SarCell | null)[][];
}

export interface SarTable {
  labels: number[];
  rows: SarRow[];
  /** Only for a core with exactly two attachment points. */
  matrix: SarMatrix | null;
  apart: { id: number; code: string; reason: string }[];
}

const byCode = new Intl.Collator("en", { numeric: true });

/**
 * Whether a value says how potent the molecule is: measured, or bounded on the good side ("<0.1" for an IC50).
 * A bound on the weak side (">10": inactive up to the highest concentration tested) does not; lib/molecules/potency's
 * meetsPotency refuses those for any threshold, which the infinite threshold asks for alone.
 */
function saysHowPotent(p: SarPotency, up: boolean): boolean {
  return meetsPotency(p, up ? -Infinity : Infinity, up);
}

/**
 * Most potent first (comparePotency: ascending IC50, descending pIC50), weak-side bounds after every value that
 * says how potent a molecule is, molecules without a value last. At equal values a good-side bound ("<0.1") goes
 * before "=" and a weak-side one after.
 */
export function comparePotencies(a: SarPotency | null, b: SarPotency | null, up: boolean): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  const rank = (p: SarPotency): number => (saysHowPotent(p, up) ? 0 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const order = comparePotency(a, b, up);
  if (order !== 0) return order;
  const side = (p: SarPotency): number => (p.qualifier === "=" ? 0 : saysHowPotent(p, up) ? -1 : 1);
  return side(a) - side(b);
}

/**
 * The SAR table of a decomposition: rows sorted most potent first, then by code (numeric collation: OSM-S-99
 * before OSM-S-100). `potencies` holds each molecule's best value in the block's assay (lib/molecules/potency's
 * bestPotency, one unit per assay column); `higherIsBetter` is that assay's direction (pIC50, % inhibition).
 */
export function sarTable(
  decomposition: RGroupDecomposition,
  potencies: ReadonlyMap<number, SarPotency>,
  codes: ReadonlyMap<number, string>,
  higherIsBetter: boolean,
): SarTable {
  const codeOf = (id: number): string => codes.get(id) ?? `#${id}`;
  const rows: SarRow[] = decomposition.rows.map(({ id, substituents }) => ({
    id,
    code: codeOf(id),
    substituents,
    best: potencies.get(id) ?? null,
  }));
  rows.sort((a, b) => comparePotencies(a.best, b.best, higherIsBetter) || byCode.compare(a.code, b.code));
  const labels = decomposition.labels;
  const matrix = labels.length === 2 ? matrixOf(rows, `R${labels[0]}`, `R${labels[1]}`) : null;
  const apart = decomposition.apart.map(({ id, reason }) => ({ id, code: codeOf(id), reason }));
  return { labels, rows, matrix, apart };
}

/**
 * The R1 × R2 matrix of rows already sorted most potent first: a substituent's place is that of its first row,
 * i.e. of its most potent molecule, and a cell's first molecule is its best.
 */
function matrixOf(rows: readonly SarRow[], first: string, second: string): SarMatrix {
  const r1: string[] = [];
  const r2: string[] = [];
  const index1 = new Map<string, number>();
  const index2 = new Map<string, number>();
  const placed: { i: number; j: number; row: SarRow }[] = [];
  for (const row of rows) {
    const a = row.substituents[first] ?? "[H]";
    const b = row.substituents[second] ?? "[H]";
    if (!index1.has(a)) index1.set(a, r1.push(a) - 1);
    if (!index2.has(b)) index2.set(b, r2.push(b) - 1);
    placed.push({ i: index1.get(a)!, j: index2.get(b)!, row });
  }
  const cells: (SarCell | null)[][] = r1.map(() => r2.map(() => null));
  for (const { i, j, row } of placed) {
    const cell = cells[i]![j];
    if (cell) cell.codes.push(row.code);
    else cells[i]![j] = { codes: [row.code], best: row.best };
  }
  return { r1, r2, cells };
}

export const POTENCY_CLASSES = 5;

/**
 * The colour class of a value among the values shown: 0 (most potent fifth of the range) to 4 (least potent), or
 * null when there is nothing to place (no value, no spread). IC50-like values span decades, so they are binned on a
 * log scale; pIC50 is already a logarithm and % inhibition a bounded scale, so higher-is-better values are binned as
 * they are. A bound is binned by its value: ">10" is at least as weak as 10.
 */
export function colour(best: { value: number } | null, allValues: readonly number[], higherIsBetter: boolean): number | null {
  const scale = (v: number): number | null => {
    if (!Number.isFinite(v)) return null;
    if (higherIsBetter) return v;
    return v > 0 ? Math.log10(v) : null;
  };
  if (best === null) return null;
  const at = scale(best.value);
  const scaled = allValues.map(scale).filter((v): v is number => v !== null);
  if (at === null || scaled.length === 0) return null;
  const min = Math.min(...scaled);
  const max = Math.max(...scaled);
  if (max === min) return null;
  // 0 at the most potent end: the lowest IC50, the highest pIC50.
  const t = higherIsBetter ? (max - at) / (max - min) : (at - min) / (max - min);
  return Math.min(POTENCY_CLASSES - 1, Math.max(0, Math.floor(t * POTENCY_CLASSES)));
}
