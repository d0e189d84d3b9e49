import { apiRoute } from "@/app/_lib/api";
import { revisionJson } from "@/app/_lib/json";
import { requireEntry } from "@/db/queries/entries";
import { listRevisions } from "@/db/queries/entry-lists";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.listRevisions, async ({ db, origin }, { params }) => {
  const entry = await requireEntry(db, params.id);
  const revisions = await listRevisions(db, entry.id);
  return Response.json({ revisions: revisions.map((r) => revisionJson(r, entry.id, origin)) });
});
