import { apiHandler } from "@/app/_lib/api";
import { campaignsOf } from "@/db/queries/campaigns";
import { AppError } from "@/lib/errors";

/** Who the token or session belongs to, and the campaigns they belong to. */
export const GET = apiHandler(async ({ db, actor }) => {
  const who = await actor();
  if (!who) throw new AppError("unauthorized", "Sign in or send `Authorization: Bearer <token>`.");
  return Response.json({ login: who.login, campaigns: await campaignsOf(db, who.id) });
});
