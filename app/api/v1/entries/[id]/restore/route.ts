import { apiHandler, parseId } from "@/app/_lib/api";
import { entryJson } from "@/app/_lib/json";
import { restoreEntry } from "@/db/queries/entries";

export const POST = apiHandler<{ id: string }>(async ({ db, origin, actor }, { id }) => {
  return Response.json(entryJson(await restoreEntry(db, await actor(), parseId(id, "entry")), origin));
});
