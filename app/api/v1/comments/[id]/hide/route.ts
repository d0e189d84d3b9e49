import { apiRoute } from "@/app/_lib/api";
import { commentJson } from "@/app/_lib/json";
import { hideComment } from "@/db/queries/comments";
import { routes } from "@/lib/contract/routes";

export const POST = apiRoute(routes.hideComment, async ({ db, origin, actor }, { params, body }) => {
  return Response.json(commentJson(await hideComment(db, await actor(), params.id, body.reason), origin));
});
