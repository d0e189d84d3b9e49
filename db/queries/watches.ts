import { and, eq } from "drizzle-orm";
import { requireActor, type Actor } from "@/lib/auth/policy";
import type { WatchTargetKind } from "@/lib/discussion/model";
import type { Queryable } from "../index";
import { watches } from "../schema";

/** "Watch": follow a campaign, a molecule or an entry, and be notified of its comments and new results. */

export async function isWatching(db: Queryable, userId: number | undefined, kind: WatchTargetKind, id: number): Promise<boolean> {
  if (userId === undefined) return false;
  const [row] = await db
    .select({ userId: watches.userId })
    .from(watches)
    .where(and(eq(watches.userId, userId), eq(watches.targetKind, kind), eq(watches.targetId, id)));
  return Boolean(row);
}

export async function setWatching(db: Queryable, actor: Actor, kind: WatchTargetKind, id: number, on: boolean): Promise<boolean> {
  requireActor(actor);
  if (on) await db.insert(watches).values({ userId: actor.id, targetKind: kind, targetId: id }).onConflictDoNothing();
  else await db.delete(watches).where(and(eq(watches.userId, actor.id), eq(watches.targetKind, kind), eq(watches.targetId, id)));
  return on;
}
