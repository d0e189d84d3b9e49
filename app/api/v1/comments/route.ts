import { apiRoute } from "@/app/_lib/api";
import { commentJson } from "@/app/_lib/json";
import { clientAddress } from "@/app/_lib/request";
import { createComment, listComments } from "@/db/queries/comments";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.listComments, async ({ db, origin }, { query }) => {
  const list = await listComments(db, query.target);
  return Response.json({ comments: list.map((c) => commentJson(c, origin)) });
});

export const POST = apiRoute(routes.createComment, async ({ db, origin, actor, request }, { body }) => {
  const comment = await createComment(db, await actor(), body, clientAddress(request));
  return Response.json(commentJson(comment, origin), { status: 201, headers: { Location: comment.path } });
});
