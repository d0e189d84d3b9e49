import { z } from "zod";
import { MEDIA_TYPES, OCSR_LIMITS } from "../ocsr/sniff";
import { SCANNED_TYPES, scanStatuses } from "../ocsr/scan";
import { defineRoute, recordId } from "./route";

// Structures from pictures (issue 18): recognition with OSRA. Spread into routes.ts.

const Box = z
  .object({ x: z.int(), y: z.int(), width: z.int(), height: z.int() })
  .meta({ description: "where in the picture (pixels from its top-left corner; for a PDF, of the page drawn at 300 dpi)" });

const Guessed = z
  .object({
    asCarbon: z.int().min(0).meta({ description: "unreadable labels between atoms, read as carbon" }),
    leftOut: z.int().min(0).meta({ description: "unreadable labels at an end of the structure (a caption, or an R group), left out" }),
  })
  .optional()
  .meta({
    description:
      "present when the structure rests on labels the recognizer could not read and the notebook guessed: check it against the picture",
  });

export const RecognizedStructure = z
  .object({
    smiles: z.string().meta({ description: "canonical SMILES, as the chemistry sandbox read OSRA's answer" }),
    molfile: z.string().meta({ description: "MDL molfile with 2D coordinates, to correct in the structure editor" }),
    formula: z.string(),
    confidence: z.number().meta({ description: "OSRA's confidence estimate: higher is better, about 2 and up for a clean drawing" }),
    agreement: z
      .object({ votes: z.int(), readings: z.int() })
      .meta({ description: "variants of the picture that read this structure here, out of those that read anything here" }),
    page: z.int().min(1),
    box: Box,
    guessed: Guessed,
    match: z
      .object({ id: z.string().meta({ description: "campaign ID, like OSM-S-123" }), path: z.string() })
      .optional()
      .meta({ description: "a registered molecule with the same structure (stereo, charges and isotopes equal)" }),
  })
  .meta({ id: "RecognizedStructure", description: "A structure found in a picture: nothing is registered until a person confirms it." });

export const Recognition = z
  .object({
    structures: z.array(RecognizedStructure).meta({ description: "in reading order: page, then top to bottom, left to right" }),
    message: z.string().optional().meta({ description: "“nothing recognized” when the list is empty" }),
    warnings: z
      .array(z.string())
      .meta({ description: "pages skipped (past the page cap, or out of time), a page the recognizer stopped on" }),
  })
  .meta({ id: "Recognition" });
export type RecognitionBody = z.input<typeof Recognition>;

const AttachmentRef = z.object({ id: z.int(), filename: z.string(), url: z.string().meta({ description: "the picture itself" }) });

export const EntryRecognition = z
  .object({
    pictures: z
      .array(
        z.object({
          attachment: AttachmentRef,
          status: z.enum([...scanStatuses, "unscanned"]).meta({
            description:
              "pending: waiting for the background scan (or being scanned); done; failed (the message says why); unscanned: not queued yet",
          }),
          found: z.int().meta({ description: "structures the last finished scan found" }),
          message: z.string().nullable().meta({ description: "why a scan failed, or what it warned about (pages skipped)" }),
          scannedAt: z.string().nullable(),
          recognizer: z.string().nullable().meta({ description: "the OSRA version and the notebook's pipeline that read it" }),
        }),
      )
      .meta({ description: `every attachment of the entry that is a picture (${SCANNED_TYPES.join(", ")})` }),
    structures: z.array(
      z.object({
        attachment: AttachmentRef,
        page: z.int().min(1),
        box: Box,
        smiles: z.string(),
        formula: z.string(),
        confidence: z.number(),
        agreement: z.object({ votes: z.int(), readings: z.int() }),
        guessed: Guessed,
        match: z
          .object({ id: z.string(), path: z.string() })
          .optional()
          .meta({ description: "a registered molecule with the same structure, as the registry stands now" }),
      }),
    ),
  })
  .meta({ id: "EntryRecognition", description: "Structures recognized in an entry's pictures: found by OSRA, confirmed by nobody." });
export type EntryRecognitionBody = z.input<typeof EntryRecognition>;

const binary = { schema: { type: "string", format: "binary", maxLength: OCSR_LIMITS.maxBytes } };

export const ocsrRoutes = {
  recognizeStructures: defineRoute({
    operationId: "recognizeStructures",
    method: "POST",
    path: "/api/v1/recognize",
    summary: "Recognize the chemical structures drawn in a picture or PDF (OSRA); nothing is stored",
    description:
      `The body is the file itself (PNG, JPEG, GIF, TIFF, WebP or PDF; its type is judged from its bytes, and a Content-Type that ` +
      `says otherwise is a 415), or multipart/form-data with a \`file\` field. At most ${OCSR_LIMITS.maxBytes / 1024 / 1024} MB and ` +
      `${OCSR_LIMITS.maxPixels / 1_000_000} megapixels (413); of a PDF or multi-page TIFF the first ${OCSR_LIMITS.maxPages} pages are read. ` +
      "A 503 says when OSRA is not installed on the server.",
    auth: true,
    rawBody: {
      required: true,
      content: {
        ...Object.fromEntries(Object.values(MEDIA_TYPES).map((type) => [type, binary])),
        "application/octet-stream": binary,
        "multipart/form-data": {
          schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] },
        },
      },
    },
    responses: { 200: { description: "The structures found, or none with a message", schema: Recognition } },
    errors: [400, 401, 413, 415, 422, 429, 503],
  }),
  entryRecognized: defineRoute({
    operationId: "entryRecognized",
    method: "GET",
    path: "/api/v1/entries/{id}/recognized",
    summary: "Structures recognized in the pictures attached to an entry (scanned in the background)",
    description:
      "Every picture or PDF attached to an entry is read by OSRA in the background after it is attached. This lists each " +
      "picture with where its scan stands, and the structures found, matched to registered molecules as the registry stands now.",
    params: { id: recordId("entry") },
    responses: { 200: { description: "The entry's pictures and their structures", schema: EntryRecognition } },
    errors: [404],
  }),
} as const;
