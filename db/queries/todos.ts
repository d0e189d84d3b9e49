/**
 * The notebook's side of a campaign's to-do list (issue 5): to-dos, their repository connection and what people do
 * with them. Every write records a pending GitHub operation in the same transaction, before anything is sent, so a
 * crash or a lost answer never loses the write or makes it twice (lib/github/sync.ts sends them).
 */
import { notifyAssignees } from "./notifications";
import crypto from "node:crypto";
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, ne, or, sql, type SQL } from "drizzle-orm";
import { findMentions } from "@/lib/molecules/campaign-id";
import { requireActor, requireMaintainer, requireMember, type Actor } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import type { ConnectionInput, CreateTodoInput, UpdateTodoInput } from "@/lib/github/input";
import { fieldsOf, SYNC_FIELDS, sameValue, type SyncField } from "@/lib/github/merge";
import type { Queryable } from "../index";
import {
  campaigns,
  events,
  githubConnections,
  githubPendingOps,
  githubSyncLog,
  todoMentions,
  todos,
  type Campaign,
  type GitHubConnection,
  todoPageLinks,
  type Todo,
  type TodoFields,
} from "../schema";
import { linkedSlugs } from "@/lib/wiki/model";
import { requireCampaign, roleIn } from "./campaigns";

export function todoPath(slug: string, id: number): string {
  return `/campaigns/${slug}/todos/${id}`;
}

/** Replaces a to-do's mentions (campaign IDs) and wiki links (`[[Page title]]`) with those of its current text. */
export async function recordTodoMentions(tx: Queryable, todoId: number, text: string): Promise<void> {
  const codes = findMentions(text);
  await tx.delete(todoMentions).where(eq(todoMentions.todoId, todoId));
  if (codes.length) await tx.insert(todoMentions).values(codes.map((campaignCode) => ({ todoId, campaignCode })));
  const slugs = linkedSlugs(text);
  await tx.delete(todoPageLinks).where(eq(todoPageLinks.todoId, todoId));
  if (slugs.length) {
    const [todo] = await tx.select({ campaignId: todos.campaignId }).from(todos).where(eq(todos.id, todoId));
    if (todo) await tx.insert(todoPageLinks).values(slugs.map((slug) => ({ todoId, campaignId: todo.campaignId, slug })));
  }
}

/** Queues a push of the to-do's current fields unless one is already waiting (it will send the latest values). */
export async function queueUpdate(tx: Queryable, todo: Pick<Todo, "id" | "campaignId">): Promise<void> {
  const [open] = await tx
    .select({ id: githubPendingOps.id })
    .from(githubPendingOps)
    .where(and(eq(githubPendingOps.todoId, todo.id), eq(githubPendingOps.status, "pending")))
    .limit(1);
  if (!open) await tx.insert(githubPendingOps).values({ campaignId: todo.campaignId, todoId: todo.id, kind: "update" });
}

async function memberCampaign(db: Queryable, actor: Actor, slug: string): Promise<Campaign> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  requireMember(await roleIn(db, campaign.id, actor.id), campaign.name);
  return campaign;
}

// ----- connection -------------------------------------------------------------------------------------------

export async function getConnection(db: Queryable, campaignId: number): Promise<GitHubConnection | null> {
  const [row] = await db.select().from(githubConnections).where(eq(githubConnections.campaignId, campaignId));
  return row ?? null;
}

export async function connectionsForRepository(db: Queryable, owner: string, repo: string): Promise<GitHubConnection[]> {
  return db
    .select()
    .from(githubConnections)
    .where(
      and(sql`lower(${githubConnections.owner}) = ${owner.toLowerCase()}`, sql`lower(${githubConnections.repo}) = ${repo.toLowerCase()}`),
    );
}

export async function allConnections(db: Queryable): Promise<GitHubConnection[]> {
  return db.select().from(githubConnections).orderBy(asc(githubConnections.campaignId));
}

/** Connects (or reconnects) a campaign to a repository. Maintainers only. Returns the webhook secret to configure. */
export async function connectRepository(db: Queryable, actor: Actor, slug: string, data: ConnectionInput): Promise<GitHubConnection> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  requireMaintainer(await roleIn(db, campaign.id, actor.id), campaign.name);
  const values = {
    owner: data.owner,
    repo: data.repo,
    authKind: data.authKind,
    token: data.authKind === "token" ? (data.token ?? null) : null,
    appId: data.authKind === "app" ? (data.appId ?? null) : null,
    privateKey: data.authKind === "app" ? (data.privateKey ?? null) : null,
    installationId: data.authKind === "app" ? (data.installationId ?? null) : null,
    apiBaseUrl: data.apiBaseUrl ?? null,
  };
  const secret = data.webhookSecret ?? crypto.randomBytes(24).toString("base64url");
  return db.transaction(async (tx) => {
    const existing = await getConnection(tx, campaign.id);
    const moved =
      existing && (existing.owner.toLowerCase() !== data.owner.toLowerCase() || existing.repo.toLowerCase() !== data.repo.toLowerCase());
    if (moved) {
      const [linked] = await tx
        .select({ n: count() })
        .from(todos)
        .where(and(eq(todos.campaignId, campaign.id), isNotNull(todos.issueNumber)));
      if ((linked?.n ?? 0) > 0) {
        throw new AppError(
          "conflict",
          `repository: this campaign's to-dos are linked to ${existing.owner}/${existing.repo}; it cannot move to another repository`,
        );
      }
    }
    const [row] = await tx
      .insert(githubConnections)
      .values({ campaignId: campaign.id, ...values, webhookSecret: secret, createdById: actor.id })
      .onConflictDoUpdate({
        target: githubConnections.campaignId,
        set: { ...values, ...(data.webhookSecret ? { webhookSecret: secret } : {}), lastError: null },
      })
      .returning();
    await tx.insert(githubSyncLog).values({
      campaignId: campaign.id,
      operation: "connect",
      outcome: "ok",
      message: `Connected to ${data.owner}/${data.repo} (${data.authKind === "app" ? "GitHub App" : "token"})`,
    });
    return row!;
  });
}

// ----- to-dos -----------------------------------------------------------------------------------------------

export async function createTodo(db: Queryable, actor: Actor, slug: string, data: CreateTodoInput): Promise<Todo> {
  const campaign = await memberCampaign(db, actor, slug);
  if (!(await getConnection(db, campaign.id))) {
    throw new AppError("conflict", `${campaign.name} is not connected to a GitHub repository yet; a maintainer connects one first`);
  }
  return db.transaction(async (tx) => {
    const [todo] = await tx
      .insert(todos)
      .values({
        campaignId: campaign.id,
        marker: crypto.randomUUID(),
        title: data.title,
        body: data.body ?? "",
        state: data.state ?? "open",
        labels: data.labels ?? [],
        assignees: data.assignees ?? [],
        moleculeLinks: data.moleculeLinks ?? false,
        createdById: actor!.id,
      })
      .returning();
    // The pending operation is recorded before the write is ever sent (and in the same transaction as the to-do).
    await tx.insert(githubPendingOps).values({ campaignId: campaign.id, todoId: todo!.id, kind: "create" });
    await recordTodoMentions(tx, todo!.id, `${todo!.title}\n${todo!.body}`);
    await notifyAssignees(tx, todo!, [], actor!.id, campaign.slug);
    await tx.insert(events).values({ kind: "todo.created", campaignId: campaign.id, actorId: actor!.id, title: `To-do: ${todo!.title}` });
    return todo!;
  });
}

export async function getTodo(db: Queryable, id: number): Promise<(Todo & { campaignSlug: string; campaignName: string }) | null> {
  const [row] = await db
    .select({ todo: todos, slug: campaigns.slug, name: campaigns.name })
    .from(todos)
    .innerJoin(campaigns, eq(campaigns.id, todos.campaignId))
    .where(eq(todos.id, id));
  return row ? { ...row.todo, campaignSlug: row.slug, campaignName: row.name } : null;
}

async function writableTodo(db: Queryable, actor: Actor, id: number) {
  requireActor(actor);
  const todo = await getTodo(db, id);
  if (!todo) throw new AppError("not_found", `No to-do ${id}`);
  requireMember(await roleIn(db, todo.campaignId, actor.id), todo.campaignName);
  if (todo.remoteGone) {
    throw new AppError("conflict", `This to-do's issue was ${todo.remoteGone} on GitHub; it is kept read-only here`);
  }
  return todo;
}

/**
 * Edits a to-do; fields with an unresolved conflict are refused until it is resolved. `seen` holds the values the
 * editor showed: a field that changed since (here or on GitHub) is refused rather than silently overwritten.
 */
export async function updateTodo(
  db: Queryable,
  actor: Actor,
  id: number,
  data: UpdateTodoInput,
  seen?: Partial<TodoFields>,
): Promise<Todo> {
  return db.transaction(async (tx) => {
    const todo = await writableTodo(tx, actor, id);
    const stale = SYNC_FIELDS.filter((f) => data[f] !== undefined && seen?.[f] !== undefined && !sameValue(f, seen[f], todo[f]));
    if (stale.length) {
      throw new AppError(
        "conflict",
        `${stale.join(", ")}: changed since you opened this to-do (here or on GitHub); reload to see the new value and edit again`,
        {
          fields: Object.fromEntries(stale.map((f) => [f, "changed meanwhile"])),
        },
      );
    }
    const blocked = SYNC_FIELDS.filter((f) => data[f] !== undefined && todo.conflicts[f]);
    if (blocked.length) {
      throw new AppError("conflict", `${blocked.join(", ")}: changed on GitHub and here; resolve the conflict first`, {
        fields: Object.fromEntries(blocked.map((f) => [f, "in conflict"])),
      });
    }
    const [updated] = await tx
      .update(todos)
      .set({ ...data, lastActivityAt: new Date() })
      .where(eq(todos.id, id))
      .returning();
    await queueUpdate(tx, todo);
    await recordTodoMentions(tx, id, `${updated!.title}\n${updated!.body}`);
    if (data.assignees) await notifyAssignees(tx, updated!, todo.assignees, actor!.id, todo.campaignSlug);
    const closing = data.state && data.state !== todo.state ? (data.state === "closed" ? "closed" : "reopened") : "edited";
    await tx
      .insert(events)
      .values({ kind: "todo.updated", campaignId: todo.campaignId, actorId: actor!.id, title: `To-do ${closing}: ${updated!.title}` });
    return updated!;
  });
}

/** Resolves a conflict on one field by keeping the notebook's value or GitHub's. */
export async function resolveConflict(db: Queryable, actor: Actor, id: number, field: string, keep: "notebook" | "github"): Promise<Todo> {
  if (!SYNC_FIELDS.includes(field as SyncField))
    throw new AppError("validation_failed", `field: no field ${field}`, { fields: { field: "unknown" } });
  const f = field as SyncField;
  return db.transaction(async (tx) => {
    const todo = await writableTodo(tx, actor, id);
    const conflict = todo.conflicts[f];
    if (!conflict) throw new AppError("conflict", `${f} has no conflict to resolve`);
    const { [f]: _resolved, ...rest } = todo.conflicts;
    // GitHub's value becomes the base: keeping ours then pushes it, keeping theirs changes nothing remotely.
    const synced = { ...(todo.synced ?? fieldsOf(todo)), [f]: conflict.remote };
    const value = keep === "github" ? conflict.remote : conflict.local;
    const [updated] = await tx
      .update(todos)
      .set({ [f]: value, synced, conflicts: rest })
      .where(eq(todos.id, id))
      .returning();
    if (keep === "notebook") await queueUpdate(tx, todo);
    await tx.insert(githubSyncLog).values({
      campaignId: todo.campaignId,
      operation: "resolve",
      issueNumber: todo.issueNumber,
      todoId: id,
      outcome: "resolved",
      message: `${f}: kept the ${keep === "github" ? "GitHub" : "notebook"} value (by ${actor!.login})`,
    });
    return updated!;
  });
}

export interface TodoFilters {
  state?: "open" | "closed" | "all";
  label?: string;
  assignee?: string;
  q?: string;
  conflicts?: boolean;
}

export async function listTodos(db: Queryable, campaignId: number, filters: TodoFilters = {}, limit = 200): Promise<Todo[]> {
  const where: (SQL | undefined)[] = [eq(todos.campaignId, campaignId)];
  if (filters.state && filters.state !== "all") where.push(eq(todos.state, filters.state));
  if (filters.label)
    where.push(sql`exists (select 1 from jsonb_array_elements_text(${todos.labels}) l where lower(l) = ${filters.label.toLowerCase()})`);
  if (filters.assignee)
    where.push(
      sql`exists (select 1 from jsonb_array_elements_text(${todos.assignees}) a where lower(a) = ${filters.assignee.toLowerCase()})`,
    );
  if (filters.q)
    where.push(
      or(ilike(todos.title, `%${filters.q.replace(/[%_\\]/g, "\\$&")}%`), ilike(todos.body, `%${filters.q.replace(/[%_\\]/g, "\\$&")}%`)),
    );
  if (filters.conflicts) where.push(ne(todos.conflicts, sql`'{}'::jsonb`));
  return db
    .select()
    .from(todos)
    .where(and(...where))
    .orderBy(desc(todos.lastActivityAt), desc(todos.id))
    .limit(limit);
}

/** Labels and assignees in use in a campaign, for the filters. */
export async function todoFacets(db: Queryable, campaignId: number): Promise<{ labels: string[]; assignees: string[] }> {
  const rows = await db.select({ labels: todos.labels, assignees: todos.assignees }).from(todos).where(eq(todos.campaignId, campaignId));
  const sorted = (xs: string[]) => [...new Set(xs)].sort((a, b) => a.localeCompare(b));
  return { labels: sorted(rows.flatMap((r) => r.labels)), assignees: sorted(rows.flatMap((r) => r.assignees)) };
}

export async function todoByNumber(db: Queryable, campaignId: number, number: number): Promise<Todo | null> {
  const [row] = await db
    .select()
    .from(todos)
    .where(and(eq(todos.campaignId, campaignId), eq(todos.issueNumber, number)));
  return row ?? null;
}

/** To-dos that mention a molecule (by its ID or one of its aliases), newest activity first. */
export async function todosMentioning(
  db: Queryable,
  codes: string[],
): Promise<(Pick<Todo, "id" | "title" | "state" | "issueNumber" | "htmlUrl"> & { slug: string })[]> {
  if (!codes.length) return [];
  return db
    .selectDistinct({
      id: todos.id,
      title: todos.title,
      state: todos.state,
      issueNumber: todos.issueNumber,
      htmlUrl: todos.htmlUrl,
      slug: campaigns.slug,
      at: todos.lastActivityAt,
    })
    .from(todoMentions)
    .innerJoin(todos, eq(todos.id, todoMentions.todoId))
    .innerJoin(campaigns, eq(campaigns.id, todos.campaignId))
    .where(
      inArray(
        todoMentions.campaignCode,
        codes.map((c) => c.toUpperCase()),
      ),
    )
    .orderBy(desc(todos.lastActivityAt))
    .then((rows) => rows.map(({ at: _at, ...r }) => r));
}
