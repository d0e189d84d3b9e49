import { apiRoute } from "@/app/_lib/api";
import { searchHitJson } from "@/app/api/v1/molecules/json";
import { searchMolecules } from "@/db/queries/molecules/search";
import { routes } from "@/lib/contract/routes";
import type { SearchResultBody } from "@/lib/contract/search";

/**
 * `?q=<smiles|smarts>&mode=exact|substructure|similarity&threshold=&limit=&cursor=&campaign=&status=&assay=&potency=
 * &sort=` → hits (ID, best potencies, similarity or matched atoms), the total and a cursor for the next page. The search stops when the client goes away
 * (request.signal) or after its time limit.
 */
export const GET = apiRoute(routes.searchMolecules, async ({ db, origin, request }, { query }) => {
  const result = await searchMolecules(db, query, { signal: request.signal });
  const body: SearchResultBody = {
    mode: result.mode,
    sort: result.sort,
    total: result.total,
    cursor: result.cursor,
    tookMs: result.tookMs,
    hits: result.hits.map((h) => searchHitJson(h, origin)),
  };
  return Response.json(body);
});
