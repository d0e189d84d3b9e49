// Sitemaps: an index of parts of at most 50,000 URLs each, and XML no address can break.
import { describe, expect, it } from "vitest";
import { escapeXml, parseSitemapPart, rowsPerPart, SITEMAP_MAX_URLS, sitemapParts, toSitemapIndex, toUrlset } from "@/lib/sitemap";

describe("the parts of the index", () => {
  it("splits each kind into parts of at most 50,000 URLs (a campaign lists three pages), and always lists the site", () => {
    expect(rowsPerPart("molecules")).toBe(50_000);
    expect(rowsPerPart("campaigns")).toBe(16_666);
    expect(sitemapParts({ campaigns: 0, entries: 0, pages: 0, molecules: 0 }).map((p) => p.name)).toEqual(["campaigns-1"]);
    expect(sitemapParts({ campaigns: 2, entries: 50_000, pages: 3, molecules: 120_001 }).map((p) => p.name)).toEqual([
      "campaigns-1",
      "entries-1",
      "pages-1",
      "molecules-1",
      "molecules-2",
      "molecules-3",
    ]);
  });

  it("reads a part's name back, and nothing else", () => {
    expect(parseSitemapPart("molecules-3.xml")).toEqual({ kind: "molecules", page: 3 });
    expect(parseSitemapPart("entries-1")).toEqual({ kind: "entries", page: 1 });
    for (const name of [
      "molecules-0.xml",
      "users-1.xml",
      "entries-1.xml.gz",
      "../entries-1.xml",
      "entries-01.xml",
      "entries-9999999.xml",
    ]) {
      expect(parseSitemapPart(name), name).toBeNull();
    }
  });
});

describe("sitemap XML", () => {
  it("writes a urlset and an index in the sitemaps.org namespace, escaping what XML gives a meaning", () => {
    const xml = toUrlset([
      { loc: "https://nb.test/campaigns/a/wiki/x?y=1&z='2'", lastmod: new Date("2024-03-05T10:00:00Z") },
      { loc: "https://nb.test/" },
    ]);
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(xml).toContain(
      "<url><loc>https://nb.test/campaigns/a/wiki/x?y=1&amp;z=&apos;2&apos;</loc><lastmod>2024-03-05T10:00:00.000Z</lastmod></url>",
    );
    expect(xml).toContain("<url><loc>https://nb.test/</loc></url>");
    expect(toSitemapIndex([{ loc: "https://nb.test/sitemaps/entries-1.xml" }])).toContain(
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n<sitemap><loc>https://nb.test/sitemaps/entries-1.xml</loc></sitemap>',
    );
    expect(escapeXml('<a>\u0001"')).toBe("&lt;a&gt;&quot;");
    expect(() => toUrlset(Array.from({ length: SITEMAP_MAX_URLS + 1 }, () => ({ loc: "https://nb.test/" })))).toThrow(/50000/);
  });
});
