import { apiHandler } from "@/app/_lib/api";
import { campaignJson, memberJson } from "@/app/_lib/json";
import { listMembers, requireCampaign } from "@/db/queries/campaigns";

export const GET = apiHandler<{ slug: string }>(async ({ db, origin }, { slug }) => {
  const campaign = await requireCampaign(db, slug);
  const members = await listMembers(db, campaign.id);
  return Response.json({ ...campaignJson(campaign, origin), members: members.map(memberJson) });
});
