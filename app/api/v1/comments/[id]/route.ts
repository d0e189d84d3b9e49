import { apiRoute } from "@/app/_lib/api";
import { commentJson } from "@/app/_lib/json";
import { editComment } from "@/db/queries/comments";
import { routes } from "@/lib/contract/routes";

export const PATCH = apiRoute(routes.editComment, async ({ db, origin, actor }, { params, body }) => {
  return Response.json(commentJson(await editComment(db, await actor(), params.id, body.body), origin));
});
