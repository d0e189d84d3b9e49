import { z } from "zod";

/** An x value in the spectrum's own unit (ppm, cm⁻¹, nm, m/z...). */
const coordinate = z
  .string()
  .regex(/^[-+]?(\d{1,12}(\.\d{0,12})?|\.\d{1,12})([eE][-+]?\d{1,3})?$/, "must be a number in the spectrum's x unit")
  .transform(Number)
  .refine(Number.isFinite, "must be a finite number");

/** `?from=&to=`: the x window to send points for (a zoom); both or neither. Without it, the whole spectrum. */
export const spectrumQuery = z
  .object({ from: coordinate.optional(), to: coordinate.optional() })
  .refine(({ from, to }) => (from === undefined) === (to === undefined), { message: "give both from and to, or neither", path: ["to"] })
  .refine(({ from, to }) => from === undefined || from !== to, { message: "must differ from `from`", path: ["to"] })
  .transform(({ from, to }) => (from === undefined || to === undefined ? undefined : { from: Math.min(from, to), to: Math.max(from, to) }));
