// One request must never take the notebook down, and bad input must never be a 500: the production server over
// HTTP, on the embedded database, with the inputs that once did (a molfile bomb, a search that ran for minutes,
// malformed structures, NUL bytes), a fuzz run over registration, import, search and depiction, and the app process
// killed outright.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, errorOf, expectStatus, type ApiResponse } from "./support/api-client";
import { appDir } from "./support/paths";
import { createTokens, pgliteStore, type PgliteStore } from "./support/seed";
import { appProcessPid, startNotebook, type Notebook } from "./support/server";

const SLUG = "fuzz-lab";
/** The search's time limit (db/queries/molecule-search.ts), and what an answer may take beyond it. */
const SEARCH_LIMIT_MS = 10_000;
const MARGIN_MS = 3_000;

let store: PgliteStore;
let server: Notebook;
let anon: ApiClient, alice: ApiClient;

/** Real Series 4 SMILES from the OSM master list (../shared/data), read where they are. */
const osmSmiles: string[] = (() => {
  const text = readFileSync(fileURLToPath(new URL("../../../shared/data/osm-series4-master-list.tsv", import.meta.url)), "utf8");
  const [header, ...rows] = text.split(/\r?\n/).filter(Boolean);
  const column = header!.split("\t").indexOf("Canonical_Smiles");
  return [...new Set(rows.map((r) => r.split("\t")[column]?.trim() ?? "").filter((s) => s && !/\s/.test(s)))];
})();

const v3000 = (counts: string) =>
  `\n  bomb\n\n  0  0  0     0  0            999 V3000\nM  V30 BEGIN CTAB\nM  V30 COUNTS ${counts} 0 0 0\n` +
  "M  V30 BEGIN ATOM\nM  V30 1 C 0 0 0 0\nM  V30 END ATOM\nM  V30 END CTAB\nM  END\n";
const v2000 = (properties: string) =>
  "\n  x\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0\n" +
  `${properties}M  END\n`;

beforeAll(async () => {
  store = await pgliteStore();
  const tokens = await createTokens(store, ["alice"] as const);
  server = await startNotebook({ dataDir: store.dataDir, env: { NOTEBOOK_RATE_LIMIT_WRITES: "100000" } });
  anon = new ApiClient(server.url);
  alice = anon.as(tokens.alice);
  await alice.createCampaign({ name: "Fuzz lab", slug: SLUG });
  // A few real molecules with potencies, so searches, sorts and depictions have something to find.
  const sheet = ["ID\tSMILES\tPfal IC50 (µM)", ...osmSmiles.slice(0, 12).map((s, i) => `FUZZ-A-${i + 1}\t${s}\t${(i + 1) / 10}`)].join(
    "\n",
  );
  await alice.patch(`/api/v1/campaigns/${SLUG}/registry`, { prefix: "FUZZ" });
  const imported = await alice.request("POST", `/api/v1/imports?campaign=${SLUG}&format=tsv`, {
    body: sheet,
    headers: { "Content-Type": "text/tab-separated-values" },
  });
  expect(expectStatus(imported, 200)).toMatchObject({ failed: 0 });
});

afterAll(async () => {
  await server?.stop();
  await store?.dispose();
});

// As a signed-in caller: anonymous reads may come from the front's page cache, which would hide a change.
const moleculeCount = async () =>
  expectStatus(await alice.get<{ total: number }>(`/api/v1/molecules?campaign=${SLUG}&perPage=1&status=active`), 200).total;

function expectError(res: ApiResponse<unknown>, status: number, code: string, message?: RegExp) {
  expect(res.status, res.text).toBe(status);
  const error = errorOf(res);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

describe("one request never takes the server down", () => {
  it("refuses a molfile declaring 99,999,999 atoms or bonds (413), in registration and inside an SDF import", async () => {
    const before = await moleculeCount();
    for (const counts of ["99999999 0", "1 99999999"]) {
      expectError(
        await alice.post("/api/v1/molecules", { campaign: SLUG, molfile: v3000(counts) }),
        413,
        "payload_too_large",
        /declares 99,999,999 (atoms|bonds)/,
      );
    }
    const sdf = `${v3000("99999999 0")}$$$$\n`;
    const report = expectStatus(
      await alice.request<{ failed: number; errors: { row: number; message: string }[] }>(
        "POST",
        `/api/v1/imports?campaign=${SLUG}&format=sdf`,
        { body: sdf },
      ),
      200,
    );
    expect(report.failed).toBe(1);
    expect(report.errors[0]!.message).toMatch(/declares 99,999,999 atoms; the limit is 1,000/);
    expect(await moleculeCount()).toBe(before);
    expectStatus(await anon.get("/api/health"), 200);
  });

  it("stops a search that would run for minutes at its limit, while other requests answer within a second", async () => {
    // Every path of 40 atoms through a fullerene's cage, none ending in a heteroatom: our matcher would need minutes.
    // It gives up in the app process after its step limit, and the sandbox is stopped at the search's time limit.
    const fullerene =
      "C12=C3C4=C5C6=C1C7=C8C9=C1C%10=C%11C(=C29)C3=C2C3=C4C4=C5C5=C9C6=C7C6=C7C8=C1C1=C8C%10=C%10C%11=C2C2=C3C3=C4C4=C5C5=C%11C%12=C(C6=C95)C7=C1C1=C%12C5=C%11C4=C3C3=C5C(=C81)C%10=C23";
    expectStatus(await alice.post("/api/v1/molecules", { campaign: SLUG, smiles: fullerene, name: "fullerene" }), 201);
    const slow = anon.get(`/api/v1/search/molecules?mode=substructure&q=${encodeURIComponent(`${"*~".repeat(40)}[!#6]`)}&campaign=${SLUG}`);
    const started = Date.now();
    let done = false;
    void slow.finally(() => (done = true));
    const latencies: number[] = [];
    while (!done && Date.now() - started < SEARCH_LIMIT_MS + MARGIN_MS) {
      for (const path of ["/api/health", `/api/v1/search/molecules?mode=exact&q=CCO`, `/api/v1/campaigns/${SLUG}`]) {
        const t = Date.now();
        const res = await alice.get(path); // past the page cache, to the app process itself
        latencies.push(Date.now() - t);
        expect(res.status, `${path}: ${res.text}`).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const answer = await slow;
    const took = Date.now() - started;
    expect(expectError(answer, 422, "validation_failed", /time limit/)).toMatchObject({ timeout: true, fields: { q: expect.any(String) } });
    expect(took).toBeGreaterThanOrEqual(SEARCH_LIMIT_MS - 500);
    expect(took).toBeLessThan(SEARCH_LIMIT_MS + MARGIN_MS);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    // The finding's own query (branches nested 500 deep) is refused at once.
    const nested = `${"C(".repeat(500)}C${")".repeat(500)}`;
    const t = Date.now();
    expectError(
      await anon.get(`/api/v1/search/molecules?mode=substructure&q=${encodeURIComponent(nested)}`),
      422,
      "validation_failed",
      /nested more than 64 deep/,
    );
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it("compares isotopes: a labelled query finds only the labelled molecule, with its matched atoms", async () => {
    for (const smiles of ["[13CH3]Oc1ccc(Cl)cc1", "COc1ccc(Cl)cc1"]) expectStatus(await alice.post("/api/v1/molecules", { campaign: SLUG, smiles }), 201);
    const labelled = expectStatus(
      await alice.get<{ total: number; hits: { smiles: string; atoms: number[] }[] }>(`/api/v1/search/molecules?mode=substructure&q=${encodeURIComponent("[13C]Oc1ccc(Cl)cc1")}&campaign=${SLUG}`),
      200,
    );
    expect(labelled.total).toBe(1);
    expect(labelled.hits[0]!.smiles).toContain("13C");
    expect(labelled.hits[0]!.atoms).toHaveLength(9);
    const both = expectStatus(await alice.get<{ total: number }>(`/api/v1/search/molecules?mode=substructure&q=${encodeURIComponent("COc1ccc(Cl)cc1")}&campaign=${SLUG}`), 200);
    expect(both.total).toBe(2);
  });

  it("survives its app process being killed: health says restarting, cached pages are served, then it serves again", async () => {
    const page = `/campaigns/${SLUG}`;
    const first = await fetch(server.url + page);
    await first.arrayBuffer();
    expect(first.status).toBe(200); // now in the front's page cache
    const pid = appProcessPid(server);
    process.kill(pid, "SIGKILL");
    let sawRestarting = false;
    let cachedWhileDown = false;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const health = await fetch(`${server.url}/api/health`);
      const body = (await health.json()) as { ok: boolean; error?: { code: string } };
      if (health.status === 503 && body.error?.code === "restarting") {
        sawRestarting = true;
        const cached = await fetch(server.url + page);
        const html = await cached.text();
        // The last copy, however old: the app process cannot render a newer one.
        if (cached.status === 200 && html.includes("</html>")) cachedWhileDown ||= cached.headers.get("x-notebook-cache") === "stale-app-down";
      }
      if (health.status === 200 && sawRestarting) break;
      if (Date.now() > deadline) throw new Error(`the server did not come back:\n${server.logs().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sawRestarting).toBe(true);
    expect(cachedWhileDown).toBe(true);
    expect(appProcessPid(server)).not.toBe(pid);
    expect(server.logs()).toMatch(/The app process ended \(killed by SIGKILL, perhaps out of memory\); starting a new one in 1 s\./);
    // Everything works again, writes and chemistry included.
    expect(await moleculeCount()).toBeGreaterThan(0);
    expectStatus(await alice.post("/api/v1/molecules", { campaign: SLUG, smiles: "CCOC(=O)c1ccccc1N" }), 201);
  });
});

describe("bad input is a 4xx naming what was wrong, never a 500", () => {
  it.each([
    [{ smiles: "C1CC" }, 422, /dangling ring closure/],
    [{ smiles: "" }, 422, /empty/],
    [{ smiles: null }, 422, /empty/],
    [{}, 422, /empty/],
    [{ smiles: "CCO", molfile: v2000("") }, 422, /either a SMILES or a molfile, not both/],
    [{ smiles: "Xx(C)" }, 422, /unknown element|could not be read/],
    [{ molfile: v2000("M  ISO  1   1 9999\n") }, 422, /no isotope of C has/],
    [{ molfile: v2000("M  CHG  1   1  99\n") }, 422, /charge 99/],
    [{ smiles: `${"C(".repeat(100)}C${")".repeat(100)}` }, 413, /nested more than 64 deep/],
  ])("registering %j", async (structure, status, message) => {
    const before = await moleculeCount();
    const res = await alice.post("/api/v1/molecules", { campaign: SLUG, ...structure });
    expect(res.status, res.text).toBe(status);
    expect(errorOf(res).message).toMatch(message);
    expect(await moleculeCount()).toBe(before);
  });

  it("refuses NUL bytes in path parameters, query parameters and bodies with a 422 naming the field", async () => {
    const nulField = (res: ApiResponse<unknown>, field: string) => {
      expectError(res, 422, "validation_failed", /NUL/);
      expect(errorOf(res).fields).toEqual({ [field]: "must not contain a NUL character" });
    };
    nulField(await anon.get("/api/v1/campaigns/%00"), "slug");
    nulField(await alice.patch("/api/v1/campaigns/a%00b/registry", { prefix: "X" }), "slug");
    nulField(await anon.get("/api/v1/campaigns/a%00/export.csv"), "slug");
    nulField(await anon.get("/api/v1/molecules/FUZZ-A-1%00"), "id");
    nulField(await alice.post("/api/v1/molecules/%00/measurements", { assay: "IC50", value: 1 }), "id");
    nulField(await alice.post("/api/v1/molecules/%00/activate", {}), "id");
    nulField(await anon.get(`/api/v1/search/molecules?q=C&campaign=%00`), "campaign");
    nulField(await alice.post("/api/v1/molecules", { campaign: "fuzz\u0000lab", smiles: "CC" }), "campaign");
    nulField(await alice.post("/api/v1/molecules", { campaign: SLUG, smiles: "CCN", aliases: ["ok", "b\u0000d"] }), "aliases.1");
    expect((await fetch(`${server.url}/campaigns/%00/feed.atom`)).status).toBe(404);
    expect((await fetch(`${server.url}/campaigns/%00`)).status).toBe(404);
  });

  it("answers an unknown assay with the assays there are, and takes the label the pages show", async () => {
    const error = expectError(
      await anon.get(`/api/v1/search/molecules?q=c1ccccc1&sort=potency&assay=Nope`),
      422,
      "validation_failed",
      /no measurements of "Nope"/,
    );
    expect(error.assays).toEqual(["Pfal IC50 (µM)"]);
    expect(error.fields).toMatchObject({ assay: expect.stringContaining("Pfal IC50 (µM)") });
    for (const assay of ["Pfal IC50", "Pfal IC50 (µM)", "Pfal IC50|µM", "pfal ic50"]) {
      const path = `/api/v1/search/molecules?q=c1ccccc1&sort=potency&assay=${encodeURIComponent(assay)}`;
      const sorted = expectStatus(await anon.get<{ hits: { potency: { label: string; value: number }[] }[] }>(path), 200);
      // Most potent first; molecules without a value in the assay come last.
      const values = sorted.hits.map((h) => h.potency.find((p) => p.label === "Pfal IC50")?.value ?? Number.POSITIVE_INFINITY);
      expect(values.filter(Number.isFinite).length).toBeGreaterThan(1);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it("answers a 100 kB query string with a 431 that says why", async () => {
    const res = await fetch(`${server.url}/api/v1/search/molecules?q=${"C".repeat(100_000)}`);
    expect(res.status).toBe(431);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than 16 kB/);
  });

  it("answers every server action called with arguments its form never sends without an error or a 500", async () => {
    // Server actions are public endpoints: any client can call one by its id with any arguments.
    const manifest = JSON.parse(readFileSync(path.join(appDir, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName: string; workers: Record<string, unknown> }>;
    };
    const pagePath = (worker: string) =>
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace("/_not-found", "/")
        .replace("[slug]", SLUG)
        .replace("[code]", "FUZZ-A-1")
        .replace("[id]", "1") || "/";
    const argumentSets: unknown[][] = [
      [],
      ["x"],
      [null, null, null],
      [{ a: 1 }, 42, "z"],
      [SLUG, {}, "nul\u0000"],
      [SLUG, 1, "title", "both"],
    ];
    const before = server.logs().length;
    const answers: string[] = [];
    for (const [id, action] of Object.entries(manifest.node)) {
      const page = pagePath(Object.keys(action.workers)[0]!);
      for (const args of argumentSets) {
        const res = await fetch(server.url + page, {
          method: "POST",
          headers: { "Next-Action": id, "Content-Type": "text/plain;charset=UTF-8", Origin: server.url, Accept: "text/x-component" },
          body: JSON.stringify(args),
          redirect: "manual",
        });
        await res.arrayBuffer();
        answers.push(`${action.exportedName}(${JSON.stringify(args)}) → ${res.status}`);
        expect(res.status, `${action.exportedName}(${JSON.stringify(args)}) on ${page}`).toBeLessThan(500);
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(20 * argumentSets.length);
    // The actions ran (an action id Next did not know would be a 404): their answers are results, not errors.
    expect(answers.filter((a) => a.endsWith("→ 200")).length).toBeGreaterThan(answers.length / 2);
    expect(server.logs().slice(before)).not.toMatch(/TypeError|unexpected error|⨯/);
  });

  it("does not log a search the client gave up on as an unexpected error", async () => {
    const controller = new AbortController();
    // The query that needs minutes on the fullerene registered above.
    const pending = fetch(`${server.url}/api/v1/search/molecules?mode=substructure&q=${encodeURIComponent(`${"*~".repeat(40)}[!#6]`)}`, {
      signal: controller.signal,
    }).catch(() => "aborted");
    setTimeout(() => controller.abort(), 300);
    expect(await pending).toBe("aborted");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expectStatus(await anon.get("/api/health"), 200);
    expect(server.logs()).not.toMatch(/unexpected error/);
  });
});

describe("what the battery found sound stays sound", () => {
  it("gives exactly one 200 and one 409 in each of 40 races of two saves on the same revision", async () => {
    for (let race = 0; race < 40; race++) {
      const entry = await alice.createEntry({ campaign: SLUG, date: "2026-12-01", title: `Race ${race}`, body: "base" });
      const saves = await Promise.all(
        ["left", "right"].map((side) => alice.patch(`/api/v1/entries/${entry.id}`, { body: `${side} ${race}`, baseRevision: entry.revisionId })),
      );
      expect(saves.map((s) => s.status).sort(), saves.map((s) => s.text).join("\n")).toEqual([200, 409]);
      const winner = saves.find((s) => s.status === 200)!.body as { body: string };
      const revisions = await alice.revisions(entry.id);
      expect(revisions.map((r) => r.body)).toEqual([winner.body, "base"]);
    }
  });
});

/** mulberry32: a small seeded PRNG, so every run fuzzes with the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("fuzz: registration, import, search and depiction", () => {
  it("answers 2,000 fixed-seed inputs with no 5xx, none slower than the limit, health answered throughout", async () => {
    const random = prng(20261204);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const SMILES_CHARS = "CNOSPFIcnos()[]=#@+-/\\%0123456789Hl*.:$;,!&~";
    const mutate = (text: string): string => {
      let s = text;
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
        const at = Math.floor(random() * (s.length + 1));
        const roll = random();
        if (roll < 0.4) s = s.slice(0, at) + pick([...SMILES_CHARS]) + s.slice(at);
        else if (roll < 0.8) s = s.slice(0, at) + s.slice(at + 1);
        else s = s.slice(0, at) + s.slice(at, at + 1 + Math.floor(random() * 8)).repeat(2 + Math.floor(random() * 40)) + s.slice(at);
      }
      return s;
    };
    const randomBytes = (): string =>
      Array.from({ length: 1 + Math.floor(random() * 60) }, () => String.fromCharCode(Math.floor(random() * 0x250))).join("");
    const molfile = (): string => {
      const roll = random();
      if (roll < 0.3) return v3000(`${pick(["99999999", "1001", "5", "-1", "1e9", "0"])} ${pick(["0", "99999999", "3"])}`);
      if (roll < 0.6) return v2000(pick(["M  ISO  1   1 9999\n", "M  CHG  1   1  99\n", "M  RAD  1   1   9\n", "M  CHG  1   5   1\n", ""]));
      const lines = v2000("").split("\n");
      const at = Math.floor(random() * lines.length);
      lines[at] = mutate(lines[at] ?? "");
      return lines.join("\n");
    };
    type Case = { what: string; send: () => Promise<Response> };
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(server.url + path, {
        method: "POST",
        headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const cases: Case[] = [];
    for (let i = 0; i < 2000; i++) {
      const roll = random();
      if (roll < 0.35) {
        const smiles = random() < 0.8 ? mutate(pick(osmSmiles)) : randomBytes();
        cases.push({
          what: `register smiles ${JSON.stringify(smiles)}`,
          send: () => post("/api/v1/molecules", { campaign: SLUG, smiles }),
        });
      } else if (roll < 0.45) {
        const text = molfile();
        cases.push({
          what: `register molfile ${JSON.stringify(text)}`,
          send: () => post("/api/v1/molecules", { campaign: SLUG, molfile: text }),
        });
      } else if (roll < 0.5) {
        const text = `${molfile()}$$$$\n${random() < 0.5 ? molfile() : randomBytes()}\n$$$$\n`;
        cases.push({
          what: `import sdf ${JSON.stringify(text)}`,
          send: () =>
            fetch(`${server.url}/api/v1/imports?campaign=${SLUG}&format=sdf`, {
              method: "POST",
              headers: { Authorization: `Bearer ${alice.token}` },
              body: text,
            }),
        });
      } else if (roll < 0.85) {
        const mode = pick(["substructure", "substructure", "exact", "similarity"]);
        const q = random() < 0.85 ? mutate(pick(osmSmiles)) : randomBytes();
        const extra = pick(["", "&sort=potency&assay=Pfal%20IC50", "&sort=-mw", "&threshold=0.3", "&total=false", "&limit=3&cursor=xyz"]);
        cases.push({
          what: `search ${mode} ${JSON.stringify(q)}${extra}`,
          send: () => fetch(`${server.url}/api/v1/search/molecules?mode=${mode}&q=${encodeURIComponent(q)}${extra}`),
        });
      } else {
        const code = random() < 0.6 ? `FUZZ-A-${1 + Math.floor(random() * 14)}` : encodeURIComponent(mutate("FUZZ-A-1"));
        const suffix = pick([".svg", ".png", ".mol", ".svg?w=99999", ".png?hl=1,2,3", ".svg?hl=999,abc", ".png?h=-1"]);
        cases.push({ what: `depiction ${code}${suffix}`, send: () => fetch(`${server.url}/molecules/${code}${suffix}`) });
      }
    }

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let slowest = { ms: 0, what: "" };
    let next = 0;
    let running = true;
    const healthLatencies: number[] = [];
    const health = (async () => {
      while (running) {
        const t = Date.now();
        const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
        healthLatencies.push(res?.status === 200 ? Date.now() - t : Number.POSITIVE_INFINITY);
        await res?.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const t = Date.now();
        let status: number;
        try {
          const res = await c.send();
          status = res.status;
          const body = await res.text();
          if (status >= 500) failures.push(`${status} ${c.what}: ${body.slice(0, 200)}`);
        } catch (error) {
          status = 0;
          failures.push(`no answer ${c.what}: ${String(error)}`);
        }
        const ms = Date.now() - t;
        if (ms > slowest.ms) slowest = { ms, what: c.what };
        if (ms > SEARCH_LIMIT_MS + MARGIN_MS) failures.push(`${ms} ms ${c.what}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    running = false;
    await health;
    const counts = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    const sortedHealth = [...healthLatencies].sort((a, b) => a - b);
    console.log(
      `[fuzz] ${cases.length} inputs; statuses ${JSON.stringify(counts)}; slowest ${slowest.ms} ms (${slowest.what.slice(0, 120)}); ` +
        `health checks ${healthLatencies.length}, p50 ${sortedHealth[Math.floor(sortedHealth.length / 2)]} ms, max ${sortedHealth.at(-1)} ms`,
    );
    expect(failures).toEqual([]);
    expect(Object.keys(counts).every((s) => Number(s) < 500)).toBe(true);
    expect(sortedHealth.at(-1)).toBeLessThan(1_000);
    expect(server.logs()).not.toMatch(/unexpected error/);
  }, 600_000);
});
