import type { SpectrumHeader, SpectrumPeak } from "./model";

/**
 * The arithmetic of the spectrum plot (components/spectrum-plot.tsx), kept apart from React so that it is tested
 * alone: round ticks, numbers as spectroscopists write them, and which peaks get a label.
 */

/** About `count` round ticks (1, 2 or 5 × 10ⁿ apart) inside [min, max], and their spacing. */
export function niceTicks(min: number, max: number, count = 7): { ticks: number[]; step: number } {
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const span = hi - lo || Math.abs(hi) || 1;
  const rough = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? magnitude * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9 && ticks.length < 50; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return { ticks, step };
}

/** A tick's label with as many decimals as the spacing needs, and a true minus sign. */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
  return minus(value.toFixed(decimals));
}

/**
 * Decimals a peak position is written with: δH to 0.01 ppm, δC to 0.1, wavenumbers and wavelengths whole, m/z whole
 * unless the file gives fractions.
 */
export function peakDecimals(header: Pick<SpectrumHeader, "x" | "nucleus" | "kind" | "peaks">): number {
  const unit = header.x.unit;
  if (unit === "ppm") return header.nucleus === "1H" || header.nucleus === "19F" ? 2 : 1;
  if (unit === "cm⁻¹" || unit === "nm") return 0;
  if (unit === "Hz") return 1;
  if (header.kind === "ms") return header.peaks.every((p) => Number.isInteger(p.x)) ? 0 : 1;
  return 3;
}

export function formatPeak(x: number, decimals: number): string {
  return minus(x.toFixed(decimals));
}

/** U+2212 for negative numbers; none for a rounded zero ("−0.00" is "0.00"). */
function minus(text: string): string {
  if (/^-0(?:\.0+)?$/.test(text)) return text.slice(1);
  return text.replace(/^-(?=\d)/, "\u2212");
}

export interface PlacedPeak {
  peak: SpectrumPeak;
  /** Horizontal position on the plot, in px. */
  px: number;
  /** How far the peak stands out: its height, or its depth for transmittance. */
  prominence: number;
}

/**
 * The peaks to label: the most prominent first, each at least `minGapPx` from every label already placed, at most
 * `max` of them, returned left to right. The others keep their tick mark and stay in the peak list.
 */
export function pickPeakLabels<T extends PlacedPeak>(peaks: readonly T[], minGapPx: number, max: number): T[] {
  const chosen: T[] = [];
  const byProminence = [...peaks].sort((a, b) => b.prominence - a.prominence);
  for (const candidate of byProminence) {
    if (chosen.length >= max) break;
    if (chosen.every((c) => Math.abs(c.px - candidate.px) >= minGapPx)) chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.px - b.px);
}

/** "Chemical shift (ppm)", "m/z". */
export function axisTitle(axis: { label: string; unit: string | null }): string {
  return axis.unit ? `${axis.label} (${axis.unit})` : axis.label;
}
