// The production server. `npm start` and the end-to-end and benchmark harnesses run this file (with tsx) in the
// directory of the built app. It listens on PORT (3000) and HOST (loopback when local sign-in is on) and runs as
// two processes:
// - the front (this process): the page cache of anonymous reads (cached-handler.ts), which answers cache hits
//   itself and forwards everything else over a private Unix socket;
// - the app (a child running this file with NOTEBOOK_SERVER_ROLE=app): Next's request handler, with the
//   database (PGlite runs inside it, on its main thread).
// Two processes, because rendering a page and the embedded database's queries hold the event loop for tens of
// milliseconds at a time: in one process every cache hit would wait behind them. And because the front heals the
// server: if the app process dies after it has served, the front starts a new one (with backoff, logging why the
// old one died) and meanwhile answers health checks (503, "restarting") and cached pages itself.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../lib/env.js";
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

/** Whether every %-escape of the URL's path decodes (the query string is the route's to judge). */
function hasValidPath(url: string): boolean {
  try {
    decodeURIComponent(url.split("?", 1)[0]!);
    return true;
  } catch {
    return false;
  }
}

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
  rmSync(socketPath, { force: true }); // the socket of an app process that died before this one
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

  let app = startApp(socketPath);
  // An app process that cannot start the first time (a bad configuration, a database held by another server)
  // stops the server: restarting would fail the same way.
  if (!(await app.ready)) process.exit(exitCode(await app.exit));

  let appReady = true;
  const forward = proxyTo(socketPath);
  const cacheBytes = e.NOTEBOOK_PAGE_CACHE_MB * 1024 * 1024;
  const cache = new PageCache({ maxBytes: cacheBytes, maxEntryBytes: MAX_ENTRY_BYTES, ttlMs: TTL_MS, maxStaleMs: MAX_STALE_MS });
  const handler = cacheBytes > 0 ? withPageCache(forward, cache, { maxEntryBytes: MAX_ENTRY_BYTES, appDown: () => !appReady }) : forward;
  const server = http.createServer((req, res) => {
    try {
      if (!hasValidPath(req.url ?? "/")) {
        // Next.js answers a path it cannot percent-decode (%E0%A4%A) with a bare 500 before any route runs.
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "bad_request", message: "The URL's path is not valid percent-encoding." } }));
        return;
      }
      if (!appReady && /^\/api\/health(?:[/?]|$)/.test(req.url ?? "")) {
        res.writeHead(503, { "content-type": "application/json", "retry-after": "2" });
        res.end(JSON.stringify({ ok: false, error: { code: "restarting", message: "The notebook is restarting after a failure; try again shortly." } }));
        return;
      }
      handler(req, res);
    } catch (error) {
      // A bug in the front must cost one answer, not the server.
      console.error("[server]", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on the server." } }));
      else res.destroy();
    }
  });
  // Node answers a request it cannot parse (headers over 16 kB, a malformed request line) by itself, with no body:
  // say what was wrong, as every other refusal does.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (error as { bytesParsed?: number }).bytesParsed === undefined) return void socket.destroy();
    const [status, text, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", "The request's URL and headers are larger than 16 kB; send long queries in a POST body."]
        : [400, "Bad Request", "The request could not be read as HTTP."];
    const body = JSON.stringify({ error: { code: status === 431 ? "payload_too_large" : "bad_request", message } });
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  await listen(server, { port, host: hostname });
  const shown = hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname;
  console.log(`Listening on http://${shown}:${port} (page cache ${cacheBytes > 0 ? `${e.NOTEBOOK_PAGE_CACHE_MB} MB` : "off"})`);

  // If the app process dies, the front starts another: at once after a long run, then waiting longer after each
  // quick failure (1 s, 2 s, 4 s ... 30 s), so a process that dies on start does not spin.
  let stopping = false;
  let failures = 0;
  const supervise = async (): Promise<void> => {
    for (;;) {
      const startedAt = Date.now();
      const why = await app.exit;
      appReady = false;
      if (stopping) return;
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 1000 * 2 ** (failures - 1));
      console.error(`The app process ended (${describeExit(why)}); starting a new one in ${delay / 1000} s.`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping) return;
      app = startApp(socketPath);
      if (await app.ready) {
        appReady = true;
        console.log("The app process is serving again.");
      }
    }
  };
  void supervise();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close();
    server.closeIdleConnections();
    app.child.kill("SIGTERM");
    void app.exit.then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

interface AppProcess {
  child: ChildProcess;
  /** True once it listens; false if it ended first. */
  ready: Promise<boolean>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the app process (this file with NOTEBOOK_SERVER_ROLE=app) on the socket. */
function startApp(socketPath: string): AppProcess {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, NODE_ENV: "production", [ROLE]: "app", [SOCKET]: socketPath },
    execArgv: process.execArgv, // tsx's loader
    stdio: "inherit",
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<boolean>((resolve) => {
    child.once("message", () => resolve(true));
    void exit.then(() => resolve(false));
  });
  return { child, ready, exit };
}

function exitCode(why: { code: number | null; signal: NodeJS.Signals | null }): number {
  return why.code ?? (why.signal ? 1 : 0);
}

function describeExit(why: { code: number | null; signal: NodeJS.Signals | null }): string {
  if (why.signal) return `killed by ${why.signal}${why.signal === "SIGKILL" ? ", perhaps out of memory" : ""}`;
  return `exit ${why.code}`;
}

const socketPath = process.env[SOCKET];
(process.env[ROLE] === "app" && socketPath ? runApp(socketPath) : runFront()).catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === "EADDRINUSE" ? `Port ${process.env.PORT ?? 3000} is in use: set PORT to another one.` : error instanceof Error ? error.message : error);
  process.exit(1);
});
