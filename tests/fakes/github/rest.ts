/**
 * The REST operations the fake implements, keyed by GitHub's operationId. The server has already matched the route,
 * authenticated the token and validated params and body against the description, so handlers only apply GitHub's
 * rules: who may do what, filters, pagination, and the silent dropping of fields a non-collaborator may not set.
 */
import type { GitHubState, Issue, Render, Repo, Token } from "./model";
import type { Reply } from "./oauth";
import type { IssueEvent } from "./webhooks";

export interface RestContext {
  state: GitHubState;
  render: Render;
  token: Token | undefined;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The URL as the client asked for it (prefix included), for `Link` and `Location` headers. */
  self: URL;
  documentationUrl: string;
  /** Sends the webhook deliveries of a change (to hooks registered on the repository). */
  emit: (event: IssueEvent) => void;
}

interface Route {
  /** Scopes of which the token needs one; GitHub answers 404 to a token without them. */
  scopes?: string[];
  auth: "required" | "optional";
  handle: (ctx: RestContext) => Reply;
}

export function errorReply(status: number, message: string, documentationUrl: string, extra?: object): Reply {
  return { status, json: { message, documentation_url: documentationUrl, ...extra, status: String(status) } };
}

function validationFailed(ctx: RestContext, field: string, value: unknown): Reply {
  return errorReply(422, "Validation Failed", ctx.documentationUrl, {
    errors: [{ value, resource: "Issue", field, code: "invalid" }],
  });
}

const notFound = (ctx: RestContext): Reply => errorReply(404, "Not Found", ctx.documentationUrl);

function page<T>(ctx: RestContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30), 1), 100);
  const current = Math.max(Number(ctx.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string): string => {
    const url = new URL(ctx.self);
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  // GitHub's order: prev, next, last, first; omitted when they would point at the current page.
  const links: string[] = [];
  if (current > 1) links.push(link(Math.min(current - 1, last), "prev"));
  if (current < last) links.push(link(current + 1, "next"), link(last, "last"));
  if (current > 1) links.push(link(1, "first"));
  return {
    items: items.slice((current - 1) * perPage, current * perPage),
    headers: links.length ? { link: links.join(", ") } : {},
  };
}

function repoOf(ctx: RestContext): Repo | undefined {
  return ctx.state.repo(String(ctx.params.owner), String(ctx.params.repo));
}

function issueOf(ctx: RestContext, repo: Repo): Issue | undefined {
  return repo.issues.find((i) => i.number === Number(ctx.params.issue_number));
}

/** GitHub's answers for an issue that was transferred (301 to its new home) or deleted (410). */
function goneReply(ctx: RestContext, issue: Issue): Reply | undefined {
  if (!issue.gone) return undefined;
  if (issue.gone.kind === "deleted") return errorReply(410, "This issue was deleted", ctx.documentationUrl);
  const url = issue.gone.location.replace(/^[^/]*\/\/[^/]+(\/api\/v3)?/, ctx.render.api);
  return { status: 301, headers: { location: url }, json: { message: "Moved Permanently", url, documentation_url: ctx.documentationUrl } };
}

function actor(ctx: RestContext) {
  return ctx.token ? ctx.state.users.get(ctx.token.userId) : undefined;
}

function labelNames(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  return list.flatMap((l) => {
    if (typeof l === "string") return [l];
    return typeof l === "object" && l && "name" in l ? [String(l.name)] : [];
  });
}

/** Applies labels/assignees/milestone like GitHub: dropped silently without push access, 422 for unknown assignees. */
function applyTriage(ctx: RestContext, repo: Repo, issue: Issue): Reply | undefined {
  if (!ctx.state.canPush(repo, actor(ctx))) return undefined;
  const b = ctx.body;
  if (b.milestone !== undefined && b.milestone !== null) return validationFailed(ctx, "milestone", b.milestone);
  let assignees: string[] | undefined;
  if (Array.isArray(b.assignees)) {
    assignees = (b.assignees as unknown[]).map((a) => String(typeof a === "object" && a && "login" in a ? a.login : a));
  } else if (b.assignee !== undefined) assignees = b.assignee === null ? [] : [String(b.assignee)];
  if (assignees) {
    const resolved: string[] = [];
    for (const login of assignees) {
      const user = ctx.state.userByLogin(login);
      if (!user || !ctx.state.canPush(repo, user)) return validationFailed(ctx, "assignees", login);
      resolved.push(user.login);
    }
    issue.assignees = resolved;
  }
  if (b.labels !== undefined) issue.labels = ctx.state.ensureLabels(repo, labelNames(b.labels));
  return undefined;
}

function listIssues(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  if (!repo) return notFound(ctx);
  const q = ctx.query;
  if (q.issue_field_values !== undefined) {
    throw new NotImplemented("the issue_field_values filter (issue fields exist only for organizations)");
  }
  const state = String(q.state ?? "open");
  const since = q.since === undefined ? undefined : Date.parse(String(q.since));
  const wanted = q.labels === undefined ? [] : String(q.labels).split(",").map((l) => l.trim().toLowerCase());
  const login = (id: number) => ctx.state.users.get(id)?.login.toLowerCase();
  let issues = repo.issues.filter((i) => {
    if (i.gone) return false;
    if (state !== "all" && i.state !== state) return false;
    if (since !== undefined && Date.parse(i.updatedAt) < since) return false;
    if (!wanted.every((w) => w === "" || i.labels.some((l) => l.toLowerCase() === w))) return false;
    if (q.creator !== undefined && login(i.userId) !== String(q.creator).toLowerCase()) return false;
    if (q.assignee === "none" && i.assignees.length) return false;
    if (q.assignee === "*" && !i.assignees.length) return false;
    const assignee = q.assignee === undefined || q.assignee === "none" || q.assignee === "*" ? undefined : q.assignee;
    if (assignee !== undefined && !i.assignees.some((a) => a.toLowerCase() === String(assignee).toLowerCase())) {
      return false;
    }
    if (q.mentioned !== undefined) {
      const mention = new RegExp(`(^|\\W)@${String(q.mentioned)}\\b`, "i");
      if (![i.body ?? "", ...i.comments.map((c) => c.body)].some((t) => mention.test(t))) return false;
    }
    // No milestones or issue types exist in the fake: "none" keeps everything, any other value keeps nothing.
    if (q.milestone !== undefined && q.milestone !== "none") return false;
    if (q.type !== undefined && q.type !== "none") return false;
    return true;
  });
  const key = String(q.sort ?? "created");
  const sign = q.direction === "asc" ? 1 : -1;
  const value = (i: Issue) =>
    key === "comments" ? i.comments.length : key === "updated" ? Date.parse(i.updatedAt) : Date.parse(i.createdAt);
  issues = [...issues].sort((a, b) => sign * (value(a) - value(b) || a.number - b.number));
  const { items, headers } = page(ctx, issues);
  return { status: 200, headers, json: items.map((i) => ctx.render.issue(repo, i)) };
}

function createIssue(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  const user = actor(ctx);
  if (!repo || !user) return notFound(ctx);
  const body = typeof ctx.body.body === "string" ? ctx.body.body : null;
  const issue = ctx.state.createIssue(repo, user, { title: String(ctx.body.title), body });
  const failed = applyTriage(ctx, repo, issue);
  if (failed) {
    repo.issues.pop();
    return failed;
  }
  const json = ctx.render.issue(repo, issue);
  ctx.emit({ event: "issues", action: "opened", repo, issue, senderId: user.id });
  for (const name of issue.labels) {
    ctx.emit({ event: "issues", action: "labeled", repo, issue, senderId: user.id, extra: { label: ctx.render.label(repo, name) } });
  }
  for (const login of issue.assignees) emitAssignee(ctx, repo, issue, user.id, "assigned", login);
  return { status: 201, headers: { location: String(json.url) }, json };
}

function emitAssignee(ctx: RestContext, repo: Repo, issue: Issue, senderId: number, action: string, login: string): void {
  const assignee = ctx.state.userByLogin(login);
  if (!assignee) return;
  ctx.emit({ event: "issues", action, repo, issue, senderId, extra: { assignee: ctx.render.simpleUser(assignee.id) } });
}

/** The deliveries GitHub sends for one update: edited, closed/reopened, one per label and assignee change. */
function emitUpdate(ctx: RestContext, repo: Repo, issue: Issue, before: Issue, senderId: number): void {
  const changes: Record<string, { from: string | null }> = {};
  if (before.title !== issue.title) changes.title = { from: before.title };
  if (before.body !== issue.body) changes.body = { from: before.body };
  if (Object.keys(changes).length) ctx.emit({ event: "issues", action: "edited", repo, issue, senderId, extra: { changes } });
  if (before.state !== issue.state) {
    ctx.emit({ event: "issues", action: issue.state === "closed" ? "closed" : "reopened", repo, issue, senderId });
  }
  const lower = (list: string[]) => new Set(list.map((x) => x.toLowerCase()));
  const [was, now] = [lower(before.labels), lower(issue.labels)];
  for (const name of issue.labels.filter((l) => !was.has(l.toLowerCase()))) {
    ctx.emit({ event: "issues", action: "labeled", repo, issue, senderId, extra: { label: ctx.render.label(repo, name) } });
  }
  for (const name of before.labels.filter((l) => !now.has(l.toLowerCase()))) {
    const label = repo.labels.some((l) => l.name === name) ? { label: ctx.render.label(repo, name) } : {};
    ctx.emit({ event: "issues", action: "unlabeled", repo, issue, senderId, extra: label });
  }
  const [had, has] = [lower(before.assignees), lower(issue.assignees)];
  for (const login of issue.assignees.filter((a) => !had.has(a.toLowerCase()))) emitAssignee(ctx, repo, issue, senderId, "assigned", login);
  for (const login of before.assignees.filter((a) => !has.has(a.toLowerCase()))) emitAssignee(ctx, repo, issue, senderId, "unassigned", login);
}

function getIssue(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  const issue = repo && issueOf(ctx, repo);
  if (!repo || !issue) return notFound(ctx);
  return goneReply(ctx, issue) ?? { status: 200, json: ctx.render.issue(repo, issue) };
}

function updateIssue(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  const issue = repo && issueOf(ctx, repo);
  const user = actor(ctx);
  if (!repo || !issue || !user) return notFound(ctx);
  const gone = goneReply(ctx, issue);
  if (gone) return gone;
  if (issue.userId !== user.id && !ctx.state.canPush(repo, user)) {
    return errorReply(403, "Must have admin rights to Repository.", ctx.documentationUrl);
  }
  const before = { ...issue, labels: [...issue.labels], assignees: [...issue.assignees] };
  const failed = applyTriage(ctx, repo, issue);
  if (failed) {
    Object.assign(issue, before);
    return failed;
  }
  const b = ctx.body;
  if (b.title !== undefined && b.title !== null) issue.title = String(b.title);
  if (b.body !== undefined) issue.body = b.body === null ? null : String(b.body);
  if (b.state !== undefined && b.state !== issue.state) {
    const at = ctx.state.timestamp();
    if (b.state === "closed") {
      issue.state = "closed";
      issue.closedAt = at;
      issue.closedById = user.id;
      const reason = b.state_reason;
      issue.stateReason = reason === "not_planned" || reason === "duplicate" ? reason : "completed";
    } else {
      issue.state = "open";
      issue.closedAt = null;
      issue.closedById = null;
      issue.stateReason = "reopened";
    }
  }
  issue.updatedAt = ctx.state.timestamp();
  emitUpdate(ctx, repo, issue, before, user.id);
  return { status: 200, json: ctx.render.issue(repo, issue) };
}

function listComments(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  const issue = repo && issueOf(ctx, repo);
  if (!repo || !issue) return notFound(ctx);
  const since = ctx.query.since === undefined ? undefined : Date.parse(String(ctx.query.since));
  const comments = issue.comments.filter((c) => since === undefined || Date.parse(c.updatedAt) >= since);
  const { items, headers } = page(ctx, comments);
  return { status: 200, headers, json: items.map((c) => ctx.render.comment(repo, issue, c)) };
}

function createComment(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  const issue = repo && issueOf(ctx, repo);
  const user = actor(ctx);
  if (!repo || !issue || !user) return notFound(ctx);
  const comment = ctx.state.addComment(issue, user, String(ctx.body.body));
  const json = ctx.render.comment(repo, issue, comment);
  ctx.emit({ event: "issue_comment", action: "created", repo, issue, senderId: user.id, comment });
  return { status: 201, headers: { location: String(json.url) }, json };
}

function listLabels(ctx: RestContext): Reply {
  const repo = repoOf(ctx);
  if (!repo) return notFound(ctx);
  const { items, headers } = page(ctx, ctx.render.labels(repo));
  return { status: 200, headers, json: items };
}

/** Thrown for a documented request the fake cannot answer faithfully; the server turns it into a 501 + violation. */
export class NotImplemented extends Error {}

const WRITE = ["repo", "public_repo"];

export const routes: Record<string, Route> = {
  "users/get-authenticated": {
    auth: "required",
    handle: (ctx) => ({ status: 200, json: ctx.render.privateUser(ctx.token?.userId ?? -1) }),
  },
  "users/list-emails-for-authenticated-user": {
    auth: "required",
    scopes: ["user", "user:email"],
    handle: (ctx) => {
      const { items, headers } = page(ctx, ctx.render.emails(ctx.token?.userId ?? -1));
      return { status: 200, headers, json: items };
    },
  },
  "issues/list-for-repo": { auth: "optional", handle: listIssues },
  "issues/create": { auth: "required", scopes: WRITE, handle: createIssue },
  "issues/get": { auth: "optional", handle: getIssue },
  "issues/update": { auth: "required", scopes: WRITE, handle: updateIssue },
  "issues/list-comments": { auth: "optional", handle: listComments },
  "issues/create-comment": { auth: "required", scopes: WRITE, handle: createComment },
  "issues/list-labels-for-repo": { auth: "optional", handle: listLabels },
};
