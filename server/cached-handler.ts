// Puts the page cache (page-cache.ts) in front of Next's request handler: decides which requests may be
// answered from it, captures the answers of the renders it starts, and replays stored answers with a fresh
// nonce. Signed-in users, API clients with a token and everything that is not a plain GET go to Next untouched.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import zlib from "node:zlib";
import { freshNonce, joinWithNonce, nonceOf, replaceNonce, splitOnNonce } from "./nonce";
import type { CachedAnswer, Flight, PageCache } from "./page-cache";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Response header that says how an answer was made: miss (rendered), hit, stale, shared (joined a render). */
export const CACHE_HEADER = "x-notebook-cache";

/** Headers of Next's client router (RSC payloads, prefetches) and of server actions: never from the cache. */
const ROUTER_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action", "next-url"];
/** Auth.js session cookies (plain, __Secure-/__Host- prefixed, chunked .0/.1/…), and those of NextAuth 4. */
const SESSION_COOKIE = /(?:^|;)\s*(?:__Secure-|__Host-)?(?:authjs|next-auth)\.session-token(?:\.\d+)?=/;
/**
 * Paths that are never cached: Next's own files, the health check and a campaign's integrity check (they must tell
 * the truth as it is now, also about changes made behind the server's back), sign-in flows.
 */
const UNCACHED_PATH = /^\/(?:_next\/|api\/health(?:[/?]|$)|api\/v1\/campaigns\/[^/?]+\/integrity(?:[/?]|$)|api\/auth\/|signin(?:[/?]|$))/;
/** Per-connection headers that are not stored with an answer. */
const NOT_STORED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date", CACHE_HEADER]);
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml|atom\+xml|rss\+xml|feed\+json|manifest\+json)|image\/svg\+xml)/i;

/** True when the request carries credentials: its answer may be personal and is never cached or served from it. */
export function hasCredentials(headers: IncomingMessage["headers"]): boolean {
  if (headers.authorization !== undefined) return true;
  const cookie = headers.cookie;
  return cookie !== undefined && SESSION_COOKIE.test(cookie);
}

/**
 * The cache key of a request, or null when it must go to Next. GET and HEAD share a key. The host and the
 * forwarded host/protocol are part of it because feeds and API answers contain absolute URLs made from them.
 */
export function cacheKey(req: Pick<IncomingMessage, "method" | "url" | "headers">): string | null {
  const { method, url = "/", headers } = req;
  if (method !== "GET" && method !== "HEAD") return null;
  if (hasCredentials(headers) || UNCACHED_PATH.test(url)) return null;
  if (ROUTER_HEADERS.some((name) => headers[name] !== undefined)) return null;
  if (/[?&]_rsc=/.test(url)) return null;
  // Conditional and partial requests are Next's to answer (stored answers are whole 200s).
  if (headers.range !== undefined || headers["if-none-match"] !== undefined || headers["if-modified-since"] !== undefined) return null;
  return [headers.host ?? "", headers["x-forwarded-host"] ?? "", headers["x-forwarded-proto"] ?? "", url].join("\n");
}

/** The request's values of the named headers ("" when absent), for Vary. */
export function headerValues(headers: IncomingMessage["headers"], names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    values[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
  }
  return values;
}

/** True when Accept-Encoding admits gzip (a q of 0 refuses it). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let star = false;
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name = "", ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const allowed = q === undefined || Number(q) > 0;
    if (name.trim() === "gzip") return allowed;
    if (name.trim() === "*") star = allowed;
  }
  return star;
}

export interface Captured {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * Turn what a render sent into an answer worth storing, or null: only complete 200s without Set-Cookie, in
 * identity encoding, that do not vary on everything.
 */
export function toAnswer(
  captured: Captured,
  requestHeaders: IncomingMessage["headers"],
): Omit<CachedAnswer, "generation" | "startedAt" | "storedAt"> | null {
  const { status, headers, body } = captured;
  if (status !== 200 || headers["set-cookie"] !== undefined) return null;
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && String(encoding).toLowerCase() !== "identity") return null;
  const varyNames = String(headers.vary ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v && v !== "accept-encoding");
  if (varyNames.includes("*")) return null;
  const stored: [string, string | string[]][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_STORED.has(name.toLowerCase())) continue;
    stored.push([name.toLowerCase(), Array.isArray(value) ? value.map(String) : String(value)]);
  }
  const csp = headers["content-security-policy"];
  const nonce = nonceOf(typeof csp === "string" ? csp : undefined);
  return {
    headers: stored,
    segments: splitOnNonce(body, nonce),
    nonce,
    length: body.length,
    vary: headerValues(requestHeaders, varyNames),
  };
}

/**
 * Copy what Next writes to `res` (it still streams to the client as usual). Resolves with the status, headers
 * and body once the answer is complete, or null when it grew past `maxBytes` or the client went away first.
 */
export function captureResponse(res: ServerResponse, maxBytes: number): Promise<Captured | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  const headArgs: OutgoingHttpHeaders = {};
  const take = (chunk: unknown, encoding: unknown) => {
    if (tooLarge || chunk === undefined || chunk === null || typeof chunk === "function") return;
    let buffer: Buffer;
    if (Buffer.isBuffer(chunk)) buffer = chunk;
    else if (chunk instanceof Uint8Array) buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else if (typeof chunk === "string") buffer = Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    else return;
    size += buffer.length;
    if (size > maxBytes) {
      tooLarge = true;
      chunks.length = 0;
    } else chunks.push(Buffer.from(buffer)); // a copy: the writer may reuse its buffer
  };
  // Headers given to writeHead directly are not in getHeaders() afterwards: keep them too.
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    for (const arg of args.slice(1)) {
      if (Array.isArray(arg)) for (let i = 0; i + 1 < arg.length; i += 2) headArgs[String(arg[i]).toLowerCase()] = arg[i + 1] as string;
      else if (arg && typeof arg === "object") for (const [k, v] of Object.entries(arg)) headArgs[k.toLowerCase()] = v as string | string[];
    }
    return writeHead(...args);
  };
  res.write = ((...args: unknown[]) => {
    take(args[0], args[1]);
    return write(...args);
  }) as ServerResponse["write"];
  res.end = ((...args: unknown[]) => {
    take(args[0], args[1]);
    return end(...args);
  }) as ServerResponse["end"];
  return new Promise((resolve) => {
    res.once("close", () => {
      if (!res.writableFinished || tooLarge) return resolve(null);
      resolve({ status: res.statusCode, headers: { ...res.getHeaders(), ...headArgs }, body: Buffer.concat(chunks) });
    });
  });
}

/**
 * Every request other than GET and HEAD invalidates when its answer ends, whatever its status: a refused write
 * should have changed nothing, but a test (or a reader) that checks that must not be answered from a copy made
 * before it. The generation moves on before the last bytes leave, so a client that reads after seeing the
 * answer cannot be given an older page; a request cut off before its answer invalidates too.
 */
/** POST routes that write nothing (a body too large or too structured for a query string): no invalidation. */
const READ_ONLY_POSTS = new Set(["/api/v1/predict"]);

function watchWrite(res: ServerResponse, cache: PageCache): void {
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  let ended = false;
  res.end = ((...args: unknown[]) => {
    ended = true;
    cache.invalidate();
    return end(...args);
  }) as ServerResponse["end"];
  res.once("close", () => {
    if (!ended) cache.invalidate();
  });
}

export interface CachedHandlerOptions {
  /** Largest answer captured for the cache. */
  maxEntryBytes?: number;
  /** Gzip level for answers served from the cache. */
  gzipLevel?: number;
  /** Whether the app process is down: the last stored copy of a page is then served, however old. */
  appDown?: () => boolean;
}

/** Wrap Next's request handler with the page cache. */
export function withPageCache(
  next: RequestHandler,
  cache: PageCache,
  options: CachedHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const maxEntryBytes = options.maxEntryBytes ?? 4 * 1024 * 1024;
  const gzipLevel = options.gzipLevel ?? 6;

  const passOn = (req: IncomingMessage, res: ServerResponse) => {
    void Promise.resolve(next(req, res)).catch((error: unknown) => fail(res, error));
  };

  const render = (req: IncomingMessage, res: ServerResponse, flight: Flight) => {
    const requestHeaders = { ...req.headers };
    // The stored copy must be identity-encoded to put a fresh nonce in it, so Next is not asked to compress.
    delete req.headers["accept-encoding"];
    res.setHeader(CACHE_HEADER, "miss");
    void captureResponse(res, maxEntryBytes).then((captured) => cache.complete(flight, captured && toAnswer(captured, requestHeaders)));
    passOn(req, res);
  };

  const reply = (req: IncomingMessage, res: ServerResponse, key: string, answer: CachedAnswer, how: string) => {
    const nonce = answer.nonce ? freshNonce() : null;
    for (const [name, value] of answer.headers) res.setHeader(name, nonce ? replaceNonce(value, answer.nonce!, nonce) : value);
    const vary = String(res.getHeader("vary") ?? "");
    if (!/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary)) res.setHeader("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    res.setHeader(CACHE_HEADER, how);
    const body = nonce ? joinWithNonce(answer.segments, nonce) : answer.segments[0]!;
    const type = res.getHeader("content-type");
    const send = (payload: Buffer, gzipped: boolean) => {
      if (gzipped) res.setHeader("content-encoding", "gzip");
      res.setHeader("content-length", payload.length);
      res.statusCode = 200;
      res.end(req.method === "HEAD" ? undefined : payload);
    };
    if (body.length < 1024 || typeof type !== "string" || !COMPRESSIBLE.test(type) || !acceptsGzip(req.headers["accept-encoding"])) {
      return send(body, false);
    }
    if (!nonce && answer.gzip) return send(answer.gzip, true);
    zlib.gzip(body, { level: gzipLevel }, (error, gzipped) => {
      if (error) return send(body, false);
      if (!nonce) cache.keepGzip(key, answer, gzipped);
      send(gzipped, true);
    });
  };

  return (req, res) => {
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      // A POST that only computes (the model's forecast for a drawn structure) changes nothing a page shows.
      if (!READ_ONLY_POSTS.has((req.url ?? "").split("?")[0]!)) watchWrite(res, cache);
      return passOn(req, res);
    }
    const key = cacheKey(req);
    if (key === null) {
      // A GET that signs someone in (OAuth callback) can create an account: treat cookies set as a write.
      res.once("finish", () => {
        if (res.getHeader("set-cookie") !== undefined) cache.invalidate();
      });
      return passOn(req, res);
    }
    if (options.appDown?.()) {
      const last = cache.lastKnown(key, (names) => headerValues(req.headers, names));
      return last ? reply(req, res, key, last, "stale-app-down") : passOn(req, res);
    }
    const decision = cache.decide(key, (names) => headerValues(req.headers, names), { mayRender: method === "GET" });
    if (!decision) return passOn(req, res);
    if (decision.kind === "hit") return reply(req, res, key, decision.answer, decision.stale ? "stale" : "hit");
    if (decision.kind === "render") return render(req, res, decision.flight);
    void decision.flight.answer.then((answer) => {
      const vary = answer && headerValues(req.headers, Object.keys(answer.vary));
      if (answer && Object.entries(answer.vary).every(([k, v]) => vary![k] === v)) reply(req, res, key, answer, "shared");
      else passOn(req, res);
    });
  };
}

function fail(res: ServerResponse, error: unknown): void {
  console.error("[server]", error);
  if (res.headersSent) return void res.destroy();
  res.statusCode = 500;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on the server." } }));
}
