import { z } from "zod";
import { unit } from "../molecules/input";

// Imports of CSV, TSV and SD files into a campaign: the options and the answer.

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

/**
 * IDs in a file whose prefix is not this campaign's (a sheet from another campaign): `own-only` fails such rows (the
 * API's default: a typo in a prefix is not silently taken for another campaign's ID); `foreign-as-aliases` registers
 * them under this campaign's numbering and keeps each original ID as an alias; `adopt-prefix` makes the file's most
 * common prefix this campaign's own (only while it has no molecules, and only a prefix no other campaign uses) and
 * keeps the IDs of any other prefix as aliases.
 */
export const importIdModes = ["own-only", "foreign-as-aliases", "adopt-prefix"] as const;
export type ImportIdMode = (typeof importIdModes)[number];

export const importInput = z.strictObject({
  format: z.enum(importFormats, { error: "must be csv, tsv or sdf" }),
  text: z.string({ error: "must be the file's text" }),
  mapping: importMappingInput.optional(),
  /** Unit of measurement columns whose header names none (the OSM sheet's IC50 columns are µM). */
  unit: unit.optional(),
  /** What to do with IDs whose prefix is another campaign's (see importIdModes); default own-only. */
  ids: z.enum(importIdModes, { error: `must be ${importIdModes.join(", ")}` }).optional(),
});
export type ImportInput = z.infer<typeof importInput>;

/** `POST /api/v1/imports`: where to, and how to read the body (a bad campaign parameter is a 400). */
export const importQuery = z.object({
  campaign: z
    .string({ error: "is required as a query parameter (the campaign's slug)" })
    .min(1, "is required as a query parameter (the campaign's slug)"),
  // Checked with the body (importInput), so an unknown format is a 422 like any other bad option.
  format: z
    .string()
    .optional()
    .meta({
      enum: [...importFormats, "eln"],
      description: "default: from the Content-Type; eln: an .eln archive (a zip; answered with ElnImportResult, see exportCampaignEln)",
    }),
  mapping: z
    .string()
    .optional()
    .meta({ description: 'JSON object of column roles overriding the guessed ones, e.g. {"id":null,"smiles":"Structure"}' }),
  unit: z.string().optional().meta({ description: "unit of measurement columns whose header names none, e.g. µM" }),
  // Checked with the body too (a 422 naming `ids`).
  ids: z
    .string()
    .optional()
    .meta({
      enum: [...importIdModes],
      description:
        "IDs with another campaign's prefix: own-only (default) fails those rows; foreign-as-aliases registers them under this campaign's numbering, keeping each original ID as an alias; adopt-prefix makes the file's most common prefix this campaign's (only for a campaign without molecules, and a prefix no other campaign uses; 409 otherwise)",
    }),
});

export const RowMessage = z
  .object({
    row: z.int().meta({ description: "as a spreadsheet numbers it: header = 1; SDF: record number" }),
    column: z.string().optional(),
    message: z.string(),
  })
  .meta({ id: "RowMessage" });

export const ImportResult = z
  .object({
    imported: z.int().meta({ description: "rows that registered a molecule or added an alias or measurement" }),
    unchanged: z.int().meta({ description: "rows already stored as they are" }),
    failed: z.int().meta({ description: "rows not imported (nothing of them stored)" }),
    errors: z.array(RowMessage),
    warnings: z.array(RowMessage),
    registered: z.int(),
    measurementsAdded: z.int(),
  })
  .meta({ id: "ImportResult" });
