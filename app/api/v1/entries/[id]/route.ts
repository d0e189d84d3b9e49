import { apiRoute } from "@/app/_lib/api";
import { entryJson } from "@/app/_lib/json";
import { deleteEntry, requireEntry, updateEntry } from "@/db/queries/entries";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.getEntry, async ({ db, origin }, { params }) => {
  return Response.json(entryJson(await requireEntry(db, params.id), origin));
});

/** `{title?, body?, date?, message?, baseRevision}` → 200 with the entry, or 409 when baseRevision is stale. */
export const PATCH = apiRoute(routes.updateEntry, async ({ db, origin, actor }, { params, body }) => {
  const { entry, changed } = await updateEntry(db, await actor(), params.id, body);
  return Response.json({ ...entryJson(entry, origin), changed });
});

/** Soft delete: the entry and its history stay; a maintainer can restore it. */
export const DELETE = apiRoute(routes.deleteEntry, async ({ db, origin, actor }, { params }) => {
  return Response.json(entryJson(await deleteEntry(db, await actor(), params.id), origin));
});
