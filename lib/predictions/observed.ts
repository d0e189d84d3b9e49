import type { Qualifier } from "../molecules/model";
import { PIC50, toPic50Bound, unitsFor } from "./units";

/** One measurement of a molecule for the assay being scored (already filtered to its label, labs pooled). */
export interface ScoringMeasurement {
  value: number;
  unit: string | null;
  qualifier: Qualifier;
  createdAt: Date;
}

/** What a prediction is scored against: one value on the pIC50 scale, exact or a bound. */
export interface ObservedValue {
  pic50: number;
  /** In pIC50 space: ">" is at least that potent, "<" weaker than that (an IC50 "> 10 µM" is "< 5"). */
  qualifier: Qualifier;
  /** When the molecule first had a usable value: the scoreboard's timeline. */
  measuredAt: Date;
  /** The measurements that could be put on the pIC50 scale. */
  count: number;
}

/**
 * The observed value of one molecule for one assay. Exact values win: replicates are averaged in log space (the
 * geometric mean of the IC50s, as potencies are compared). With bounds only, the most informative one: the highest
 * ">" (at least that potent), else the lowest "<". When both kinds are there and no exact value, the ">" (potent
 * side) is kept, as the molecule table's bestPotency shows an IC50 "< 0.1" over a "> 10": a result that the compound
 * is active at a concentration outweighs a run that tested too low to see it.
 *
 * Measurements that cannot be put on the scale (a µg/mL for an IC50 assay, no unit) are left out; null when none is
 * left or the assay has no molar scale.
 */
export function observedValue(assay: string, measurements: readonly ScoringMeasurement[]): ObservedValue | null {
  const { endpoint, scale } = unitsFor(assay);
  if (scale === null) return null;
  const ownName = (unit: string): boolean => [PIC50.toLowerCase(), endpoint.toLowerCase(), "log units"].includes(unit.trim().toLowerCase());
  const usable: { pic50: number; qualifier: Qualifier; createdAt: Date }[] = [];
  for (const m of measurements) {
    // A p-endpoint is stored without a unit (or as "log units", or its own name); a concentration needs a molar unit.
    const unit = scale === "p" ? (m.unit === null || m.unit.trim() === "" || ownName(m.unit) ? PIC50 : null) : m.unit;
    const converted = unit === null ? null : toPic50Bound(m.value, unit, m.qualifier);
    if (converted !== null) usable.push({ ...converted, createdAt: m.createdAt });
  }
  if (usable.length === 0) return null;
  const measuredAt = new Date(Math.min(...usable.map((m) => m.createdAt.getTime())));
  const count = usable.length;
  const exact = usable.filter((m) => m.qualifier === "=");
  if (exact.length > 0) {
    return { pic50: exact.reduce((sum, m) => sum + m.pic50, 0) / exact.length, qualifier: "=", measuredAt, count };
  }
  const above = usable.filter((m) => m.qualifier === ">").map((m) => m.pic50);
  if (above.length > 0) return { pic50: Math.max(...above), qualifier: ">", measuredAt, count };
  return { pic50: Math.min(...usable.map((m) => m.pic50)), qualifier: "<", measuredAt, count };
}
