import { apiRoute } from "@/app/_lib/api";
import { confirmSubscription } from "@/db/queries/subscriptions";
import { routes } from "@/lib/contract/routes";

export const POST = apiRoute(routes.confirmSubscription, async ({ db }, { query }) => {
  return Response.json(await confirmSubscription(db, query.token));
});
