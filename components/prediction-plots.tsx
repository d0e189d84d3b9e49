import type { ReactNode } from "react";
import {
  formatDecimal,
  linearScale,
  linearTicks,
  potencyAxis,
  potencyText,
  residualPoints,
  scatterPoints,
  type ScatterInput,
  type ScatterPoint,
} from "@/lib/predictions/plot";

/**
 * A prediction set against its results, drawn on the server as SVG (no script: the page reads the same with it
 * off): predicted against measured on the assay's log axis with the identity line, censored results as open
 * triangles pointing where the true value lies; and the residuals of the exact results against the measured value.
 */

const W = 420;
const H = 400;
const PAD = { left: 58, right: 14, top: 12, bottom: 46 };
const PLOT = { x0: PAD.left, x1: W - PAD.right, y0: H - PAD.bottom, y1: PAD.top };

/** A point, or a triangle pointing left or right at a bound, linked to its molecule when it has a page. */
function Mark({
  cx,
  cy,
  bound,
  title,
  href,
}: {
  cx: number;
  cy: number;
  bound: "left" | "right" | null;
  title: string;
  href: string | null;
}) {
  const shape =
    bound === null ? (
      <circle className="point" cx={cx} cy={cy} r={4.5} />
    ) : (
      <path className="point bound" d={bound === "right" ? `M${cx - 4},${cy - 5}v10l9,-5z` : `M${cx + 4},${cy - 5}v10l-9,-5z`} />
    );
  return href ? (
    <a href={href}>
      <title>{title}</title>
      {shape}
    </a>
  ) : (
    <g>
      <title>{title}</title>
      {shape}
    </g>
  );
}

function Frame({ children, label }: { children: ReactNode; label: string }) {
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <rect className="frame" x={PLOT.x0} y={PLOT.y1} width={PLOT.x1 - PLOT.x0} height={PLOT.y0 - PLOT.y1} />
      {children}
    </svg>
  );
}

function pointTitle(p: ScatterPoint, unit: string | null): string {
  return `${p.label}: predicted ${potencyText(p.predicted, "=", unit)}, measured ${potencyText(p.measured, p.qualifier, unit)}`;
}

export function PredictionPlots({ rows, assay, unit }: { rows: readonly ScatterInput[]; assay: string; unit: string | null }) {
  const axis = potencyAxis(assay, unit);
  const scatter = scatterPoints(rows, axis);
  if (scatter.points.length === 0) return null;
  const residuals = residualPoints(rows, axis);
  const [d0, d1] = scatter.domain;
  const sx = linearScale(scatter.domain, [PLOT.x0, PLOT.x1]);
  const sy = linearScale(scatter.domain, [PLOT.y0, PLOT.y1]);
  const ticks = axis.ticks(d0, d1);
  const rx = linearScale(residuals.xDomain, [PLOT.x0, PLOT.x1]);
  const ry = linearScale(residuals.yDomain, [PLOT.y0, PLOT.y1]);
  const rTicks = axis.ticks(...residuals.xDomain);
  const bounds = scatter.points.length - residuals.points.length;
  return (
    <div className="prediction-plots">
      <figure className="chart-plot" data-testid="scatter">
        <Frame label={`Predicted against measured ${axis.title}, ${scatter.points.length} molecules`}>
          {ticks.map((t) => (
            <g key={t.at} className="tick">
              <line x1={sx(t.at)} x2={sx(t.at)} y1={PLOT.y1} y2={PLOT.y0} />
              <line x1={PLOT.x0} x2={PLOT.x1} y1={sy(t.at)} y2={sy(t.at)} />
              <text x={sx(t.at)} y={PLOT.y0 + 16} textAnchor="middle">
                {t.label}
              </text>
              <text x={PLOT.x0 - 6} y={sy(t.at) + 4} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          <line className="identity" x1={sx(d0)} y1={sy(d0)} x2={sx(d1)} y2={sy(d1)} />
          {scatter.points.map((p, i) => (
            <Mark key={i} cx={sx(p.x)} cy={sy(p.y)} bound={p.bound} href={p.href} title={pointTitle(p, unit)} />
          ))}
          <text className="axis-label" x={(PLOT.x0 + PLOT.x1) / 2} y={H - 8} textAnchor="middle">
            Measured {axis.title}
          </text>
          <text className="axis-label" transform={`translate(14 ${(PLOT.y0 + PLOT.y1) / 2}) rotate(-90)`} textAnchor="middle">
            Predicted {axis.title}
          </text>
        </Frame>
        <figcaption className="meta">
          Predicted against measured · the line is a perfect forecast · ● “=” result · ◁ ▷ a bound (the true value lies where it points)
          {axis.increasing ? "" : " · lower is more potent"}
        </figcaption>
      </figure>
      <figure className="chart-plot" data-testid="residuals">
        <Frame label={`Residuals, predicted minus measured pIC50, against measured ${axis.title}, ${residuals.points.length} molecules`}>
          {rTicks.map((t) => (
            <g key={t.at} className="tick">
              <line x1={rx(t.at)} x2={rx(t.at)} y1={PLOT.y1} y2={PLOT.y0} />
              <text x={rx(t.at)} y={PLOT.y0 + 16} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
          {linearTicks(...residuals.yDomain).map((r) => (
            <g key={r} className="tick">
              <line x1={PLOT.x0} x2={PLOT.x1} y1={ry(r)} y2={ry(r)} />
              <text x={PLOT.x0 - 6} y={ry(r) + 4} textAnchor="end">
                {formatDecimal(r, 1)}
              </text>
            </g>
          ))}
          <line className="identity" x1={PLOT.x0} x2={PLOT.x1} y1={ry(0)} y2={ry(0)} />
          {residuals.points.map((p, i) => (
            <Mark
              key={i}
              cx={rx(p.x)}
              cy={ry(p.residual)}
              bound={null}
              href={p.href}
              title={`${p.label}: predicted − measured = ${formatDecimal(p.residual)} pIC50`}
            />
          ))}
          <text className="axis-label" x={(PLOT.x0 + PLOT.x1) / 2} y={H - 8} textAnchor="middle">
            Measured {axis.title}
          </text>
          <text className="axis-label" transform={`translate(14 ${(PLOT.y0 + PLOT.y1) / 2}) rotate(-90)`} textAnchor="middle">
            Predicted − measured (pIC50)
          </text>
        </Frame>
        <figcaption className="meta">
          Residuals of the “=” results ({residuals.points.length}
          {bounds ? `; ${bounds} ${bounds === 1 ? "bound has" : "bounds have"} none` : ""}) · above the line the forecast was too potent
        </figcaption>
      </figure>
    </div>
  );
}
