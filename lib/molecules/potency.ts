import type { Qualifier } from "./model";
import { higherIsBetter, MOLAR_FACTORS } from "./assay";

export interface MeasuredValue {
  assay: string;
  target: string | null;
  unit: string | null;
  qualifier: Qualifier;
  value: number;
}

export interface Potency {
  /** "Pfal IC50", "Pfal (K1) IC50": target and endpoint; labs are pooled. */
  label: string;
  assay: string;
  target: string | null;
  value: number;
  /** µM for every molar unit (nM, mM... are converted); other units as measured. */
  unit: string | null;
  qualifier: Qualifier;
  /** Measurements in this group. */
  count: number;
}

/**
 * The best value per assay and target, for the molecule table and potency charts.
 *
 * For IC50-like endpoints lower is better: the best is the smallest value measured with "=" or "<" (a "<0.1" is at
 * least that potent). When every value is a ">" bound (inactive up to the highest concentration tested), the
 * highest bound is shown with ">" so the table says "> 10" instead of nothing. For pIC50 and % inhibition, higher
 * is better and the roles of "<" and ">" swap. Values in molar units are compared in µM; other units only with
 * values of the same unit.
 */
/** Key of an assay column: label and unit, "Pfal IC50|µM" (as the molecule table's assay keys and search filters). */
export function potencyKey(p: { label: string; unit: string | null }): string {
  return `${p.label}|${p.unit ?? ""}`;
}

/**
 * Whether a best value is at least as potent as `threshold` (in the value's unit): measured ("=") or bounded on the
 * good side ("<0.1" for an IC50) and at or beyond the threshold; `up` for endpoints where higher is better (pIC50). A bound on the weak side (">10") says too little.
 */
export function meetsPotency(p: { value: number; qualifier: Qualifier }, threshold: number, up: boolean): boolean {
  if (p.qualifier === (up ? "<" : ">")) return false;
  return up ? p.value >= threshold : p.value <= threshold;
}

/** Orders best values of one assay column most potent first (ascending IC50, descending pIC50). */
export function comparePotency(a: { value: number }, b: { value: number }, up: boolean): number {
  return up ? b.value - a.value : a.value - b.value;
}

export function bestPotency(values: readonly MeasuredValue[]): Potency[] {
  const groups = new Map<string, { assay: string; target: string | null; unit: string | null; values: MeasuredValue[] }>();
  for (const m of values) {
    const factor = m.unit === null ? undefined : MOLAR_FACTORS[m.unit];
    const unit = factor === undefined ? m.unit : "µM";
    const value = factor === undefined ? m.value : Number((m.value * factor).toPrecision(12));
    const key = JSON.stringify([m.target, m.assay, unit]);
    const group = groups.get(key) ?? { assay: m.assay, target: m.target, unit, values: [] };
    group.values.push({ ...m, unit, value });
    groups.set(key, group);
  }
  const result: Potency[] = [];
  for (const group of groups.values()) {
    const up = higherIsBetter(group.assay);
    const better = (a: number, b: number): boolean => (up ? a > b : a < b);
    const bound: Qualifier = up ? "<" : ">";
    const measured = group.values.filter((m) => m.qualifier !== bound);
    const pool = measured.length > 0 ? measured : group.values;
    // Among bounds only, the most informative one is the furthest (">20" says more than ">10").
    const pick = measured.length > 0 ? better : (a: number, b: number): boolean => better(b, a);
    let best = pool[0]!;
    for (const m of pool) if (pick(m.value, best.value) || (m.value === best.value && m.qualifier === "=")) best = m;
    result.push({
      label: group.target === null ? group.assay : `${group.target} ${group.assay}`,
      assay: group.assay,
      target: group.target,
      value: best.value,
      unit: group.unit,
      qualifier: best.qualifier,
      count: group.values.length,
    });
  }
  return result.sort((a, b) => a.label.localeCompare(b.label) || String(a.unit).localeCompare(String(b.unit)));
}
