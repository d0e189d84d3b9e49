import { apiRoute } from "@/app/_lib/api";
import { clientAddress } from "@/app/_lib/request";
import { requestSubscription } from "@/db/queries/subscriptions";
import { routes } from "@/lib/contract/routes";

/** Ask for the newsletter: the same 202 whatever the address's state (no one learns who subscribes). */
export const POST = apiRoute(routes.subscribe, async ({ db, request }, { params, body }) => {
  await requestSubscription(db, params.slug, body, { address: clientAddress(request) });
  return Response.json(
    { status: "accepted", message: "If this address can receive mail, a confirmation link is on its way. The subscription starts when it is opened." },
    { status: 202 },
  );
});
