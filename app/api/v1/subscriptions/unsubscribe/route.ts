import { apiRoute } from "@/app/_lib/api";
import { unsubscribe } from "@/db/queries/subscriptions";
import { routes } from "@/lib/contract/routes";

/** Opened in a browser: a page that asks first (a link scanner's GET must not unsubscribe anyone). */
export const GET = apiRoute(routes.unsubscribePage, ({ origin }, { query }) =>
  Promise.resolve(Response.redirect(`${origin}/subscriptions/unsubscribe?token=${encodeURIComponent(query.token)}`, 303)),
);

/** RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click` here without cookies; the token is the proof. */
export const POST = apiRoute(routes.unsubscribe, async ({ db }, { query }) => {
  return Response.json(await unsubscribe(db, query.token));
});
