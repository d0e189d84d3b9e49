// The page cache of anonymous reads (server/): what an anonymous reader, a signed-in member and a browser
// see when pages come from it. The x-notebook-cache header tells how an answer was made (miss = rendered).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, isoDay, type Entry } from "./support/api-client";
import { launchBrowser, newPage, screenshot } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createTokens, pgliteStore, postgresStore, type PgliteStore, type PostgresStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const CACHE = "x-notebook-cache";
const SLUG = "cached";
const POSTGRES_URL = process.env.TEST_DATABASE_URL;

let store: PgliteStore;
let server: Notebook;
let browser: Browser;
let alice: ApiClient;
let entry: Entry;

beforeAll(async () => {
  store = await pgliteStore();
  const tokens = await createTokens(store, ["alice"]);
  [server, browser] = await Promise.all([startNotebook({ dataDir: store.dataDir }), launchBrowser()]);
  alice = new ApiClient(server.url, tokens.alice);
  await alice.createCampaign({ name: "Cached campaign", slug: SLUG });
  entry = await alice.createEntry({ campaign: SLUG, date: isoDay(), title: "Suzuki coupling of OSM-S-1", body: "Stirred overnight at 80 °C." });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

async function anonymous(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { headers });
  return { status: res.status, how: res.headers.get(CACHE), csp: res.headers.get("content-security-policy"), headers: res.headers, text: await res.text() };
}

/** Nonces of the page's script tags. */
function scriptNonces(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*\bnonce="([^"]+)"/g)].map((m) => m[1]!);
}

describe("anonymous reads", () => {
  it("come from the cache, and show an edit made through the API on the next read", async () => {
    const readers = ["/", `/entries/${entry.id}`, `/campaigns/${SLUG}`, "/feed.atom", `/api/v1/entries?campaign=${SLUG}`, `/api/v1/entries/${entry.id}`];
    for (const path of readers) {
      const first = await anonymous(path);
      expect(first.status, path).toBe(200);
      const second = await anonymous(path);
      expect(second.how, `${path} is served from the cache`).toBe("hit");
      expect(second.text, path).toContain("Suzuki coupling of OSM-S-1");
    }
    const edited = await alice.editEntry(entry.id, { title: "Suzuki coupling of OSM-S-1 (repeated)", body: "Stirred for 2 days at 80 °C.", message: "repeat", baseRevision: entry.revisionId });
    entry = edited;
    for (const path of readers) {
      const after = await anonymous(path);
      expect(after.how, `${path} is rendered again after the write`).toBe("miss");
      expect(after.text, path).toContain("Suzuki coupling of OSM-S-1 (repeated)");
    }
    expect((await anonymous(`/entries/${entry.id}`)).text).toContain("Stirred for 2 days");
    expect((await anonymous(`/api/v1/entries/${entry.id}`)).text).toContain(`"revisionId":${edited.revisionId}`);
  });

  it("each get a fresh nonce that matches their CSP header", async () => {
    const path = `/entries/${entry.id}`;
    await anonymous(path);
    const answers = [await anonymous(path), await anonymous(path), await anonymous(path, { "accept-encoding": "gzip" })];
    const seen = new Set<string>();
    for (const a of answers) {
      expect(a.how).toBe("hit");
      const nonces = scriptNonces(a.text);
      expect(nonces.length, "the page has nonce'd scripts").toBeGreaterThan(1);
      expect(new Set(nonces).size, "one nonce per answer").toBe(1);
      expect(a.csp).toContain(`'nonce-${nonces[0]}'`);
      seen.add(nonces[0]!);
      // The other security headers come along.
      expect(a.headers.get("x-content-type-options")).toBe("nosniff");
      expect(a.headers.get("x-frame-options")).toBe("DENY");
      expect(a.csp).toContain("frame-ancestors 'none'");
    }
    expect(seen.size, "no two answers share a nonce").toBe(answers.length);
  });

  it("run in Chromium from the cache: scripts run, client navigation works, no CSP violation", async () => {
    const path = `/entries/${entry.id}`;
    const tab = await newPage(browser, server.url);
    // The first load may render the page (the stored copy may have expired); a reload right after comes from the cache.
    let how: string | undefined;
    for (let attempt = 0; attempt < 5 && how !== "hit"; attempt++) {
      const response = await tab.page.goto(path, { waitUntil: "load" });
      expect(response?.status()).toBe(200);
      how = (await response!.allHeaders())[CACHE];
    }
    expect(how).toBe("hit");
    await tab.page.waitForLoadState("networkidle");
    await screenshot(tab.page, "page-cache-entry-from-cache");
    // Client-side navigation keeps the window: it only happens when Next's scripts (nonce'd) ran and hydrated.
    await tab.page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await tab.page.locator(`a[href="/campaigns/${SLUG}"]`).first().click();
    await tab.page.waitForURL(`**/campaigns/${SLUG}`);
    await tab.page.getByText("Suzuki coupling of OSM-S-1 (repeated)").first().waitFor();
    expect(await tab.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(tab.problems()).toBe("");
    await tab.close();
  });
});

describe("signed-in users", () => {
  it("always get live pages, never the cached copy", async () => {
    const path = `/entries/${entry.id}`;
    await anonymous(path);
    expect((await anonymous(path)).how).toBe("hit");
    const tab = await newPage(browser, server.url);
    await signInLocally(tab.page, "alice");
    const response = await tab.page.goto(path, { waitUntil: "load" });
    expect((await response!.allHeaders())[CACHE], "a signed-in page is not served from the cache").toBeUndefined();
    await tab.page.getByRole("link", { name: /edit/i }).first().waitFor();
    // An edit by someone else shows on the next load, and the anonymous copy did not leak the member's page.
    entry = await alice.editEntry(entry.id, { body: "Third attempt, now at 90 °C.", baseRevision: entry.revisionId });
    const again = await tab.page.goto(path, { waitUntil: "load" });
    expect((await again!.allHeaders())[CACHE]).toBeUndefined();
    await tab.page.getByText("Third attempt, now at 90 °C.").waitFor();
    expect(tab.problems()).toBe("");
    await tab.close();
    const anon = await anonymous(path);
    expect(anon.text).toContain("Third attempt");
    expect(anon.text, "the anonymous page offers to sign in").toContain('href="/signin"');
    expect(anon.text).not.toMatch(/sign out/i);
  });

  it("API clients with a token always get live answers", async () => {
    const path = `/api/v1/entries/${entry.id}`;
    await anonymous(path);
    const answer = await alice.get<Entry>(path);
    expect(answer.headers.get(CACHE)).toBeNull();
    expect(answer.body.revisionId).toBe(entry.revisionId);
  });
});

// Writes through another process are not seen at once, but within the cache's TTL (1 s).
describe.runIf(POSTGRES_URL)("two servers on one PostgreSQL database", () => {
  let pg: PostgresStore;
  let servers: Notebook[] = [];
  let writer: ApiClient;
  beforeAll(async () => {
    pg = await postgresStore(POSTGRES_URL!);
    const tokens = await createTokens(pg, ["alice"]);
    servers = await Promise.all([startNotebook({ env: pg.env }), startNotebook({ env: pg.env })]);
    writer = new ApiClient(servers[0]!.url, tokens.alice);
    await writer.createCampaign({ name: "Shared", slug: "shared" });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await pg?.dispose();
  });

  it("an anonymous reader of one server sees a write made through the other within a second", async () => {
    const created = await writer.createEntry({ campaign: "shared", date: isoDay(), title: "Written on A", body: "first" });
    const onB = `${servers[1]!.url}/api/v1/entries/${created.id}`;
    await (await fetch(onB)).text();
    expect((await fetch(onB)).headers.get(CACHE)).toBe("hit");
    await writer.editEntry(created.id, { body: "second", baseRevision: created.revisionId });
    await new Promise((r) => setTimeout(r, 1100));
    const after = await fetch(onB);
    expect(after.headers.get(CACHE)).toBe("miss");
    expect(((await after.json()) as Entry).body).toBe("second");
  });
});
