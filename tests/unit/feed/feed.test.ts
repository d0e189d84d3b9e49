import { describe, expect, it } from "vitest";
import { toAtom, toJsonFeed, type FeedEntry } from "@/lib/feed";

const options = { title: "Open Notebook", description: "All activity", homeUrl: "http://nb.test/", selfUrl: "http://nb.test/feed", siteName: "Open Notebook" };
const entry = (over: Partial<FeedEntry> = {}): FeedEntry => ({
  id: "http://nb.test/events/1",
  title: "ada wrote “Day 1”",
  url: "http://nb.test/entries/1",
  html: "<p>Stirred <strong>overnight</strong>.</p>",
  summary: "Stirred overnight.",
  published: new Date("2024-03-05T10:00:00Z"),
  author: { name: "ada" },
  category: "Series 4",
  ...over,
});

describe("toJsonFeed", () => {
  it("writes JSON Feed 1.1: version, authors array, language", () => {
    const feed = JSON.parse(toJsonFeed([entry()], options));
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.language).toBe("en");
    expect(feed.feed_url).toBe("http://nb.test/feed.json");
    expect(feed.items[0]).toMatchObject({ id: "http://nb.test/events/1", url: "http://nb.test/entries/1", authors: [{ name: "ada" }], date_published: "2024-03-05T10:00:00.000Z" });
    expect(feed.items[0].author).toBeUndefined();
    expect(feed.author).toBeUndefined();
  });
});

describe("toAtom", () => {
  it("escapes text that Atom declares as html, and keeps CDATA intact", () => {
    const xml = toAtom([entry({ title: "<script>alert(1)</script>", summary: "a < b", html: "<p>x ]]> y</p>" })], options);
    expect(xml).not.toContain("<script>");
    expect(xml).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(xml).toContain("a &#60; b");
    expect(xml).toContain("x ]]&gt; y");
    expect(xml.match(/<!\[CDATA\[/g)?.length).toBe(xml.match(/\]\]>/g)?.length);
  });

  it("has the feed and entry elements RFC 4287 requires", () => {
    const xml = toAtom([entry()], options);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    for (const tag of ["<id>http://nb.test/feed</id>", "<updated>2024-03-05T10:00:00.000Z</updated>", '<link rel="self" href="http://nb.test/feed.atom"']) expect(xml).toContain(tag);
    expect(xml).toMatch(/<entry>[\s\S]*<id>http:\/\/nb.test\/events\/1<\/id>[\s\S]*<author>\s*<name>ada<\/name>/);
  });
});

describe("toAtom with characters XML forbids", () => {
  it("drops them instead of breaking the feed", () => {
    const xml = toAtom([entry({ title: "Peak\u000b table", summary: "a\u0001b", html: "<p>1.23\u000c ppm</p>" })], options);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).toContain("Peak table");
  });
});
