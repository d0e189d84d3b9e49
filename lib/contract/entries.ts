import { z } from "zod";
import { ATTACHMENT_MAX_BYTES } from "../entries/attachments";
import { BODY_MAX, TITLE_MAX, body, message, title, workDate } from "../entries/input";
import { reactionsInput } from "../stoichiometry/input";
import { licenseId } from "./campaigns";
import { isoDate, isoDateTime, url } from "./common";
import { Reaction } from "./reactions";

// Entries, their revisions and attachments: request bodies, list parameters and answers.

export const createEntryInput = z.strictObject({
  campaign: z.string({ error: "is required (the campaign's slug)" }).min(1, "is required (the campaign's slug)"),
  date: workDate,
  title,
  body: body.default(""),
  reactions: reactionsInput.default([]).meta({ description: "reaction blocks: rows as entered; the table is computed on save" }),
  message,
});
export type CreateEntryInput = z.infer<typeof createEntryInput>;

/** The revision an edit is based on: a save on a stale one is a 409 carrying the newer text. */
export const baseRevision = z
  .number({ error: "is required: the revisionId your edit is based on" })
  .int("must be an integer")
  .positive("must be positive")
  .meta({ description: "the revisionId the edit is based on; a stale one is a 409" });

export const updateEntryInput = z.strictObject({
  title: title.optional(),
  body: body.optional(),
  date: workDate.optional(),
  reactions: reactionsInput.optional().meta({ description: "the entry's reactions, all of them (left out: unchanged)" }),
  message,
  baseRevision,
});
export type UpdateEntryInput = z.infer<typeof updateEntryInput>;

/** `GET /api/v1/entries` (a bad parameter is a 400). */
export const listEntriesQuery = z.object({
  campaign: z.string().optional().meta({ description: "campaign slug" }),
  q: z
    .string()
    .max(200, "must be at most 200 characters")
    .optional()
    .meta({ description: 'web-search syntax: words, "phrases", -excluded' }),
  page: z
    .string()
    .regex(/^\d{1,6}$/, "must be a positive integer")
    .transform(Number)
    .pipe(z.number().min(1, "must be a positive integer"))
    .optional()
    .meta({ description: "from 1" }),
  perPage: z.coerce
    .number({ error: "must be an integer from 1 to 100" })
    .int("must be an integer from 1 to 100")
    .min(1, "must be an integer from 1 to 100")
    .max(100, "must be an integer from 1 to 100")
    .default(20),
});
export type ListEntriesQuery = z.infer<typeof listEntriesQuery>;

export const Entry = z
  .object({
    id: z.int(),
    campaign: z.string().meta({ description: "campaign slug" }),
    date: isoDate.meta({ description: "date of the work (not the server's time of writing)" }),
    title: z.string().max(TITLE_MAX),
    body: z.string().max(BODY_MAX).meta({ description: "markdown" }),
    reactions: z.array(Reaction),
    author: z.string(),
    revisionId: z.int().meta({ description: "id of the current revision: send it as baseRevision when editing" }),
    revisionNumber: z.int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    deleted: z.boolean(),
    license: licenseId.meta({ description: "SPDX identifier of the licence of its campaign's data" }),
    licenseUrl: url,
    url,
    snippet: z.string().optional().meta({ description: "search only: matching passage, matches between « and »" }),
    rank: z.number().optional().meta({ description: "search only" }),
    changed: z.boolean().optional().meta({ description: "PATCH only: false when the save changed nothing" }),
  })
  .meta({ id: "Entry" });
export type EntryBody = z.input<typeof Entry>;

export const EntryList = z.object({ entries: z.array(Entry), page: z.int(), perPage: z.int(), hasMore: z.boolean() });

export const Revision = z
  .object({
    id: z.int(),
    entryId: z.int(),
    number: z.int(),
    title: z.string(),
    body: z.string(),
    reactions: z.array(Reaction),
    message: z.string().nullable(),
    author: z.string(),
    createdAt: isoDateTime,
    url,
  })
  .meta({ id: "Revision" });
export type RevisionBody = z.input<typeof Revision>;

export const Attachment = z
  .object({
    id: z.int(),
    entryId: z.int(),
    filename: z.string(),
    contentType: z.string(),
    size: z.int().max(ATTACHMENT_MAX_BYTES),
    sha256: z.string(),
    createdAt: isoDateTime,
    url,
  })
  .meta({ id: "Attachment" });
export type AttachmentBody = z.input<typeof Attachment>;
