import { apiRoute } from "@/app/_lib/api";
import { getNewsletter } from "@/db/queries/newsletters";
import { routes } from "@/lib/contract/routes";
import { isMailEnabled } from "@/lib/mail/config";
import { newsletterJson } from "../json";

/** A week's newsletter as JSON: what went out, or the draft as the week's activity stands now. */
export const GET = apiRoute(routes.getNewsletter, async ({ db, origin }, { params }) => {
  return Response.json(newsletterJson(await getNewsletter(db, params.slug, params.week), origin, isMailEnabled()));
});
