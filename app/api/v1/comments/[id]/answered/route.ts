import { apiRoute } from "@/app/_lib/api";
import { commentJson } from "@/app/_lib/json";
import { markAnswered } from "@/db/queries/comments";
import { routes } from "@/lib/contract/routes";

export const POST = apiRoute(routes.answerComment, async ({ db, origin, actor }, { params }) => {
  return Response.json(commentJson(await markAnswered(db, await actor(), params.id), origin));
});
