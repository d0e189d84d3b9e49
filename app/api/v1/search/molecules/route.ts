import { apiHandler } from "@/app/_lib/api";
import { searchMolecules } from "@/db/queries/molecules/search";

/**
 * `?q=<smiles|smarts>&mode=exact|substructure|similarity&threshold=&limit=&cursor=&campaign=&status=&assay=&potency=
 * &sort=` → hits (ID, best potencies, similarity or matched atoms), the total and a cursor for the next page. The search stops when the client goes away
 * (request.signal) or after its time limit.
 */
export const GET = apiHandler(async ({ db, origin, request }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const result = await searchMolecules(db, params, { signal: request.signal });
  return Response.json({
    mode: result.mode,
    sort: result.sort,
    total: result.total,
    cursor: result.cursor,
    tookMs: result.tookMs,
    hits: result.hits.map((h) => ({
      id: h.id,
      campaign: h.campaign,
      name: h.name,
      smiles: h.smiles,
      status: h.status,
      averageMass: h.averageMass,
      clogp: h.clogp,
      potency: h.potency,
      ...(h.similarity !== undefined ? { similarity: h.similarity } : {}),
      ...(h.atoms !== undefined ? { atoms: h.atoms } : {}),
      url: `${origin}/molecules/${h.id}`,
      depiction: `${origin}/molecules/${h.id}.svg`,
    })),
  });
});
