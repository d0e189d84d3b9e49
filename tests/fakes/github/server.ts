/**
 * A local, stateful stand-in for GitHub (Enterprise Server layout) on 127.0.0.1, for tests of sign-in and to-do sync.
 *
 *   OAuth web flow   GET /login/oauth/authorize, POST /login/oauth/access_token
 *   REST             /api/v3/... (what Auth.js's GitHub provider with `enterprise: { baseUrl: fake.url }` calls), and
 *                    the same routes at the root (what octokit with `baseUrl: fake.url` calls)
 *
 * Every REST request is matched to an operation of GitHub's OpenAPI description and validated against it; a mismatch
 * is answered the way GitHub would (400/404/422) and recorded in `violations`. Every response the fake sends is
 * validated too; one that does not match is a bug in the fake, answered with 500 and recorded as well, so a test that
 * asserts `expect(fake.violations).toEqual([])` catches both.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, createPublicKey, randomUUID, verify as verifySignature } from "node:crypto";
import { GitHubState, Render, type FakeRepoInput, type FakeUserInput, type Issue } from "./model";
import { OAuthServer, type OAuthApp, type Reply } from "./oauth";
import { assertResponse, findOperation, loadDescription, validateBody, validateParams } from "./openapi";
import { errorReply, NotImplemented, routes, type RestContext } from "./rest";
import { WebhookSender, webhookRepository, type Delivery, type WebhookInput } from "./webhooks";

export type { FakeRepoInput, FakeUserInput } from "./model";
export type { OAuthApp } from "./oauth";
export type { Delivery, WebhookInput } from "./webhooks";

/**
 * A fault the next matching requests meet. `secondary-rate-limit`: 403 "secondary rate limit" with retry-after;
 * `primary-rate-limit`: 403 with x-ratelimit-remaining 0 and a reset time; `server-error`: 502 before anything is
 * done; `server-error-after-commit`: the request is carried out (and its webhooks sent), then answered 502 — a lost
 * answer; `slow`: answered normally after `delayMs`.
 */
export interface Fault {
  kind: "secondary-rate-limit" | "primary-rate-limit" | "server-error" | "server-error-after-commit" | "slow";
  method?: string;
  /** Matched against the path without the /api/v3 prefix. */
  path?: RegExp;
  times?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

export interface FakeGitHubOptions {
  /** The registered OAuth app. Default: client id "fake-github-client-id", secret "fake-github-client-secret". */
  oauthApp?: OAuthApp;
  users?: FakeUserInput[];
  repos?: FakeRepoInput[];
  /** Clock for timestamps and code expiry (GitHub timestamps have whole seconds). */
  now?: () => Date;
  /** GitHub Apps: JWTs signed with the private key of `publicKey` get installation tokens for `owner`'s repositories. */
  apps?: FakeAppInput[];
  /** Primary rate limit per token (or per address without one) per hour. Default 5000. */
  rateLimit?: number;
}

export interface FakeAppInput {
  id: number;
  slug: string;
  /** PEM public key of the App's private key. */
  publicKey: string;
  installationId: number;
  /** The account the App is installed on; its bot gets push access to these repositories ("all": every one). */
  owner: string;
  repos: string[] | "all";
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. "/api/v3/repos/o/r/issues?state=all". */
  url: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  status: number;
  operationId?: string;
}

export interface ContractViolation {
  /** request: the client broke the description; unknown-route: no such operation; unimplemented: documented but
   *  not served by the fake; response: the fake's own answer broke the description (a bug in the fake). */
  kind: "request" | "unknown-route" | "unimplemented" | "response";
  method: string;
  url: string;
  operationId?: string;
  problems: string[];
}

export interface FakeGitHub {
  /** e.g. "http://127.0.0.1:PORT"; the REST API is at url + "/api/v3" and at url itself. */
  url: string;
  oauthApp: OAuthApp;
  requests: RecordedRequest[];
  violations: ContractViolation[];
  addUser(user: FakeUserInput): void;
  /** GitHub lets people change their login; their numeric id stays. */
  renameUser(id: number, login: string): void;
  addRepo(repo: FakeRepoInput): void;
  /** Who approves the next authorize request (once); null denies it. Otherwise the first added user approves. */
  setNextAuthorizingUser(login: string | null): void;
  /** A token as if the user had gone through the OAuth flow, for tests that do not care about sign-in. */
  createToken(login: string, scopes?: string[]): string;
  /** Webhooks of a repository (all issue and issue_comment events) to a URL, signed with the secret. */
  addWebhook(hook: WebhookInput): number;
  deliveries: Delivery[];
  /** Resend a delivery with the same X-GitHub-Delivery. */
  redeliver(id: string): void;
  /** While on, deliveries are recorded as dropped and not sent (a receiver that was down). */
  dropWebhooks(on: boolean): void;
  /** Resolves when every delivery made so far has been answered. */
  webhooksIdle(): Promise<void>;
  injectFault(fault: Fault): void;
  /** Deletes an issue the way an admin does: GET answers 410, the list leaves it out, a `deleted` webhook is sent. */
  deleteIssue(owner: string, repo: string, number: number, byLogin: string): void;
  /** Transfers an issue to another repository of the fake: GET answers 301 to its new URL. */
  transferIssue(owner: string, repo: string, number: number, to: { owner: string; repo: string }, byLogin: string): void;
  /** Opens a pull request (listed among issues, like on GitHub). */
  openPullRequest(owner: string, repo: string, byLogin: string, title: string): number;
  /** Issues of a repository as the fake holds them (tests compare both sides). */
  issues(owner: string, repo: string): Issue[];
  /** The most write requests (POST/PATCH/PUT/DELETE) that were ever in flight at once. */
  maxConcurrentWrites: number;
  close(): Promise<void>;
}

const API_PREFIX = "/api/v3";
// The smallest valid PNG (1×1, transparent), served for avatar_url so that pages rendering avatars stay offline.
const AVATAR = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function formOrJson(raw: string, contentType: string | undefined): Record<string, string> {
  if (raw === "") return {};
  if (contentType?.includes("application/json")) {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const description = await loadDescription();
  const oauthApp = options.oauthApp ?? {
    clientId: "fake-github-client-id",
    clientSecret: "fake-github-client-secret",
  };
  let baseUrl = "";
  const state = new GitHubState(() => baseUrl, options.now ?? (() => new Date()));
  const oauth = new OAuthServer(state, oauthApp);
  const requests: RecordedRequest[] = [];
  const violations: ContractViolation[] = [];
  const faults: (Fault & { left: number })[] = [];
  const rateLimit = options.rateLimit ?? 5000;
  const used = new Map<string, { count: number; resetAt: number }>();
  let writesInFlight = 0;
  let maxConcurrentWrites = 0;
  const webhooks = new WebhookSender(
    state,
    () => new Render(state, baseUrl),
    (event, problems) => violations.push({ kind: "response", method: "POST", url: `webhook ${event}`, problems }),
  );
  for (const user of options.users ?? []) state.addUser(user);
  for (const repo of options.repos ?? []) state.addRepo(repo);
  for (const app of options.apps ?? []) state.addUser({ id: 40_000_000 + app.id, login: `${app.slug}[bot]` });

  function rest(req: IncomingMessage, url: URL, raw: string): Reply & { operationId?: string; body?: unknown } {
    const method = req.method ?? "GET";
    const prefixed = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const pathname = prefixed ? url.pathname.slice(API_PREFIX.length) || "/" : url.pathname;
    const violation = (kind: ContractViolation["kind"], problems: string[], operationId?: string) =>
      violations.push({ kind, method, url: url.pathname + url.search, operationId, problems });

    const found = findOperation(description, method, pathname);
    if (!found.operation) {
      const problems = [`${method} ${pathname} is not an operation of GitHub's REST API`];
      if (found.allowed.length) problems.push(`the path exists for ${found.allowed.join(", ")}`);
      violation("unknown-route", problems);
      return errorReply(404, "Not Found", "https://docs.github.com/rest");
    }
    const op = found.operation;
    const route = routes[op.operationId];
    const replyFor = (): Reply & { body?: unknown } => {
      if (op.operationId === "apps/create-installation-access-token") return installationToken(req, Number(found.params.installation_id), op.documentationUrl);
      const credentials = /^(?:bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      const token = credentials?.[1] ? state.tokens.get(credentials[1]) : undefined;
      if (req.headers.authorization !== undefined && !token) {
        return errorReply(401, "Bad credentials", "https://docs.github.com/rest");
      }
      if (!route) {
        violation("unimplemented", [`the fake does not serve ${op.operationId} (${op.template})`], op.operationId);
        return errorReply(501, `fake GitHub does not implement ${op.operationId}`, op.documentationUrl);
      }
      if (route.auth === "required" && !token) {
        return errorReply(401, "Requires authentication", op.documentationUrl);
      }
      const accepted = { "x-accepted-oauth-scopes": (route.scopes ?? []).join(", ") };
      if (token && route.scopes && !route.scopes.some((s) => token.scopes.includes(s))) {
        return { ...errorReply(404, "Not Found", op.documentationUrl), headers: accepted };
      }

      const params: Record<string, unknown> = { ...found.params };
      const pathProblems = validateParams(op, "path", params);
      if (pathProblems.length) {
        violation("request", pathProblems.map((p) => p.message), op.operationId);
        return errorReply(404, "Not Found", op.documentationUrl);
      }
      const query: Record<string, unknown> = Object.fromEntries(url.searchParams);
      let body: unknown;
      if (raw.trim() !== "") {
        try {
          body = JSON.parse(raw);
        } catch {
          violation("request", ["the body is not JSON"], op.operationId);
          return errorReply(400, "Problems parsing JSON", op.documentationUrl);
        }
      }
      const problems = [...validateParams(op, "query", query), ...validateBody(op, body)].map((p) => p.message);
      if (problems.length) {
        violation("request", problems, op.operationId);
        return { ...errorReply(422, `Invalid request.\n\n${problems.join("\n")}`, op.documentationUrl), body };
      }

      const ctx: RestContext = {
        state,
        render: new Render(state, baseUrl + (prefixed ? API_PREFIX : "")),
        token,
        params,
        query,
        body: (body ?? {}) as Record<string, unknown>,
        self: new URL(url.pathname + url.search, baseUrl),
        documentationUrl: op.documentationUrl,
        emit: (event) => webhooks.emit(event),
      };
      try {
        const reply = route.handle(ctx);
        return { ...reply, headers: { ...accepted, ...reply.headers }, body };
      } catch (error) {
        if (!(error instanceof NotImplemented)) throw error;
        violation("unimplemented", [`the fake does not support ${error.message}`], op.operationId);
        return { ...errorReply(501, `fake GitHub does not support ${error.message}`, op.documentationUrl), body };
      }
    };

    const reply = replyFor();
    try {
      assertResponse(op, reply.status, reply.json);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(message);
      violation("response", [message], op.operationId);
      return { status: 500, json: { message }, operationId: op.operationId, body: reply.body };
    }
    const token = state.tokens.get(/^(?:bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "");
    // Conditional requests: a GET whose ETag matches If-None-Match gets 304 without a body and costs no rate limit.
    let etag: string | undefined;
    if (method === "GET" && reply.status === 200 && reply.json !== undefined) {
      etag = `W/"${createHash("sha1").update(JSON.stringify(reply.json)).update(reply.headers?.link ?? "").digest("hex")}"`;
      if (req.headers["if-none-match"] === etag) {
        return { status: 304, headers: { etag, ...rateHeaders(token?.value ?? "anonymous", false) }, operationId: op.operationId };
      }
    }
    const headers: Record<string, string> = {
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      ...rateHeaders(token?.value ?? "anonymous", true),
      ...(token ? { "x-oauth-scopes": token.scopes.join(", ") } : {}),
      ...(etag ? { etag } : {}),
      ...reply.headers,
    };
    return { ...reply, headers, operationId: op.operationId };
  }

  /** `POST /app/installations/{id}/access_tokens` with the App's JWT (RS256, iss = App ID, not expired). */
  function installationToken(req: IncomingMessage, installationId: number, docs: string): Reply {
    const jwt = /^bearer\s+([\w-]+)\.([\w-]+)\.([\w-]+)$/i.exec(req.headers.authorization ?? "");
    const bad = errorReply(401, "A JSON web token could not be decoded", docs);
    if (!jwt) return bad;
    const [, header, payload, signature] = jwt as unknown as [string, string, string, string];
    let claims: { iss?: string | number; exp?: number; iat?: number };
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
    } catch {
      return bad;
    }
    const app = (options.apps ?? []).find((a) => String(a.id) === String(claims.iss));
    if (!app) return errorReply(401, "Integration not found", docs);
    const valid = verifySignature("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey(app.publicKey), Buffer.from(signature, "base64url"));
    const now = Math.floor(Date.now() / 1000);
    if (!valid) return errorReply(401, "A JSON web token could not be decoded", docs);
    if (!claims.exp || claims.exp < now || claims.exp - (claims.iat ?? now) > 600) {
      return errorReply(401, "'Expiration time' claim ('exp') is too far in the future or expired", docs);
    }
    if (app.installationId !== installationId) return errorReply(404, "Not Found", docs);
    const bot = state.userByLogin(`${app.slug}[bot]`)!;
    const token = state.issueToken(bot.id, ["repo"]);
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return { status: 201, json: { token: token.value, expires_at: expires, permissions: { issues: "write", metadata: "read" }, repository_selection: app.repos === "all" ? "all" : "selected" } };
  }

  function rateHeaders(key: string, count: boolean): Record<string, string> {
    let bucket = used.get(key);
    if (!bucket || bucket.resetAt <= Date.now()) used.set(key, (bucket = { count: 0, resetAt: Date.now() + 3600_000 }));
    if (count) bucket.count++;
    return {
      "x-ratelimit-limit": String(rateLimit),
      "x-ratelimit-remaining": String(Math.max(rateLimit - bucket.count, 0)),
      "x-ratelimit-reset": String(Math.ceil(bucket.resetAt / 1000)),
      "x-ratelimit-used": String(bucket.count),
      "x-ratelimit-resource": "core",
    };
  }

  /** The primary limit: a token that used its hour gets 403 until the reset, as GitHub answers. */
  function overLimit(req: IncomingMessage): Reply | undefined {
    const key = /^(?:bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "anonymous";
    const bucket = used.get(key);
    if (!bucket || bucket.resetAt <= Date.now() || bucket.count < rateLimit) return undefined;
    return {
      ...errorReply(403, "API rate limit exceeded for user. (But here's the good news: Authenticated requests get a higher rate limit.)", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"),
      headers: rateHeaders(key, false),
    };
  }

  function takeFault(method: string, pathname: string): Fault | undefined {
    const path = pathname.startsWith(`${API_PREFIX}/`) ? pathname.slice(API_PREFIX.length) : pathname;
    const index = faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    const fault = faults[index];
    if (!fault) return undefined;
    if (--fault.left <= 0) faults.splice(index, 1);
    return fault;
  }

  function faultReply(fault: Fault): Reply {
    const docs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
    if (fault.kind === "secondary-rate-limit") {
      return {
        ...errorReply(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", docs),
        headers: { "retry-after": String(fault.retryAfterSeconds ?? 1) },
      };
    }
    if (fault.kind === "primary-rate-limit") {
      const reset = Math.ceil(Date.now() / 1000) + (fault.retryAfterSeconds ?? 1);
      return {
        ...errorReply(403, "API rate limit exceeded for user.", docs),
        headers: { "x-ratelimit-limit": String(rateLimit), "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset), "x-ratelimit-used": String(rateLimit), "x-ratelimit-resource": "core" },
      };
    }
    return { status: 502, json: { message: "Server Error" } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const raw = await readRaw(req);
    const isWrite = !["GET", "HEAD"].includes(req.method ?? "GET") && !url.pathname.startsWith("/login/");
    if (isWrite) maxConcurrentWrites = Math.max(maxConcurrentWrites, ++writesInFlight);
    try {
      await respond(req, res, url, raw);
    } finally {
      if (isWrite) writesInFlight--;
    }
  }

  async function respond(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> {
    let reply: Reply & { operationId?: string; body?: unknown };
    const fault = url.pathname.startsWith("/login/") ? undefined : takeFault(req.method ?? "GET", url.pathname);
    if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
    try {
      if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
        reply = oauth.authorize(url.searchParams);
      } else if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
        const body = formOrJson(raw, req.headers["content-type"]);
        reply = { ...oauth.accessToken(req.headers, body), body };
      } else if (req.method === "GET" && /^\/avatars\/u\/\d+$/.test(url.pathname)) {
        res.writeHead(200, { "content-type": "image/png", "content-length": AVATAR.length }).end(AVATAR);
        const asked = url.pathname + url.search;
        requests.push({ method: "GET", url: asked, headers: req.headers, body: undefined, status: 200 });
        return;
      } else if (url.pathname.startsWith("/login/")) {
        reply = { status: 404, text: "Not Found" };
      } else if (fault && fault.kind !== "slow" && fault.kind !== "server-error-after-commit") {
        reply = faultReply(fault);
      } else {
        reply = overLimit(req) ?? rest(req, url, raw);
        if (fault?.kind === "server-error-after-commit") reply = { ...faultReply(fault), operationId: reply.operationId, body: reply.body };
      }
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`fake GitHub crashed on ${req.method} ${url.pathname}: ${message}`);
      violations.push({ kind: "response", method: req.method ?? "GET", url: url.pathname, problems: [message] });
      reply = { status: 500, json: { message } };
    }
    const headers: Record<string, string> = { "x-github-request-id": randomUUID().toUpperCase(), ...reply.headers };
    let payload = reply.text ?? "";
    if (reply.json !== undefined) {
      headers["content-type"] ??= "application/json; charset=utf-8";
      payload = JSON.stringify(reply.json);
    }
    res.writeHead(reply.status, headers).end(payload);
    requests.push({
      method: req.method ?? "GET",
      url: url.pathname + url.search,
      headers: req.headers,
      body: reply.body,
      status: reply.status,
      operationId: reply.operationId,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("fake GitHub failed to answer", error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function find(owner: string, repo: string, number: number, login: string) {
    const r = state.repo(owner, repo);
    const issue = r?.issues.find((i) => i.number === number && !i.gone);
    const user = state.userByLogin(login);
    if (!r || !issue || !user) throw new Error(`fake GitHub has no issue ${owner}/${repo}#${number} or user ${login}`);
    return { r, issue, user };
  }

  return {
    url: baseUrl,
    oauthApp,
    requests,
    violations,
    addUser: (user) => state.addUser(user),
    renameUser: (id, login) => {
      const user = state.users.get(id);
      if (!user) throw new Error(`fake GitHub has no user with id ${id}`);
      if (state.userByLogin(login)) throw new Error(`fake GitHub already has a user ${login}`);
      user.login = login;
    },
    addRepo: (repo) => {
      const bots = (options.apps ?? []).filter((a) => a.owner.toLowerCase() === repo.owner.toLowerCase() && (a.repos === "all" || a.repos.includes(repo.name)));
      state.addRepo({ ...repo, collaborators: [...(repo.collaborators ?? []), ...bots.map((a) => `${a.slug}[bot]`)] });
    },
    addWebhook: (hook) => webhooks.add(hook),
    deliveries: webhooks.deliveries,
    redeliver: (id) => webhooks.redeliver(id),
    dropWebhooks: (on) => void (webhooks.dropping = on),
    webhooksIdle: () => webhooks.idle(),
    injectFault: (fault) => void faults.push({ ...fault, left: fault.times ?? 1 }),
    deleteIssue(owner, repo, number, byLogin) {
      const { r, issue, user } = find(owner, repo, number, byLogin);
      webhooks.emit({ event: "issues", action: "deleted", repo: r, issue, senderId: user.id });
      issue.gone = { kind: "deleted" };
    },
    transferIssue(owner, repo, number, to, byLogin) {
      const { r, issue, user } = find(owner, repo, number, byLogin);
      const target = state.repo(to.owner, to.repo);
      if (!target) throw new Error(`fake GitHub has no repository ${to.owner}/${to.repo}`);
      const moved = state.createIssue(target, user, { title: issue.title, body: issue.body });
      Object.assign(moved, { labels: [...issue.labels], assignees: [...issue.assignees], state: issue.state });
      const render = new Render(state, baseUrl);
      webhooks.emit({
        event: "issues",
        action: "transferred",
        repo: r,
        issue,
        senderId: user.id,
        extra: { changes: { new_issue: render.issue(target, moved), new_repository: webhookRepository(render, state, target) } },
      });
      issue.gone = { kind: "transferred", location: `${baseUrl}/repos/${target.owner}/${target.name}/issues/${moved.number}` };
    },
    openPullRequest(owner, repo, byLogin, title) {
      const r = state.repo(owner, repo);
      const user = state.userByLogin(byLogin);
      if (!r || !user) throw new Error(`fake GitHub has no repository ${owner}/${repo} or user ${byLogin}`);
      const pr = state.createIssue(r, user, { title, body: null });
      pr.pullRequest = true;
      return pr.number;
    },
    issues: (owner, repo) => state.repo(owner, repo)?.issues.filter((i) => !i.gone && !i.pullRequest) ?? [],
    get maxConcurrentWrites() {
      return maxConcurrentWrites;
    },
    setNextAuthorizingUser: (login) => oauth.setNextAuthorizingUser(login),
    createToken(login, scopes = ["repo", "read:user", "user:email"]) {
      const user = state.userByLogin(login);
      if (!user) throw new Error(`fake GitHub has no user ${login}`);
      return state.issueToken(user.id, scopes).value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
