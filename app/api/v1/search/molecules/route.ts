import { apiRoute } from "@/app/_lib/api";
import { searchHitJson } from "@/app/api/v1/molecules/json";
import { searchMolecules } from "@/db/queries/molecules/search";
import { searchRecognized } from "@/db/queries/recognized-search";
import { routes } from "@/lib/contract/routes";
import type { SearchResultBody } from "@/lib/contract/search";

/**
 * `?q=<smiles|smarts>&mode=exact|substructure|similarity&threshold=&limit=&cursor=&campaign=&status=&assay=&potency=
 * &sort=&recognized=` → hits (ID, best potencies, similarity or matched atoms), the total and a cursor for the next page. The search stops when the client goes away
 * (request.signal) or after its time limit.
 */
export const GET = apiRoute(routes.searchMolecules, async ({ db, origin, request }, { query }) => {
  const [result, recognized] = await Promise.all([
    searchMolecules(db, query, { signal: request.signal }),
    query.recognized === "true" ? searchRecognized(db, query, { signal: request.signal }) : null,
  ]);
  const body: SearchResultBody = {
    mode: result.mode,
    sort: result.sort,
    total: result.total,
    cursor: result.cursor,
    tookMs: result.tookMs,
    hits: result.hits.map((h) => searchHitJson(h, origin)),
    ...(recognized
      ? {
          recognized: {
            total: recognized.total,
            hits: recognized.hits.map(({ id: _id, entry: { path, ...entry }, attachment, match, ...hit }) => ({
              ...hit,
              entry: { ...entry, url: `${origin}${path}` },
              attachment: { id: attachment.id, filename: attachment.filename, url: `${origin}${attachment.path}` },
              ...(match ? { match: { id: match.id, url: `${origin}${match.path}` } } : {}),
            })),
          },
        }
      : {}),
  };
  return Response.json(body);
});
