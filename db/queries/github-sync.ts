/**
 * The sync engine's persistence (lib/github/sync.ts drives it): pending operations, the per-issue sync state, the
 * three-way merge of what GitHub holds into a to-do, webhook deliveries and the append-only sync log.
 */
import { and, asc, count, desc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { RemoteIssue } from "@/lib/github/client";
import { fieldsOf, remoteFields, threeWayMerge } from "@/lib/github/merge";
import type { Queryable } from "../index";
import {
  events,
  githubConnections,
  githubDeliveries,
  githubPendingOps,
  githubSyncLog,
  todos,
  type GitHubConnection,
  type GitHubPendingOp,
  type Todo,
  type TodoFields,
} from "../schema";
import type { TodoSyncStore } from "@/lib/github/store";
import { resolveMentions } from "./mentions";
import { connectionsForRepository, queueUpdate, recordTodoMentions } from "./todos";

export type { SyncLogEntry as LogInput } from "@/lib/github/store";
import type { ApplyOutcome, SyncLogEntry as LogInput } from "@/lib/github/store";

export async function appendSyncLog(db: Queryable, row: LogInput): Promise<void> {
  await db.insert(githubSyncLog).values({ ...row, message: row.message ?? "" });
}

export async function readSyncLog(db: Queryable, campaignId: number, limit = 50) {
  return db.select().from(githubSyncLog).where(eq(githubSyncLog.campaignId, campaignId)).orderBy(desc(githubSyncLog.id)).limit(limit);
}

export async function openOps(db: Queryable, campaignId: number): Promise<GitHubPendingOp[]> {
  return db
    .select()
    .from(githubPendingOps)
    .where(and(eq(githubPendingOps.campaignId, campaignId), eq(githubPendingOps.status, "pending")))
    .orderBy(asc(githubPendingOps.id));
}

export async function updateOp(db: Queryable, id: number, set: Partial<Pick<GitHubPendingOp, "status" | "attempts" | "lastError">>): Promise<void> {
  await db.update(githubPendingOps).set(set).where(eq(githubPendingOps.id, id));
}

export async function todoById(db: Queryable, id: number): Promise<Todo | null> {
  const [row] = await db.select().from(todos).where(eq(todos.id, id));
  return row ?? null;
}

export async function setTodoSyncError(db: Queryable, id: number, message: string | null): Promise<void> {
  await db.update(todos).set({ syncError: message }).where(eq(todos.id, id));
}

/**
 * Records what the notebook just wrote as agreed: the sent fields become the base, so the webhook of this very write
 * (and the next listing) finds nothing new — no echo. Then the answer is merged like any other remote state.
 */
export async function recordOwnWrite(db: Queryable, todoId: number, sent: Partial<TodoFields>, issue: RemoteIssue, etag: string | null) {
  return db.transaction(async (tx) => {
    const [todo] = await tx.select().from(todos).where(eq(todos.id, todoId)).for("update");
    if (!todo) return null;
    const synced = { ...(todo.synced ?? fieldsOf(todo)), ...sent };
    await tx
      .update(todos)
      .set({ synced, issueNumber: issue.number, issueId: issue.id, htmlUrl: issue.htmlUrl, syncError: null })
      .where(eq(todos.id, todoId));
    return applyRemoteIssue(tx, todo.campaignId, issue, { etag, own: true });
  });
}

export type { ApplyOutcome } from "@/lib/github/store";

/**
 * Merges GitHub's state of one issue into its to-do, three-way per field against the last-synced values. A to-do is
 * found by issue number or, for an issue the notebook created whose answer it has not recorded yet, by the marker
 * in its body (so a webhook racing the create's answer does not make a second to-do). Deliveries older than what is
 * stored are ignored; a field both sides changed becomes a conflict.
 */
export async function applyRemoteIssue(
  db: Queryable,
  campaignId: number,
  issue: RemoteIssue,
  /** own: the answer to the notebook's own write (never stale). */
  options: { etag?: string | null; own?: boolean } = {},
): Promise<{ outcome: ApplyOutcome; todo: Todo; changed: string[] }> {
  const remote = remoteFields(issue);
  const updatedAt = new Date(issue.updatedAt);
  const meta = { commentCount: issue.comments, milestone: issue.milestone, issueId: issue.id, htmlUrl: issue.htmlUrl };
  const run = async (tx: Queryable) => {
    let [todo] = await tx.select().from(todos).where(and(eq(todos.campaignId, campaignId), eq(todos.issueNumber, issue.number))).for("update");
    let adopted = false;
    if (!todo && remote.marker) {
      [todo] = await tx.select().from(todos).where(and(eq(todos.campaignId, campaignId), eq(todos.marker, remote.marker), isNull(todos.issueNumber))).for("update");
      adopted = Boolean(todo);
    }
    if (!todo) {
      const { marker: _m, ...fields } = remote;
      // A marker already linked to another issue (a body copied into a new issue by hand) is not reused.
      const [taken] = remote.marker ? await tx.select({ id: todos.id }).from(todos).where(eq(todos.marker, remote.marker)) : [];
      const [created] = await tx
        .insert(todos)
        .values({
          campaignId,
          marker: remote.marker && !taken ? remote.marker : crypto.randomUUID(),
          ...fields,
          ...meta,
          issueNumber: issue.number,
          remoteUpdatedAt: updatedAt,
          etag: options.etag ?? null,
          synced: fieldsOf(fields),
          lastActivityAt: updatedAt,
        })
        .onConflictDoNothing()
        .returning();
      if (created) {
        await recordTodoMentions(tx, created.id, `${created.title}\n${created.body}`);
        return { outcome: "created" as const, todo: created, changed: ["title", "body", "state", "labels", "assignees"] };
      }
      // Linked meanwhile by a concurrent writer (the answer to the notebook's own create, racing its webhook):
      // merge into that to-do instead.
      [todo] = await tx.select().from(todos).where(and(eq(todos.campaignId, campaignId), eq(todos.issueNumber, issue.number))).for("update");
      if (!todo) throw new Error(`issue #${issue.number} could not be linked`);
    }
    if (todo.remoteUpdatedAt && updatedAt < todo.remoteUpdatedAt && !options.own) {
      return { outcome: "stale" as const, todo, changed: [] };
    }
    const base = todo.synced ?? remote;
    const local = fieldsOf(todo);
    const merge = threeWayMerge(base, local, remote);
    const conflicts = { ...todo.conflicts };
    for (const [field, c] of Object.entries(merge.conflicts)) conflicts[field as keyof TodoFields] = c;
    // A conflict is over once both sides hold the same value again.
    for (const field of Object.keys(conflicts) as (keyof TodoFields)[]) {
      if (!merge.conflicts[field]) delete conflicts[field];
    }
    const newer = !todo.remoteUpdatedAt || updatedAt >= todo.remoteUpdatedAt;
    const [saved] = await tx
      .update(todos)
      .set({
        ...merge.local,
        ...meta,
        issueNumber: issue.number,
        synced: merge.base,
        conflicts,
        ...(newer ? { remoteUpdatedAt: updatedAt, etag: options.etag ?? todo.etag } : {}),
        lastActivityAt: updatedAt > todo.lastActivityAt ? updatedAt : todo.lastActivityAt,
      })
      .where(eq(todos.id, todo.id))
      .returning();
    if (merge.toLocal.length) await recordTodoMentions(tx, todo.id, `${saved!.title}\n${saved!.body}`);
    // Changes made here while GitHub changed other fields still have to go out.
    if (Object.keys(merge.toRemote).length) await queueUpdate(tx, todo);
    const newConflicts = Object.keys(merge.conflicts).filter((f) => !todo.conflicts[f as keyof TodoFields]);
    const outcome: ApplyOutcome = newConflicts.length ? "conflict" : adopted ? "adopted" : merge.toLocal.length ? "updated" : "unchanged";
    return { outcome, todo: saved!, changed: newConflicts.length ? newConflicts : merge.toLocal };
  };
  return db.transaction(run);
}

/** Marks a to-do whose issue was deleted or transferred; it stays readable here and stops syncing. */
export async function markGone(db: Queryable, campaignId: number, number: number, reason: "deleted" | "transferred", location?: string): Promise<Todo | null> {
  const [row] = await db
    .update(todos)
    .set({ remoteGone: reason, ...(location ? { htmlUrl: location } : {}) })
    .where(and(eq(todos.campaignId, campaignId), eq(todos.issueNumber, number)))
    .returning();
  if (row) {
    await db
      .update(githubPendingOps)
      .set({ status: "failed", lastError: `the issue was ${reason} on GitHub` })
      .where(and(eq(githubPendingOps.todoId, row.id), eq(githubPendingOps.status, "pending")));
  }
  return row ?? null;
}

/** Records a delivery once; false when this X-GitHub-Delivery was seen before (a redelivery). */
export async function recordDelivery(db: Queryable, row: { deliveryId: string; campaignId: number | null; event: string; action: string | null; payload: unknown }): Promise<boolean> {
  const inserted = await db.insert(githubDeliveries).values(row).onConflictDoNothing().returning({ id: githubDeliveries.deliveryId });
  return inserted.length > 0;
}

export async function markDeliveryProcessed(db: Queryable, deliveryId: string): Promise<void> {
  await db.update(githubDeliveries).set({ processedAt: new Date() }).where(eq(githubDeliveries.deliveryId, deliveryId));
}

export async function updateConnectionState(
  db: Queryable,
  campaignId: number,
  set: Partial<Pick<GitHubConnection, "listCursor" | "listEtag" | "lastSyncAt" | "lastAttemptAt" | "lastError">>,
): Promise<void> {
  await db.update(githubConnections).set(set).where(eq(githubConnections.campaignId, campaignId));
}

export async function feedEvent(db: Queryable, campaignId: number, actorId: number, kind: "todo.updated" | "todo.created" | "todo.conflict", title: string, summary = ""): Promise<void> {
  await db.insert(events).values({ kind, campaignId, actorId, title, summary });
}

export interface SyncStatus {
  lastSyncAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
  pending: number;
  failed: number;
  conflicts: number;
  errors: { todoId: number; title: string; message: string }[];
}

export async function syncStatus(db: Queryable, campaignId: number): Promise<SyncStatus | null> {
  const [conn] = await db.select().from(githubConnections).where(eq(githubConnections.campaignId, campaignId));
  if (!conn) return null;
  const ops = await db
    .select({ status: githubPendingOps.status, n: count() })
    .from(githubPendingOps)
    .where(and(eq(githubPendingOps.campaignId, campaignId), ne(githubPendingOps.status, "done")))
    .groupBy(githubPendingOps.status);
  const [conflicted] = await db.select({ n: count() }).from(todos).where(and(eq(todos.campaignId, campaignId), ne(todos.conflicts, sql`'{}'::jsonb`)));
  const errors = await db
    .select({ todoId: todos.id, title: todos.title, message: todos.syncError })
    .from(todos)
    .where(and(eq(todos.campaignId, campaignId), isNotNull(todos.syncError)))
    .limit(20);
  return {
    lastSyncAt: conn.lastSyncAt,
    lastAttemptAt: conn.lastAttemptAt,
    lastError: conn.lastError,
    pending: ops.find((o) => o.status === "pending")?.n ?? 0,
    failed: ops.find((o) => o.status === "failed")?.n ?? 0,
    conflicts: conflicted?.n ?? 0,
    errors: errors.map((e) => ({ ...e, message: e.message ?? "" })),
  };
}

/** To-dos linked to an issue that still exists as far as the notebook knows. */
export async function linkedTodos(db: Queryable, campaignId: number): Promise<(Todo & { issueNumber: number })[]> {
  const rows = await db
    .select()
    .from(todos)
    .where(and(eq(todos.campaignId, campaignId), isNotNull(todos.issueNumber), isNull(todos.remoteGone)))
    .orderBy(asc(todos.issueNumber));
  return rows as (Todo & { issueNumber: number })[];
}

/** The sync engine's and webhook receiver's storage (lib/github/store.ts), on this database. */
export function todoSyncStore(db: Queryable): TodoSyncStore {
  return {
    appendSyncLog: (entry) => appendSyncLog(db, entry),
    openOps: (campaignId) => openOps(db, campaignId),
    updateOp: (id, set) => updateOp(db, id, set),
    todoById: (id) => todoById(db, id),
    setTodoSyncError: (id, message) => setTodoSyncError(db, id, message),
    recordOwnWrite: (todoId, sent, issue, etag) => recordOwnWrite(db, todoId, sent, issue, etag),
    applyRemoteIssue: (campaignId, issue, options) => applyRemoteIssue(db, campaignId, issue, options),
    markGone: (campaignId, issueNumber, reason, location) => markGone(db, campaignId, issueNumber, reason, location),
    updateConnectionState: (campaignId, set) => updateConnectionState(db, campaignId, set),
    feedEvent: (campaignId, actorId, kind, title, summary) => feedEvent(db, campaignId, actorId, kind, title, summary),
    linkedTodos: (campaignId) => linkedTodos(db, campaignId),
    resolveMentions: (written) => resolveMentions(db, written),
    connectionsForRepository: (owner, repo) => connectionsForRepository(db, owner, repo),
    recordDelivery: (row) => recordDelivery(db, row),
    markDeliveryProcessed: (deliveryId) => markDeliveryProcessed(db, deliveryId),
  };
}
