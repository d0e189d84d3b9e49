import { depictSvg } from "./depict";

/**
 * A reaction scheme as one SVG: reactants + … → products, with the reagents, catalysts and solvents written above
 * and below the arrow, each structure drawn by OpenChemLib from its idcode and captioned. OpenChemLib draws single
 * molecules only; the layout here is ours. Deterministic (depictSvg is), so it can carry a strong ETag.
 */

export interface SchemePart {
  side: "reactants" | "agents" | "products";
  /** Structure to draw; a reagent without one is written by its label only. */
  idcode: string | null;
  /** Caption: the campaign ID, a name, or a formula. */
  label: string | null;
  /** Solvents go under the arrow, everything else of the agents above it. */
  below?: boolean;
  /** Shown before the structure when above 1 ("2 ×"). */
  coefficient?: number;
}

const CELL = { width: 180, height: 130 };
const CAPTION = 18;
const GAP = 30;
const ARROW_MIN = 120;
const FONT = "font-family:system-ui,sans-serif;font-size:13px;fill:#1f2933";

export function schemeSvg(parts: readonly SchemePart[], options: { id?: string } = {}): string {
  const id = options.id ?? "scheme";
  const reactants = parts.filter((p) => p.side === "reactants" && p.idcode);
  const products = parts.filter((p) => p.side === "products" && p.idcode);
  const above = parts.filter((p) => p.side === "agents" && !p.below).map(agentText);
  const below = parts.filter((p) => p.side === "agents" && p.below).map(agentText);
  const arrowWidth = Math.max(ARROW_MIN, ...[...above, ...below].map((t) => t.length * 7.2 + 24));
  const height = CELL.height + CAPTION + 8;
  const out: string[] = [];
  let x = 0;
  const drawSide = (side: readonly SchemePart[], prefix: string) =>
    side.forEach((part, i) => {
      if (i > 0) {
        out.push(text(x + GAP / 2, CELL.height / 2 + 6, "+", "font-size:20px", "middle"));
        x += GAP;
      }
      if (part.coefficient && part.coefficient > 1) {
        out.push(text(x + 12, CELL.height / 2 + 6, `${part.coefficient}`, "font-size:16px", "middle"));
        x += 24;
      }
      out.push(nested(depictSvg(part.idcode!, { ...CELL, suppressChiralText: true, id: `${id}-${prefix}${i}` }), x, 0));
      if (part.label) out.push(text(x + CELL.width / 2, CELL.height + CAPTION - 4, clip(part.label, 26), "", "middle"));
      x += CELL.width;
    });
  drawSide(reactants, "r");
  x += 10;
  const arrowY = CELL.height / 2;
  out.push(
    `<line x1="${x}" y1="${arrowY}" x2="${x + arrowWidth - 10}" y2="${arrowY}" stroke="#1f2933" stroke-width="1.6"/>`,
    `<path d="M${x + arrowWidth} ${arrowY} l-12 -5 v10 z" fill="#1f2933"/>`,
  );
  above.forEach((t, i) => out.push(text(x + arrowWidth / 2, arrowY - 8 - (above.length - 1 - i) * 16, t, "", "middle")));
  below.forEach((t, i) => out.push(text(x + arrowWidth / 2, arrowY + 20 + i * 16, t, "", "middle")));
  x += arrowWidth + 10;
  drawSide(products, "p");
  const width = Math.max(x, 1);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">` +
    `<title>${escape(title(parts))}</title>${out.join("")}</svg>`
  );
}

function agentText(part: SchemePart): string {
  return clip(part.label ?? "?", 40);
}

function title(parts: readonly SchemePart[]): string {
  const names = (side: SchemePart["side"]) =>
    parts
      .filter((p) => p.side === side)
      .map((p) => p.label ?? "structure")
      .join(" + ");
  return `${names("reactants")} → ${names("products")}`;
}

/** OpenChemLib's <svg> placed at (x, y) inside ours. */
function nested(svg: string, x: number, y: number): string {
  return svg.replace(/^<svg\b/, `<svg x="${x}" y="${y}"`);
}

function text(x: number, y: number, content: string, style: string, anchor: "middle" | "start"): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" style="${FONT};${style}">${escape(content)}</text>`;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
