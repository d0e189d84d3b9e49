import { apiRoute, downloadResponse } from "@/app/_lib/api";
import { exportSearch } from "@/db/queries/molecules/exports";
import { routes } from "@/lib/contract/routes";

/**
 * Every hit of a structure search (the parameters of GET /api/v1/search/molecules; cursor and limit ignored) as
 * an SD file, one record per measurement, in the search's order (see EXPORT_COLUMNS; a similarity search adds Similarity).
 */
export const GET = apiRoute(routes.exportSearchSdf, async ({ db, request }, { query }) =>
  downloadResponse(await exportSearch(db, query, "sdf", request.signal)),
);
