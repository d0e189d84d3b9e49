import { apiHandler, readJson } from "@/app/_lib/api";
import { campaignJson } from "@/app/_lib/json";
import { createCampaign, listCampaigns } from "@/db/queries/campaigns";

export const GET = apiHandler(async ({ db, origin }) => {
  const campaigns = await listCampaigns(db);
  return Response.json({ campaigns: campaigns.map((c) => campaignJson(c, origin)) });
});

export const POST = apiHandler(async ({ db, origin, request, actor }) => {
  const campaign = await createCampaign(db, await actor(), await readJson(request));
  return Response.json(campaignJson(campaign, origin), { status: 201, headers: { Location: `${origin}/api/v1/campaigns/${campaign.slug}` } });
});
