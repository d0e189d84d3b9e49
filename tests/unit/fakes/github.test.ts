import { createHash, randomBytes } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { assertResponse, findOperation, loadDescription } from "@/tests/fakes/github/openapi";
import { startFakeGitHub, type FakeGitHub } from "@/tests/fakes/github/server";

// Validators are compiled on first use; the big Issue schemas take a few hundred milliseconds each.
vi.setConfig({ testTimeout: 20_000 });

const CALLBACK = "http://127.0.0.1:3000/api/auth/callback/github";
const APP = { client_id: "Iv1.notebook", client_secret: "s3cret" };
const ada = { id: 5501, login: "ada", name: "Ada Lovelace", email: "ada@example.org" };
const grace = { id: 5502, login: "grace", name: "Grace Hopper", email: "grace@example.org", publicEmail: false };

let fake: FakeGitHub;
let clock: Date;

beforeAll(async () => {
  await loadDescription(); // the one slow step (reading ~73 MB of JSON), outside the per-test timeout
}, 60_000);

beforeEach(async () => {
  clock = new Date("2026-03-02T09:00:00Z");
  fake = await startFakeGitHub({
    oauthApp: { clientId: "Iv1.notebook", clientSecret: "s3cret", callbackUrl: CALLBACK },
    users: [ada, grace],
    repos: [{ owner: "ada", name: "campaign-42" }],
    now: () => clock,
  });
});

afterEach(async () => {
  await fake.close();
  // Tests that provoke violations on purpose check and clear them; anything left is a bug in the client or the fake.
  expect(fake.violations).toEqual([]);
});

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
/** An octokit that does not log the errors these tests provoke on purpose. */
const quiet = (options: { auth?: string; baseUrl: string }) => new Octokit({ ...options, log: silent });

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

async function authorize(params: Record<string, string>): Promise<URL> {
  const url = new URL("/login/oauth/authorize", fake.url);
  url.search = new URLSearchParams(params).toString();
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location") ?? "");
}

async function exchange(fields: Record<string, string>, accept = "application/json"): Promise<Response> {
  return fetch(`${fake.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept },
    body: new URLSearchParams(fields),
  });
}

/** The web flow as Auth.js runs it: authorize with PKCE, take the code from the redirect, exchange it. */
async function signIn(login: string, scope = "read:user user:email repo") {
  const { verifier, challenge } = pkce();
  fake.setNextAuthorizingUser(login);
  const redirect = await authorize({
    client_id: "Iv1.notebook",
    redirect_uri: CALLBACK,
    state: "st-123",
    scope,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const code = redirect.searchParams.get("code") ?? "";
  const fields = { ...APP, code, redirect_uri: CALLBACK, code_verifier: verifier };
  const res = await exchange(fields);
  const token = (await res.json()) as { access_token: string; token_type: string; scope: string };
  return { redirect, code, fields, token };
}

describe("OAuth web flow", () => {
  it("redirects back with code and state; the code buys a token that GET /user accepts", async () => {
    const { redirect, token } = await signIn("grace");
    expect(redirect.origin + redirect.pathname).toBe(CALLBACK);
    expect(redirect.searchParams.get("state")).toBe("st-123");
    expect(token.token_type).toBe("bearer");
    expect(token.scope).toBe("read:user,user:email,repo");
    expect(token.access_token).toMatch(/^gho_[A-Za-z0-9]{36}$/);

    const octokit = quiet({ auth: token.access_token, baseUrl: `${fake.url}/api/v3` });
    const { data: me } = await octokit.rest.users.getAuthenticated();
    expect(me).toMatchObject({ login: "grace", id: 5502, name: "Grace Hopper", email: null });
    expect(me.html_url).toBe(`${fake.url}/grace`);
    // Auth.js falls back to /user/emails when the profile hides the address.
    const { data: emails } = await octokit.rest.users.listEmailsForAuthenticatedUser();
    expect(emails).toEqual([{ email: "grace@example.org", primary: true, verified: true, visibility: "private" }]);
  });

  it("answers form-encoded unless the client asks for JSON, like GitHub", async () => {
    const { verifier, challenge } = pkce();
    const redirect = await authorize({
      client_id: "Iv1.notebook",
      redirect_uri: CALLBACK,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const res = await exchange(
      { ...APP, code: redirect.searchParams.get("code") ?? "", code_verifier: verifier },
      "*/*",
    );
    expect(res.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    const body = new URLSearchParams(await res.text());
    expect(body.get("token_type")).toBe("bearer");
    expect(body.get("access_token")).toMatch(/^gho_/);
  });

  it("accepts a code once: a reused code is bad_verification_code", async () => {
    const { fields } = await signIn("ada");
    const again = (await (await exchange(fields)).json()) as Record<string, string>;
    expect(again.error).toBe("bad_verification_code");
    expect(again.error_description).toBe("The code passed is incorrect or expired.");
    expect(again).not.toHaveProperty("access_token");
  });

  it("checks the PKCE verifier and the client secret", async () => {
    const { verifier, challenge } = pkce();
    const redirect = await authorize({
      client_id: APP.client_id,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const code = redirect.searchParams.get("code") ?? "";
    const wrongVerifier = await exchange({ ...APP, code, code_verifier: pkce().verifier });
    expect(await wrongVerifier.json()).toMatchObject({ error: "bad_verification_code" });
    const wrongSecret = await exchange({ ...APP, client_secret: "nope", code, code_verifier: verifier });
    expect(await wrongSecret.json()).toMatchObject({ error: "incorrect_client_credentials" });
    const right = await exchange({ ...APP, code, code_verifier: verifier });
    expect(await right.json()).toMatchObject({ token_type: "bearer" });
  });

  it("accepts client credentials in HTTP Basic (Auth.js's default) and JSON bodies", async () => {
    const redirect = await authorize({ client_id: "Iv1.notebook" });
    const res = await fetch(`${fake.url}/login/oauth/access_token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("Iv1.notebook:s3cret").toString("base64")}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ code: redirect.searchParams.get("code") }),
    });
    expect(await res.json()).toMatchObject({ token_type: "bearer", scope: "" });
  });

  it("redirects an unknown client or a foreign redirect_uri back with GitHub's error parameters", async () => {
    const unknown = await authorize({ client_id: "someone-else", redirect_uri: CALLBACK, state: "s" });
    expect(unknown.searchParams.get("error")).toBe("unauthorized_client");
    expect(unknown.searchParams.get("state")).toBe("s");
    expect(unknown.searchParams.has("code")).toBe(false);
    const foreign = await authorize({ client_id: "Iv1.notebook", redirect_uri: "http://127.0.0.1:9/evil", state: "s" });
    expect(foreign.origin + foreign.pathname).toBe(CALLBACK);
    expect(foreign.searchParams.get("error")).toBe("redirect_uri_mismatch");
    fake.setNextAuthorizingUser(null);
    const denied = await authorize({ client_id: "Iv1.notebook", redirect_uri: CALLBACK });
    expect(denied.searchParams.get("error")).toBe("access_denied");
  });
});

describe("REST authentication", () => {
  it("answers a bad token with 401 and GitHub's error body, and no token on /user with 401", async () => {
    const bad = await fetch(`${fake.url}/api/v3/user`, { headers: { authorization: "Bearer gho_not-a-real-token" } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      message: "Bad credentials",
      documentation_url: "https://docs.github.com/rest",
      status: "401",
    });
    const octokit = quiet({ baseUrl: fake.url });
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 401,
      response: { data: { message: "Requires authentication" } },
    });
  });

  it("hides /user/emails from a token without an email scope, like GitHub", async () => {
    const octokit = quiet({ auth: fake.createToken("ada", ["read:user"]), baseUrl: fake.url });
    await expect(octokit.rest.users.listEmailsForAuthenticatedUser()).rejects.toMatchObject({ status: 404 });
  });
});

describe.each([
  ["at the root", ""],
  ["under /api/v3", "/api/v3"],
])("issues API %s", (_name, prefix) => {
  const client = (login = "ada") => quiet({ auth: fake.createToken(login), baseUrl: fake.url + prefix });
  const repo = { owner: "ada", repo: "campaign-42" };

  it("creates, reads, updates and closes an issue, and keeps comments", async () => {
    const octokit = client();
    const { data: created, status } = await octokit.rest.issues.create({
      ...repo,
      title: "Re-run HPLC on batch 7",
      body: "Purity looked low.",
      labels: ["question", "hplc"],
      assignees: ["ada"],
    });
    expect(status).toBe(201);
    expect(created).toMatchObject({ number: 1, state: "open", title: "Re-run HPLC on batch 7", comments: 0 });
    expect(created.url).toBe(`${fake.url}${prefix}/repos/ada/campaign-42/issues/1`);
    expect(created.html_url).toBe(`${fake.url}/ada/campaign-42/issues/1`);
    expect(created.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["question", "hplc"]);
    expect(created.assignees?.map((a) => a.login)).toEqual(["ada"]);
    expect(created.user?.login).toBe("ada");

    clock = new Date("2026-03-02T10:00:00Z");
    const asGrace = client("grace");
    const { data: comment } = await asGrace.rest.issues.createComment({ ...repo, issue_number: 1, body: "Done: 98.7 %" });
    expect(comment).toMatchObject({ body: "Done: 98.7 %", author_association: "NONE", user: { login: "grace" } });
    const { data: comments } = await octokit.rest.issues.listComments({ ...repo, issue_number: 1 });
    expect(comments.map((c) => c.body)).toEqual(["Done: 98.7 %"]);

    clock = new Date("2026-03-02T11:00:00Z");
    const { data: closed } = await octokit.rest.issues.update({ ...repo, issue_number: 1, state: "closed" });
    expect(closed).toMatchObject({ state: "closed", state_reason: "completed", comments: 1 });
    expect(closed.closed_at).toBe("2026-03-02T11:00:00Z");
    const { data: fetched } = await octokit.rest.issues.get({ ...repo, issue_number: 1 });
    expect(fetched.closed_by?.login).toBe("ada");
    expect((await octokit.rest.issues.listForRepo(repo)).data).toEqual([]);
    const { data: closedOnes } = await octokit.rest.issues.listForRepo({ ...repo, state: "closed" });
    expect(closedOnes.map((i) => i.number)).toEqual([1]);
    const { data: labels } = await octokit.rest.issues.listLabelsForRepo({ ...repo, per_page: 100 });
    expect(labels.map((l) => l.name)).toContain("hplc");
  });

  it("drops triage fields from users without push access and refuses their edits of others' issues", async () => {
    const asGrace = client("grace");
    const { data } = await asGrace.rest.issues.create({ ...repo, title: "Typo", labels: ["bug"], assignees: ["ada"] });
    expect(data.labels).toEqual([]);
    expect(data.assignees).toEqual([]);
    await client("ada").rest.issues.create({ ...repo, title: "Ada's own" });
    const edit = asGrace.rest.issues.update({ ...repo, issue_number: 2, title: "mine now" });
    await expect(edit).rejects.toMatchObject({ status: 403 });
  });

  it("pages with a Link header that octokit.paginate follows, and filters by since", async () => {
    const octokit = client();
    for (let n = 1; n <= 7; n++) {
      clock = new Date(Date.UTC(2026, 2, 2, 9, n));
      await octokit.rest.issues.create({ ...repo, title: `To-do ${n}` });
    }
    const first = await octokit.rest.issues.listForRepo({ ...repo, per_page: 3 });
    expect(first.headers.link).toContain('rel="next"');
    const listUrl = `${fake.url}${prefix}/repos/ada/campaign-42/issues`;
    expect(first.headers.link).toContain(`<${listUrl}?per_page=3&page=3>; rel="last"`);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, per_page: 3, direction: "asc" });
    expect(all.map((i) => i.title)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `To-do ${n}`));
    const pageRequests = fake.requests.filter(
      (r) => r.operationId === "issues/list-for-repo" && r.url.includes("direction=asc"),
    );
    expect(pageRequests).toHaveLength(3);

    const since = await octokit.rest.issues.listForRepo({ ...repo, since: "2026-03-02T09:06:00Z" });
    expect(since.data.map((i) => i.number)).toEqual([7, 6]);
  });

  it("rejects a body that breaks GitHub's schema with 422 and records the violation", async () => {
    const octokit = client();
    // title must be a string or an integer in the description; 4.5 is neither.
    await expect(octokit.rest.issues.create({ ...repo, title: 4.5 })).rejects.toMatchObject({ status: 422 });
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]).toMatchObject({ kind: "request", operationId: "issues/create" });
    expect(fake.violations[0]?.problems.join("\n")).toContain("/title");
    expect((await octokit.rest.issues.listForRepo({ ...repo, state: "all" })).data).toEqual([]);
    fake.violations.length = 0;
  });

  it("rejects query parameters the operation does not have (GitHub would silently ignore them)", async () => {
    const octokit = client();
    const request = octokit.request("GET /repos/{owner}/{repo}/issues", { ...repo, status: "closed" });
    await expect(request).rejects.toMatchObject({ status: 422 });
    expect(fake.violations.map((v) => v.problems.join(" "))).toEqual([expect.stringContaining("status")]);
    fake.violations.length = 0;
  });
});

describe("contract checks", () => {
  it("records routes GitHub does not have", async () => {
    const res = await fetch(`${fake.url}/api/v3/repos/ada/campaign-42/todos`);
    expect(res.status).toBe(404);
    expect(fake.violations).toMatchObject([{ kind: "unknown-route" }]);
    fake.violations.length = 0;
  });

  it("checks its own responses against the description", async () => {
    const op = findOperation(await loadDescription(), "GET", "/repos/ada/campaign-42/issues/1").operation;
    expect(op?.operationId).toBe("issues/get");
    if (!op) return;
    const octokit = quiet({ auth: fake.createToken("ada"), baseUrl: fake.url });
    const { data: issue } = await octokit.rest.issues.create({ owner: "ada", repo: "campaign-42", title: "ok" });
    expect(() => assertResponse(op, 200, issue)).not.toThrow();
    const { node_id: _dropped, ...withoutNodeId } = issue;
    expect(() => assertResponse(op, 200, withoutNodeId)).toThrow(/node_id/);
    expect(() => assertResponse(op, 200, { ...issue, state_reason: "abandoned" })).toThrow(/state_reason/);
  });

  it("answers 500 and records a violation when its own response breaks the description", async () => {
    // Bad seed data is the typical way a fake ends up sending what GitHub never would.
    fake.addUser({ id: 77, login: "typo", email: "not an address" });
    const octokit = quiet({ auth: fake.createToken("typo"), baseUrl: fake.url });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 500 });
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("breaks the description"));
    logged.mockRestore();
    expect(fake.violations).toMatchObject([{ kind: "response", operationId: "users/get-authenticated" }]);
    expect(fake.violations[0]?.problems.join(" ")).toMatch(/email/);
    fake.violations.length = 0;
  });
});
