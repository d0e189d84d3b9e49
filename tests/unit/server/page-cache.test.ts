import { describe, expect, it } from "vitest";
import { PageCache, type CachedAnswer, type Decision } from "@/server/page-cache";
import { joinWithNonce, nonceOf, replaceNonce, splitOnNonce, freshNonce } from "@/server/nonce";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const noVary = () => ({});

function answer(body: string, extra: Partial<CachedAnswer> = {}): Omit<CachedAnswer, "generation" | "startedAt" | "storedAt"> {
  const buffer = Buffer.from(body);
  return { headers: [["content-type", "text/html"]], segments: [buffer], nonce: null, length: buffer.length, vary: {}, ...extra };
}

function bodyOf(decision: Decision | null): string {
  if (decision?.kind !== "hit") throw new Error(`expected a hit, got ${decision?.kind ?? "null"}`);
  return Buffer.concat(decision.answer.segments).toString();
}

/** Render `key` through the cache as a request would: decide, then complete the flight with `body`. */
function fill(cache: PageCache, key: string, body: string) {
  const d = cache.decide(key, noVary);
  if (d?.kind !== "render") throw new Error(`expected a render, got ${d?.kind ?? "null"}`);
  cache.complete(d.flight, answer(body));
}

describe("PageCache", () => {
  it("renders a miss once and then answers from the store while fresh", () => {
    const c = clock();
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 1000, now: c.now });
    fill(cache, "/a", "A1");
    c.advance(999);
    expect(bodyOf(cache.decide("/a", noVary))).toBe("A1");
    expect(cache.decide("/b", noVary)?.kind).toBe("render"); // keys are separate
    c.advance(1);
    expect(cache.decide("/a", noVary)?.kind, "after the TTL the page is rendered again").toBe("render");
  });

  it("counts freshness from when the answer was stored, so a slow render is still fresh for the next reader", () => {
    const c = clock();
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 1000, now: c.now });
    const d = cache.decide("/a", noVary);
    c.advance(1500); // a render slower than the TTL
    if (d?.kind !== "render") throw new Error("unreachable");
    cache.complete(d.flight, answer("slow"));
    expect(bodyOf(cache.decide("/a", noVary))).toBe("slow");
  });

  it("shares one render among concurrent misses (single flight)", async () => {
    const cache = new PageCache({ maxBytes: 1e6 });
    const first = cache.decide("/a", noVary);
    const second = cache.decide("/a", noVary);
    const third = cache.decide("/a", noVary);
    expect(first?.kind).toBe("render");
    expect(second?.kind).toBe("join");
    expect(third?.kind).toBe("join");
    if (first?.kind !== "render" || second?.kind !== "join") throw new Error("unreachable");
    expect(second.flight).toBe(first.flight);
    cache.complete(first.flight, answer("A"));
    expect(Buffer.concat((await second.flight.answer)!.segments).toString()).toBe("A");
    expect(cache.stats()).toMatchObject({ renders: 1, joins: 2, stored: 1 });
  });

  it("tells joiners to ask Next themselves when the render was not cacheable", async () => {
    const cache = new PageCache({ maxBytes: 1e6 });
    const first = cache.decide("/a", noVary);
    const second = cache.decide("/a", noVary);
    if (first?.kind !== "render" || second?.kind !== "join") throw new Error("unexpected decisions");
    cache.complete(first.flight, null);
    expect(await second.flight.answer).toBeNull();
    expect(cache.decide("/a", noVary)?.kind).toBe("render");
  });

  it("makes everything stale at once on a write: a lone reader renders the page anew", () => {
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 60_000 });
    fill(cache, "/a", "old");
    cache.invalidate();
    const d = cache.decide("/a", noVary);
    expect(d?.kind).toBe("render");
  });

  it("serves a stale copy only while a newer render is in flight and only up to maxStaleMs after its render began", () => {
    const c = clock();
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 60_000, maxStaleMs: 500, now: c.now });
    fill(cache, "/a", "old");
    c.advance(100);
    cache.invalidate();
    const renderer = cache.decide("/a", noVary); // the first reader after the write renders and waits
    expect(renderer?.kind).toBe("render");
    const during = cache.decide("/a", noVary); // others get the copy that is 100 ms old
    expect(during).toMatchObject({ kind: "hit", stale: true });
    c.advance(401);
    // The copy's render began 501 ms ago: too old. The in-flight render began after the write: join it.
    expect(cache.decide("/a", noVary)?.kind).toBe("join");
    if (renderer?.kind !== "render") throw new Error("unreachable");
    cache.complete(renderer.flight, answer("new"));
    expect(bodyOf(cache.decide("/a", noVary))).toBe("new");
  });

  it("serves a copy that is stale only by age while it is rendered again, up to ttlMs + maxStaleMs", () => {
    const c = clock();
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 1000, maxStaleMs: 500, now: c.now });
    fill(cache, "/a", "old");
    c.advance(1000);
    expect(cache.decide("/a", noVary)?.kind, "a lone reader after the TTL renders").toBe("render");
    expect(cache.decide("/a", noVary)).toMatchObject({ kind: "hit", stale: true });
    c.advance(500);
    expect(cache.decide("/a", noVary)).toMatchObject({ kind: "hit", stale: true });
    c.advance(1);
    expect(cache.decide("/a", noVary)?.kind, "1501 ms after its render began the copy is too old").toBe("join");
  });

  it("does not let a request that arrives after a write join a render that began before it, once that render is older than maxStaleMs", () => {
    const c = clock();
    const cache = new PageCache({ maxBytes: 1e6, maxStaleMs: 500, now: c.now });
    const before = cache.decide("/a", noVary);
    c.advance(100);
    cache.invalidate();
    expect(cache.decide("/a", noVary)?.kind, "within maxStaleMs of its start the render is joined").toBe("join");
    c.advance(401);
    const after = cache.decide("/a", noVary);
    expect(after?.kind).toBe("render");
    if (before?.kind !== "render" || after?.kind !== "render") throw new Error("unreachable");
    // The newer render finishes first; the older one must not overwrite it.
    cache.complete(after.flight, answer("new"));
    cache.complete(before.flight, answer("old"));
    expect(bodyOf(cache.decide("/a", noVary))).toBe("new");
  });

  it("keeps an answer whose render began before a write stale after it is stored", () => {
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 60_000 });
    const d = cache.decide("/a", noVary);
    cache.invalidate(); // the write finished while the page was rendering
    if (d?.kind !== "render") throw new Error("unreachable");
    cache.complete(d.flight, answer("maybe old"));
    expect(cache.decide("/a", noVary)?.kind).toBe("render");
  });

  it("stays within its byte bound, dropping the least recently used answers, and never keeps one larger than maxEntryBytes", () => {
    const cache = new PageCache({ maxBytes: 10_000, maxEntryBytes: 5_000 });
    for (const key of ["/1", "/2", "/3", "/4"]) fill(cache, key, "x".repeat(3000));
    expect(cache.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(cache.stats().entries).toBe(3);
    expect(cache.decide("/1", noVary)?.kind, "the oldest went first").toBe("render");
    expect(cache.decide("/4", noVary)?.kind).toBe("hit");
    fill(cache, "/big", "y".repeat(6000));
    expect(cache.decide("/big", noVary)?.kind).toBe("render");
  });

  it("answers only requests that send the same values of the headers an answer varies on", () => {
    const cache = new PageCache({ maxBytes: 1e6 });
    const d = cache.decide("/a", noVary);
    if (d?.kind !== "render") throw new Error("unreachable");
    cache.complete(d.flight, answer("en", { vary: { "accept-language": "en" } }));
    expect(cache.decide("/a", () => ({ "accept-language": "en" }))?.kind).toBe("hit");
    expect(cache.decide("/a", () => ({ "accept-language": "de" }))).toBeNull();
  });

  it("keeps the last answer of a page, however old, for while the app process is down", () => {
    const c = clock();
    const cache = new PageCache({ maxBytes: 1e6, ttlMs: 1000, maxStaleMs: 1000, now: c.now });
    expect(cache.lastKnown("/a", noVary)).toBeNull();
    fill(cache, "/a", "A");
    cache.invalidate();
    c.advance(60_000);
    expect(cache.decide("/a", noVary)?.kind, "too old to serve while the app can render").toBe("render");
    expect(cache.lastKnown("/a", noVary)?.segments.join("")).toBe("A");
  });

  it("never starts a render for a request that cannot fill the cache (HEAD)", () => {
    const cache = new PageCache({ maxBytes: 1e6 });
    expect(cache.decide("/a", noVary, { mayRender: false })).toBeNull();
    fill(cache, "/a", "A");
    expect(cache.decide("/a", noVary, { mayRender: false })?.kind).toBe("hit");
  });
});

describe("nonce replacement", () => {
  it("finds the nonce of a CSP and puts a fresh one wherever it was", () => {
    const old = freshNonce();
    const csp = `default-src 'self'; script-src 'self' 'nonce-${old}' 'strict-dynamic'`;
    expect(nonceOf(csp)).toBe(old);
    expect(nonceOf("default-src 'none'")).toBeNull();
    const html = `<script nonce="${old}">a</script><p>text</p><script nonce="${old}" src="/x.js"></script>["$","script",{"nonce":"${old}"}]`;
    const parts = splitOnNonce(Buffer.from(html), old);
    expect(parts).toHaveLength(4);
    expect(joinWithNonce(parts, old).toString()).toBe(html);
    const fresh = freshNonce();
    expect(fresh).not.toBe(old);
    expect(fresh).toHaveLength(old.length);
    const replaced = joinWithNonce(parts, fresh).toString();
    expect(replaced).not.toContain(old);
    expect(replaced.split(fresh)).toHaveLength(4);
    expect(replaced).toBe(html.split(old).join(fresh));
    expect(replaceNonce(csp, old, fresh)).toBe(csp.replace(old, fresh));
    expect(replaceNonce([`</a>; rel=preload; nonce=${old}`], old, fresh)).toEqual([`</a>; rel=preload; nonce=${fresh}`]);
  });

  it("keeps a body without a nonce whole", () => {
    const body = Buffer.from("{}");
    expect(splitOnNonce(body, null)).toEqual([body]);
  });
});
