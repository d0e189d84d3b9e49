// npm run bench:pages — read throughput and latency of the busiest pages of a production build,
// with 5 people saving edits at the same time, on PGlite and (when a URL is given) PostgreSQL.
// Prints p50/p95/p99 and requests/s per route and the p95 ratio to a reference route measured in
// the same run; then checks that no acknowledged save was lost or duplicated.
//   BENCH_SECONDS (default 30) per route · BENCH_ENTRIES (default 5000) · BENCH_DATABASE_URL or
//   TEST_DATABASE_URL (a PostgreSQL server; a fresh database is made and dropped)
import crypto from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EventEmitter } from "node:events";
import autocannon from "autocannon";
import postgres from "postgres";
import { openDatabase } from "@/db/index";
import { ensureBuild } from "@/server/cli/build";
import { startNotebook, type Notebook } from "../e2e/support/server";
import { projectRoot } from "../e2e/support/paths";
import { seedBench, type BenchData } from "./seed";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 5000);
const CONNECTIONS = 50;
const WRITERS = 5;

interface Figures {
  route: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** What went wrong, e.g. "HTTP 500 ×3, timeout ×1" */
  failures: string;
  /** Share of answers served from the page cache (hit, stale or shared), or NaN when the route is not cached. */
  cached: number;
  /** How the answers were made, from x-notebook-cache: e.g. "hit 97.1%, stale 2.1%, shared 0.3%, miss 0.5%" */
  how: string;
  /** Mean size of an answer in kB */
  kb: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(url: string, route: string, seconds: number): Promise<Figures> {
  const times: number[] = [];
  let errors = 0;
  const statuses = new Map<number, number>();
  const how = new Map<string, number>();
  const instance = autocannon({
    url: `${url}${route}`,
    connections: CONNECTIONS,
    duration: seconds,
    // The page cache says how it made each answer in x-notebook-cache (miss, hit, stale, shared).
    // (autocannon's types declare Node's header object; its clients emit { headers: [name, value, ...] }.)
    setupClient: (client) =>
      (client as unknown as { on(event: "headers", listener: (info: { headers: string[] }) => void): void }).on("headers", ({ headers }) => {
        for (let i = 0; i + 1 < headers.length; i += 2) {
          if (headers[i]!.toLowerCase() === "x-notebook-cache") how.set(headers[i + 1]!, (how.get(headers[i + 1]!) ?? 0) + 1);
        }
      }),
  });
  // Without a callback, autocannon returns an emitter that is also a promise of the result.
  const events = instance as unknown as EventEmitter;
  let bytes = 0;
  events.on("response", (_client: unknown, status: number, size: number, ms: number) => {
    times.push(ms);
    bytes += size;
    if (status >= 400) {
      errors++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const failures = [...statuses].map(([status, n]) => `HTTP ${status} ×${n}`);
  if (result.timeouts) failures.push(`timeout (no answer in 10 s) ×${result.timeouts}`);
  if (result.errors > result.timeouts) failures.push(`connection error ×${result.errors - result.timeouts}`);
  const marked = [...how.values()].reduce((a, b) => a + b, 0);
  return {
    route,
    requests: times.length,
    rps: times.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: errors + result.errors, // autocannon's errors include its timeouts (no answer within 10 s)
    failures: failures.join(", "),
    cached: marked ? (marked - (how.get("miss") ?? 0)) / marked : NaN,
    how: [...how].map(([kind, n]) => `${kind} ${((n / marked) * 100).toFixed(1)}%`).join(", "),
    kb: times.length ? bytes / times.length / 1024 : NaN,
  };
}

/** Five people editing: read the entry, save on top of what they read, count what the server acknowledged. */
function startWriters(url: string, data: BenchData) {
  const hot = data.entryIds.slice(0, 20); // few entries, so that saves collide
  const counts = { acknowledged: new Map<number, number>(), conflicts: 0, failures: 0 };
  let running = true;
  const writer = async (token: string, w: number) => {
    let n = 0;
    while (running) {
      const id = hot[(w * 7 + n++) % hot.length]!;
      const current = (await (await fetch(`${url}/api/v1/entries/${id}`)).json()) as { revisionId: number; body: string };
      const res = await fetch(`${url}/api/v1/entries/${id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ body: `${current.body}\n\nwriter ${w} save ${n}`, baseRevision: current.revisionId }),
      });
      if (res.status === 200) counts.acknowledged.set(id, (counts.acknowledged.get(id) ?? 0) + 1);
      else if (res.status === 409) counts.conflicts++;
      else counts.failures++;
      await res.arrayBuffer();
    }
  };
  const done = Promise.all(data.writerTokens.map((t, w) => writer(t, w)));
  return {
    counts,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function verifySaves(url: string, data: BenchData, acknowledged: Map<number, number>, revisionsPerEntry: number) {
  let lost = 0;
  let duplicated = 0;
  for (const [id, acks] of acknowledged) {
    const { revisions } = (await (await fetch(`${url}/api/v1/entries/${id}/revisions`)).json()) as { revisions: { number: number; body: string }[] };
    const expected = revisionsPerEntry + acks;
    if (revisions.length < expected) lost += expected - revisions.length;
    if (revisions.length > expected) duplicated += revisions.length - expected;
    const bodies = new Set(revisions.slice(0, acks).map((r) => r.body));
    if (bodies.size !== Math.min(acks, revisions.length)) duplicated++;
  }
  return { lost, duplicated };
}

async function runOn(kind: "pglite" | "postgres", serverUrl?: string): Promise<void> {
  console.log(`\n=== ${kind}: seeding ${ENTRIES} entries ===`);
  const dataDir = kind === "pglite" ? mkdtempSync(path.join(os.tmpdir(), "nb-bench-")) : undefined;
  let dbUrl: string | undefined;
  let admin: ReturnType<typeof postgres> | undefined;
  if (kind === "postgres") {
    const name = `nb_bench_${crypto.randomBytes(4).toString("hex")}`;
    admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(serverUrl!);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
  }
  const revisionsPerEntry = 4;
  const started = Date.now();
  const database = await openDatabase(kind === "pglite" ? { kind, dataDir } : { kind, url: dbUrl! });
  const data = await seedBench(database.db, { entries: ENTRIES, revisionsPerEntry, writers: WRITERS });
  await database.close();
  console.log(`seeded ${ENTRIES} entries and ${data.revisionCount} revisions in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let server: Notebook | undefined;
  try {
    server = await startNotebook({
      dataDir,
      env: { NOTEBOOK_RATE_LIMIT_WRITES: "10000000", ...(dbUrl ? { DATABASE_URL: dbUrl, AUTH_SECRET: "bench-secret-bench-secret" } : {}) },
    });
    const entryId = data.entryIds[Math.floor(data.entryIds.length / 2)]!;
    const routes = ["/", `/entries/${entryId}`, `/campaigns/${data.slug}`, "/feed.atom", `/api/v1/entries?campaign=${data.slug}`];
    await measure(server.url, "/", 3); // warm up the server and the database caches
    const reference = await measure(server.url, "/api/health", Math.min(SECONDS, 10));
    const writers = startWriters(server.url, data);
    const figures: Figures[] = [];
    for (const route of routes) figures.push(await measure(server.url, route, SECONDS));
    await writers.stop();
    const saves = await verifySaves(server.url, data, writers.counts.acknowledged, revisionsPerEntry);

    console.log(`\n${kind}: ${CONNECTIONS} connections, ${SECONDS} s per route, ${WRITERS} writers saving meanwhile`);
    console.log("route                                   req/s    p50 ms   p95 ms   p99 ms  errors  p95/ref  cached     kB");
    for (const f of [reference, ...figures]) {
      const cached = Number.isNaN(f.cached) ? "-" : `${(f.cached * 100).toFixed(1)}%`;
      console.log(
        `${f.route.padEnd(38)} ${f.rps.toFixed(0).padStart(6)} ${f.p50.toFixed(0).padStart(8)} ${f.p95.toFixed(0).padStart(8)} ${f.p99.toFixed(0).padStart(8)} ${String(f.errors).padStart(7)} ${(f.p95 / reference.p95).toFixed(1).padStart(8)} ${cached.padStart(7)} ${f.kb.toFixed(0).padStart(6)}`,
      );
    }
    for (const f of figures) if (f.how) console.log(`page cache on ${f.route}: ${f.how}`);
    for (const f of [reference, ...figures]) if (f.failures) console.log(`errors on ${f.route}: ${f.failures}`);
    if ([reference, ...figures].some((f) => f.errors)) {
      const lines = server.logs().split("\n").filter((l) => /error|fail|timeout/i.test(l));
      console.log(`server log lines about errors (${lines.length}, first 20):\n${lines.slice(0, 20).join("\n")}`);
    }
    const acks = [...writers.counts.acknowledged.values()].reduce((a, b) => a + b, 0);
    console.log(`saves: ${acks} acknowledged, ${writers.counts.conflicts} conflicts (409, expected when two save the same base), ${writers.counts.failures} failures; lost ${saves.lost}, duplicated ${saves.duplicated}`);
    const over = figures.filter((f) => f.p95 > 50).map((f) => f.route);
    console.log(over.length ? `p95 above 50 ms: ${over.join(", ")}` : "all routes p95 ≤ 50 ms");
  } finally {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (admin && dbUrl) {
      await admin.unsafe(`drop database if exists ${new URL(dbUrl).pathname.slice(1)} with (force)`);
      await admin.end();
    }
  }
}

ensureBuild(projectRoot);
await runOn("pglite");
const pg = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pg) await runOn("postgres", pg);
else console.log("\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to measure it too)");
