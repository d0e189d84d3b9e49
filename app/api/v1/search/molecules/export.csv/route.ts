import { apiHandler, downloadResponse } from "@/app/_lib/api";
import { exportSearch } from "@/db/queries/molecules/exports";

/**
 * Every hit of a structure search (the parameters of GET /api/v1/search/molecules; cursor and limit ignored) as
 * CSV, one row per measurement, in the search's order (see EXPORT_COLUMNS; a similarity search adds Similarity).
 */
export const GET = apiHandler(async ({ db, request }) =>
  downloadResponse(await exportSearch(db, Object.fromEntries(new URL(request.url).searchParams), "csv", request.signal)),
);
