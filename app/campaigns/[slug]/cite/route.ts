import { apiHandler } from "@/app/_lib/api";
import { citationResponse, citeContext, readCiteQuery } from "@/app/_lib/cite";
import { citeCampaign } from "@/db/queries/citations";

/** A whole campaign as a citation file: `?format=bibtex|ris|csl-json`. */
export const GET = apiHandler<{ slug: string }>(async ({ db, request }, params) => {
  const query = readCiteQuery(request);
  return citationResponse(await citeCampaign(db, params.slug, citeContext(request)), query.format);
});
