import { apiRoute } from "@/app/_lib/api";
import { registryJson } from "@/app/api/v1/molecules/json";
import { requireCampaign } from "@/db/queries/campaigns";
import { registrySettings, setRegistrySettings } from "@/db/queries/molecules/registry";
import { routes } from "@/lib/contract/routes";

/** How the campaign numbers its molecules: prefix, default site letter, next number per prefix and site. */
export const GET = apiRoute(routes.getRegistry, async ({ db }, { params }) => {
  const campaign = await requireCampaign(db, params.slug);
  return Response.json(registryJson(campaign.slug, await registrySettings(db, campaign)));
});

/** `{prefix?, defaultSite?}` (maintainers). A new prefix applies from the next registration; IDs never change. */
export const PATCH = apiRoute(routes.setRegistry, async ({ db, actor }, { params, body }) => {
  const settings = await setRegistrySettings(db, await actor(), params.slug, body);
  return Response.json(registryJson(params.slug.toLowerCase(), settings));
});
