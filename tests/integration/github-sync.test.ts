// The to-do sync engine against the fake GitHub over loopback, on every database: each pitfall of two-way sync has
// a test here that fails without its handling.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { eq } from "drizzle-orm";

import { getTodo, resolveConflict } from "@/db/queries/todos";
import { readSyncLog } from "@/db/queries/github-sync";
import { listFeed } from "@/db/queries/events";
import { githubPendingOps, githubSyncLog } from "@/db/schema";
import { signatureFor } from "@/lib/github/webhook";
import { GITHUB_BODY_LIMIT, TODO_BODY_LIMIT } from "@/lib/github/marker";
import type { FakeGitHub } from "../fakes/github/server";
import { describeEachDatabase } from "./support/databases";
import { APP, OWNER, connectedCampaign, githubUser, newSync, startGitHub, startReceiver, type Receiver } from "./support/github";
import { createTodo, registerMolecule, updateTodo } from "./support/use-cases";

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startGitHub();
}, 60_000);
afterAll(async () => {
  await fake?.close();
});

const requestsTo = (method: string, pattern: RegExp) => fake.requests.filter((r) => r.method === method && pattern.test(r.url));

describeEachDatabase("to-do sync with GitHub", (get) => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(get().db, newSync(get().db, fake), fake);
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => {
    fake.dropWebhooks(false);
    fake.violations.length = 0;
  });

  it("creates the issue with a hidden marker, and a second sync sends nothing", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    const todo = await createTodo(db, maintainer, slug, { title: "Resynthesise OSM-S-106", body: "Need 50 mg.", labels: ["help wanted"] });
    const report = await sync.sync(await connection());
    expect(report.errors).toEqual([]);
    const issues = fake.issues(OWNER, repo);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.title).toBe("Resynthesise OSM-S-106");
    expect(issues[0]!.body).toContain(`<!-- notebook:todo:${todo.marker} -->`);
    expect(issues[0]!.labels).toEqual(["help wanted"]);
    const linked = await getTodo(db, todo.id);
    expect(linked?.issueNumber).toBe(issues[0]!.number);
    expect(linked?.body).toBe("Need 50 mg.");
    const writes = fake.requests.filter((r) => r.method !== "GET").length;
    await sync.sync(await connection());
    expect(fake.requests.filter((r) => r.method !== "GET").length).toBe(writes);
    expect(fake.violations).toEqual([]);
  });

  it("does not make a second issue when a create's answer was lost (GitHub committed, then 502)", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    await createTodo(db, maintainer, slug, { title: "Run the HPLC" });
    fake.injectFault({ kind: "server-error-after-commit", method: "POST", path: new RegExp(`/repos/${OWNER}/${repo}/issues$`) });
    // Only the push (no listing in between, which would also recognise the marker).
    const first = { pushed: 0, pulled: 0, conflicts: 0, errors: [] as string[], notModified: false };
    await sync.pushPending(await connection(), first);
    expect(first.errors.join()).toMatch(/HTTP 502/);
    expect(fake.issues(OWNER, repo)).toHaveLength(1); // committed although the answer was lost
    const second = { ...first, errors: [] as string[] };
    await sync.pushPending(await connection(), second);
    expect(second.errors).toEqual([]);
    expect(fake.issues(OWNER, repo)).toHaveLength(1);
    expect(requestsTo("POST", new RegExp(`/repos/${OWNER}/${repo}/issues$`))).toHaveLength(1);
    const log = await readSyncLog(db, (await connection()).campaignId);
    expect(log.some((l) => l.operation === "create" && l.outcome === "found")).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it("takes a change made on GitHub in through its webhook, and shows it in the feed", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { campaign, maintainer, slug, repo, connection } = await connectedCampaign(db, fake, { receiver });
    const todo = await createTodo(db, maintainer, slug, { title: "Order boronic acid" });
    await sync.sync(await connection());
    await receiver.idle();
    const number = (await getTodo(db, todo.id))!.issueNumber!;
    await githubUser(fake, "mat-todd").rest.issues.update({ owner: OWNER, repo, issue_number: number, title: "Order 4-fluorophenylboronic acid", labels: ["Series 4"], state: "closed" });
    await receiver.idle();
    const after = await getTodo(db, todo.id);
    expect(after).toMatchObject({ title: "Order 4-fluorophenylboronic acid", state: "closed", labels: ["Series 4"] });
    const feed = await listFeed(db, { campaignId: campaign.id });
    expect(feed.some((e) => e.kind === "todo.updated" && e.title.includes("changed on GitHub"))).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it("does not echo: the webhook of the notebook's own write changes nothing and sends nothing back", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { campaign, maintainer, slug, repo, connection } = await connectedCampaign(db, fake, { receiver });
    const todo = await createTodo(db, maintainer, slug, { title: "Dry the THF" });
    await sync.sync(await connection());
    await receiver.idle();
    await updateTodo(db, maintainer, todo.id, { title: "Dry the THF over sieves", labels: ["chemistry"], state: "closed" });
    await sync.sync(await connection());
    await receiver.idle();
    await sync.sync(await connection());
    await receiver.idle();
    expect(requestsTo("PATCH", new RegExp(`/repos/${OWNER}/${repo}/issues/\\d+$`))).toHaveLength(1);
    const ops = await db.select().from(githubPendingOps).where(eq(githubPendingOps.todoId, todo.id));
    expect(ops.filter((o) => o.status === "pending")).toEqual([]);
    const feed = await listFeed(db, { campaignId: campaign.id });
    expect(feed.filter((e) => e.title.includes("on GitHub"))).toEqual([]);
    const log = await db.select().from(githubSyncLog).where(eq(githubSyncLog.campaignId, campaign.id));
    // Each delivery of its own writes is recognised as nothing new (or as older than what is stored).
    expect(log.filter((l) => l.deliveryId).map((l) => l.outcome).filter((o) => o !== "no change" && o !== "stale")).toEqual([]);
    expect(log.filter((l) => l.deliveryId).length).toBeGreaterThan(0);
    expect(fake.violations).toEqual([]);
  });

  it("keeps a true conflict for a person to resolve, and merges labels from both sides", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    const todo = await createTodo(db, maintainer, slug, { title: "Assay OSM-S-201", labels: ["assay"] });
    await sync.sync(await connection());
    const number = (await getTodo(db, todo.id))!.issueNumber!;
    await updateTodo(db, maintainer, todo.id, { title: "Assay OSM-S-201 at 3 doses", labels: ["assay", "urgent"] });
    await githubUser(fake, "mat-todd").rest.issues.update({ owner: OWNER, repo, issue_number: number, title: "Assay OSM-S-201 against 3D7", labels: ["assay", "Series 4"] });
    const report = await sync.sync(await connection());
    expect(report.errors).toEqual([]);
    const after = (await getTodo(db, todo.id))!;
    expect(after.title).toBe("Assay OSM-S-201 at 3 doses");
    expect(after.conflicts.title).toEqual({ local: "Assay OSM-S-201 at 3 doses", remote: "Assay OSM-S-201 against 3D7" });
    expect(after.labels).toEqual(["assay", "Series 4", "urgent"]);
    const issue = fake.issues(OWNER, repo)[0]!;
    expect(issue.title).toBe("Assay OSM-S-201 against 3D7"); // not overwritten
    expect([...issue.labels].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()))).toEqual(["assay", "Series 4", "urgent"]);
    await expect(updateTodo(db, maintainer, todo.id, { title: "Something else" })).rejects.toMatchObject({ code: "conflict" });
    // An editor that showed an older value of a field cannot overwrite the newer one unseen.
    await expect(updateTodo(db, maintainer, todo.id, { labels: ["assay"] }, { labels: ["assay", "urgent"] })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("changed since you opened") });
    await resolveConflict(db, maintainer, todo.id, "title", "notebook");
    await sync.sync(await connection());
    expect(fake.issues(OWNER, repo)[0]!.title).toBe("Assay OSM-S-201 at 3 doses");
    expect((await getTodo(db, todo.id))!.conflicts).toEqual({});
    expect(fake.violations).toEqual([]);
  });

  it("reconciles what webhooks missed: state=all, pages through Link, skips pull requests, then 304 with the ETag", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { campaign, repo, connection } = await connectedCampaign(db, fake);
    const gh = githubUser(fake, "mat-todd");
    for (let i = 1; i <= 130; i++) await gh.rest.issues.create({ owner: OWNER, repo, title: `Compound ${i}` });
    await gh.rest.issues.update({ owner: OWNER, repo, issue_number: 3, state: "closed" });
    fake.openPullRequest(OWNER, repo, "mat-todd", "Add NMR data");
    const report = await sync.sync(await connection());
    expect(report.errors).toEqual([]);
    expect(report.pulled).toBe(130);
    const lists = requestsTo("GET", new RegExp(`/repos/${OWNER}/${repo}/issues\\?`));
    expect(lists.length).toBe(2);
    expect(lists[0]!.url).toContain("state=all");
    expect(lists[1]!.url).toContain("page=2");
    const { listTodos } = await import("@/db/queries/todos");
    const all = await listTodos(db, campaign.id, { state: "all" }, 500);
    expect(all).toHaveLength(130);
    expect(all.find((t) => t.issueNumber === 3)?.state).toBe("closed");
    expect(all.some((t) => t.title === "Add NMR data")).toBe(false);
    // Nothing changed: once the cursor has settled, the conditional list answers 304.
    await sync.sync(await connection());
    const again = await sync.sync(await connection());
    expect(again.notModified).toBe(true);
    const last = requestsTo("GET", new RegExp(`/repos/${OWNER}/${repo}/issues\\?`)).at(-1)!;
    expect(last.status).toBe(304);
    expect(last.url).toContain("since=");
    // A change after the cursor is picked up through the overlapping `since`.
    await gh.rest.issues.update({ owner: OWNER, repo, issue_number: 7, title: "Compound 7 (resynthesised)" });
    const third = await sync.sync(await connection());
    expect(third.pulled).toBe(1);
    expect((await listTodos(db, campaign.id, { q: "resynthesised" }))).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it("handles issues deleted (410) and transferred (301) on GitHub, with and without a webhook", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake, { receiver });
    fake.addRepo({ owner: OWNER, name: `${repo}-archive` });
    const a = await createTodo(db, maintainer, slug, { title: "Delete me" });
    const b = await createTodo(db, maintainer, slug, { title: "Move me" });
    const c = await createTodo(db, maintainer, slug, { title: "Delete me quietly" });
    await sync.sync(await connection());
    await receiver.idle();
    const num = async (id: number) => (await getTodo(db, id))!.issueNumber!;
    fake.deleteIssue(OWNER, repo, await num(a.id), OWNER);
    await receiver.idle();
    expect((await getTodo(db, a.id))!.remoteGone).toBe("deleted");
    fake.dropWebhooks(true);
    fake.transferIssue(OWNER, repo, await num(b.id), { owner: OWNER, repo: `${repo}-archive` }, OWNER);
    fake.deleteIssue(OWNER, repo, await num(c.id), OWNER);
    await updateTodo(db, maintainer, b.id, { title: "Move me (edited)" });
    await sync.sync(await connection(), { verify: true });
    const moved = (await getTodo(db, b.id))!;
    expect(moved.remoteGone).toBe("transferred");
    expect(moved.htmlUrl).toContain(`${repo}-archive`);
    expect((await getTodo(db, c.id))!.remoteGone).toBe("deleted");
    await expect(updateTodo(db, maintainer, b.id, { title: "again" })).rejects.toMatchObject({ code: "conflict" });
    expect(fake.violations).toEqual([]);
  });

  it("obeys secondary (retry-after) and primary (x-ratelimit-reset) limits and serializes writes", async () => {
    const db = get().db;
    const sync = newSync(db, fake, { retryUnitMs: 20 });
    const { campaign, maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    const todo = await createTodo(db, maintainer, slug, { title: "Limits" });
    await sync.sync(await connection());
    fake.injectFault({ kind: "secondary-rate-limit", method: "PATCH", retryAfterSeconds: 2, times: 2 });
    fake.injectFault({ kind: "primary-rate-limit", method: "GET", path: /\/issues\/\d+$/, retryAfterSeconds: 1 });
    await updateTodo(db, maintainer, todo.id, { title: "Limits obeyed" });
    const started = Date.now();
    const report = await sync.sync(await connection());
    expect(report.errors).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 2 * 20); // waited retry-after × unit, twice
    expect(fake.issues(OWNER, repo)[0]!.title).toBe("Limits obeyed");
    const log = await readSyncLog(db, campaign.id);
    expect(log.filter((l) => l.operation === "rate-limit").map((l) => l.message.split(" ")[0]).sort()).toEqual(["primary", "secondary", "secondary"]);
    const client = sync.clientFor(await connection());
    const number = (await getTodo(db, todo.id))!.issueNumber!;
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.updateIssue(OWNER, repo, number, { body: `parallel ${i}` })));
    expect(fake.maxConcurrentWrites).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it("refuses a body over GitHub's limit with a clear message, and drops the molecule block before the limit", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    await expect(createTodo(db, maintainer, slug, { title: "Too long", body: "x".repeat(TODO_BODY_LIMIT + 1) })).rejects.toMatchObject({
      code: "payload_too_large",
      message: expect.stringContaining("65,536"),
    });
    const todo = await createTodo(db, maintainer, slug, { title: "Just fits OSM-S-106", body: "y".repeat(TODO_BODY_LIMIT), moleculeLinks: true });
    expect((await sync.sync(await connection())).errors).toEqual([]);
    const issue = fake.issues(OWNER, repo)[0]!;
    expect(issue.body!.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect((await getTodo(db, todo.id))!.body).toHaveLength(TODO_BODY_LIMIT);
    expect(fake.violations).toEqual([]);
  });

  it("writes the structure image and the notebook, PubChem and ChEMBL links of mentioned molecules into the issue", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    const { molecule } = await registerMolecule(db, maintainer, { campaign: slug, smiles: "CC(=O)Oc1ccccc1C(=O)O" });
    await createTodo(db, maintainer, slug, { title: `Resynthesize ${molecule.code}`, body: "Needs 50 mg.", moleculeLinks: true });
    expect((await sync.sync(await connection())).errors).toEqual([]);
    const body = fake.issues(OWNER, repo)[0]!.body!;
    expect(body).toContain(`/molecules/${molecule.code}.png`);
    expect(body).toContain(`/molecules/${molecule.code})`);
    // By InChIKey (aspirin's), the identifier both databases search by.
    expect(body).toContain("[PubChem](https://pubchem.ncbi.nlm.nih.gov/#query=BSYNRYMUTXBXSQ-UHFFFAOYSA-N)");
    expect(body).toContain("[ChEMBL](https://www.ebi.ac.uk/chembl/g/#search_results/compounds/query=BSYNRYMUTXBXSQ-UHFFFAOYSA-N)");
    expect(fake.violations).toEqual([]);
  });

  it("says when GitHub silently drops labels the account may not set", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake, { tokenOf: "outsider" });
    const todo = await createTodo(db, maintainer, slug, { title: "Labelled", labels: ["Series 4"] });
    await sync.sync(await connection());
    expect(fake.issues(OWNER, repo)[0]!.labels).toEqual([]);
    const after = (await getTodo(db, todo.id))!;
    expect(after.syncError).toMatch(/did not apply labels Series 4.*triage or write access/);
    const log = await readSyncLog(db, after.campaignId);
    expect(log.some((l) => l.outcome === "refused")).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it("keeps writes pending while GitHub is unreachable or slow, and sends them once it answers", async () => {
    const db = get().db;
    const sync = newSync(db, fake, { retries: 1, timeoutMs: 300 });
    const { campaign, maintainer, slug, repo, connection } = await connectedCampaign(db, fake, { apiBaseUrl: "http://127.0.0.1:9" });
    await createTodo(db, maintainer, slug, { title: "Offline" });
    const report = await sync.sync(await connection());
    expect(report.errors.join()).toMatch(/could not be reached/);
    const conn = await connection();
    expect(conn.lastError).toMatch(/could not be reached/);
    expect(conn.lastSyncAt).toBeNull();
    const ops = await db.select().from(githubPendingOps).where(eq(githubPendingOps.campaignId, campaign.id));
    expect(ops.map((o) => o.status)).toEqual(["pending"]);
    // Back online, but the first answer is slow (beyond the timeout): retried, then done.
    await db.update((await import("@/db/schema")).githubConnections).set({ apiBaseUrl: fake.url }).where(eq((await import("@/db/schema")).githubConnections.campaignId, campaign.id));
    fake.injectFault({ kind: "slow", method: "GET", delayMs: 1000 });
    const back = await sync.sync(await connection());
    expect(back.errors).toEqual([]);
    expect(fake.issues(OWNER, repo)).toHaveLength(1);
    expect((await connection()).lastSyncAt).not.toBeNull();
    expect(fake.violations).toEqual([]);
  });

  it("accepts only correctly signed webhooks and does the work of a redelivery once", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { campaign, repo, secret } = await connectedCampaign(db, fake, { receiver });
    const gh = githubUser(fake, "mat-todd");
    await gh.rest.issues.create({ owner: OWNER, repo, title: "From GitHub" });
    await receiver.idle();
    const delivery = fake.deliveries.filter((d) => d.body.includes(repo)).at(-1)!;
    expect(delivery.status).toBe(202);
    const post = (signature: string, id = delivery.id) =>
      fetch(receiver.url, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "issues", "x-github-delivery": id, "x-hub-signature-256": signature }, body: delivery.body });
    expect((await post(signatureFor("wrong-secret-wrong-secret", delivery.body))).status).toBe(401);
    expect((await post("sha256=" + "0".repeat(64))).status).toBe(401);
    expect((await post(signatureFor(secret, delivery.body + " "))).status).toBe(401);
    fake.redeliver(delivery.id);
    await receiver.idle();
    expect(delivery.status).toBe(200);
    const answer = await (await post(signatureFor(secret, delivery.body))).json();
    expect(answer).toEqual({ ok: true, duplicate: true });
    const log = await db.select().from(githubSyncLog).where(eq(githubSyncLog.campaignId, campaign.id));
    expect(log.filter((l) => l.deliveryId === delivery.id)).toHaveLength(1);
    expect(fake.violations).toEqual([]);
    void sync;
  });

  it("takes an issue whose body was copied from a synced one (same marker) as a to-do of its own", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { campaign, maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    await createTodo(db, maintainer, slug, { title: "Original" });
    await sync.sync(await connection());
    const copied = fake.issues(OWNER, repo)[0]!.body!;
    await githubUser(fake, "mat-todd").rest.issues.create({ owner: OWNER, repo, title: "Copy", body: copied });
    expect((await sync.sync(await connection())).errors).toEqual([]);
    const { listTodos } = await import("@/db/queries/todos");
    const all = await listTodos(db, campaign.id, { state: "all" });
    expect(all.map((t) => t.title).sort()).toEqual(["Copy", "Original"]);
    expect(new Set(all.map((t) => t.marker)).size).toBe(2);
  });

  it("authenticates as a GitHub App installation, fetching its token once and reusing it", async () => {
    const db = get().db;
    const sync = newSync(db, fake);
    const { maintainer, slug, repo, connection } = await connectedCampaign(db, fake, { app: true });
    const tokensBefore = requestsTo("POST", /\/app\/installations\/\d+\/access_tokens$/).length;
    await createTodo(db, maintainer, slug, { title: "Via the App", labels: ["Series 4"] });
    expect((await sync.sync(await connection())).errors).toEqual([]);
    await createTodo(db, maintainer, slug, { title: "Via the App again" });
    expect((await sync.sync(await connection())).errors).toEqual([]);
    const issues = fake.issues(OWNER, repo).filter((i) => i.title.startsWith("Via the App"));
    expect(issues).toHaveLength(2);
    expect(issues[0]!.labels).toEqual(["Series 4"]); // the App's bot may triage
    expect(requestsTo("POST", /\/app\/installations\/\d+\/access_tokens$/).length - tokensBefore).toBe(1);
    const tokenRequest = requestsTo("POST", new RegExp(`/app/installations/${APP.installationId}/access_tokens$`)).at(-1)!;
    expect(tokenRequest.status).toBe(201);
    expect(fake.violations).toEqual([]);
  });

  it("keeps the sync log append-only", async () => {
    const db = get().db;
    const { campaign } = await connectedCampaign(db, fake);
    const failure = (p: Promise<unknown>) => p.then(() => "allowed", (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ""}`);
    expect(await failure(db.update(githubSyncLog).set({ outcome: "x" }).where(eq(githubSyncLog.campaignId, campaign.id)))).toMatch(/append-only/);
    expect(await failure(db.delete(githubSyncLog).where(eq(githubSyncLog.campaignId, campaign.id)))).toMatch(/append-only/);
  });
});
