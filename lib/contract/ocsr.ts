import { z } from "zod";
import { MEDIA_TYPES, OCSR_LIMITS } from "../ocsr/sniff";
import { defineRoute } from "./route";

// Structures from pictures (issue 18): recognition with OSRA. Spread into routes.ts.

const Box = z
  .object({ x: z.int(), y: z.int(), width: z.int(), height: z.int() })
  .meta({ description: "where in the picture (pixels from its top-left corner; for a PDF, of the page drawn at 300 dpi)" });

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
} as const;
