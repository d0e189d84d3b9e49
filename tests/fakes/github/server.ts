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
import { randomUUID } from "node:crypto";
import { GitHubState, Render, type FakeRepoInput, type FakeUserInput } from "./model";
import { OAuthServer, type OAuthApp, type Reply } from "./oauth";
import { assertResponse, findOperation, loadDescription, validateBody, validateParams } from "./openapi";
import { errorReply, NotImplemented, routes, type RestContext } from "./rest";

export type { FakeRepoInput, FakeUserInput } from "./model";
export type { OAuthApp } from "./oauth";

export interface FakeGitHubOptions {
  /** The registered OAuth app. Default: client id "fake-github-client-id", secret "fake-github-client-secret". */
  oauthApp?: OAuthApp;
  users?: FakeUserInput[];
  repos?: FakeRepoInput[];
  /** Clock for timestamps and code expiry (GitHub timestamps have whole seconds). */
  now?: () => Date;
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
  for (const user of options.users ?? []) state.addUser(user);
  for (const repo of options.repos ?? []) state.addRepo(repo);

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
    const headers: Record<string, string> = {
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": "core",
      ...(token ? { "x-oauth-scopes": token.scopes.join(", ") } : {}),
      ...reply.headers,
    };
    return { ...reply, headers, operationId: op.operationId };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const raw = await readRaw(req);
    let reply: Reply & { operationId?: string; body?: unknown };
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
      } else {
        reply = rest(req, url, raw);
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
    addRepo: (repo) => void state.addRepo(repo),
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
