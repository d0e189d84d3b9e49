import { apiRoute } from "@/app/_lib/api";
import { campaignJson } from "@/app/_lib/json";
import { createCampaign, listCampaigns } from "@/db/queries/campaigns";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.listCampaigns, async ({ db, origin }) => {
  const campaigns = await listCampaigns(db);
  return Response.json({ campaigns: campaigns.map((c) => campaignJson(c, origin)) });
});

export const POST = apiRoute(routes.createCampaign, async ({ db, origin, actor }, { body }) => {
  const campaign = await createCampaign(db, await actor(), body);
  return Response.json(campaignJson(campaign, origin), { status: 201, headers: { Location: `${origin}/api/v1/campaigns/${campaign.slug}` } });
});
