// The production server. `npm start` and the end-to-end and benchmark harnesses run this file (with tsx) in the
// directory of the built app. It listens on PORT (3000) and HOST (loopback when local sign-in is on) and runs as
// two processes:
// - the front (this process): the page cache of anonymous reads (cached-handler.ts), which answers cache hits
//   itself and forwards everything else over a private Unix socket;
// - the app (a child running this file with NOTEBOOK_SERVER_ROLE=app): Next's request handler, with the
//   database (PGlite runs inside it, on its main thread).
// Two processes, because rendering a page and the embedded database's queries hold the event loop for tens of
// milliseconds at a time: in one process every cache hit would wait behind them.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../env.js";
import { withPageCache, type RequestHandler } from "./cached-handler";
import { PageCache } from "./page-cache";
import { proxyTo } from "./proxy";

/**
 * How long an anonymous answer is fresh without a write through this server: how long a change made elsewhere
 * (another server on the same PostgreSQL, the admin command, the periodic GitHub sync) may go unseen.
 */
const TTL_MS = 1000;
/** How old a stale answer may be when served while its page is being rendered again. */
const MAX_STALE_MS = 1000;
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
const ROLE = "NOTEBOOK_SERVER_ROLE";
const SOCKET = "NOTEBOOK_APP_SOCKET";

function listenOptions() {
  const e = env(); // a bad configuration stops here, naming the variable
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid environment:\n  PORT must be a port number, not ${process.env.PORT}`);
  // Local sign-in has no password, so without a GitHub app the server listens on loopback only.
  const hostname = process.env.HOST || (e.localSignIn ? "127.0.0.1" : "0.0.0.0");
  return { e, port, hostname };
}

function listen(server: http.Server, where: { path: string } | { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(where, () => resolve());
  });
}

/** The app process: Next on the Unix socket the front gave it. */
async function runApp(socketPath: string): Promise<void> {
  const { port, hostname } = listenOptions();
  const { default: next } = await import("next");
  // hostname and port are the public ones: Next uses them for URLs it makes itself.
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  await app.prepare();
  const handler = app.getRequestHandler() as RequestHandler;
  const server = http.createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 0; // only the front connects, and it reuses its connections (see proxy.ts)
  await listen(server, { path: socketPath });
  process.send?.({ ready: true });
  // The front is gone (even killed): nothing can reach this process any more.
  process.on("disconnect", () => process.exit(0));
  process.on("SIGINT", () => {}); // the front decides when to stop (Ctrl-C reaches the whole process group)
  process.on("SIGTERM", () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}

async function runFront(): Promise<void> {
  const { e, port, hostname } = listenOptions();
  const socketDir = mkdtempSync(path.join(os.tmpdir(), "notebook-app-"));
  const socketPath = path.join(socketDir, "app.sock");
  process.on("exit", () => rmSync(socketDir, { recursive: true, force: true }));

  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, NODE_ENV: "production", [ROLE]: "app", [SOCKET]: socketPath },
    execArgv: process.execArgv, // tsx's loader
    stdio: "inherit",
  });
  const appExit = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const ready = new Promise<boolean>((resolve) => {
    child.once("message", () => resolve(true));
    void appExit.then(() => resolve(false));
  });
  if (!(await ready)) process.exit(await appExit);

  const forward = proxyTo(socketPath);
  const cacheBytes = e.NOTEBOOK_PAGE_CACHE_MB * 1024 * 1024;
  const cache = new PageCache({ maxBytes: cacheBytes, maxEntryBytes: MAX_ENTRY_BYTES, ttlMs: TTL_MS, maxStaleMs: MAX_STALE_MS });
  const handler = cacheBytes > 0 ? withPageCache(forward, cache, { maxEntryBytes: MAX_ENTRY_BYTES }) : forward;
  const server = http.createServer((req, res) => {
    try {
      handler(req, res);
    } catch (error) {
      // A bug in the front must cost one answer, not the server.
      console.error("[server]", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on the server." } }));
      else res.destroy();
    }
  });
  await listen(server, { port, host: hostname });
  const shown = hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname;
  console.log(`Listening on http://${shown}:${port} (page cache ${cacheBytes > 0 ? `${e.NOTEBOOK_PAGE_CACHE_MB} MB` : "off"})`);

  // If the app process dies, so does the server: a supervisor (or the user) restarts both.
  let stopping = false;
  void appExit.then((code) => {
    if (stopping) return;
    console.error(`The app process ended (exit ${code}).`);
    process.exit(code || 1);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close();
    server.closeIdleConnections();
    child.kill("SIGTERM");
    void appExit.then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

const socketPath = process.env[SOCKET];
(process.env[ROLE] === "app" && socketPath ? runApp(socketPath) : runFront()).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === "EADDRINUSE" ? `Port ${process.env.PORT ?? 3000} is in use: set PORT to another one.` : error instanceof Error ? error.message : error);
  process.exit(1);
});
