// Several app processes over one database. Only PostgreSQL can be shared by processes, so the main suite runs
// when TEST_DATABASE_URL names a server (CI sets it). The embedded database (PGlite) is one process at a time by
// design: its suite, which always runs, checks that a second process is turned away instead of corrupting it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, errorOf, expectStatus, isoDay, type ApiResponse, type Entry, type Member } from "./support/api-client";
import { createToken, createTokens, pgliteStore, postgresStore, runAdmin, type PgliteStore, type PostgresStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const POSTGRES_URL = process.env.TEST_DATABASE_URL;

describe("two servers on one embedded data dir", () => {
  let store: PgliteStore;
  let first: Notebook | undefined;
  beforeAll(async () => {
    store = await pgliteStore();
    await createToken(store, "alice");
  });
  afterAll(async () => {
    await first?.stop();
    await store?.dispose();
  });

  it("turns the second process away (503, 'in use') while the first keeps serving", async () => {
    first = await startNotebook({ dataDir: store.dataDir });
    // The second server never becomes healthy; startNotebook gives up after healthTimeoutMs and says why.
    const second = await startNotebook({ dataDir: store.dataDir, healthTimeoutMs: 15_000 }).then(
      (server) => server,
      (error: Error) => error,
    );
    if (!(second instanceof Error)) {
      await second.stop();
      expect.fail("a second server on the same PGlite data dir answered /api/health with 200");
    }
    expect(second.message).toMatch(/HTTP 503/);
    expect(second.message).toMatch(/in use by process/);
    expect(expectStatus(await new ApiClient(first.url).get("/api/health"), 200)).toEqual({ ok: true, database: "pglite" });
  });
});

// runIf, not skip: without a PostgreSQL server there is nothing to share between processes (see the header).
describe.runIf(POSTGRES_URL)("two servers on one PostgreSQL database", () => {
  const CLIENTS = ["alice", "chem2", "chem3", "chem4", "chem5"] as const;
  const SLUG = "shared";
  let store: PostgresStore;
  let servers: Notebook[] = [];
  let tokens: Record<(typeof CLIENTS)[number], string>;
  /** clients[k][s]: client k talking to server s */
  let clients: ApiClient[][];

  beforeAll(async () => {
    store = await postgresStore(POSTGRES_URL!);
    tokens = await createTokens(store, CLIENTS);
    const env = { ...store.env, NOTEBOOK_RATE_LIMIT_WRITES: "10000" };
    servers = await Promise.all([startNotebook({ env }), startNotebook({ env })]);
    clients = CLIENTS.map((login) => servers.map((s) => new ApiClient(s.url, tokens[login])));
    const [onA, onB] = clients[0]!;
    await onA!.createCampaign({ name: "Shared", slug: SLUG });
    for (const login of CLIENTS.slice(1)) await onB!.addMember(SLUG, login, "maintainer");
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await store?.dispose();
  });

  it("reads through one server what was written through the other", async () => {
    const [a, b] = clients[0]! as [ApiClient, ApiClient];
    for (const api of [a, b]) expect(expectStatus(await api.get("/api/health"), 200)).toEqual({ ok: true, database: "postgres" });
    const created = await a.createEntry({ campaign: SLUG, date: isoDay(), title: "Written on A", body: "from A" });
    // Each server writes its own address into `url`; everything else must be the same row.
    const sameRow = <T extends { url: string }>(x: T) => ({ ...x, url: new URL(x.url).pathname });
    expect(sameRow(await b.getEntry(created.id))).toEqual(sameRow(await a.getEntry(created.id)));
    const edited = await b.editEntry(created.id, { body: "edited on B", baseRevision: created.revisionId });
    expect(await a.getEntry(created.id)).toMatchObject({ revisionId: edited.revisionId, body: "edited on B" });
    expect((await a.revisions(created.id)).map(sameRow)).toEqual((await b.revisions(created.id)).map(sameRow));
    const members = (api: ApiClient) => api.get<{ members: Member[] }>(`/api/v1/campaigns/${SLUG}`).then((r) => expectStatus(r, 200).members);
    expect((await members(a)).map((m) => m.login).sort()).toEqual([...CLIENTS].sort());
  });

  it("lets exactly one of 5 concurrent saves on the same base win per round; the others get 409 and nothing is lost or doubled", async () => {
    const [a] = clients[0]! as [ApiClient];
    const created = await a.createEntry({ campaign: SLUG, date: isoDay(), title: "Contended", body: "start" });
    const winners: { id: number; body: string }[] = [{ id: created.revisionId, body: "start" }];
    const losers: string[] = [];
    for (let round = 1; round <= 6; round++) {
      const apis = clients.map((perServer, k) => perServer[(k + round) % 2]!); // alternate servers
      const bases = await Promise.all(apis.map(async (api) => (await api.getEntry(created.id)).revisionId));
      expect(new Set(bases).size, "every client read the same base").toBe(1);
      const bodies = apis.map((_, k) => `round ${round}, client ${k}`);
      const answers: ApiResponse<Entry>[] = await Promise.all(apis.map((api, k) => api.patch<Entry>(`/api/v1/entries/${created.id}`, { body: bodies[k], baseRevision: bases[k] })));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses, answers.map((r) => r.text.slice(0, 200)).join("\n")).toEqual([200, 409, 409, 409, 409]);
      const k = answers.findIndex((r) => r.status === 200);
      const won = answers[k]!.body;
      expect(won).toMatchObject({ body: bodies[k], revisionNumber: round + 1 });
      winners.push({ id: won.revisionId, body: bodies[k]! });
      for (const [j, r] of answers.entries()) {
        if (r.status !== 409) continue;
        losers.push(bodies[j]!);
        expect(errorOf(r)).toMatchObject({ code: "conflict", current: { revisionId: won.revisionId, body: bodies[k], number: round + 1 } });
      }
    }
    for (const api of clients[0]!) {
      const revisions = (await api.revisions(created.id)).reverse();
      expect(revisions.map((r) => ({ id: r.id, body: r.body }))).toEqual(winners);
      expect(revisions.map((r) => r.number)).toEqual(winners.map((_, i) => i + 1));
      expect(losers).toHaveLength(6 * 4);
      expect(revisions.filter((r) => losers.includes(r.body))).toEqual([]);
      expect(await api.getEntry(created.id)).toMatchObject({ revisionNumber: winners.length, revisionId: winners[winners.length - 1]!.id });
    }
  });

  it("runs the admin command while both servers are up", async () => {
    const token = await createToken(store, "late-comer");
    const added = await runAdmin(store, ["add-member", "--campaign", SLUG, "--user", "late-comer", "--role", "member"]);
    expect(added.code, added.stderr).toBe(0);
    for (const server of servers) {
      const api = new ApiClient(server.url, token);
      expect(expectStatus(await api.get<{ login: string; campaigns: { slug: string }[] }>("/api/v1/me"), 200)).toMatchObject({ login: "late-comer", campaigns: [{ slug: SLUG }] });
    }
    const entry = await new ApiClient(servers[1]!.url, token).createEntry({ campaign: SLUG, date: isoDay(), title: "By the newcomer" });
    expect((await clients[0]![0]!.getEntry(entry.id)).author).toBe("late-comer");
  });
});
