import { apiHandler, readJson } from "@/app/_lib/api";
import { registryJson } from "@/app/api/v1/molecules/json";
import { requireCampaign } from "@/db/queries/campaigns";
import { registrySettings, setRegistrySettings } from "@/db/queries/molecules/registry";
import { requireActor } from "@/lib/auth/policy";

/** How the campaign numbers its molecules: prefix, default site letter, next number per prefix and site. */
export const GET = apiHandler<{ slug: string }>(async ({ db }, { slug }) => {
  const campaign = await requireCampaign(db, slug);
  return Response.json(registryJson(campaign.slug, await registrySettings(db, campaign)));
});

/** `{prefix?, defaultSite?}` (maintainers). A new prefix applies from the next registration; IDs never change. */
export const PATCH = apiHandler<{ slug: string }>(async ({ db, request, actor }, { slug }) => {
  const who = await actor();
  requireActor(who);
  const settings = await setRegistrySettings(db, who, slug, await readJson(request));
  return Response.json(registryJson(slug.toLowerCase(), settings));
});
