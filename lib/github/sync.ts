/**
 * The to-do sync engine: sends the notebook's pending writes to GitHub, takes GitHub's changes in from webhooks and
 * from a periodic reconcile (GitHub does not redeliver failed deliveries by itself), and logs every step.
 *
 * - No duplicates: a create is recorded before it is sent and carries a hidden marker; when its answer was lost, the
 *   next attempt looks for the marker before sending again.
 * - No echo loops: what the notebook wrote becomes the last-synced base, so its own webhook merges to nothing.
 * - No lost edits: before an update the issue is read (conditionally: a 304 costs no rate limit) and merged
 *   three-way; a field changed on both sides is kept as a conflict and not sent.
 */
import { findMentions } from "@/lib/molecules/campaign-id";
import { GitHubClient, GitHubError, toRemoteIssue, type GitHubClientOptions, type IssueWrite, type RemoteIssue } from "./client";
import { apiBaseFor } from "./input";
import { BodyTooLongError, composeIssueBody, type MoleculeLink } from "./marker";
import { changedFields, fieldsOf, remoteFields, type SyncField } from "./merge";
import type { TodoFields } from "./model";
import type { PendingOp as GitHubPendingOp, SyncConnection as GitHubConnection, SyncTodo as Todo, TodoSyncStore } from "./store";
import { databaseLinks } from "@/lib/molecules/links";

/** How far back a reconcile looks before its cursor: clocks differ, and GitHub's updated_at has whole seconds. */
const CURSOR_OVERLAP_MS = 2 * 60 * 1000;
/** How far back a lost create is searched for (updated_at of the issue is at or after the attempt). */
const MARKER_LOOKBACK_MS = 10 * 60 * 1000;
const MAX_PAGES = 200;

export interface SyncOptions {
  /** Web base of GitHub (GITHUB_BASE_URL) for connections without their own API base. */
  githubBaseUrl: string;
  /** Public origin of the notebook, for links and images written into issue bodies. */
  siteUrl: string;
  /** Overrides for the client (tests shorten delays). */
  client?: Partial<Omit<GitHubClientOptions, "baseUrl" | "auth">>;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  conflicts: number;
  errors: string[];
  notModified: boolean;
}

type WebhookPayload = {
  action?: string;
  issue?: Parameters<typeof toRemoteIssue>[0];
  changes?: { new_issue?: { html_url?: string } };
};

export class TodoSync {
  private readonly clients = new Map<number, { key: string; client: GitHubClient }>();
  private readonly running = new Map<number, Promise<SyncReport>>();

  constructor(
    private readonly store: TodoSyncStore,
    private readonly options: SyncOptions,
  ) {}

  clientFor(conn: GitHubConnection): GitHubClient {
    const baseUrl = conn.apiBaseUrl ?? apiBaseFor(this.options.githubBaseUrl);
    const key = JSON.stringify([baseUrl, conn.authKind, conn.token, conn.appId, conn.installationId, conn.privateKey?.length]);
    const cached = this.clients.get(conn.campaignId);
    if (cached?.key === key) return cached.client;
    const auth =
      conn.authKind === "app"
        ? { kind: "app" as const, appId: conn.appId ?? "", privateKey: conn.privateKey ?? "", installationId: conn.installationId ?? 0 }
        : { kind: "token" as const, token: conn.token ?? "" };
    const client = new GitHubClient({
      baseUrl,
      auth,
      ...this.options.client,
      onRateLimit: (kind, after, url) =>
        void this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "rate-limit", outcome: "waiting", message: `${kind} rate limit on ${url}: retrying in ${after}s` }).catch(() => {}),
    });
    this.clients.set(conn.campaignId, { key, client });
    return client;
  }

  /** Push pending writes, then reconcile. One run per campaign at a time; a second caller shares the running one. */
  sync(conn: GitHubConnection, options: { verify?: boolean } = {}): Promise<SyncReport> {
    const running = this.running.get(conn.campaignId);
    if (running) return running;
    const run = this.syncOnce(conn, options).finally(() => this.running.delete(conn.campaignId));
    this.running.set(conn.campaignId, run);
    return run;
  }

  private async syncOnce(conn: GitHubConnection, options: { verify?: boolean }): Promise<SyncReport> {
    const report: SyncReport = { pushed: 0, pulled: 0, conflicts: 0, errors: [], notModified: false };
    await this.store.updateConnectionState(conn.campaignId, { lastAttemptAt: new Date() });
    try {
      await this.pushPending(conn, report);
      await this.reconcile(conn, report);
      if (options.verify) await this.verifyLinked(conn, report);
      const failed = report.errors.length ? report.errors.join("; ") : null;
      await this.store.updateConnectionState(conn.campaignId, { lastSyncAt: failed ? conn.lastSyncAt : new Date(), lastError: failed });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.errors.push(message);
      await this.store.updateConnectionState(conn.campaignId, { lastError: message });
      await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "sync", outcome: "error", message });
    }
    return report;
  }

  // ----- notebook → GitHub -----------------------------------------------------------------------------------

  async pushPending(conn: GitHubConnection, report: SyncReport): Promise<void> {
    for (const op of await this.store.openOps(conn.campaignId)) {
      try {
        if (await this.pushOne(conn, op)) report.pushed++;
      } catch (error) {
        const failure = error instanceof GitHubError ? error : new GitHubError(error instanceof Error ? error.message : String(error), -1, false);
        await this.store.updateOp(op.id, { status: failure.retryable ? "pending" : "failed", lastError: failure.message });
        await this.store.setTodoSyncError(op.todoId, failure.message);
        await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: op.kind, todoId: op.todoId, outcome: failure.retryable ? "retry" : "failed", message: failure.message });
        report.errors.push(failure.message);
        // GitHub is unreachable or limiting us: the other writes would fail the same way; keep their order.
        if (failure.retryable) return;
      }
    }
  }

  /** The issue body to write; one over GitHub's limit is a permanent refusal (422), not something to retry. */
  private async issueBodyToSend(todo: Todo): Promise<string> {
    try {
      return await this.issueBody(todo);
    } catch (error) {
      if (error instanceof BodyTooLongError) throw new GitHubError(error.message, 422, false);
      throw error;
    }
  }

  private async issueBody(todo: Todo): Promise<string> {
    let molecules: MoleculeLink[] = [];
    if (todo.moleculeLinks) {
      const found = await this.store.resolveMentions(findMentions(`${todo.title}\n${todo.body}`));
      const site = this.options.siteUrl.replace(/\/$/, "");
      molecules = [...new Map([...found.values()].map((m) => [m.code, m])).values()].map((m) => ({
        code: m.code,
        name: m.name,
        pageUrl: `${site}/molecules/${m.code}`,
        imageUrl: `${site}/molecules/${m.code}.png`,
        pubchemUrl: m.inchikey ? databaseLinks(m.inchikey).pubchem : null,
        chemblUrl: m.inchikey ? databaseLinks(m.inchikey).chembl : null,
      }));
    }
    return composeIssueBody(todo.body, todo.marker, molecules);
  }

  /** Sends one pending operation; true when something was written to GitHub. */
  private async pushOne(conn: GitHubConnection, op: GitHubPendingOp): Promise<boolean> {
    const client = this.clientFor(conn);
    const todo = await this.store.todoById(op.todoId);
    if (!todo || todo.remoteGone) {
      await this.store.updateOp(op.id, { status: "failed", lastError: todo ? `the issue was ${todo.remoteGone} on GitHub` : "the to-do is gone" });
      return false;
    }
    if (!todo.issueNumber) return this.pushCreate(conn, client, op, todo);
    const body = await this.issueBodyToSend(todo);
    // Read first (conditionally): what changed on GitHub since the last sync is merged before anything is sent.
    const lookup = await client.getIssue(conn.owner, conn.repo, todo.issueNumber, todo.etag);
    if (lookup.status === "gone") {
      await this.store.markGone(conn.campaignId, todo.issueNumber, lookup.reason, lookup.location);
      await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "update", issueNumber: todo.issueNumber, todoId: todo.id, outcome: lookup.reason, message: `#${todo.issueNumber} was ${lookup.reason} on GitHub; the to-do is kept read-only` });
      return false;
    }
    let current = todo;
    if (lookup.status === "ok") {
      const applied = await this.applyRemote(conn, lookup.issue, { etag: lookup.etag, operation: "pre-write read" });
      current = applied.todo;
    }
    const base = current.synced ?? fieldsOf(current);
    const fields = changedFields(base, fieldsOf(current)).filter((f) => !current.conflicts[f]);
    if (!fields.length) {
      await this.store.updateOp(op.id, { status: "done", lastError: null });
      return false;
    }
    const patch = pick(fieldsOf(current), fields);
    const write: IssueWrite = { ...patch, ...(patch.body !== undefined ? { body } : {}) };
    await this.store.updateOp(op.id, { attempts: op.attempts + 1 });
    const result = await client.updateIssue(conn.owner, conn.repo, current.issueNumber!, write);
    await this.store.updateOp(op.id, { status: "done", lastError: null });
    await this.store.recordOwnWrite(current.id, patch, result.issue, result.etag);
    await this.checkRefused(conn, current.id, patch, result.issue);
    await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "update", issueNumber: result.issue.number, todoId: current.id, outcome: "ok", message: `sent ${fields.join(", ")}` });
    return true;
  }

  private async pushCreate(conn: GitHubConnection, client: GitHubClient, op: GitHubPendingOp, todo: Todo): Promise<boolean> {
    const body = await this.issueBodyToSend(todo);
    if (op.attempts > 0) {
      // An earlier attempt may have been committed by GitHub with its answer lost: look for the marker first.
      const since = new Date(op.createdAt.getTime() - MARKER_LOOKBACK_MS);
      const found = await client.findByMarker(conn.owner, conn.repo, todo.marker, since);
      if (found) {
        await this.store.updateOp(op.id, { status: "done", lastError: null });
        const { marker: _marker, ...sent } = remoteFields(found);
        await this.store.recordOwnWrite(todo.id, sent, found, null);
        await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "create", issueNumber: found.number, todoId: todo.id, outcome: "found", message: `an earlier attempt had created #${found.number}; not sent again` });
        return false;
      }
    }
    // Counted before sending: if the answer is lost, the next attempt knows it must search first.
    await this.store.updateOp(op.id, { attempts: op.attempts + 1 });
    const fields = fieldsOf(todo);
    const result = await client.createIssue(conn.owner, conn.repo, { ...fields, body });
    await this.store.updateOp(op.id, { status: "done", lastError: null });
    await this.store.recordOwnWrite(todo.id, fields, result.issue, result.etag);
    await this.checkRefused(conn, todo.id, fields, result.issue);
    await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "create", issueNumber: result.issue.number, todoId: todo.id, outcome: "ok", message: `created #${result.issue.number}` });
    return true;
  }

  /** GitHub silently drops labels and assignees the account may not set: say so instead of losing them quietly. */
  private async checkRefused(conn: GitHubConnection, todoId: number, sent: Partial<TodoFields>, issue: RemoteIssue): Promise<void> {
    const missing = (wanted: string[] | undefined, got: string[]) =>
      (wanted ?? []).filter((w) => !got.some((g) => g.toLowerCase() === w.toLowerCase()));
    const labels = missing(sent.labels, issue.labels);
    const assignees = missing(sent.assignees, issue.assignees);
    if (!labels.length && !assignees.length) return;
    const parts = [labels.length ? `labels ${labels.join(", ")}` : "", assignees.length ? `assignees ${assignees.join(", ")}` : ""].filter(Boolean);
    const message = `GitHub did not apply ${parts.join(" and ")} to #${issue.number}: the connected account needs triage or write access to ${conn.owner}/${conn.repo}.`;
    await this.store.setTodoSyncError(todoId, message);
    await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "update", issueNumber: issue.number, todoId, outcome: "refused", message });
  }

  // ----- GitHub → notebook -----------------------------------------------------------------------------------

  async applyRemote(conn: GitHubConnection, issue: RemoteIssue, context: { etag?: string | null; operation: string; deliveryId?: string }) {
    const result = await this.store.applyRemoteIssue(conn.campaignId, issue, { etag: context.etag });
    const base = { campaignId: conn.campaignId, operation: context.operation, deliveryId: context.deliveryId ?? null, issueNumber: issue.number, todoId: result.todo.id };
    if (result.outcome === "conflict") {
      await this.store.appendSyncLog({ ...base, outcome: "conflict", message: `changed on both sides: ${result.changed.join(", ")}` });
      await this.store.feedEvent(conn.campaignId, conn.createdById, "todo.conflict", `Conflict on #${issue.number} ${issue.title}`, `Changed here and on GitHub: ${result.changed.join(", ")}`);
    } else if (result.outcome === "created" || result.outcome === "updated") {
      await this.store.appendSyncLog({ ...base, outcome: result.outcome, message: result.changed.join(", ") });
      const verb = result.outcome === "created" ? "opened on GitHub" : `changed on GitHub (${result.changed.join(", ")})`;
      await this.store.feedEvent(conn.campaignId, conn.createdById, result.outcome === "created" ? "todo.created" : "todo.updated", `#${issue.number} ${issue.title} ${verb}`);
    } else if (context.deliveryId) {
      // Webhooks of the notebook's own writes end here: nothing new, so nothing is echoed back.
      await this.store.appendSyncLog({ ...base, outcome: result.outcome === "stale" ? "stale" : "no change" });
    }
    return result;
  }

  /** Lists issues changed since the cursor (state=all, pages via Link, conditional on the last ETag). */
  async reconcile(conn: GitHubConnection, report: SyncReport): Promise<void> {
    const client = this.clientFor(conn);
    const since = sinceFor(conn.listCursor);
    let url: string | undefined;
    let newest = conn.listCursor;
    let firstEtag: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listIssuesPage(conn.owner, conn.repo, { since, etag: page === 0 ? conn.listEtag : null, url });
      if (result.notModified) {
        report.notModified = true;
        await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "reconcile", outcome: "not modified" });
        return;
      }
      if (page === 0) firstEtag = result.etag;
      for (const issue of result.issues) {
        if (issue.isPullRequest) continue;
        const applied = await this.applyRemote(conn, issue, { operation: "reconcile" });
        if (applied.outcome === "conflict") report.conflicts++;
        if (applied.outcome === "created" || applied.outcome === "updated") report.pulled++;
        const at = new Date(issue.updatedAt);
        if (!newest || at > newest) newest = at;
      }
      if (!result.next) break;
      url = result.next;
    }
    // The ETag belongs to the URL it was read from, which depends on `since`: keep it while `since` stays.
    const same = sinceFor(newest)?.getTime() === since?.getTime();
    await this.store.updateConnectionState(conn.campaignId, { listCursor: newest, listEtag: same ? firstEtag : null });
    conn.listCursor = newest;
    conn.listEtag = same ? firstEtag : null;
    await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "reconcile", outcome: "ok", message: `${report.pulled} changed, ${report.conflicts} conflicts` });
  }

  /** Reads each linked issue (conditionally): finds issues deleted or transferred while no webhook came through. */
  async verifyLinked(conn: GitHubConnection, report: SyncReport): Promise<void> {
    const client = this.clientFor(conn);
    for (const todo of await this.store.linkedTodos(conn.campaignId)) {
      const lookup = await client.getIssue(conn.owner, conn.repo, todo.issueNumber, todo.etag);
      if (lookup.status === "gone") {
        await this.store.markGone(conn.campaignId, todo.issueNumber, lookup.reason, lookup.location);
        await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: "verify", issueNumber: todo.issueNumber, todoId: todo.id, outcome: lookup.reason, message: `#${todo.issueNumber} was ${lookup.reason} on GitHub` });
      } else if (lookup.status === "ok") {
        const applied = await this.applyRemote(conn, lookup.issue, { etag: lookup.etag, operation: "verify" });
        if (applied.outcome === "updated") report.pulled++;
      }
    }
  }

  /** Applies one verified, not-yet-seen webhook delivery. */
  async handleDelivery(conn: GitHubConnection, deliveryId: string, event: string, payload: WebhookPayload): Promise<void> {
    const raw = payload.issue;
    if (!raw || (event !== "issues" && event !== "issue_comment")) return;
    if (raw.pull_request) return;
    if (event === "issues" && (payload.action === "deleted" || payload.action === "transferred")) {
      const reason = payload.action;
      const todo = await this.store.markGone(conn.campaignId, raw.number, reason, payload.changes?.new_issue?.html_url);
      await this.store.appendSyncLog({ campaignId: conn.campaignId, operation: `webhook issues.${reason}`, deliveryId, issueNumber: raw.number, todoId: todo?.id ?? null, outcome: reason });
      if (todo) await this.store.feedEvent(conn.campaignId, conn.createdById, "todo.updated", `#${raw.number} ${raw.title} ${reason} on GitHub`);
      return;
    }
    await this.applyRemote(conn, toRemoteIssue(raw), { operation: `webhook ${event}.${payload.action ?? ""}`, deliveryId });
  }
}

/**
 * `since` for a listing: before the cursor by an overlap (clocks differ; updated_at has whole seconds), rounded down
 * to ten minutes so that the URL, and with it the ETag, stays the same from one reconcile to the next.
 */
function sinceFor(cursor: Date | null | undefined): Date | undefined {
  if (!cursor) return undefined;
  const step = 10 * 60 * 1000;
  return new Date(Math.floor((cursor.getTime() - CURSOR_OVERLAP_MS) / step) * step);
}

function pick(fields: TodoFields, keys: SyncField[]): Partial<TodoFields> {
  const out: Partial<TodoFields> = {};
  for (const key of keys) (out as Record<string, unknown>)[key] = fields[key];
  return out;
}
