import { apiHandler, downloadResponse } from "@/app/_lib/api";
import { exportCampaign } from "@/db/queries/molecules/exports";

/** The campaign's molecules and measurements as an SD file, one record per measurement (see EXPORT_COLUMNS). */
export const GET = apiHandler<{ slug: string }>(async ({ db }, { slug }) => downloadResponse(await exportCampaign(db, slug, "sdf")));
