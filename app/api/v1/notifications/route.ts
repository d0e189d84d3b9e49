import { apiRoute } from "@/app/_lib/api";
import { notificationJson } from "@/app/_lib/json";
import { listNotifications, unreadCount } from "@/db/queries/notifications";
import { requireActor } from "@/lib/auth/policy";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.listNotifications, async ({ db, origin, actor }, { query }) => {
  const who = await actor();
  requireActor(who);
  const [list, unread] = await Promise.all([listNotifications(db, who, { unread: query.unread === "true" }), unreadCount(db, who.id)]);
  return Response.json({ notifications: list.map((n) => notificationJson(n, origin)), unread });
});
