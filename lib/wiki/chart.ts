// The geometry of a wiki `chart` block: potency against a property or against time, as plain SVG coordinates
// (the page draws circles and ticks; nothing runs in the browser). Potency in molar units spans decades, so it is
// on a log axis; pIC50 and % inhibition are on a linear one. Pure, so the scales are unit-tested.

export interface ChartInput {
  /** A property value, or a time in ms since the epoch. */
  x: number;
  value: number;
  qualifier: "=" | "<" | ">";
  code: string;
}

export interface ChartLayout {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  points: { cx: number; cy: number; code: string; bound: "=" | "<" | ">" }[];
  xTicks: { at: number; label: string }[];
  yTicks: { at: number; label: string }[];
}

const PAD = { left: 56, right: 12, top: 10, bottom: 36 };

function niceTicks(min: number, max: number, count = 6): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? magnitude * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const fmt = new Intl.NumberFormat("en", { maximumSignificantDigits: 3, useGrouping: false });

export function chartLayout(
  points: readonly ChartInput[],
  options: { time: boolean; logY: boolean; width?: number; height?: number },
): ChartLayout {
  const width = options.width ?? 640;
  const height = options.height ?? 300;
  const plot = { left: PAD.left, right: width - PAD.right, top: PAD.top, bottom: height - PAD.bottom };
  const usable = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.value) && (!options.logY || p.value > 0));
  const ys = usable.map((p) => (options.logY ? Math.log10(p.value) : p.value));
  const xs = usable.map((p) => p.x);
  const [x0, x1] = padRange(Math.min(...xs, Infinity), Math.max(...xs, -Infinity));
  const [y0, y1] = options.logY
    ? ([Math.floor(Math.min(...ys, Infinity)), Math.ceil(Math.max(...ys, -Infinity))].map((v, i) => (Number.isFinite(v) ? v : i)) as [
        number,
        number,
      ])
    : padRange(Math.min(...ys, Infinity), Math.max(...ys, -Infinity));
  const sx = (x: number) => plot.left + ((x - x0) / (x1 - x0 || 1)) * (plot.right - plot.left);
  // Most potent at the top: small IC50 (log scale) up, large pIC50 up.
  const sy = (y: number) =>
    options.logY
      ? plot.top + ((y - y0) / (y1 - y0 || 1)) * (plot.bottom - plot.top)
      : plot.bottom - ((y - y0) / (y1 - y0 || 1)) * (plot.bottom - plot.top);
  const xTicks = options.time
    ? niceTicks(x0, x1, 5).map((t) => ({ at: sx(t), label: new Date(t).toISOString().slice(0, 10) }))
    : niceTicks(x0, x1).map((t) => ({ at: sx(t), label: fmt.format(t) }));
  const yTicks = options.logY
    ? Array.from({ length: y1 - y0 + 1 }, (_, i) => y0 + i).map((e) => ({ at: sy(e), label: fmt.format(10 ** e) }))
    : niceTicks(y0, y1, 5).map((t) => ({ at: sy(t), label: fmt.format(t) }));
  return {
    width,
    height,
    plot,
    points: usable.map((p, i) => ({ cx: sx(p.x), cy: sy(ys[i]!), code: p.code, bound: p.qualifier })),
    xTicks: xTicks.filter((t) => t.at >= plot.left - 0.5 && t.at <= plot.right + 0.5),
    yTicks: yTicks.filter((t) => t.at >= plot.top - 0.5 && t.at <= plot.bottom + 0.5),
  };
}

/** A range with a little room at both ends (and some width when every value is the same). */
function padRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [min - (Math.abs(min) * 0.1 || 1), max + (Math.abs(max) * 0.1 || 1)];
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}
