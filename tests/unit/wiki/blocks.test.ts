// The block language of wiki pages and the page's cutting into markdown and live blocks.
import { describe, expect, it } from "vitest";
import { BLOCKS_PER_PAGE, pageSegments, parseBlock } from "@/lib/wiki/blocks";

describe("parseBlock", () => {
  it("reads the issue's molecules example with the search API's names, and defaults the rest", () => {
    const parsed = parseBlock("molecules", "query: c1nnc2cncc(n12)\nmode: substructure\nassay: Pfal IC50\nsort: potency\nlimit: 24\n");
    expect(parsed).toEqual({
      ok: true,
      spec: {
        kind: "molecules",
        query: "c1nnc2cncc(n12)",
        mode: "substructure",
        threshold: 0.5,
        status: "active",
        assay: "Pfal IC50",
        sort: "potency",
        limit: 24,
        view: "grid",
      },
    });
  });

  it("keeps colons inside a value (SMARTS), skips blank lines and comments, reads property spellings", () => {
    const parsed = parseBlock("molecules", "# ureas\nquery: [#7]C(=O)[#7;H1]\n\nsort: -mw\nview: table");
    expect(parsed.ok && parsed.spec).toMatchObject({ query: "[#7]C(=O)[#7;H1]", sort: "-averageMass", view: "table" });
    const sar = parseBlock("sar", "core: [*:2]c1nnc2cncc([*:1])n12\nassay: Pfal IC50");
    expect(sar.ok && sar.spec).toMatchObject({
      kind: "sar",
      core: "[*:2]c1nnc2cncc([*:1])n12",
      assay: "Pfal IC50",
      status: "active",
      view: "both",
    });
  });

  it.each([
    ["molecules", "limit: 500", "limit: must be a whole number from 1 to 100"],
    ["molecules", "sort: potency", "sort: potency needs an assay"],
    ["molecules", "potency: 1", "potency: needs an assay"],
    [
      "molecules",
      "colour: red",
      "colour: not a key of a molecules block (keys: query, mode, threshold, series, status, assay, potency, campaign, sort, limit, view)",
    ],
    ["molecules", "limit: 3\nlimit: 4", "Line 2: limit is given twice."],
    ["molecules", "just some words", "Line 1: write “key: value” (for example “limit: 24”)."],
    ["sar", "assay: Pfal IC50", "core: is required"],
    ["chart", "x: colour", "assay: is required; x: must be date or a property"],
    ["entries", "molecule: aspirin", "molecule: must be a campaign ID like OSM-S-106"],
    ["todos", "state: maybe", "state: must be open, closed or all"],
  ] as const)("a %s block `%s` is refused, naming what is wrong", (kind, body, message) => {
    const parsed = parseBlock(kind, body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.startsWith(message), parsed.error).toBe(true);
  });

  it("caps a block's size before reading it", () => {
    expect(parseBlock("molecules", "x".repeat(3000))).toEqual({ ok: false, error: "A molecules block is at most 2,000 characters." });
    expect(parseBlock("molecules", "limit: 1\n".repeat(30))).toEqual({ ok: false, error: "A molecules block is at most 20 lines." });
  });
});

describe("pageSegments", () => {
  it("cuts a page into markdown, live blocks and molecule cards, in order", () => {
    const page = [
      "# Series 4",
      "",
      "The best so far:",
      "",
      "OSM-S-106",
      "",
      "```molecules",
      "limit: 3",
      "```",
      "",
      "Mentioned in a sentence, OSM-S-106 stays a mention.",
      "",
      "```python",
      "print('code stays code')",
      "```",
      "",
      "- ```sar",
      "  core: [*:1]c1ccccc1",
      "  ```",
    ].join("\n");
    const segments = pageSegments(page);
    expect(segments.map((s) => s.type)).toEqual(["markdown", "molecule", "block", "markdown"]);
    expect(segments[1]).toEqual({ type: "molecule", code: "OSM-S-106", index: 0 });
    expect(segments[2]).toMatchObject({ type: "block", kind: "molecules", index: 1, source: "```molecules\nlimit: 3\n```" });
    // A fenced block inside a list is not a live block: it stays in the markdown, as written.
    expect((segments[3] as { text: string }).text).toContain("- ```sar");
  });

  it("gives blocks past the page's cap an error instead of a query", () => {
    const page = Array.from({ length: BLOCKS_PER_PAGE + 2 }, () => "```entries\nlimit: 1\n```").join("\n\n");
    const blocks = pageSegments(page).filter((s) => s.type === "block");
    expect(blocks).toHaveLength(BLOCKS_PER_PAGE + 2);
    expect(blocks.slice(0, BLOCKS_PER_PAGE).every((b) => b.type === "block" && b.parsed.ok)).toBe(true);
    expect(blocks.at(-1)).toMatchObject({
      parsed: { ok: false, error: `A page shows at most ${BLOCKS_PER_PAGE} live blocks; this one is past that.` },
    });
  });
});
