import { z } from "zod";
import { body, message, title } from "../entries/input";
import { isoDateTime, url } from "./common";
import { baseRevision } from "./entries";

// The campaign wiki: page request bodies and answers, and the SAR table's parameters and answer.

export const createPageInput = z.strictObject({
  title,
  body: body.default(""),
  message,
});
export type CreatePageInput = z.infer<typeof createPageInput>;

export const updatePageInput = z.strictObject({
  title: title.optional().meta({ description: "a new title moves the page to the title's slug (the home page keeps its title)" }),
  body: body.optional(),
  message,
  baseRevision,
});
export type UpdatePageInput = z.infer<typeof updatePageInput>;

const Backlink = z.object({ kind: z.enum(["entry", "page", "todo"]), title: z.string(), url });

export const WikiPage = z
  .object({
    id: z.int(),
    campaign: z.string().meta({ description: "campaign slug" }),
    slug: z.string().meta({ description: "the page's address in its campaign's wiki, made from its title" }),
    title: z.string(),
    body: z.string().meta({ description: "markdown with live blocks (```molecules, ```sar, ```chart, ```entries, ```todos)" }),
    home: z.boolean().meta({ description: "the campaign's home page (its overview)" }),
    author: z.string().meta({ description: "who started the page" }),
    revisionId: z.int().meta({ description: "id of the current revision: send it as baseRevision when editing" }),
    revisionNumber: z.int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    deleted: z.boolean(),
    url,
    linkedFrom: z.array(Backlink).optional().meta({ description: "GET only: entries, pages and to-dos that link here with [[its title]]" }),
    changed: z.boolean().optional().meta({ description: "PATCH only: false when the save changed nothing" }),
  })
  .meta({ id: "WikiPage" });
export type WikiPageBody = z.input<typeof WikiPage>;

export const WikiPageList = z.object({
  pages: z.array(
    z.object({ slug: z.string(), title: z.string(), author: z.string(), revisionNumber: z.int(), updatedAt: isoDateTime, url }),
  ),
});

export const sarQuery = z.object({
  core: z
    .string({ error: "is required: a core with numbered attachment points, e.g. [*:1]c1nnc2cncc([*:2])n12" })
    .trim()
    .min(1, "is required: a core with numbered attachment points, e.g. [*:1]c1nnc2cncc([*:2])n12")
    .max(500, "must be at most 500 characters")
    .meta({ description: "SMILES or SMARTS of the core with attachment points [*:1], [*:2], …" }),
  campaign: z.string({ error: "is required (a campaign slug)" }).min(1, "is required (a campaign slug)").max(100),
  assay: z.string().max(300).optional().meta({ description: "the assay whose best value each row shows (as in structure search)" }),
  series: z.string().max(100).optional(),
  status: z.enum(["active", "parked", "any"]).default("active"),
});
export type SarQuery = z.infer<typeof sarQuery>;

const Best = z.object({ value: z.number(), unit: z.string().nullable(), qualifier: z.enum(["=", "<", ">"]) }).nullable();

export const SarTable = z
  .object({
    core: z.string(),
    campaign: z.string(),
    assay: z.string().nullable().meta({ description: "the assay column of `best`, as the pages label it" }),
    attachmentPoints: z.array(z.string()).meta({ examples: [["R1", "R2"]] }),
    rows: z.array(
      z.object({
        molecule: z.string().meta({ description: "campaign ID" }),
        substituents: z
          .record(z.string(), z.string())
          .meta({ description: "per attachment point, the substituent's SMILES with its attachment as [*:n]; [H] for hydrogen" }),
        best: Best,
        url,
      }),
    ),
    apart: z
      .array(z.object({ molecule: z.string(), reason: z.string(), url }))
      .meta({ description: "molecules that contain the core but are substituted where the core has no numbered attachment point" }),
  })
  .meta({ id: "SarTable" });
export type SarTableBody = z.input<typeof SarTable>;
