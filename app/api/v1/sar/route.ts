import { apiRoute } from "@/app/_lib/api";
import { sarForCampaign } from "@/db/queries/wiki-sar";
import { routes } from "@/lib/contract/routes";
import { sarJson } from "../campaigns/[slug]/wiki/json";

/** The R-group table of a core over a campaign's registry (what a wiki `sar` block shows), as JSON. */
export const GET = apiRoute(routes.getSar, async ({ db, origin, request }, { query }) => {
  const sar = await sarForCampaign(
    db,
    query.campaign,
    { core: query.core, assay: query.assay, series: query.series, status: query.status },
    request.signal,
  );
  return Response.json(sarJson(sar, origin));
});
