import { apiRoute } from "@/app/_lib/api";
import { listNewsletters } from "@/db/queries/newsletters";
import { routes } from "@/lib/contract/routes";
import { newsletterSummaryJson } from "./json";

/** The campaign's newsletters, newest week first: sent ones and drafts. */
export const GET = apiRoute(routes.listNewsletters, async ({ db, origin }, { params }) => {
  const list = await listNewsletters(db, params.slug);
  return Response.json({ newsletters: list.map((n) => newsletterSummaryJson(params.slug.toLowerCase(), n, origin)) });
});
