import type { Box } from "./parse";

// A drawn reaction scheme read back as reaction SMILES. OSRA 2.1 (Debian's) has no reaction mode: it finds the
// structures of a scheme but not its arrow. A scheme is drawn along one line, reactants first, and the arrow (with
// its conditions written over and under it) is the widest gap between two neighbouring structures — wider than the
// "+" between reactants. The answer is a proposal the chemist checks in the reaction block before it fills rows.

export interface PlacedStructure {
  smiles: string;
  page: number;
  box: Box;
}

export interface SchemeReading {
  /** `reactants>>products`, structures joined with dots. */
  reactionSmiles: string;
  reactants: string[];
  products: string[];
  /** How the structures lie: along a row (left to right) or a column (top to bottom). */
  direction: "row" | "column";
}

/**
 * The reaction a picture's structures most likely stand for: those of the first page with at least two, in drawing
 * order along the direction they spread most, split at the widest gap. Null when no page has two structures.
 */
export function schemeFromStructures(structures: readonly PlacedStructure[]): SchemeReading | null {
  const pages = [...new Set(structures.map((s) => s.page))].sort((a, b) => a - b);
  const page = pages.find((p) => structures.filter((s) => s.page === p).length >= 2);
  if (page === undefined) return null;
  const onPage = structures.filter((s) => s.page === page);
  const centre = (s: PlacedStructure, axis: "x" | "y") => (axis === "x" ? s.box.x + s.box.width / 2 : s.box.y + s.box.height / 2);
  const spread = (axis: "x" | "y") => {
    const values = onPage.map((s) => centre(s, axis));
    return Math.max(...values) - Math.min(...values);
  };
  const direction = spread("x") >= spread("y") ? "row" : "column";
  const axis = direction === "row" ? "x" : "y";
  const ordered = [...onPage].sort((a, b) => centre(a, axis) - centre(b, axis));
  const start = (s: PlacedStructure) => (axis === "x" ? s.box.x : s.box.y);
  const end = (s: PlacedStructure) => (axis === "x" ? s.box.x + s.box.width : s.box.y + s.box.height);
  let split = 1;
  let widest = -Infinity;
  for (let i = 1; i < ordered.length; i++) {
    const gap = start(ordered[i]!) - end(ordered[i - 1]!);
    if (gap > widest) {
      widest = gap;
      split = i;
    }
  }
  const reactants = ordered.slice(0, split).map((s) => s.smiles);
  const products = ordered.slice(split).map((s) => s.smiles);
  return { reactionSmiles: `${reactants.join(".")}>>${products.join(".")}`, reactants, products, direction };
}
