import { apiRoute } from "@/app/_lib/api";
import { sendNewsletter } from "@/db/queries/newsletters";
import { routes } from "@/lib/contract/routes";
import { sendResultJson } from "../../json";

/** Maintainers send a week's newsletter now; again, it goes only to subscribers who have not had it. */
export const POST = apiRoute(routes.sendNewsletter, async ({ db, actor, origin }, { params }) => {
  return Response.json(sendResultJson(await sendNewsletter(db, await actor(), params.slug, params.week), origin));
});
