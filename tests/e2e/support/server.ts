// Starts the built notebook (the production server of server/main.ts, as `npm start` runs it) on a free loopback port, each server with its own PGlite data dir,
// and stops it again. The build itself is done once by global-setup.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { serverCommand } from "../../../server/command";
import { appDir } from "./paths";

/** Fixed, test-only secret: sessions signed by one server are valid on a restart over the same data dir. */
export const TEST_AUTH_SECRET = "e2e-test-auth-secret-not-for-production-4f9a1c2d7e";

const HEALTH_PATH = "/api/health";
const LOG_LIMIT = 2_000_000; // characters of server output kept for error messages

export interface StartOptions {
  /** Extra environment for the server; `DATABASE_URL` here means PostgreSQL and no PGlite data dir. */
  env?: Record<string, string>;
  /** Reuse this data dir (e.g. the one of a killed server); it is then not removed by stop(). */
  dataDir?: string;
  /** The Next.js app to serve; defaults to the project (or E2E_APP_DIR). */
  cwd?: string;
  /** Port to listen on; defaults to a free one. */
  port?: number;
  /** How long to wait for GET /api/health to answer 200; default 60 s. */
  healthTimeoutMs?: number;
}

export interface Notebook {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  /** The PGlite data dir (NOTEBOOK_DATA_DIR), or undefined when DATABASE_URL was given. */
  dataDir: string | undefined;
  /** SIGTERM, then SIGKILL after 5 s; then removes the data dir if startNotebook made it. Safe to call twice. */
  stop(): Promise<void>;
  /** Everything the server printed so far (stdout and stderr, interleaved). */
  logs(): string;
}

interface Internal {
  child: ChildProcess;
  exited: Promise<void>;
  ownedDir: string | undefined;
}

const internals = new WeakMap<Notebook, Internal>();
const live = new Set<Internal>();

// Last resort if a test file forgets stop(): don't leave servers or temp dirs behind.
process.once("exit", () => {
  for (const it of live) {
    signalGroup(it.child, "SIGKILL");
    if (it.ownedDir) rmSync(it.ownedDir, { recursive: true, force: true });
  }
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The server may run workers: signal the whole process group (the child is spawned detached as its leader). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true if the process group leader exited within ms. */
async function exitedWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([exited.then(() => true as const), timedOut]);
  clearTimeout(timer);
  return result;
}

function childEnv(port: number, extra: Record<string, string>, dataDir: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The server's database is chosen by the options alone, never by the shell that runs the tests.
  delete env.DATABASE_URL;
  delete env.NOTEBOOK_DATA_DIR;
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  return {
    ...env,
    PORT: String(port),
    AUTH_SECRET: TEST_AUTH_SECRET,
    AUTH_TRUST_HOST: "true",
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    ...(dataDir ? { NOTEBOOK_DATA_DIR: dataDir } : {}),
    ...extra,
  };
}

export async function startNotebook(opts: StartOptions = {}): Promise<Notebook> {
  const cwd = opts.cwd ?? appDir;
  const extraEnv = opts.env ?? {};
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;

  let dataDir = opts.dataDir ?? extraEnv.NOTEBOOK_DATA_DIR;
  let ownedDir: string | undefined;
  if (!dataDir && !extraEnv.DATABASE_URL) {
    ownedDir = dataDir = mkdtempSync(path.join(os.tmpdir(), "notebook-e2e-"));
  }

  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > LOG_LIMIT) output = output.slice(-LOG_LIMIT);
  };
  const { command, args } = serverCommand();
  const child = spawn(command, args, {
    cwd,
    env: { ...childEnv(port, extraEnv, dataDir), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("error", (err) => {
      spawnError = err;
      resolve();
    });
    child.once("exit", () => resolve());
  });
  const internal: Internal = { child, exited, ownedDir };
  live.add(internal);

  let stopped = false;
  const notebook: Notebook = {
    url,
    dataDir,
    logs: () => output,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!hasExited(child) && !spawnError) {
        signalGroup(child, "SIGTERM");
        if (!(await exitedWithin(exited, 5_000))) {
          signalGroup(child, "SIGKILL");
          await exited;
        }
      }
      signalGroup(child, "SIGKILL"); // workers that outlived their leader
      live.delete(internal);
      if (ownedDir) rmSync(ownedDir, { recursive: true, force: true });
    },
  };
  internals.set(notebook, internal);

  const timeoutMs = opts.healthTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = "no answer yet";
  for (;;) {
    if (spawnError || hasExited(child)) {
      const how = spawnError ? spawnError.message : `exit ${child.exitCode ?? child.signalCode}`;
      await notebook.stop();
      throw new Error(`notebook server (${cwd}) ended before ${HEALTH_PATH} answered: ${how}\n--- server logs ---\n${output}`);
    }
    try {
      const res = await fetch(url + HEALTH_PATH, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return notebook;
      lastAnswer = `HTTP ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      lastAnswer = cause?.code ?? String(err);
    }
    if (Date.now() > deadline) {
      await notebook.stop();
      throw new Error(
        `notebook server at ${url} did not answer 200 on ${HEALTH_PATH} within ${timeoutMs / 1000} s ` +
          `(last: ${lastAnswer})\n--- server logs ---\n${output}`,
      );
    }
    await sleep(200);
  }
}

/**
 * Crash the server: SIGKILL to its process group, no graceful shutdown, data dir left as it is, so a test can
 * start a new server on `server.dataDir` and check what survived. Call `server.stop()` afterwards (once the
 * restarted server is done with the dir) to remove a data dir that startNotebook made.
 */
export async function killNotebook(server: Notebook): Promise<void> {
  const it = internals.get(server);
  if (!it) throw new Error("killNotebook: not a server started by startNotebook");
  signalGroup(it.child, "SIGKILL");
  await it.exited;
  // The server is two processes (a front and the app); the leader's exit does not mean the app has died yet.
  await groupGone(it.child.pid);
}

/** Waits (up to 10 s) until no live process is left in the group `pgid` leads; zombies count as gone. */
async function groupGone(pgid: number | undefined): Promise<void> {
  if (pgid === undefined) return;
  for (let i = 0; i < 200; i++) {
    const alive = readdirSync("/proc").some((name) => {
      if (!/^\d+$/.test(name)) return false;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return fields[2] === String(pgid) && fields[0] !== "Z"; // state, ppid, pgrp, ...
      } catch {
        return false;
      }
    });
    if (!alive) return;
    await sleep(50);
  }
}

/** The pid of the server's app process (the front's child, which runs Next and the database). */
export function appProcessPid(server: Notebook): number {
  const it = internals.get(server);
  if (!it?.child.pid) throw new Error("appProcessPid: not a running server started by startNotebook");
  const front = String(it.child.pid);
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[1] === front && fields[0] !== "Z" && readFileSync(`/proc/${name}/environ`, "utf8").includes("NOTEBOOK_SERVER_ROLE=app")) {
        return Number(name);
      }
    } catch {
      // gone meanwhile
    }
  }
  throw new Error("appProcessPid: the server has no app process");
}
