import { describe, expect, it } from "vitest";
import { findMentions } from "@/lib/molecules/campaign-id";
import { markdownToText, renderMarkdown } from "@/lib/markdown";

const link = (code: string) => `<a href="/molecules/${code}" class="mention" data-mention="${code}">${code}</a>`;

/** The IDs the rendered HTML links, in order. */
function linked(html: string): string[] {
  return [...html.matchAll(/<a href="\/molecules\/([^"]+)" class="mention" data-mention="([^"]+)">([^<]+)<\/a>/g)].map((m) => {
    expect(m[1]).toBe(m[2]);
    expect(m[2]).toBe(m[3]);
    return m[1]!;
  });
}

describe("mention links", () => {
  it("links a campaign ID in running text, keeping the words around it", () => {
    expect(renderMarkdown("Made OSM-S-123 again.")).toBe(`<p>Made ${link("OSM-S-123")} again.</p>`);
  });

  it("links every occurrence, in emphasis, headings, lists and tables", () => {
    const md = "# OSM-S-1 scale-up\n\n**OSM-S-2** beat OSM-S-1.\n\n- OSM-A-7\n\n| ID | IC50 |\n|---|---|\n| OSM-E-4 | 0.3 |";
    expect(linked(renderMarkdown(md))).toEqual(["OSM-S-1", "OSM-S-2", "OSM-S-1", "OSM-A-7", "OSM-E-4"]);
    expect(renderMarkdown("**OSM-S-2**")).toContain(`<strong>${link("OSM-S-2")}</strong>`);
  });

  it("only links whole words, as findMentions counts them", () => {
    const md = "aOSM-S-1 2OSM-S-1 OSM-S-2a OSM-S-3_b OSM-S-4-5 OSM-S-6.5 OSM-S-007 osm-s-8 OSM-S-9. (OSM-S-10), OSM-S-11;";
    expect(linked(renderMarkdown(md))).toEqual(["OSM-S-9", "OSM-S-10", "OSM-S-11"]);
    expect(findMentions(md)).toEqual(["OSM-S-9", "OSM-S-10", "OSM-S-11"]);
  });

  it("tells a longer ID from a shorter one it starts with", () => {
    expect(linked(renderMarkdown("OSM-S-12 and OSM-S-1, then OSM-S-123"))).toEqual(["OSM-S-12", "OSM-S-1", "OSM-S-123"]);
  });

  it("does not link inside code spans or code blocks", () => {
    const html = renderMarkdown("Run `register OSM-S-5` first.\n\n```\nOSM-S-6 0.3 uM\n```\n\nOSM-S-7");
    expect(html).toContain("<code>register OSM-S-5</code>");
    expect(html).toContain("<code>OSM-S-6 0.3 uM\n</code>");
    expect(linked(html)).toEqual(["OSM-S-7"]);
  });

  it("does not link IDs in link targets, URLs, paths or existing links", () => {
    const md = [
      "See [OSM-S-1](/molecules/OSM-S-2) and [the batch](https://example.org/OSM-S-3).",
      "Raw data: https://github.com/OpenSourceMalaria/Series4/blob/master/OSM-S-4.csv",
      "<https://example.org/OSM-S-5> www.example.org/OSM-S-6 /molecules/OSM-S-7 /OSM-S-8 ftp://host/OSM-S-9",
      "![OSM-S-10](/attachments/1/OSM-S-10.png)",
      "[ref]: /molecules/OSM-S-11",
    ].join("\n\n");
    const html = renderMarkdown(md);
    expect(linked(html)).toEqual([]);
    // The link the author wrote stays their link, not a mention inside a link.
    expect(html).toContain('<a href="/molecules/OSM-S-2">OSM-S-1</a>');
    expect(html).toContain('href="https://github.com/OpenSourceMalaria/Series4/blob/master/OSM-S-4.csv"');
  });

  it("links the ID beside a URL but not the one inside it", () => {
    expect(linked(renderMarkdown("OSM-S-1 is at ftp://host/OSM-S-1 and /data/OSM-S-2.csv, not OSM-S-2"))).toEqual(["OSM-S-1", "OSM-S-2"]);
  });

  it("keeps the links through the sanitizer, and nothing else the author could smuggle in", () => {
    const html = renderMarkdown(
      'OSM-S-1 <a class="mention" data-mention="x" href="javascript:alert(1)" onmouseover="alert(1)">OSM-S-2</a>',
    );
    expect(html).toContain(link("OSM-S-1"));
    expect(html).not.toMatch(/javascript:|onmouseover|data-mention="x"/);
    // Raw HTML tags are dropped and the text between them stays text, so it links like any other text.
    expect(linked(html)).toEqual(["OSM-S-1", "OSM-S-2"]);
  });

  it("renders mentions next to an HTML-special character escaped", () => {
    expect(renderMarkdown("<OSM-S-1>&OSM-S-2")).not.toContain("<OSM");
    expect(linked(renderMarkdown("a&lt;OSM-S-3&gt;"))).toEqual(["OSM-S-3"]);
  });

  it("renders empty text and text without IDs unchanged", () => {
    expect(renderMarkdown("")).toBe("");
    expect(markdownToText("")).toBe("");
    expect(renderMarkdown("Aldehyde 12 with morpholine.")).toBe("<p>Aldehyde 12 with morpholine.</p>");
  });

  // A quadratic mention scan would take minutes here, past the test's time limit; speed itself is not asserted.
  it("links every ID of a long one-line list of 20,000", () => {
    const md = Array.from({ length: 20_000 }, (_, i) => `OSM-S-${(i % 900) + 1}`).join(" ");
    expect(linked(renderMarkdown(md))).toHaveLength(20_000);
  }, 60_000);
});
