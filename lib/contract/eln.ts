import { z } from "zod";
import { ELN_LIMITS } from "../eln/model";
import { defineRoute, recordId, textParam } from "./route";

// .eln archives (RO-Crate) in and out (issue 16). Spread into routes.ts. The import is `POST /api/v1/imports` with
// `format=eln` (routes.importSheet); its answer is ElnImportResult.

export const ELN_MEDIA_TYPE = "application/vnd.eln+zip";

/** `?entries=1,2,3`: some entries of the campaign instead of all of them. */
export const elnExportQuery = z.object({
  entries: z
    .string()
    .regex(/^\d{1,10}(,\d{1,10}){0,499}$/, "must be entry ids separated by commas (at most 500)")
    .optional()
    .transform((s) => (s === undefined ? undefined : [...new Set(s.split(",").map(Number))]))
    .meta({ description: "only these entries of the campaign (ids separated by commas), with the molecules they mention" }),
});

const ElnItem = z.object({
  item: z.string().meta({ description: "the crate node's @id, or the archive member's path" }),
  reason: z.string(),
});

export const ElnImportResult = z
  .object({
    format: z.literal("eln"),
    source: z.string().meta({ description: 'the notebook that wrote the archive, as it names itself ("eLabFTW 5.3.0")' }),
    license: z.string().nullable().meta({ description: "the archive's licence, as it states it" }),
    imported: z.object({
      entries: z.int(),
      attachments: z.int(),
      comments: z.int(),
      reactions: z.int(),
      molecules: z.int().meta({ description: "molecules registered" }),
      moleculesLinked: z.int().meta({ description: "structures already registered in the campaign, linked instead" }),
      measurements: z.int(),
    }),
    entries: z.array(
      z.object({ id: z.int(), title: z.string(), path: z.string(), source: z.string().meta({ description: "the Dataset's @id" }) }),
    ),
    molecules: z.array(z.object({ id: z.string(), code: z.string(), registered: z.boolean(), source: z.string() })),
    skipped: z.array(ElnItem).meta({ description: "what the archive holds that the notebook did not map, and why" }),
    errors: z
      .array(ElnItem)
      .meta({ description: "what could not be imported (an unreadable structure, a reaction that does not compute)" }),
  })
  .meta({ id: "ElnImportResult" });
export type ElnImportResultBody = z.input<typeof ElnImportResult>;

const archive = (what: string) => ({
  description: `${what} as an .eln archive (The ELN Consortium's format: a zip with one root folder holding an RO-Crate 1.1 ro-crate-metadata.json); attachment: <name>.eln`,
  contentType: ELN_MEDIA_TYPE,
});

export const elnRoutes = {
  exportEntryEln: defineRoute({
    operationId: "exportEntryEln",
    method: "GET",
    path: "/api/v1/entries/{id}/export.eln",
    summary:
      "An entry as an .eln archive: text, attachments (with SHA-256), comments, reactions, the molecules it mentions and their measurements",
    params: { id: recordId("entry") },
    responses: { 200: archive("The entry") },
    errors: [404],
  }),
  exportCampaignEln: defineRoute({
    operationId: "exportCampaignEln",
    method: "GET",
    path: "/api/v1/campaigns/{slug}/export.eln",
    summary: "A campaign's notebook as an .eln archive (every entry, or `entries=1,2,3`), with its molecules, measurements and licence",
    description: `Imports into another notebook with \`POST /api/v1/imports?format=eln&campaign=<slug>\` (archives up to ${ELN_LIMITS.archiveBytes / 1024 / 1024} MB).`,
    params: { slug: textParam("campaign slug") },
    query: elnExportQuery,
    queryStatus: 400,
    responses: { 200: archive("The campaign's notebook") },
    errors: [400, 404],
  }),
} as const;
