"use client";

import { useMemo, useState } from "react";
import type { TableProperty } from "@/db/queries/molecules/table";
import { propertyOf, tableProperties } from "@/lib/molecules/properties";
import { MoleculeImage } from "./molecule-image";
import type { PreparedTable } from "./molecule-table-data";


const numberFormat = new Intl.NumberFormat("en", { maximumSignificantDigits: 3, useGrouping: false });
export const formatValue = (value: number) => numberFormat.format(value);
export const assayTitle = (a: { label: string; unit: string | null }) => (a.unit ? `${a.label} (${a.unit})` : a.label);

/**
 * Potency against a property, the plot a medicinal chemist draws from the sheet to see where the potent molecules
 * sit (e.g. IC50 against cLogP). Plain SVG: one circle per molecule, linked to its page. Potency is on a log axis;
 * a bound ("<0.05", ">10") is drawn as an open triangle pointing where the true value lies.
 */

const W = 760;
const H = 380;
const PAD = { left: 64, right: 16, top: 14, bottom: 46 };
/** More points than this would make the SVG slow to draw and unreadable; the filters narrow it. */
const MAX_POINTS = 20_000;

interface Point {
  row: number;
  x: number;
  y: number;
  value: number;
  qualifier: string;
}

/** About six round ticks over [min, max]. */
function linearTicks(min: number, max: number): number[] {
  const span = max - min || 1;
  const step0 = span / 6;
  const magnitude = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= step0) ?? magnitude * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function PotencyChart({ table, rows }: { table: PreparedTable; rows: number[] }) {
  const [property, setProperty] = useState<TableProperty>("clogp");
  const [assayKey, setAssayKey] = useState(table.assays[0]?.key ?? "");
  const [hover, setHover] = useState<Point | null>(null);
  const assay = table.assays.find((a) => a.key === assayKey) ?? table.assays[0];
  const propertyLabel = propertyOf(property).label;

  const plot = useMemo(() => {
    if (!assay) return null;
    const xs = table.data[property];
    const points: Point[] = [];
    for (const row of rows) {
      const value = assay.value[row]!;
      if (Number.isNaN(value) || value <= 0) continue; // a log axis has no place for 0 or below
      points.push({ row, x: xs[row]!, y: Math.log10(value), value, qualifier: assay.qualifier[row]! });
      if (points.length >= MAX_POINTS) break;
    }
    if (points.length === 0) return { points, xTicks: [], yTicks: [], sx: () => 0, sy: () => 0 };
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const p of points) {
      x0 = Math.min(x0, p.x);
      x1 = Math.max(x1, p.x);
      y0 = Math.min(y0, p.y);
      y1 = Math.max(y1, p.y);
    }
    const xPad = (x1 - x0 || 1) * 0.05;
    [x0, x1] = [x0 - xPad, x1 + xPad];
    [y0, y1] = [Math.floor(y0), Math.ceil(y1 === Math.floor(y1) ? y1 + 0.0001 : y1)];
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
    const yTicks: number[] = [];
    for (let e = y0; e <= y1; e++) yTicks.push(e);
    return { points, xTicks: linearTicks(x0, x1), yTicks, sx, sy };
  }, [table, rows, property, assay]);

  if (!assay || !plot) return null;
  const integer = propertyOf(property).type === "integer";
  // Integer properties pile up in columns: a small fixed jitter per molecule spreads them out.
  const jitter = (row: number) => (integer ? (((row * 2654435761) % 1000) / 1000 - 0.5) * 0.3 : 0);
  const d = table.data;
  return (
    <section className="card potency-chart" aria-label="Potency chart">
      <div className="spread">
        <h2 style={{ margin: 0 }}>Potency against a property</h2>
        <span className="row">
          <label className="row" style={{ fontWeight: 400 }}>
            Assay
            <select value={assay.key} onChange={(e) => setAssayKey(e.target.value)}>
              {table.assays.map((a) => (
                <option key={a.key} value={a.key}>
                  {assayTitle(a)} · {a.measured}
                </option>
              ))}
            </select>
          </label>
          <label className="row" style={{ fontWeight: 400 }}>
            against
            <select value={property} onChange={(e) => setProperty(e.target.value as TableProperty)}>
              {tableProperties.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        </span>
      </div>
      {plot.points.length === 0 ? (
        <p className="meta">No molecule shown in the table has a value for {assay.label}.</p>
      ) : (
        <div className="chart-box">
          <div className="chart-plot">
            <svg
              viewBox={`0 0 ${W} ${H}`}
              role="img"
              aria-label={`${assayTitle(assay)} against ${propertyLabel}, ${plot.points.length} molecules`}
              data-testid="potency-chart"
            >
              {plot.yTicks.map((e) => (
                <g key={`y${e}`} className="tick">
                  <line x1={PAD.left} x2={W - PAD.right} y1={plot.sy(e)} y2={plot.sy(e)} />
                  <text x={PAD.left - 6} y={plot.sy(e) + 4} textAnchor="end">
                    {formatValue(10 ** e)}
                  </text>
                </g>
              ))}
              {plot.xTicks.map((x) => (
                <g key={`x${x}`} className="tick">
                  <line x1={plot.sx(x)} x2={plot.sx(x)} y1={PAD.top} y2={H - PAD.bottom} />
                  <text x={plot.sx(x)} y={H - PAD.bottom + 16} textAnchor="middle">
                    {formatValue(x)}
                  </text>
                </g>
              ))}
              <text className="axis-label" x={(W + PAD.left) / 2} y={H - 8} textAnchor="middle">
                {propertyLabel}
              </text>
              <text className="axis-label" transform={`translate(14 ${(H - PAD.bottom + PAD.top) / 2}) rotate(-90)`} textAnchor="middle">
                {assayTitle(assay)}, log scale
              </text>
              {plot.points.map((p) => {
                const cx = plot.sx(p.x + jitter(p.row));
                const cy = plot.sy(p.y);
                const code = d.code[p.row]!;
                const label = `${code}: ${p.qualifier === "=" ? "" : p.qualifier}${formatValue(p.value)} ${assay.unit ?? ""}, ${propertyLabel} ${formatValue(p.x)}`;
                return (
                  <a
                    key={p.row}
                    href={`/molecules/${encodeURIComponent(code)}`}
                    onMouseEnter={() => setHover(p)}
                    onMouseLeave={() => setHover(null)}
                    onFocus={() => setHover(p)}
                    onBlur={() => setHover(null)}
                  >
                    <title>{label}</title>
                    {p.qualifier === "=" ? (
                      <circle className="point" cx={cx} cy={cy} r={4.5} />
                    ) : (
                      // The triangle points toward the true value: down for "<", up for ">".
                      <path
                        className="point bound"
                        d={p.qualifier === "<" ? `M${cx - 5},${cy - 4}h10l-5,9z` : `M${cx - 5},${cy + 4}h10l-5,-9z`}
                      />
                    )}
                  </a>
                );
              })}
            </svg>
            {hover ? (
              <div
                className="chart-tip"
                style={{ left: `${(plot.sx(hover.x) / W) * 100}%`, top: `${(plot.sy(hover.y) / H) * 100}%` }}
                role="tooltip"
              >
                <MoleculeImage code={d.code[hover.row]!} width={120} height={68} alt="" eager />
                <strong>{d.code[hover.row]}</strong> {d.name[hover.row]}
                <br />
                {assay.label}: {hover.qualifier === "=" ? "" : hover.qualifier}
                {formatValue(hover.value)} {assay.unit ?? ""}
                <br />
                {propertyLabel}: {formatValue(hover.x)}
              </div>
            ) : null}
          </div>
          <p className="meta" style={{ margin: 0 }}>
            {plot.points.length.toLocaleString("en")} molecules with a value
            {plot.points.length >= MAX_POINTS ? ` (the first ${MAX_POINTS.toLocaleString("en")}; filter to see others)` : ""} · ● measured ·
            ▼ ▲ a bound (&lt; or &gt;; the true value lies where it points){assay.higherIsBetter ? "" : " · lower is more potent"} · the
            table&apos;s filters apply
          </p>
        </div>
      )}
    </section>
  );
}
