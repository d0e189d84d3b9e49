import { apiHandler, parseId, readJson } from "@/app/_lib/api";
import { entryJson } from "@/app/_lib/json";
import { deleteEntry, requireEntry, updateEntry } from "@/db/queries/entries";

export const GET = apiHandler<{ id: string }>(async ({ db, origin }, { id }) => {
  return Response.json(entryJson(await requireEntry(db, parseId(id, "entry")), origin));
});

/** `{title?, body?, date?, message?, baseRevision}` → 200 with the entry, or 409 when baseRevision is stale. */
export const PATCH = apiHandler<{ id: string }>(async ({ db, origin, request, actor }, { id }) => {
  const who = await actor();
  const body = await readJson(request);
  const { entry, changed } = await updateEntry(db, who, parseId(id, "entry"), body);
  return Response.json({ ...entryJson(entry, origin), changed });
});

/** Soft delete: the entry and its history stay; a maintainer can restore it. */
export const DELETE = apiHandler<{ id: string }>(async ({ db, origin, actor }, { id }) => {
  return Response.json(entryJson(await deleteEntry(db, await actor(), parseId(id, "entry")), origin));
});
