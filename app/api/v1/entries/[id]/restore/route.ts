import { apiRoute } from "@/app/_lib/api";
import { entryJson } from "@/app/_lib/json";
import { restoreEntry } from "@/db/queries/entries";
import { routes } from "@/lib/contract/routes";

export const POST = apiRoute(routes.restoreEntry, async ({ db, origin, actor }, { params }) => {
  return Response.json(entryJson(await restoreEntry(db, await actor(), params.id), origin));
});
