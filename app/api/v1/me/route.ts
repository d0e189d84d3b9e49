import { apiRoute } from "@/app/_lib/api";
import { campaignsOf } from "@/db/queries/campaigns";
import { routes } from "@/lib/contract/routes";
import { requireActor } from "@/lib/auth/policy";

/** Who the token or session belongs to, and the campaigns they belong to. */
export const GET = apiRoute(routes.me, async ({ db, actor }) => {
  const who = await actor();
  requireActor(who);
  return Response.json({ login: who.login, campaigns: await campaignsOf(db, who.id) });
});
