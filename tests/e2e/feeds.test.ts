// The project feeds as a feed reader sees them: Atom 1.0 (RFC 4287) parsed by a real XML parser (Chromium's
// DOMParser), JSON Feed 1.1 checked against a schema written from https://www.jsonfeed.org/version/1.1/.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, errorOf, expectStatus, isoDay, type Entry } from "./support/api-client";
import { launchBrowser } from "./support/browser";
import { createTokens, pgliteStore, type PgliteStore as Store } from "./support/seed";
import { freePort, startNotebook, type Notebook } from "./support/server";

const ATOM_NS = "http://www.w3.org/2005/Atom";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const author = { type: "object", minProperties: 1, additionalProperties: false, properties: { name: { type: "string" }, url: { type: "string", format: "uri" }, avatar: { type: "string", format: "uri" } } };
const extensions = { "^_": {} }; // JSON Feed allows custom keys that start with "_"
const JSON_FEED_1_1 = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["version", "title", "items"],
  additionalProperties: false,
  patternProperties: extensions,
  properties: {
    version: { const: "https://jsonfeed.org/version/1.1" },
    title: { type: "string", minLength: 1 },
    home_page_url: { type: "string", format: "uri" },
    feed_url: { type: "string", format: "uri" },
    description: { type: "string" },
    user_comment: { type: "string" },
    next_url: { type: "string", format: "uri" },
    icon: { type: "string", format: "uri" },
    favicon: { type: "string", format: "uri" },
    authors: { type: "array", items: author },
    language: { type: "string" },
    expired: { type: "boolean" },
    hubs: { type: "array", items: { type: "object", required: ["type", "url"], properties: { type: { type: "string" }, url: { type: "string", format: "uri" } } } },
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["id"],
        anyOf: [
          { required: ["content_html"], properties: { content_html: { type: "string" } } },
          { required: ["content_text"], properties: { content_text: { type: "string" } } },
        ],
        additionalProperties: false, // so the 1.0 `author` object is refused: 1.1 has `authors`
        patternProperties: extensions,
        properties: {
          id: { type: "string", minLength: 1 },
          url: { type: "string", format: "uri" },
          external_url: { type: "string", format: "uri" },
          title: { type: "string" },
          content_html: { type: "string" },
          content_text: { type: "string" },
          summary: { type: "string" },
          image: { type: "string", format: "uri" },
          banner_image: { type: "string", format: "uri" },
          date_published: { type: "string", format: "date-time" },
          date_modified: { type: "string", format: "date-time" },
          authors: { type: "array", minItems: 1, items: author },
          tags: { type: "array", items: { type: "string" } },
          language: { type: "string" },
          attachments: { type: "array", items: { type: "object", required: ["url", "mime_type"], properties: { url: { type: "string", format: "uri" }, mime_type: { type: "string" } } } },
        },
      },
    },
  },
};

interface JsonFeedItem { id: string; url?: string; title?: string; content_html?: string; summary?: string; date_published?: string; date_modified?: string; tags?: string[] }
interface JsonFeed { items: JsonFeedItem[] }
interface Html { type: string | null; text: string; shown: string; scripts: number; handlers: number; jsUrls: number; strong: number }
interface AtomEntry { ids: string[]; titles: Html[]; updated: string[]; links: { rel: string | null; href: string | null }[]; authorNames: string[]; contents: Html[]; summaries: Html[] }
interface Atom { error: string | null; rootName: string; rootNs: string | null; ids: string[]; titles: string[]; updated: string[]; links: { rel: string | null; href: string | null }[]; authorNames: string[]; entries: AtomEntry[] }

let store: Store, server: Notebook, browser: Browser, page: Page;
let alice: ApiClient, bob: ApiClient, anon: ApiClient;
let a1: Entry, b1: Entry;

beforeAll(async () => {
  store = await pgliteStore();
  const tokens = await createTokens(store, ["alice", "bob"]);
  // Configured as a deployment should be, so the feeds' absolute links can be checked against the server.
  const port = await freePort();
  [server, browser] = await Promise.all([
    startNotebook({ dataDir: store.dataDir, port, env: { NOTEBOOK_PUBLIC_URL: `http://127.0.0.1:${port}` } }),
    launchBrowser(),
  ]);
  page = await browser.newPage();
  anon = new ApiClient(server.url);
  [alice, bob] = [anon.as(tokens.alice), anon.as(tokens.bob)];
  await alice.createCampaign({ name: "Alpha", slug: "alpha" });
  await alice.createCampaign({ name: "Beta", slug: "beta" });
  await alice.addMember("alpha", "bob", "member");
  const body = 'Yield **62 %**.\n\n<script>alert("body")</script>\n\n<img src="x" onerror="alert(1)">\n\n[details](javascript:alert(2))';
  a1 = await bob.createEntry({ campaign: "alpha", date: isoDay(-1), title: "Alpha synthesis", body });
  b1 = await alice.createEntry({ campaign: "beta", date: isoDay(-1), title: "Beta assay", body: "IC50 40 nM" });
  // Notable revisions: bob's first edit follows his own creation (same session: no item), then one with a
  // message (item); alice's first edit (item), then her second in the same session (no item).
  let base = (await bob.editEntry(a1.id, { body: `${body}\n\nTypo fixed.`, baseRevision: a1.revisionId })).revisionId;
  base = (await bob.editEntry(a1.id, { title: "Alpha synthesis v2", message: "corrected yield", baseRevision: base })).revisionId;
  base = (await alice.editEntry(a1.id, { title: "Alpha synthesis v3", baseRevision: base })).revisionId;
  await alice.editEntry(a1.id, { body: `${body}\n\nChecked.`, baseRevision: base });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

async function fetchFeed(path: string, type: string): Promise<string> {
  const res = await fetch(server.url + path);
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 300)}`).toBe(200);
  expect(res.headers.get("content-type")).toMatch(new RegExp(`^${type.replace("+", "\\+")}\\b`));
  return text;
}

/** Parse Atom with Chromium's XML parser; html-typed text constructs are parsed again as HTML, as a reader shows them. */
function parseAtom(xml: string): Promise<Atom> {
  return page.evaluate(
    ({ xml, ns }) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      const error = doc.getElementsByTagName("parsererror")[0]?.textContent ?? null;
      const kids = (el: Element, name: string) => [...el.children].filter((c) => c.namespaceURI === ns && c.localName === name);
      const html = (el: Element) => {
        const type = el.getAttribute("type");
        const text = el.textContent ?? "";
        const shown = type === "html" ? new DOMParser().parseFromString(text, "text/html") : null;
        const all = shown ? [...shown.body.querySelectorAll("*")] : [];
        return {
          type,
          text,
          shown: shown ? (shown.body.textContent ?? "") : text,
          scripts: all.filter((e) => e.localName === "script").length,
          handlers: all.filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
          jsUrls: all.filter((e) => [...e.attributes].some((a) => /^\s*javascript:/i.test(a.value))).length,
          strong: all.filter((e) => e.localName === "strong").length,
        };
      };
      const links = (el: Element) => kids(el, "link").map((l) => ({ rel: l.getAttribute("rel"), href: l.getAttribute("href") }));
      const names = (el: Element) => kids(el, "author").flatMap((a) => kids(a, "name").map((n) => n.textContent ?? ""));
      const root = doc.documentElement;
      return {
        error,
        rootName: root.localName,
        rootNs: root.namespaceURI,
        ids: kids(root, "id").map((e) => e.textContent ?? ""),
        titles: kids(root, "title").map((e) => e.textContent ?? ""),
        updated: kids(root, "updated").map((e) => e.textContent ?? ""),
        links: links(root),
        authorNames: names(root),
        entries: kids(root, "entry").map((e) => ({
          ids: kids(e, "id").map((x) => x.textContent ?? ""),
          titles: kids(e, "title").map(html),
          updated: kids(e, "updated").map((x) => x.textContent ?? ""),
          links: links(e),
          authorNames: names(e),
          contents: kids(e, "content").map(html),
          summaries: kids(e, "summary").map(html),
        })),
      };
    },
    { xml, ns: ATOM_NS },
  );
}

/** The same checks for a piece of content_html from the JSON Feed. */
function parseHtml(text: string): Promise<Html> {
  return parseAtom(`<feed xmlns="${ATOM_NS}"><entry><content type="html">${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</content></entry></feed>`).then((a) => a.entries[0]!.contents[0]!);
}

const absoluteHere = (href: string | null) => typeof href === "string" && href.startsWith(`${server.url}/`);
const isAlternate = (l: { rel: string | null }) => l.rel === null || l.rel === "alternate"; // RFC 4287 §4.2.7.2: no rel means alternate

/** Checks every MUST of RFC 4287 this feed relies on; returns the parsed feed. */
async function validAtom(path: string): Promise<Atom> {
  const atom = await parseAtom(await fetchFeed(path, "application/atom+xml"));
  expect(atom.error, "well-formed XML").toBeNull();
  expect([atom.rootName, atom.rootNs]).toEqual(["feed", ATOM_NS]);
  expect([atom.ids.length, atom.titles.length, atom.updated.length]).toEqual([1, 1, 1]);
  expect(() => new URL(atom.ids[0]!)).not.toThrow();
  expect(atom.titles[0]!.trim()).not.toBe("");
  expect(atom.updated[0]).toMatch(RFC3339);
  expect(atom.links.find((l) => l.rel === "self")?.href).toBe(server.url + path);
  for (const e of atom.entries) {
    const label = JSON.stringify(e.ids);
    expect([e.ids.length, e.titles.length, e.updated.length], label).toEqual([1, 1, 1]);
    expect(() => new URL(e.ids[0]!), label).not.toThrow();
    expect(e.updated[0], label).toMatch(RFC3339);
    expect(Date.parse(e.updated[0]!)).toBeLessThanOrEqual(Date.parse(atom.updated[0]!));
    expect(e.links.filter(isAlternate).length, label).toBeGreaterThanOrEqual(1);
    for (const l of e.links.filter(isAlternate)) expect(absoluteHere(l.href), `${label} link ${l.href}`).toBe(true);
    expect([...e.authorNames, ...atom.authorNames].some((n) => n.trim() !== ""), `${label} has an author name`).toBe(true);
    for (const c of e.contents) expect(c.type, label).toBe("html");
  }
  expect(new Set(atom.entries.map((e) => e.ids[0])).size).toBe(atom.entries.length);
  return atom;
}

async function validJsonFeed(path: string): Promise<JsonFeed> {
  const feed = JSON.parse(await fetchFeed(path, "application/feed+json")) as JsonFeed;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON_FEED_1_1);
  expect(validate(feed), ajv.errorsText(validate.errors)).toBe(true);
  expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length);
  return feed;
}

const itemsAbout = (feed: JsonFeed, entry: Entry) => feed.items.filter((i) => new URL(i.url ?? "x:").pathname.startsWith(`/entries/${entry.id}`));

describe("site feeds", () => {
  it("serves Atom 1.0 that a real XML parser accepts, with every required element", async () => {
    const atom = await validAtom("/feed.atom");
    expect(atom.entries.length).toBeGreaterThanOrEqual(6);
  });

  it("serves JSON Feed 1.1 that validates against the spec's schema", async () => {
    const feed = await validJsonFeed("/feed.json");
    expect(feed.items.length).toBeGreaterThanOrEqual(6);
  });

  it("lists newest first, the same items in both formats", async () => {
    const [atom, feed] = await Promise.all([validAtom("/feed.atom"), validJsonFeed("/feed.json")]);
    expect(atom.entries.map((e) => e.ids[0])).toEqual(feed.items.map((i) => i.id));
    const times = feed.items.map((i) => Date.parse(i.date_published ?? ""));
    expect(times.every((t, k) => !Number.isNaN(t) && (k === 0 || t <= times[k - 1]!))).toBe(true);
    const titles = feed.items.map((i) => i.title ?? "").filter((t) => / (wrote|revised) /.test(t));
    expect(titles).toEqual([
      "alice revised “Alpha synthesis v3” · Alpha",
      "bob revised “Alpha synthesis v2” · Alpha",
      "alice wrote “Beta assay” · Beta",
      "bob wrote “Alpha synthesis” · Alpha",
    ]);
  });

  it("shows creations and notable revisions only: a message, or a person's first edit in 30 minutes", async () => {
    const items = itemsAbout(await validJsonFeed("/feed.json"), a1);
    expect(items.map((i) => i.title)).toEqual([
      "alice revised “Alpha synthesis v3” · Alpha",
      "bob revised “Alpha synthesis v2” · Alpha",
      "bob wrote “Alpha synthesis” · Alpha",
    ]);
    expect(items[1]!.content_html).toContain("corrected yield");
  });

  it("sanitizes HTML from an entry body in the content of both formats", async () => {
    const [atom, feed] = await Promise.all([validAtom("/feed.atom"), validJsonFeed("/feed.json")]);
    const created = itemsAbout(feed, a1).at(-1)!;
    const fromJson = await parseHtml(created.content_html ?? "");
    const fromAtom = atom.entries.find((e) => e.ids[0] === created.id)!.contents[0]!;
    for (const html of [fromJson, fromAtom]) {
      expect(html.strong, "markdown is rendered").toBe(1);
      expect([html.scripts, html.handlers, html.jsUrls]).toEqual([0, 0, 0]);
      expect(html.text).not.toMatch(/<script/i);
    }
  });
});

describe("campaign feeds", () => {
  it("hold only their campaign, in both formats", async () => {
    const [atom, feed, site] = await Promise.all([validAtom("/campaigns/alpha/feed.atom"), validJsonFeed("/campaigns/alpha/feed.json"), validJsonFeed("/feed.json")]);
    expect(feed.items.length).toBeGreaterThanOrEqual(4);
    for (const item of feed.items) expect(item.tags, item.title).toEqual(["Alpha"]);
    expect(itemsAbout(feed, a1)).toHaveLength(3);
    expect(itemsAbout(feed, b1)).toEqual([]);
    expect(feed.items).toEqual(site.items.filter((i) => i.tags?.includes("Alpha")));
    expect(atom.entries.map((e) => e.ids[0])).toEqual(feed.items.map((i) => i.id));
  });

  it("answer 404 for an unknown campaign", async () => {
    for (const path of ["/campaigns/no-such-campaign/feed.atom", "/campaigns/no-such-campaign/feed.json"]) {
      expect((await fetch(server.url + path)).status, path).toBe(404);
    }
  });

  it("drop a deleted entry's creation from the site and campaign feeds", async () => {
    const doomed = await bob.createEntry({ campaign: "alpha", date: isoDay(), title: "Mislabelled vial", body: "wrong sample" });
    const creation = itemsAbout(await validJsonFeed("/feed.json"), doomed).find((i) => i.title?.includes(" wrote "));
    expect(creation, "the creation is in the feed before the delete").toBeDefined();
    expectStatus(await bob.delete(`/api/v1/entries/${doomed.id}`), 200);
    for (const path of ["/feed.json", "/campaigns/alpha/feed.json"]) {
      const ids = (await validJsonFeed(path)).items.map((i) => i.id);
      expect(ids, path).not.toContain(creation!.id);
    }
    for (const path of ["/feed.atom", "/campaigns/alpha/feed.atom"]) {
      expect((await validAtom(path)).entries.map((e) => e.ids[0]), path).not.toContain(creation!.id);
    }
  });
});

// These write text that is awkward for XML and HTML; they come last because a failure breaks the site feed.
describe("text a member writes cannot break or script the feeds", () => {
  it("keeps markup in a title or summary as text (Atom title and summary are declared html)", async () => {
    const title = 'Ratio <b>A</b> to B <img src=x onerror=alert("title")>';
    const body = "The spam looked like `<img src=x onerror=alert('summary')>` in the inbox.";
    const e = await bob.createEntry({ campaign: "alpha", date: isoDay(), title, body });
    const feed = await validJsonFeed("/campaigns/alpha/feed.json");
    const item = itemsAbout(feed, e)[0]!;
    expect(item.title).toBe(`bob wrote “${title}” · Alpha`); // JSON Feed titles are plain text
    const entry = (await validAtom("/campaigns/alpha/feed.atom")).entries.find((x) => x.ids[0] === item.id)!;
    const parts = { title: entry.titles[0]!, summary: entry.summaries[0]!, content: entry.contents[0]! };
    // Whatever type the feed declares (text or html), a reader must not find elements with script in them.
    const active = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.scripts + v.handlers]));
    expect(active, JSON.stringify(parts, null, 1)).toEqual({ title: 0, summary: 0, content: 0 });
    expect(parts.title.shown, "the reader shows the title as written").toContain(title);
  });

  it("stays well-formed XML when a title contains ]]> twice", async () => {
    await alice.createCampaign({ name: "Gamma", slug: "gamma" });
    const title = "Array a[b[i]]> 0 and c[d[j]]> 1";
    await alice.createEntry({ campaign: "gamma", date: isoDay(), title, body: "Indexing notes" });
    const atom = await validAtom("/campaigns/gamma/feed.atom");
    expect(atom.entries.map((e) => e.titles[0]!.shown)).toContain(`alice wrote “${title}” · Gamma`);
  });

  it("refuses a control character that XML 1.0 forbids, so the feed stays well-formed", async () => {
    await alice.createCampaign({ name: "Delta", slug: "delta" });
    const refused = await alice.post("/api/v1/entries", { campaign: "delta", date: isoDay(), title: "Pasted from the instrument", body: "Peak table\u000b 1.23 ppm" });
    expect(refused.status).toBe(422);
    expect(errorOf(refused).message).toContain("body: contains the control character U+000B");
    await alice.createEntry({ campaign: "delta", date: isoDay(), title: "Pasted again", body: "Peak table\t 1.23 ppm" });
    const atom = await validAtom("/campaigns/delta/feed.atom");
    expect(atom.entries.map((e) => e.contents[0]?.shown ?? "").filter((c) => c.includes("1.23 ppm"))).toHaveLength(1);
  });
});
