import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { requireActor, type Actor } from "@/lib/auth/policy";
import type { NotificationKind } from "@/lib/discussion/model";
import type { Queryable } from "../index";
import { notifications, users, watches } from "../schema";

/**
 * The in-app inbox. A notification is written in the transaction of the event it is about, once per person and
 * event: (user, dedupe key) is unique, so processing an event twice, or editing a comment, never notifies twice.
 * E-mail delivery (at once or in digests, by each person's preference) reads these rows later.
 */

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  dedupeKey: string;
  actorId: number | null;
  campaignId: number | null;
  title: string;
  summary?: string | null;
  path: string;
}

/** Writes notifications, skipping the actor's own and any (person, event) already notified. */
export async function notify(tx: Queryable, list: readonly NewNotification[]): Promise<number> {
  const rows = list.filter((n) => n.userId !== n.actorId);
  if (rows.length === 0) return 0;
  const inserted = await tx
    .insert(notifications)
    .values(rows.map((n) => ({ ...n, title: n.title.slice(0, 300), summary: n.summary?.slice(0, 500) ?? null })))
    .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return inserted.length;
}

/** Everyone watching any of these targets. */
export async function watchersOf(
  tx: Queryable,
  targets: readonly { kind: "campaign" | "molecule" | "entry"; id: number }[],
): Promise<number[]> {
  if (targets.length === 0) return [];
  const rows = await tx
    .selectDistinct({ userId: watches.userId })
    .from(watches)
    .where(
      sql`(${watches.targetKind}, ${watches.targetId}) in (${sql.join(
        targets.map((t) => sql`(${t.kind}, ${t.id})`),
        sql`, `,
      )})`,
    );
  return rows.map((r) => r.userId);
}

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  title: string;
  summary: string | null;
  path: string;
  actor: string | null;
  createdAt: Date;
  read: boolean;
}

export async function listNotifications(
  db: Queryable,
  actor: Actor,
  options: { unread?: boolean; limit?: number } = {},
): Promise<NotificationView[]> {
  requireActor(actor);
  const rows = await db
    .select({ n: notifications, actor: users.login })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorId))
    .where(and(eq(notifications.userId, actor.id), options.unread ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.id))
    .limit(options.limit ?? 100);
  return rows.map(({ n, actor: login }) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    summary: n.summary,
    path: n.path,
    actor: login,
    createdAt: n.createdAt,
    read: n.readAt !== null,
  }));
}

export async function unreadCount(db: Queryable, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** Marks the caller's notifications read: these ids (others' ids are ignored), or all of them. */
export async function markRead(db: Queryable, actor: Actor, ids?: readonly number[]): Promise<number> {
  requireActor(actor);
  const mine = and(eq(notifications.userId, actor.id), isNull(notifications.readAt));
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(ids ? and(mine, inArray(notifications.id, [...ids, -1])) : mine)
    .returning({ id: notifications.id });
  return rows.length;
}

/** People by GitHub login (any case), for assignees named on a to-do. */
export async function usersByLogin(tx: Queryable, logins: readonly string[]): Promise<number[]> {
  if (logins.length === 0) return [];
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      inArray(
        sql`lower(${users.login})`,
        logins.map((l) => l.toLowerCase()),
      ),
    );
  return rows.map((r) => r.id);
}

/** A to-do's assignees that were not assigned before are told, once per to-do and person. */
export async function notifyAssignees(
  tx: Queryable,
  todo: { id: number; campaignId: number; title: string; assignees: readonly string[] },
  before: readonly string[],
  actorId: number,
  campaignSlug: string,
): Promise<void> {
  const had = new Set(before.map((l) => l.toLowerCase()));
  const added = todo.assignees.filter((l) => !had.has(l.toLowerCase()));
  const ids = await usersByLogin(tx, added);
  await notify(
    tx,
    ids.map((userId) => ({
      userId,
      kind: "todo_assigned" as const,
      dedupeKey: `todo-assigned:${todo.id}`,
      actorId,
      campaignId: todo.campaignId,
      title: `To-do assigned to you: ${todo.title}`,
      path: `/campaigns/${campaignSlug}/todos/${todo.id}`,
    })),
  );
}
