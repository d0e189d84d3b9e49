import { z } from "zod";
import { errorStatus } from "../errors";

// Shapes every part of the API shares: the error body, dates, links.

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
export const url = z.url();
export const nullableString = z.string().nullable();

/** A revision as a stale save's 409 carries it (`error.current`). */
export const RevisionSummary = z
  .object({
    revisionId: z.int(),
    number: z.int(),
    title: z.string(),
    body: z.string(),
    author: z.string(),
    createdAt: z.string(),
  })
  .partial()
  .meta({ id: "RevisionSummary" });

/** Every error answer: `{error: {code, message, ...details}}`; the details by code are lib/errors' ErrorDetailsByCode. */
export const ErrorBody = z
  .object({
    error: z.looseObject({
      code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().meta({ description: "each bad field (a dotted path) and what is wrong with it" }),
      current: RevisionSummary.optional(),
      existing: z
        .object({ id: z.string(), name: nullableString, path: z.string() })
        .optional()
        .meta({ description: "409 on a molecule: the molecule that already has this structure, ID or alias" }),
      compare: z.enum(["exact", "no-stereo", "parent"]).optional(),
      timeout: z.boolean().optional().meta({ description: "422 on a search: it was stopped at its time limit (10 s)" }),
      assays: z.array(z.string()).optional().meta({ description: "422 on an unknown assay: the assays measured there" }),
      retryAfter: z.int().optional().meta({ description: "429: seconds until a retry can succeed (also the Retry-After header)" }),
    }),
  })
  .meta({ id: "Error" });

/** What each error status means, as the document says it. */
export const STATUS_TEXT: Record<number, string> = {
  400: "Bad request (malformed JSON, bad query parameter)",
  401: "Not signed in, or a bad token",
  403: "Signed in but not allowed",
  404: "Not found",
  405: "Method not allowed: the record is sealed (a prediction set); the `Allow` header says what is",
  409: "Conflict: stale baseRevision (the error carries `current`), duplicate slug, a structure, ID or alias already registered (the error carries `existing`)",
  413: "Body too large (or a SMILES over 2,000 characters, a molfile over 200 kB)",
  415: "Body is not JSON",
  422: "Validation failed: `fields` names each bad field",
  410: "Gone: the link has expired",
  429: "Rate limited: see Retry-After",
  431: "The URL and headers are larger than 16 kB",
  503: "The chemistry toolkit is unavailable, or e-mail is off on this notebook (`mail_off`)",
};
