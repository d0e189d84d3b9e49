import { z } from "zod";
import { qualifiers } from "./model";
import { workDate } from "@/lib/entries/input";
import { normalizeUnit } from "./assay";
import { canonicalCode } from "./campaign-id";
import { PREFIX_PATTERN, SITE_PATTERN } from "./registry-prefix";

export const compareModes = ["exact", "no-stereo", "parent"] as const;
export type CompareMode = (typeof compareModes)[number];

const oneLine = (max: number) =>
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

const site = z.string({ error: "must be one letter" }).trim().toUpperCase().regex(SITE_PATTERN, "must be one letter, A to Z");

export const registerMoleculeInput = z.strictObject({
  campaign: z.string({ error: "is required (the campaign's slug)" }).min(1, "is required (the campaign's slug)"),
  // Sizes and content are checked by lib/chem before parsing (too long → 413, unreadable → 422).
  smiles: z.string({ error: "must be a string" }).nullish(),
  molfile: z.string({ error: "must be a string" }).nullish(),
  id: campaignCode.optional(),
  site: site.optional(),
  name: oneLine(200).optional(),
  series: oneLine(50).optional(),
  aliases: z.array(alias).max(50, "at most 50 aliases").default([]),
  compare: z.enum(compareModes, { error: "must be exact, no-stereo or parent" }).default("exact"),
  /** Maintainers: register a batch or salt form of this molecule (its parent). */
  parentId: campaignCode.optional(),
  /** Maintainers: register although the duplicate check finds this molecule; the new one is linked to it. */
  allowDuplicateOf: campaignCode.optional(),
});
export type RegisterMoleculeInput = z.infer<typeof registerMoleculeInput>;

export const unit = z.string({ error: "must be a string" }).transform((text, ctx) => {
  if (text.trim() === "") return null;
  const normalized = normalizeUnit(text);
  if (normalized === null) {
    ctx.addIssue({ code: "custom", message: "is not a unit (e.g. µM, nM, µg/mL, %)" });
    return z.NEVER;
  }
  return normalized;
});

export const measurementInput = z.strictObject({
  assay: oneLine(100).pipe(z.string().min(1, "is required, e.g. IC50")),
  target: oneLine(100).optional(),
  lab: oneLine(100).optional(),
  value: z
    .number({ error: "must be a number" })
    .refine(Number.isFinite, "must be a finite number")
    .refine((v) => Math.abs(v) < 1e15, "is too large"),
  unit: unit.nullish(),
  qualifier: z.enum(qualifiers, { error: "must be =, < or >" }).default("="),
  measuredOn: workDate.optional(),
  /** The entry that reports the measurement: must belong to the molecule's campaign. */
  entryId: z.number({ error: "must be an entry id" }).int("must be an integer").positive("must be positive").optional(),
});
export type MeasurementInput = z.infer<typeof measurementInput>;

export const parkInput = z.strictObject({
  reason: oneLine(500).pipe(z.string().min(1, "is required: say why the molecule is parked")),
});

export const registrySettingsInput = z.strictObject({
  prefix: z
    .string({ error: "must be a string" })
    .trim()
    .toUpperCase()
    .regex(PREFIX_PATTERN, "must be 1-12 letters or digits, starting with a letter")
    .optional(),
  defaultSite: site.optional(),
});

export const moleculeSorts = ["id", "name", "mass", "clogp", "tpsa", "heavyAtoms", "created"] as const;

export const listMoleculesQuery = z.object({
  campaign: z.string().min(1).optional(),
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  status: z.enum(["active", "parked"], { error: "must be active or parked" }).optional(),
  page: z.coerce
    .number({ error: "must be a positive integer" })
    .int("must be a positive integer")
    .min(1, "must be a positive integer")
    .max(1_000_000)
    .default(1),
  perPage: z.coerce
    .number({ error: "must be an integer from 1 to 1000" })
    .int("must be an integer from 1 to 1000")
    .min(1, "must be an integer from 1 to 1000")
    .max(1000, "must be an integer from 1 to 1000")
    .default(50),
  /** A field, descending with a leading "-": "-mass". */
  sort: z
    .string()
    .regex(new RegExp(`^-?(${moleculeSorts.join("|")})$`), `must be one of ${moleculeSorts.join(", ")}, with - for descending`)
    .default("id"),
});
export type ListMoleculesQuery = z.infer<typeof listMoleculesQuery>;

const column = z.string().min(1).max(200).nullable();

/**
 * Import column roles, overriding the ones guessed from the headers; null ignores a column. Beside lib/chem's
 * roles, `unit`, `target`, `lab` and `date` name columns of a long-format sheet (one measurement per row).
 */
export const importMappingInput = z.strictObject({
  id: column.optional(),
  smiles: column.optional(),
  name: column.optional(),
  aliases: column.optional(),
  inchiKey: column.optional(),
  series: column.optional(),
  assay: column.optional(),
  value: column.optional(),
  qualifier: column.optional(),
  unit: column.optional(),
  target: column.optional(),
  lab: column.optional(),
  date: column.optional(),
  measurements: z
    .array(
      z.strictObject({
        column: z.string().min(1).max(200),
        endpoint: z.string().min(1).max(50),
        unit: z.string().max(24).nullable().default(null),
      }),
    )
    .max(200)
    .optional(),
});
export type ImportMappingInput = z.infer<typeof importMappingInput>;

export const importFormats = ["csv", "tsv", "sdf"] as const;
export type ImportFormat = (typeof importFormats)[number];

export const importInput = z.strictObject({
  format: z.enum(importFormats, { error: "must be csv, tsv or sdf" }),
  text: z.string({ error: "must be the file's text" }),
  mapping: importMappingInput.optional(),
  /** Unit of measurement columns whose header names none (the OSM sheet's IC50 columns are µM). */
  unit: unit.optional(),
});
