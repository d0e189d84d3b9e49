// The page cache in front of a stand-in for Next's handler, on a real loopback HTTP server.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { acceptsGzip, cacheKey, CACHE_HEADER, hasCredentials, withPageCache } from "@/server/cached-handler";
import { freshNonce } from "@/server/nonce";
import { PageCache } from "@/server/page-cache";

interface Seen {
  method: string;
  url: string;
  acceptEncoding: string | undefined;
}

/** A stand-in for Next: a page with a per-request nonce, streamed in chunks; other routes by path. */
function fakeNext(state: { version: number; seen: Seen[]; delayMs: number }) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    state.seen.push({ method: req.method!, url: req.url!, acceptEncoding: req.headers["accept-encoding"] });
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    const url = req.url!;
    if (req.method === "POST") {
      if (url === "/refuse") {
        res.writeHead(409, { "content-type": "application/json" }).end("{}");
        return;
      }
      state.version++;
      res.writeHead(201, { "content-type": "application/json" }).end("{}");
      return;
    }
    if (url === "/cookie") {
      res.setHeader("set-cookie", "authjs.csrf-token=abc; Path=/");
      res.end(`cookie v${state.version}`);
      return;
    }
    if (url === "/missing") {
      res.statusCode = 404;
      res.end(`missing v${state.version}`);
      return;
    }
    if (url === "/api") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=60" });
      res.end(JSON.stringify({ version: state.version, pad: "x".repeat(3000) }));
      return;
    }
    const nonce = freshNonce();
    res.setHeader("content-security-policy", `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.setHeader("vary", "rsc, next-router-state-tree, Accept-Encoding");
    res.write(`<html><head><script nonce="${nonce}">self.x=1</script></head>`);
    await new Promise((r) => setImmediate(r));
    res.write(`<body><p>page ${url} v${state.version}</p>${"<i>pad</i>".repeat(300)}`);
    res.end(`<script nonce="${nonce}">self.__next_f.push(["${nonce}"])</script></body></html>`);
  };
}

let server: http.Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

async function start(options: { delayMs?: number; ttlMs?: number; appDown?: () => boolean } = {}) {
  const state = { version: 1, seen: [] as Seen[], delayMs: options.delayMs ?? 0 };
  const cache = new PageCache({ maxBytes: 1e6, ttlMs: options.ttlMs ?? 60_000, maxStaleMs: 500 });
  const handler = withPageCache(fakeNext(state), cache, { appDown: options.appDown });
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });
  return { state, cache, base, get, renders: (url: string) => state.seen.filter((s) => s.url === url && s.method === "GET").length };
}

function nonceOfHtml(html: string): string[] {
  return [...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]!);
}

describe("withPageCache", () => {
  it("answers repeated anonymous reads from the cache, each with a fresh nonce that matches its CSP header", async () => {
    const t = await start();
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.get("/entries/1");
      answers.push({ how: res.headers.get(CACHE_HEADER), csp: res.headers.get("content-security-policy")!, html: await res.text() });
    }
    expect(answers.map((a) => a.how)).toEqual(["miss", "hit", "hit"]);
    expect(t.renders("/entries/1")).toBe(1);
    const nonces = answers.map((a) => {
      const inHtml = nonceOfHtml(a.html);
      expect(inHtml).toHaveLength(2);
      expect(new Set(inHtml).size).toBe(1);
      expect(a.csp).toContain(`'nonce-${inHtml[0]}'`);
      expect(a.html).toContain(`self.__next_f.push(["${inHtml[0]}"])`);
      return inHtml[0];
    });
    expect(new Set(nonces).size, "every answer has its own nonce").toBe(3);
    expect(answers[2]!.html.replaceAll(nonces[2]!, "N")).toBe(answers[0]!.html.replaceAll(nonces[0]!, "N"));
  });

  it("shares one render among concurrent misses", async () => {
    const t = await start({ delayMs: 50 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.get("/campaigns/a")));
    expect(t.renders("/campaigns/a")).toBe(1);
    expect(answers.map((r) => r.headers.get(CACHE_HEADER)).sort()).toEqual(["miss", ...Array(7).fill("shared")]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    for (const body of bodies) expect(body).toContain("page /campaigns/a v1");
  });

  it("serves the last copy of a page, however old, while the app process is down; a page never stored goes to it", async () => {
    let down = false;
    const t = await start({ ttlMs: 1, appDown: () => down });
    await (await t.get("/campaigns/a")).text();
    await new Promise((r) => setTimeout(r, 20)); // long past its TTL and any stale window
    down = true;
    const res = await t.get("/campaigns/a");
    expect(res.headers.get(CACHE_HEADER)).toBe("stale-app-down");
    expect(await res.text()).toContain("page /campaigns/a v1");
    expect(t.renders("/campaigns/a")).toBe(1);
    await (await t.get("/campaigns/b")).text(); // not stored: passed on (the real front's proxy answers 502)
    expect(t.renders("/campaigns/b")).toBe(1);
  });

  it("shows a write made through the server to the next anonymous read, and a refused one too (it must have changed nothing)", async () => {
    const t = await start();
    await (await t.get("/api")).text();
    expect((await t.get("/api")).headers.get(CACHE_HEADER)).toBe("hit");
    expect((await fetch(t.base + "/refuse", { method: "POST" })).status).toBe(409);
    expect((await t.get("/api")).headers.get(CACHE_HEADER)).toBe("miss");
    expect((await t.get("/api")).headers.get(CACHE_HEADER)).toBe("hit");
    expect((await fetch(t.base + "/write", { method: "POST" })).status).toBe(201);
    const after = await t.get("/api");
    expect(after.headers.get(CACHE_HEADER)).toBe("miss");
    expect(((await after.json()) as { version: number }).version).toBe(2);
  });

  it("never serves or stores answers for requests with credentials, and never stores answers that set cookies or are not 200", async () => {
    const t = await start();
    await (await t.get("/entries/2")).text();
    for (const headers of [
      { authorization: "Bearer nbk_x" } as Record<string, string>,
      { cookie: "authjs.session-token=abc" },
      { cookie: "theme=dark; __Secure-authjs.session-token.0=abc" },
    ]) {
      const res = await t.get("/entries/2", headers);
      expect(res.headers.get(CACHE_HEADER), JSON.stringify(headers)).toBeNull();
      await res.text();
    }
    expect(t.renders("/entries/2")).toBe(4);
    for (const path of ["/cookie", "/missing"]) {
      await (await t.get(path)).text();
      const again = await t.get(path);
      expect(again.headers.get(CACHE_HEADER), path).toBe("miss");
      await again.text();
      expect(t.renders(path)).toBe(2);
    }
  });

  it("leaves RSC requests and prefetches of the client router to Next", async () => {
    const t = await start();
    for (const headers of [{ rsc: "1" }, { "next-router-prefetch": "1" }, {}] as Record<string, string>[]) await (await t.get("/entries/3", headers)).text();
    await (await t.get("/entries/3?_rsc=abc")).text();
    expect((await t.get("/entries/3")).headers.get(CACHE_HEADER)).toBe("hit");
    expect(t.renders("/entries/3")).toBe(3);
  });

  it("asks Next for identity bytes and gzips answers from the cache for clients that accept it", async () => {
    const t = await start();
    await (await t.get("/api", { "accept-encoding": "gzip" })).text();
    expect(t.state.seen.at(-1)!.acceptEncoding).toBeUndefined();
    for (const path of ["/api", "/entries/4", "/entries/4"]) {
      const raw = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http.get(t.base + path, { headers: { "accept-encoding": "gzip, br" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c)).on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on("error", reject);
      });
      if (raw.headers[CACHE_HEADER] === "miss") continue;
      expect(raw.headers["content-encoding"]).toBe("gzip");
      expect(raw.headers.vary).toMatch(/Accept-Encoding/);
      expect(String(raw.headers.vary).match(/accept-encoding/gi), "named once").toHaveLength(1);
      const text = zlib.gunzipSync(raw.body).toString();
      expect(Number(raw.headers["content-length"])).toBe(raw.body.length);
      if (path === "/api") expect(JSON.parse(text)).toMatchObject({ version: 1 });
      else expect(raw.headers["content-security-policy"]).toContain(`'nonce-${nonceOfHtml(text)[0]}'`);
    }
  });

  it("answers HEAD from a stored GET", async () => {
    const t = await start();
    const head = await fetch(t.base + "/entries/5", { method: "HEAD" });
    expect(head.headers.get(CACHE_HEADER)).toBeNull(); // nothing stored yet: Next answers
    await (await t.get("/entries/5")).text();
    const again = await fetch(t.base + "/entries/5", { method: "HEAD" });
    expect(again.headers.get(CACHE_HEADER)).toBe("hit");
    expect(Number(again.headers.get("content-length"))).toBeGreaterThan(100);
    expect(await again.text()).toBe("");
  });
});

describe("request rules", () => {
  it("keys on host, forwarded host and protocol and the URL, the same for GET and HEAD", () => {
    const req = (method: string, headers: Record<string, string> = {}, url = "/feed.atom") => ({ method, url, headers: { host: "a.test", ...headers } });
    expect(cacheKey(req("GET"))).toBe(cacheKey(req("HEAD")));
    expect(cacheKey(req("GET"))).not.toBe(cacheKey(req("GET", { host: "b.test" })));
    expect(cacheKey(req("GET"))).not.toBe(cacheKey(req("GET", { "x-forwarded-host": "b.test" })));
    expect(cacheKey(req("GET"))).not.toBe(cacheKey(req("GET", { "x-forwarded-proto": "https" })));
    expect(cacheKey(req("GET", {}, "/feed.atom?x=1"))).not.toBe(cacheKey(req("GET")));
    expect(cacheKey(req("POST"))).toBeNull();
    for (const url of ["/api/health", "/_next/static/x.js", "/api/auth/session", "/signin", "/signin?callbackUrl=%2F"]) expect(cacheKey(req("GET", {}, url)), url).toBeNull();
    expect(cacheKey(req("GET", {}, "/signing-off"))).not.toBeNull();
    for (const h of [{ range: "bytes=0-1" }, { "if-none-match": '"x"' }, { "next-action": "abc" }, { "next-url": "/x" }] as Record<string, string>[]) expect(cacheKey(req("GET", h)), JSON.stringify(h)).toBeNull();
  });

  it("recognizes credentials: a bearer token or an Auth.js session cookie, not other cookies", () => {
    expect(hasCredentials({ authorization: "Bearer x" })).toBe(true);
    expect(hasCredentials({ cookie: "authjs.session-token=x" })).toBe(true);
    expect(hasCredentials({ cookie: "a=b; __Secure-authjs.session-token=x" })).toBe(true);
    expect(hasCredentials({ cookie: "authjs.session-token.1=x" })).toBe(true);
    expect(hasCredentials({ cookie: "authjs.csrf-token=x; authjs.callback-url=y" })).toBe(false);
    expect(hasCredentials({})).toBe(false);
  });

  it("reads Accept-Encoding with q-values", () => {
    expect(acceptsGzip("gzip, deflate, br, zstd")).toBe(true);
    expect(acceptsGzip("br;q=1, gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
