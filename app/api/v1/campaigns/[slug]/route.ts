import { apiRoute } from "@/app/_lib/api";
import { campaignJson, memberJson } from "@/app/_lib/json";
import { listMembers, requireCampaign, updateCampaign } from "@/db/queries/campaigns";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.getCampaign, async ({ db, origin }, { params }) => {
  const campaign = await requireCampaign(db, params.slug);
  const members = await listMembers(db, campaign.id);
  return Response.json({ ...campaignJson(campaign, origin), members: members.map(memberJson) });
});

/** `{license}` (maintainers): the licence the campaign's data is published under from now on. */
export const PATCH = apiRoute(routes.updateCampaign, async ({ db, origin, actor }, { params, body }) =>
  Response.json(campaignJson(await updateCampaign(db, await actor(), params.slug, body), origin)),
);
