import { apiRoute } from "@/app/_lib/api";
import { revisionJson } from "@/app/_lib/json";
import { listRevisions } from "@/db/queries/entry-lists";
import { requirePage } from "@/db/queries/wiki";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.listWikiRevisions, async ({ db, origin }, { params }) => {
  const page = await requirePage(db, params.slug, params.page);
  const revisions = await listRevisions(db, page.id);
  return Response.json({ revisions: revisions.map((r) => revisionJson(r, page.id, origin)) });
});
