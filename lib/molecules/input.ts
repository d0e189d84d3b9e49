import { z } from "zod";
import { normalizeUnit } from "./assay";
import { canonicalCode } from "./campaign-id";
import { SITE_PATTERN } from "./registry-prefix";

export const compareModes = ["exact", "no-stereo", "parent"] as const;
export type CompareMode = (typeof compareModes)[number];

/** One line of text, trimmed, at most `max` characters. */
export const oneLine = (max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), "must be one line of text");

/** A campaign ID in any case, returned in its one spelling: "osm-s-12" → "OSM-S-12". */
export const campaignCode = z.string({ error: "must be a campaign ID like OSM-S-123" }).transform((text, ctx) => {
  const code = canonicalCode(text);
  if (code === null) {
    ctx.addIssue({ code: "custom", message: "is not a campaign ID like OSM-S-123" });
    return z.NEVER;
  }
  return code;
});

export const alias = oneLine(100).pipe(z.string().min(1, "must not be empty"));

export const site = z.string({ error: "must be one letter" }).trim().toUpperCase().regex(SITE_PATTERN, "must be one letter, A to Z");

export const unit = z.string({ error: "must be a string" }).transform((text, ctx) => {
  if (text.trim() === "") return null;
  const normalized = normalizeUnit(text);
  if (normalized === null) {
    ctx.addIssue({ code: "custom", message: "is not a unit (e.g. µM, nM, µg/mL, %)" });
    return z.NEVER;
  }
  return normalized;
});
