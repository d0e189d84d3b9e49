import { describe, expect, it } from "vitest";
import { markdownToText, renderMarkdown } from "@/lib/markdown";

describe("renderMarkdown", () => {
  it("renders GitHub-flavoured markdown: tables, strikethrough, task lists, code", () => {
    const html = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ **new**\n\n- [x] dried\n\n```js\nx()\n```");
    expect(html).toContain("<table>");
    expect(html).toContain("<del>old</del>");
    expect(html).toContain("<strong>new</strong>");
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
    expect(html).toContain('<code class="language-js">');
  });

  it.each([
    ["script tag", "<script>alert(1)</script>", /<script/i],
    ["event handler", '<img src="x" onerror="alert(1)">', /onerror/i],
    ["javascript: link", "[click](javascript:alert(1))", /javascript:/i],
    ["javascript: in html link", '<a href="javascript:alert(1)">x</a>', /javascript:/i],
    ["svg with script", '<svg onload="alert(1)"><script>alert(1)</script></svg>', /<svg|onload|<script/i],
    ["iframe", '<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ["style injection", '<div style="background:url(javascript:alert(1))">x</div>', /style=|javascript:/i],
    ["data: html link", "[x](data:text/html,<script>alert(1)</script>)", /data:text\/html/i],
  ])("removes %s", (_name, input, forbidden) => {
    expect(renderMarkdown(input)).not.toMatch(forbidden);
  });

  it("keeps ordinary links and images", () => {
    const html = renderMarkdown("[PubChem](https://pubchem.ncbi.nlm.nih.gov) ![spectrum](/attachments/3/nmr.png)");
    expect(html).toContain('href="https://pubchem.ncbi.nlm.nih.gov"');
    expect(html).toContain('src="/attachments/3/nmr.png"');
  });
});

describe("markdownToText", () => {
  it("keeps hyphens and words of compound names, drops markup, separates blocks", () => {
    const text = markdownToText("## Aim\nMake analogues of **OSM-S-106** with 2-(pyridin-2-yl)ethanol.\n\n| A | B |\n|---|---|\n| 1 | 2 |");
    expect(text).toBe("Aim Make analogues of OSM-S-106 with 2-(pyridin-2-yl)ethanol. A B 1 2");
  });

  it("shortens long text with an ellipsis", () => {
    expect(markdownToText("word ".repeat(100), 20)).toMatch(/^.{1,20}$/);
    expect(markdownToText("word ".repeat(100), 20).endsWith("…")).toBe(true);
  });
});
