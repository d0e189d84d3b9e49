// Page slugs, wiki links, and their rendering in a campaign's markdown.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown";
import { findWikiLinks, linkedSlugs, pageSlug } from "@/lib/wiki/model";
import { chartLayout } from "@/lib/wiki/chart";

describe("pageSlug", () => {
  it.each([
    ["Home", "home"],
    ["Series 4: Ether side chains", "series-4-ether-side-chains"],
    ["  Pyrazine  ring—SAR  ", "pyrazine-ring-sar"],
    ["Über α-Synthese", "uber-α-synthese"],
    ["???", ""],
  ])("%s → %s", (title, slug) => expect(pageSlug(title)).toBe(slug));
});

describe("wiki links", () => {
  it("finds [[Title]] and [[Title|text]], skipping ones with no letter or digit", () => {
    const links = findWikiLinks("See [[Series 4 overview]] and [[SAR of the ether|the ethers]]; not [[ ]] or [[--]].");
    expect(links.map((l) => [l.slug, l.text])).toEqual([
      ["series-4-overview", "Series 4 overview"],
      ["sar-of-the-ether", "the ethers"],
    ]);
    expect(linkedSlugs("[[A b]] [[a-B]] [[c]]")).toEqual(["a-b", "c"]);
  });

  it("links them to the campaign's wiki when rendered in a campaign, leaves code and other texts alone", () => {
    const html = renderMarkdown("Read [[Series 4 overview]] first. `[[not a link]]`", { campaign: "osm" });
    expect(html).toContain('<a href="/campaigns/osm/wiki/series-4-overview" class="wiki-link">Series 4 overview</a>');
    expect(html).toContain("<code>[[not a link]]</code>");
    expect(renderMarkdown("Read [[Series 4 overview]] first.")).toContain("[[Series 4 overview]]");
  });
});

describe("chartLayout", () => {
  const points = [
    { x: 1, value: 0.01, qualifier: "=" as const, code: "A-1" },
    { x: 3, value: 10, qualifier: ">" as const, code: "A-2" },
    { x: 2, value: 1, qualifier: "=" as const, code: "A-3" },
  ];

  it("puts the most potent at the top on a log axis for IC50, with a tick per decade", () => {
    const layout = chartLayout(points, { time: false, logY: true });
    const y = Object.fromEntries(layout.points.map((p) => [p.code, p.cy]));
    expect(y["A-1"]!).toBeLessThan(y["A-3"]!);
    expect(y["A-3"]!).toBeLessThan(y["A-2"]!);
    expect(layout.yTicks.map((t) => t.label)).toEqual(["0.01", "0.1", "1", "10"]);
    expect(layout.points.find((p) => p.code === "A-2")!.bound).toBe(">");
  });

  it("puts the highest on top on a linear axis (pIC50), and spreads points along x", () => {
    const layout = chartLayout(
      points.map((p) => ({ ...p, value: -Math.log10(p.value) + 6 })),
      { time: false, logY: false },
    );
    const byCode = Object.fromEntries(layout.points.map((p) => [p.code, p]));
    expect(byCode["A-1"]!.cy).toBeLessThan(byCode["A-2"]!.cy);
    expect(byCode["A-1"]!.cx).toBeLessThan(byCode["A-3"]!.cx);
    expect(byCode["A-3"]!.cx).toBeLessThan(byCode["A-2"]!.cx);
  });
});
