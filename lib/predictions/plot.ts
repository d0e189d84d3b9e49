import type { Qualifier } from "../molecules/model";
import { fromPic50, isMolarUnit, PIC50 } from "./units";

/**
 * The numbers behind the prediction pages' plots (predicted against measured, residuals) and their labels: plain
 * functions of pIC50 values, so the pages stay markup. Potency is plotted on one axis kind per assay: its molar unit
 * on a log scale when it has one (IC50 in µM, as chemists read it), else pIC50 itself.
 */

/** Three significant figures, as the molecule table shows potencies (0.8, 0.0574, 12.3). */
const SIGNIFICANT = new Intl.NumberFormat("en", { maximumSignificantDigits: 3, useGrouping: false });

/** A concentration as the pages show it: three significant figures. */
export function formatMolar(value: number): string {
  return SIGNIFICANT.format(value);
}

/** A pIC50, a residual or a metric: two decimals ("—" for a missing one); a minus sign, not a hyphen. */
export function formatDecimal(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = value.toFixed(digits);
  // -0.00 reads as a sign without a value.
  return Number(text) === 0 ? (0).toFixed(digits) : text.replace(/^-/, "−");
}

/** The first of an assay's recorded units that is molar ("µM"), or null (a p-endpoint, or nothing molar). */
export function molarUnit(units: readonly string[]): string | null {
  return units.find((u) => isMolarUnit(u)) ?? null;
}

/**
 * A potency as chemists write it: in the molar unit when there is one (a bound flipped, since pIC50 > 7 is IC50 <
 * 0.1 µM), else as pIC50 ("< 5.00").
 */
export function potencyText(pic50: number, qualifier: Qualifier, unit: string | null): string {
  const molar = molarText(pic50, unit);
  const flipped = qualifier === "=" ? "" : `${qualifier === ">" ? "<" : ">"} `;
  if (molar !== null) return `${flipped}${molar}`;
  return `${qualifier === "=" ? "" : `${qualifier} `}${formatDecimal(pic50)}`;
}

/** A pIC50 in a molar unit, formatted ("0.8 µM"); null when the unit is not molar. */
export function molarText(pic50: number, unit: string | null): string | null {
  if (unit === null || unit === PIC50) return null;
  const value = fromPic50(pic50, unit);
  return value === null ? null : `${formatMolar(value)} ${unit}`;
}

export interface PlotAxis {
  /** "Pfal IC50 (µM), log scale" or "pIC50". */
  title: string;
  /** Where a pIC50 sits on the axis. */
  coord: (pic50: number) => number;
  /** The axis increases with potency (pIC50) or against it (a concentration). */
  increasing: boolean;
  /** Round tick positions over [lo, hi] and their labels. */
  ticks: (lo: number, hi: number) => { at: number; label: string }[];
}

/**
 * The axis for an assay: log10 of the value in its molar unit when it has one (a decade per step; 1, 2, 5 per
 * decade when the plot spans few of them), else pIC50 on a linear axis.
 */
export function potencyAxis(assay: string, unit: string | null): PlotAxis {
  const molar = unit !== null && isMolarUnit(unit) ? unit : null;
  if (molar === null) {
    return {
      title: `${assay} as pIC50`,
      coord: (p) => p,
      increasing: true,
      ticks: (lo, hi) => linearTicks(lo, hi).map((at) => ({ at, label: formatDecimal(at, at % 1 === 0 ? 0 : 1) })),
    };
  }
  const shift = Math.log10(fromPic50(0, molar)!);
  return {
    title: `${assay} (${molar}), log scale`,
    coord: (p) => shift - p,
    increasing: false,
    ticks: (lo, hi) => logTicks(lo, hi).map((at) => ({ at, label: formatMolar(10 ** at) })),
  };
}

/** Tick positions for a log axis in log10 units: every decade, and 2 and 5 within a decade when it spans fewer than three. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const steps = hi - lo < 3 ? [1, 2, 5] : [1];
  for (let decade = Math.floor(lo); decade <= Math.ceil(hi); decade++) {
    for (const m of steps) {
      const at = decade + Math.log10(m);
      if (at >= lo - 1e-9 && at <= hi + 1e-9) ticks.push(Number(at.toFixed(12)));
    }
  }
  return ticks;
}

/** About six round ticks over [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function linearTicks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const rough = span / 6;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? magnitude * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * A square domain holding every value, widened to at least `minSpan` and padded by a quarter unit on each side, so
 * that points are not drawn on the frame and the identity line runs corner to corner.
 */
export function squareDomain(values: readonly number[], minSpan = 2): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [0, minSpan];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < minSpan) {
    const middle = (lo + hi) / 2;
    [lo, hi] = [middle - minSpan / 2, middle + minSpan / 2];
  }
  return [Math.floor((lo - 0.25) * 2) / 2, Math.ceil((hi + 0.25) * 2) / 2];
}

/** A linear map from a domain onto a pixel range (either may be reversed). */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (value: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** The way a censored result's true value lies along the measured axis, as a bound's triangle points. */
export function boundDirection(qualifier: Qualifier, axis: Pick<PlotAxis, "increasing">): "left" | "right" | null {
  if (qualifier === "=") return null;
  // In pIC50 space ">" is "at least that potent": toward higher pIC50.
  const towardPotent = qualifier === ">";
  return towardPotent === axis.increasing ? "right" : "left";
}

export interface ScatterInput {
  label: string;
  /** Where the point links to (a molecule's page), passed through. */
  href?: string | null;
  pic50: number;
  observed: { pic50: number; qualifier: Qualifier } | null;
}

export interface ScatterPoint {
  label: string;
  href: string | null;
  /** On the axis: measured across, predicted up. */
  x: number;
  y: number;
  predicted: number;
  measured: number;
  qualifier: Qualifier;
  bound: "left" | "right" | null;
}

/** The scored predictions as points of the predicted-against-measured plot, and the square domain they need. */
export function scatterPoints(rows: readonly ScatterInput[], axis: PlotAxis): { points: ScatterPoint[]; domain: [number, number] } {
  const points = rows.flatMap((r): ScatterPoint[] =>
    r.observed === null
      ? []
      : [
          {
            label: r.label,
            href: r.href ?? null,
            x: axis.coord(r.observed.pic50),
            y: axis.coord(r.pic50),
            predicted: r.pic50,
            measured: r.observed.pic50,
            qualifier: r.observed.qualifier,
            bound: boundDirection(r.observed.qualifier, axis),
          },
        ],
  );
  return { points, domain: squareDomain(points.flatMap((p) => [p.x, p.y])) };
}

export interface ResidualPoint {
  label: string;
  href: string | null;
  x: number;
  /** Predicted − measured, in pIC50: above zero the prediction was too potent. */
  residual: number;
}

/**
 * Residuals of the exact ("=") results only (a bound has no residual), with the measured axis's domain and a
 * symmetric residual domain of at least ±1.
 */
export function residualPoints(
  rows: readonly ScatterInput[],
  axis: PlotAxis,
): { points: ResidualPoint[]; xDomain: [number, number]; yDomain: [number, number] } {
  const points = rows.flatMap((r): ResidualPoint[] =>
    r.observed === null || r.observed.qualifier !== "="
      ? []
      : [{ label: r.label, href: r.href ?? null, x: axis.coord(r.observed.pic50), residual: r.pic50 - r.observed.pic50 }],
  );
  const xs = points.map((p) => p.x);
  const [lo, hi] = squareDomain(xs, 1);
  const reach = Math.max(1, Math.ceil(Math.max(0, ...points.map((p) => Math.abs(p.residual))) * 2) / 2);
  return { points, xDomain: [lo, hi], yDomain: [-reach, reach] };
}
