// What the API acknowledges is kept: the server is killed with SIGKILL (no shutdown of any kind) right after a
// 200/201 and restarted on the same embedded (PGlite) data dir. Also the data dir's one-process lock, as the
// admin command meets it. And a background picture scan cut off by the kill is taken over and lands once.
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getRDKit } from "@/lib/chem/inchi";
import { render, STYLES } from "../bench/ocsr-render";
import { ApiClient, expectStatus, isoDay, type Entry } from "./support/api-client";
import { createToken, pgliteStore, runAdmin, type PgliteStore as Store } from "./support/seed";
import { appProcessPid, killNotebook, startNotebook, type Notebook } from "./support/server";

let store: Store;
let token: string;
const running = new Set<Notebook>();

async function start(writesPerMinute = 1000, env: Record<string, string> = {}): Promise<{ server: Notebook; api: ApiClient }> {
  const server = await startNotebook({ dataDir: store.dataDir, env: { NOTEBOOK_RATE_LIMIT_WRITES: String(writesPerMinute), ...env } });
  running.add(server);
  return { server, api: new ApiClient(server.url, token) };
}

async function crash(server: Notebook): Promise<void> {
  await killNotebook(server);
  running.delete(server);
}

beforeAll(async () => {
  store = await pgliteStore();
  token = await createToken(store, "alice");
  const { server, api } = await start();
  await api.createCampaign({ name: "Durable", slug: "durable" });
  await server.stop();
  running.delete(server);
});

afterEach(async () => {
  for (const server of running) await server.stop();
  running.clear();
});

afterAll(async () => {
  await store?.dispose();
});

describe("acknowledged saves survive a crash", () => {
  it("keeps an entry and both its revisions when the server is killed right after the PATCH's 200", async () => {
    let { server, api } = await start();
    const created = await api.createEntry({ campaign: "durable", date: isoDay(), title: "Crash test", body: "first" });
    const edited = await api.editEntry(created.id, { body: "second", message: "before the crash", baseRevision: created.revisionId });
    await crash(server);

    ({ server, api } = await start());
    expect(await api.getEntry(created.id)).toMatchObject({
      revisionId: edited.revisionId,
      revisionNumber: 2,
      body: "second",
      deleted: false,
    });
    const revisions = await api.revisions(created.id);
    expect(revisions.map((r) => [r.number, r.body, r.message])).toEqual([
      [2, "second", "before the crash"],
      [1, "first", null],
    ]);
  });

  it("keeps every one of 20 rapid saves per round over three crash-and-restart rounds", async () => {
    let { server, api } = await start();
    const created = await api.createEntry({ campaign: "durable", date: isoDay(), title: "Rapid saves", body: "save 0" });
    const acknowledged: { id: number; body: string }[] = [{ id: created.revisionId, body: "save 0" }];
    for (let round = 1; round <= 3; round++) {
      let base = acknowledged[acknowledged.length - 1]!.id;
      for (let i = 1; i <= 20; i++) {
        const body = `save ${acknowledged.length}`;
        const saved = await api.editEntry(created.id, { body, baseRevision: base });
        acknowledged.push({ id: saved.revisionId, body });
        base = saved.revisionId;
      }
      await crash(server); // immediately after the last acknowledgement

      ({ server, api } = await start());
      const revisions = (await api.revisions(created.id)).reverse();
      expect(revisions.length, `round ${round}`).toBe(acknowledged.length);
      expect(revisions.map((r) => ({ id: r.id, body: r.body }))).toEqual(acknowledged);
      expect(revisions.map((r) => r.number)).toEqual(acknowledged.map((_, k) => k + 1));
      expect(await api.getEntry(created.id)).toMatchObject({ revisionId: base, revisionNumber: acknowledged.length });
    }
  });

  it("keeps a new entry whose 201 came just before the crash, and a save in flight is all or nothing", async () => {
    let { server, api } = await start();
    const created = await api.createEntry({ campaign: "durable", date: isoDay(), title: "Written at the last moment", body: "v1" });
    // Not awaited: the kill races this save. Whatever the outcome, the entry must be consistent with its history.
    const inFlight = api.patch<Entry>(`/api/v1/entries/${created.id}`, { body: "v2", baseRevision: created.revisionId }).catch(() => null);
    await crash(server);
    const answer = await inFlight;

    ({ server, api } = await start());
    const entry = await api.getEntry(created.id);
    const revisions = await api.revisions(created.id);
    expect(revisions).toHaveLength(entry.revisionNumber);
    expect([entry.revisionId, entry.body]).toEqual([revisions[0]!.id, revisions[0]!.body]);
    if (answer?.status === 200) expect(entry.body).toBe("v2"); // acknowledged after all: then it must be there
    expect(["v1", "v2"]).toContain(entry.body);
  });
});

describe("five writers at once, the app process killed under them", () => {
  it("keeps every acknowledged save over three kills (the front restarts the app), and an unanswered save is all or nothing", async () => {
    const { server, api } = await start(1_000_000);
    const entries = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => api.createEntry({ campaign: "durable", date: isoDay(), title: `Writer ${n}`, body: "save 0" })),
    );
    const acknowledged = new Map(entries.map((e) => [e.id, [{ id: e.revisionId, body: "save 0" }]]));
    const unanswered = new Map<number, string[]>(entries.map((e) => [e.id, []]));
    for (let round = 1; round <= 3; round++) {
      let stop = false;
      const writer = async (entryId: number) => {
        const saves = acknowledged.get(entryId)!;
        while (!stop) {
          const body = `save ${saves.length} (round ${round})`;
          const res = await api.patch<Entry>(`/api/v1/entries/${entryId}`, { body, baseRevision: saves.at(-1)!.id }).catch(() => null);
          if (res?.status === 200) saves.push({ id: res.body.revisionId, body });
          else if (res === null || res.status >= 500) {
            unanswered.get(entryId)!.push(body);
            // The app process is down: wait for the front to bring it back, then go on from what was kept.
            for (;;) {
              const health = await fetch(`${server.url}/api/health`).catch(() => null);
              if (health?.status === 200) break;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
            const current = await api.getEntry(entryId);
            if (current.revisionId !== saves.at(-1)!.id) saves.push({ id: current.revisionId, body: current.body });
          } else throw new Error(`unexpected answer ${res.status}: ${res.text}`);
        }
      };
      const writers = entries.map((e) => writer(e.id));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      process.kill(appProcessPid(server), "SIGKILL"); // saves in flight: some acknowledged, some cut off
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      stop = true;
      await Promise.all(writers);
    }
    for (const entry of entries) {
      const saves = acknowledged.get(entry.id)!;
      const revisions = (await api.revisions(entry.id)).reverse();
      // Every acknowledged save is there, in order, numbered without gaps; a cut-off save shows up at most once, as
      // the one the writer found when it came back (and then it is in `saves` too).
      expect(revisions.map((r) => ({ id: r.id, body: r.body }))).toEqual(saves);
      expect(revisions.map((r) => r.number)).toEqual(saves.map((_, k) => k + 1));
      expect(saves.length).toBeGreaterThan(5);
    }
    expect([...unanswered.values()].flat().length).toBeGreaterThan(0); // the kills did land on saves in flight
  }, 120_000);
});

describe("a picture scan the server is killed in", () => {
  it("is taken over after its claim lapses and lands once; the admin command rescans", async () => {
    const scanning = { NOTEBOOK_SCAN_INTERVAL: "1", NOTEBOOK_SCAN_CLAIM_SECONDS: "3" };
    let { server, api } = await start(1000, scanning);
    const entry = await api.createEntry({ campaign: "durable", date: isoDay(), title: "Drawing of the hit", body: "attached" });
    const smiles = "FC(F)Oc1ccc(cc1)c2nnc3cncc(C(=O)Nc4ccnc(c4)C(F)(F)F)n23"; // OSM-S-4 (C19H11F5N6O2)
    const picture = (
      await render(
        smiles,
        STYLES.find((s) => s.name === "ocl-300")!,
        await getRDKit(),
        1,
      )
    ).bytes;
    const upload = await api.request(`POST`, `/api/v1/entries/${entry.id}/attachments?filename=hit.png`, {
      body: Buffer.from(picture),
      headers: { "Content-Type": "image/png" },
    });
    expectStatus(upload, 201);
    // Killed while OSRA reads the picture: the scan is claimed and nothing is written yet.
    await waitFor(() => osraRunning(), 30_000, "an OSRA process").catch((error: Error) => {
      throw new Error(`${error.message}\n--- server logs ---\n${server.logs()}`);
    });
    await crash(server);
    expect(server.logs()).not.toMatch(/\[scans\] attachment/);

    ({ server, api } = await start(1000, scanning));
    type Recognized = { pictures: { status: string; found: number }[]; structures: { formula: string; page: number }[] };
    let found: Recognized | null = null;
    await waitFor(
      async () => {
        found = (await api.get<Recognized>(`/api/v1/entries/${entry.id}/recognized`)).body;
        return found.pictures[0]?.status === "done";
      },
      60_000,
      "the scan to land after the restart",
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(found)}\n--- server logs ---\n${server.logs()}`);
    });
    expect(found!.pictures).toEqual([expect.objectContaining({ status: "done", found: 1 })]);
    expect(found!.structures.map((s) => s.formula)).toEqual(["C19H11F5N6O2"]);
    expect(server.logs()).toMatch(/\[scans\] attachment \d+: 1 structures/);

    // The admin command queues it again (all pictures, or those an older recognizer read: none here).
    await server.stop();
    running.delete(server);
    const outdated = await runAdmin(store, ["rescan-pictures", "--outdated"]);
    expect(outdated.stdout, outdated.stderr).toMatch(/Queued 0 pictures/);
    const all = await runAdmin(store, ["rescan-pictures", "--campaign", "durable"]);
    expect(all.stdout, all.stderr).toMatch(/Queued 1 picture for recognition/);
    ({ server, api } = await start(1000, scanning));
    await waitFor(() => /\[scans\] attachment \d+: 1 structures/.test(server.logs()), 60_000, "the rescan");
    const rescanned = (await api.get<Recognized>(`/api/v1/entries/${entry.id}/recognized`)).body;
    expect(rescanned.structures.map((s) => s.formula)).toEqual(["C19H11F5N6O2"]);
  }, 180_000);
});

/** Whether an OSRA process runs on this machine now. */
function osraRunning(): boolean {
  return readdirSync("/proc").some((name) => {
    if (!/^\d+$/.test(name)) return false;
    try {
      return readFileSync(`/proc/${name}/comm`, "utf8").trim() === "osra";
    } catch {
      return false;
    }
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the admin command and the embedded database's lock", () => {
  it("refuses with exit code 3 while a server holds the data dir, and works once it is stopped", async () => {
    const { server } = await start();
    const refused = await runAdmin(store, ["create-token", "--user", "bob"]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(/in use/);
    expect(refused.stdout).not.toMatch(/nbk_/);
    expectStatus(await new ApiClient(server.url).get("/api/health"), 200); // the refusal did not disturb the server
    await server.stop();
    running.delete(server);

    const bobToken = await createToken(store, "bob");
    const again = await start();
    const me = expectStatus(await again.api.as(bobToken).get<{ login: string }>("/api/v1/me"), 200);
    expect(me.login).toBe("bob");
  });

  it("works after a crash: the lock of a dead server does not stay in the way", async () => {
    const { server } = await start();
    await crash(server);
    const carolToken = await createToken(store, "carol");
    const { api } = await start();
    expect(expectStatus(await api.as(carolToken).get<{ login: string }>("/api/v1/me"), 200).login).toBe("carol");
  });
});
