import { apiRoute } from "@/app/_lib/api";
import { markRead, unreadCount } from "@/db/queries/notifications";
import { requireActor } from "@/lib/auth/policy";
import { routes } from "@/lib/contract/routes";

export const POST = apiRoute(routes.markNotificationsRead, async ({ db, actor }, { body }) => {
  const who = await actor();
  requireActor(who);
  const marked = await markRead(db, who, body.ids);
  return Response.json({ marked, unread: await unreadCount(db, who.id) });
});
