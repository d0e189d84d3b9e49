import { apiHandler, parseId } from "@/app/_lib/api";
import { citationResponse, citeContext, readCiteQuery } from "@/app/_lib/cite";
import { citeDocument } from "@/db/queries/citations";

/** An entry or wiki page as a citation file: `?format=bibtex|ris|csl-json`, `&revision=<n>` (default: the current one). */
export const GET = apiHandler<{ id: string }>(async ({ db, request }, params) => {
  const query = readCiteQuery(request);
  return citationResponse(await citeDocument(db, parseId(params.id, "entry"), query.revision, citeContext(request)), query.format);
});
