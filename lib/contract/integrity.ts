import { z } from "zod";
import { isoDateTime } from "./common";
import { defineRoute, textParam } from "./route";

// The campaign archive and its verifiable history (issue 16). Spread into routes.ts.

export const IntegrityReport = z
  .object({
    campaign: z.string(),
    ok: z.boolean().meta({ description: "every link verifies against the records as they are stored now" }),
    links: z.int().meta({ description: "links checked (up to the first that fails)" }),
    head: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: "hash of the last link that verified: compare with a published head or an archive" }),
    sealedAt: isoDateTime.nullable().meta({ description: "when the newest link was sealed" }),
    failure: z
      .object({ seq: z.int(), kind: z.string(), recordId: z.int(), reason: z.string() })
      .nullable()
      .meta({ description: "the first link that does not verify, and why" }),
  })
  .meta({
    id: "IntegrityReport",
    description:
      "A campaign's hash chain checked: every revision, molecule registration and measurement is sealed by SHA-256 over the previous link's hash and the record's canonical JSON.",
  });
export type IntegrityReportBody = z.input<typeof IntegrityReport>;

const slug = { slug: textParam("campaign slug") };

export const integrityRoutes = {
  getIntegrity: defineRoute({
    operationId: "getIntegrity",
    method: "GET",
    path: "/api/v1/campaigns/{slug}/integrity",
    summary: "Check a campaign's hash chain against its records as stored now (new records are sealed first)",
    params: slug,
    responses: { 200: json("The verdict (ok false names the first link that fails)", IntegrityReport) },
    errors: [404],
  }),
  getCampaignArchive: defineRoute({
    operationId: "getCampaignArchive",
    method: "GET",
    path: "/api/v1/campaigns/{slug}/archive",
    summary:
      "The complete campaign archive (maintainers): every row of the campaign with its history, attachments, the hash chain, a SHA-256 manifest and a verify script; restores with `npm run admin -- import`",
    auth: true,
    params: slug,
    responses: { 200: { description: "A zip with one folder", contentType: "application/zip" } },
    errors: [401, 403, 404],
  }),
} as const;

function json(description: string, schema: z.ZodType) {
  return { description, schema };
}
