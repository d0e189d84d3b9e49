import { SPECTRUM_LIMITS, type ParsedSpectrum, type SpectrumView } from "./model";

/**
 * The points of a spectrum that the browser draws: within an x window, at most `maxPoints`, so that a 64k-point NMR
 * spectrum stays a light SVG path. The window is cut into maxPoints/2 equal x buckets (about one per pixel column)
 * and each keeps its lowest and its highest point, in x order: a one-point-wide peak, a sharp singlet or an IR band,
 * survives at any zoom, which plain decimation (every nth point) would lose. Plain arithmetic on numbers already
 * read, so it runs in the server, not in the sandbox.
 */
export function downsample(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  window: { from: number; to: number },
  maxPoints: number = SPECTRUM_LIMITS.maxDisplayPoints,
): { x: number[]; y: number[] } {
  const n = xs.length;
  // One point beyond each edge, so the line runs to the plot's border instead of stopping short of it.
  const lo = Math.max(0, firstAtLeast(xs, window.from) - 1);
  const hi = Math.min(n - 1, firstAbove(xs, window.to));
  const out = { x: [] as number[], y: [] as number[] };
  if (n === 0 || lo > hi) return out;
  const push = (i: number) => {
    out.x.push(round(xs[i]!));
    out.y.push(round(ys[i]!));
  };
  if (hi - lo + 1 <= maxPoints) {
    for (let i = lo; i <= hi; i++) push(i);
    return out;
  }
  // The window's first and last points are kept too, so the line reaches both borders.
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const width = window.to - window.from || 1;
  let bucket = -1;
  let minAt = -1;
  let maxAt = -1;
  const flush = () => {
    if (bucket < 0) return;
    const first = Math.min(minAt, maxAt);
    const last = Math.max(minAt, maxAt);
    push(first);
    if (last !== first) push(last);
  };
  push(lo);
  for (let i = lo + 1; i < hi; i++) {
    const b = Math.min(buckets - 1, Math.max(0, Math.floor(((xs[i]! - window.from) / width) * buckets)));
    if (b !== bucket) {
      flush();
      bucket = b;
      minAt = maxAt = i;
      continue;
    }
    if (ys[i]! < ys[minAt]!) minAt = i;
    if (ys[i]! > ys[maxAt]!) maxAt = i;
  }
  flush();
  push(hi);
  return out;
}

/** The view of a parsed spectrum the browser asked for: the whole of it, or the x window [from, to] (clamped). */
export function spectrumView(spectrum: ParsedSpectrum, window?: { from: number; to: number }): SpectrumView {
  const { xs, ys, ...header } = spectrum;
  const { xMin, xMax } = spectrum.range;
  let from = xMin;
  let to = xMax;
  if (window) {
    from = Math.max(xMin, Math.min(window.from, window.to));
    to = Math.min(xMax, Math.max(window.from, window.to));
    if (!(from < to)) [from, to] = [xMin, xMax];
  }
  return { ...header, window: { from, to }, points: downsample(xs, ys, { from, to }) };
}

/** The index of the first x at or above `value` (xs ascending); xs.length when there is none. */
function firstAtLeast(xs: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first x above `value` (xs ascending); xs.length when there is none. */
function firstAbove(xs: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Eight significant digits: below any instrument's resolution, and it keeps the JSON small. */
function round(value: number): number {
  return Number(value.toPrecision(8));
}
