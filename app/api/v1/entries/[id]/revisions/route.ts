import { apiHandler, parseId } from "@/app/_lib/api";
import { revisionJson } from "@/app/_lib/json";
import { requireEntry } from "@/db/queries/entries";
import { listRevisions } from "@/db/queries/entry-lists";

export const GET = apiHandler<{ id: string }>(async ({ db, origin }, { id }) => {
  const entry = await requireEntry(db, parseId(id, "entry"));
  const revisions = await listRevisions(db, entry.id);
  return Response.json({ revisions: revisions.map((r) => revisionJson(r, entry.id, origin)) });
});
