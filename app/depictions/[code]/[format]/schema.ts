import { z } from "zod";

/** What /molecules/{code}.{format} serves: the two drawings and the molfile. */
export const depictionFormat = z.enum(["svg", "png", "mol"]);
export type DepictionFormat = z.infer<typeof depictionFormat>;

export const SIZE_LIMITS = { min: 32, max: 1600 } as const;
const DEFAULT = { width: 300, height: 200 } as const;

// A size in pixels: digits only; out-of-range values are clamped rather than refused, so a thumbnail asked for at
// 10 px or a poster at 5000 px still gets an image.
const pixels = z
  .string()
  .regex(/^\d{1,6}$/, "must be a whole number of pixels")
  .transform((text) => Math.min(SIZE_LIMITS.max, Math.max(SIZE_LIMITS.min, Number(text))));

// Atoms to highlight (a substructure match from the search API): comma-separated atom numbers of the idcode.
const highlight = z
  .string()
  .regex(/^\d{1,4}(,\d{1,4}){0,499}$/, "must be atom numbers separated by commas")
  .transform((text) => [...new Set(text.split(",").map(Number))].sort((a, b) => a - b));

export const depictionQuery = z
  .object({ w: pixels.optional(), h: pixels.optional(), hl: highlight.optional() })
  .transform(({ w, h, hl }) => {
    const atoms = hl ?? [];
    // One side given: keep the default 3:2 box.
    if (w !== undefined && h === undefined) return { width: w, height: clamp(Math.round((w * DEFAULT.height) / DEFAULT.width)), highlight: atoms };
    if (h !== undefined && w === undefined) return { width: clamp(Math.round((h * DEFAULT.width) / DEFAULT.height)), height: h, highlight: atoms };
    return { width: w ?? DEFAULT.width, height: h ?? DEFAULT.height, highlight: atoms };
  });

function clamp(n: number): number {
  return Math.min(SIZE_LIMITS.max, Math.max(SIZE_LIMITS.min, n));
}
