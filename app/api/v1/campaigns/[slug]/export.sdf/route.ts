import { apiRoute, downloadResponse } from "@/app/_lib/api";
import { exportCampaign } from "@/db/queries/molecules/exports";
import { routes } from "@/lib/contract/routes";

/** The campaign's molecules and measurements as an SD file, one record per measurement (see EXPORT_COLUMNS). */
export const GET = apiRoute(routes.exportCampaignSdf, async ({ db }, { params }) => downloadResponse(await exportCampaign(db, params.slug, "sdf")));
