import { z } from "zod";
import { login, slug } from "../campaigns/input";
import { DEFAULT_LICENSE, licenseIds } from "../campaigns/licenses";
import { roles } from "../campaigns/model";
import { isoDate, isoDateTime, url } from "./common";

// Campaigns and their members: request bodies and answers.

/** The licence of a campaign's data, by SPDX identifier (lib/campaigns/licenses.ts). */
export const licenseId = z
  .enum(licenseIds, { error: `must be one of ${licenseIds.join(", ")}` })
  .meta({ description: "SPDX identifier of the licence the campaign's data is published under" });

export const createCampaignInput = z.strictObject({
  name: z.string({ error: "is required" }).trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
  slug,
  description: z.string().trim().max(2000, "must be at most 2000 characters").default(""),
  license: licenseId.default(DEFAULT_LICENSE),
});
export type CreateCampaignInput = z.infer<typeof createCampaignInput>;

/** `PATCH /api/v1/campaigns/{slug}` (maintainers): what a maintainer may change after the start. */
export const updateCampaignInput = z.strictObject({ license: licenseId });
export type UpdateCampaignInput = z.infer<typeof updateCampaignInput>;

export const memberInput = z.strictObject({
  login,
  role: z.enum(roles, { error: "must be maintainer or member" }),
});
export type MemberInput = z.infer<typeof memberInput>;

export const Campaign = z
  .object({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    createdAt: isoDateTime,
    entryCount: z.int().optional(),
    memberCount: z.int().optional(),
    lastWorkDate: isoDate.nullable().optional(),
    license: licenseId,
    licenseUrl: url.meta({ description: "the licence's text" }),
    url,
  })
  .meta({ id: "Campaign" });
export type CampaignBody = z.input<typeof Campaign>;

export const Member = z
  .object({ login: z.string(), name: z.string().nullable(), role: z.enum(roles), since: isoDateTime })
  .meta({ id: "Member" });
export type MemberBody = z.input<typeof Member>;

export const CampaignList = z.object({ campaigns: z.array(Campaign) });
export const CampaignWithMembers = Campaign.extend({ members: z.array(Member) });
export const Me = z.object({
  login: z.string(),
  campaigns: z.array(z.object({ slug: z.string(), name: z.string(), role: z.enum(roles) })),
});
