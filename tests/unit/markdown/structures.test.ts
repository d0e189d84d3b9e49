import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown";
import { MAX_STRUCTURES_PER_BLOCK, rehypeStructureGuard, smilesBlock, smilesImagePath } from "@/lib/markdown/structures";

const mention = (code: string) => `<a href="/molecules/${code}" class="mention" data-mention="${code}">${code}</a>`;

const moleculeFigure = (code: string) =>
  `<figure class="structure-figure"><a href="/molecules/${code}"><img src="/molecules/${code}.svg" alt="Structure of ${code}" width="300" height="200" loading="lazy"></a>` +
  `<figcaption>${mention(code)}</figcaption></figure>`;

/** Every src and href in the HTML. */
function addresses(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
}

/** The tags of the HTML with their attribute names, attribute values left out (rehype-stringify quotes every value with "). */
function tags(html: string): string[] {
  return [...html.replace(/="[^"]*"/g, "").matchAll(/<(\/?[a-z][\w-]*)([^>]*)>/gi)].map(
    (m) => `${m[1]!.toLowerCase()}${m[2]!.replace(/\s+/g, " ").trimEnd()}`,
  );
}

/** The SMILES an image address asks for, decoded as the route's URLSearchParams decodes it. */
function smilesOf(src: string): string | null {
  return new URL(src.replaceAll("&#x26;", "&"), "http://notebook.test").searchParams.get("s");
}

describe("a molecule ID alone in a paragraph", () => {
  it("is drawn as a figure: the molecule's drawing linking to its page, the ID as caption", () => {
    expect(renderMarkdown("OSM-S-175")).toBe(moleculeFigure("OSM-S-175"));
    const html = renderMarkdown("Made it again:\n\nOSM-S-175\n\nYield 81 %.");
    expect(html).toBe(`<p>Made it again:</p>\n${moleculeFigure("OSM-S-175")}\n<p>Yield 81 %.</p>`);
  });

  it("is drawn when the author linked it to its own page, not when the link goes elsewhere", () => {
    expect(renderMarkdown("[OSM-S-3](/molecules/OSM-S-3)")).toBe(moleculeFigure("OSM-S-3"));
    expect(renderMarkdown("[OSM-S-3](/molecules/OSM-S-4)")).toBe('<p><a href="/molecules/OSM-S-4">OSM-S-3</a></p>');
  });

  it("stays a mention link in a sentence, with punctuation, emphasis, another ID, a list item or a quote", () => {
    expect(renderMarkdown("Made OSM-S-1 again.")).toBe(`<p>Made ${mention("OSM-S-1")} again.</p>`);
    expect(renderMarkdown("OSM-S-1.")).toBe(`<p>${mention("OSM-S-1")}.</p>`);
    expect(renderMarkdown("**OSM-S-1**")).toBe(`<p><strong>${mention("OSM-S-1")}</strong></p>`);
    expect(renderMarkdown("OSM-S-1 OSM-S-2")).toBe(`<p>${mention("OSM-S-1")} ${mention("OSM-S-2")}</p>`);
    expect(renderMarkdown("- OSM-S-1")).toBe(`<ul>\n<li>${mention("OSM-S-1")}</li>\n</ul>`);
    expect(renderMarkdown("> OSM-S-1")).toBe(`<blockquote>\n<p>${mention("OSM-S-1")}</p>\n</blockquote>`);
    for (const md of ["Made OSM-S-1 again.", "- OSM-S-1", "> OSM-S-1", "`OSM-S-1`", "osm-s-1", "OSM-S-01"]) {
      expect(renderMarkdown(md)).not.toContain("<figure");
    }
  });
});

describe("a smiles code block", () => {
  it("is drawn by the server from the SMILES, with the SMILES as caption text that can be selected and copied", () => {
    expect(renderMarkdown("```smiles\nCCO\n```")).toBe(
      '<figure class="structure-figure"><img src="/depictions/smiles.svg?s=CCO" alt="Structure of CCO" width="300" height="200" loading="lazy">' +
        "<figcaption><code>CCO</code></figcaption></figure>",
    );
  });

  it("puts the SMILES into the address percent-encoded, so the route reads back exactly what was written", () => {
    const smiles = ["C[C@H](N)C(=O)O", "[NH4+].[Cl-]", "F/C=C\\F", "C#N", "c1ccccc1%10CC%10", "[2H]C([2H])([2H])O"];
    const html = renderMarkdown(`\`\`\`smiles\n${smiles.join("\n")}\n\`\`\``);
    const sources = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.map(smilesOf)).toEqual(smiles);
    expect([...html.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1]!.replaceAll("&#x26;", "&"))).toEqual(smiles);
    expect(sources[1]).toBe(smilesImagePath("[NH4+].[Cl-]").replaceAll("&", "&#x26;"));
    expect(sources[1]).toContain("%2B"); // a raw "+" in a query would read back as a space
  });

  it("shows the text after a SMILES on its line as its name", () => {
    const html = renderMarkdown("```smiles\nCC(=O)Oc1ccccc1C(=O)O aspirin (batch 2)\n```");
    expect(html).toContain('alt="Structure of aspirin (batch 2)"');
    expect(html).toContain("<figcaption>aspirin (batch 2) <code>CC(=O)Oc1ccccc1C(=O)O</code></figcaption>");
    expect(smilesOf(/src="([^"]+)"/.exec(html)![1]!)).toBe("CC(=O)Oc1ccccc1C(=O)O");
  });

  it("is drawn inside lists and quotes too, and `SMILES` in capitals counts", () => {
    expect(renderMarkdown("- reagent:\n\n  ```smiles\n  O=C=O\n  ```")).toContain(
      '<li>\n<p>reagent:</p>\n<figure class="structure-figure">',
    );
    expect(renderMarkdown("```SMILES\nO\n```")).toContain('src="/depictions/smiles.svg?s=O"');
  });

  it("stays a code block when a line cannot be a SMILES: spaces inside, quotes, a reaction arrow, too long, too many lines", () => {
    const tooLong = "C".repeat(2001);
    const tooMany = Array.from({ length: MAX_STRUCTURES_PER_BLOCK + 1 }, () => "C").join("\n");
    for (const body of ["", '"CCO"', "CC>>CO", "CCO\n<b>x</b>", tooLong, tooMany, "CCO\nCéO"]) {
      const html = renderMarkdown(`\`\`\`smiles\n${body}\n\`\`\``);
      expect(html, body).toMatch(/^<pre><code class="language-smiles">/);
      expect(html, body).not.toContain("<figure");
    }
  });

  it.each([
    ["a script", '"><script>alert(1)</script>'],
    ["an event handler", "<img src=x onerror=alert(1)>"],
    ["markup in the name", 'CCO "><svg onload=alert(1)><script>alert(2)</script>'],
    ["a javascript: address", "javascript:alert(1)"],
    ["an off-site address", "https://evil.example/x.svg"],
    ["a protocol-relative address", "//evil.example/x.svg"],
    ["a path of ours", "/api/v1/entries"],
    ["a query of its own", "CCO&s=https://evil.example/"],
  ])("cannot inject markup or an address of its own: %s", (_name, line) => {
    const html = renderMarkdown(`\`\`\`smiles\n${line}\n\`\`\``);
    // Only the figure's own elements and attributes, or the block as code: nothing the line spelled out.
    const allowed = new Set(["figure class", "img src alt width height loading", "figcaption", "code", "pre", "code class"]);
    expect(tags(html).filter((t) => !t.startsWith("/") && !allowed.has(t))).toEqual([]);
    for (const address of addresses(html)) expect(address).toMatch(/^\/depictions\/smiles\.svg\?s=[\w.!~*'()%-]+$/);
    // Whatever the line was, the one image the block may make asks our route for that very text as the SMILES.
    const src = /<img src="([^"]+)"/.exec(html)?.[1];
    if (src !== undefined) expect(smilesOf(src)).toBe(line.split(/\s+/)[0]);
  });
});

describe("a structure drawn in the editor", () => {
  it("is inserted as a smiles block that renders as its figure, also when the cursor is in the middle of a line", () => {
    expect(smilesBlock("CC(=O)O")).toBe("\n```smiles\nCC(=O)O\n```\n");
    const body = `Quenched with ${smilesBlock("CC(=O)O")}then filtered.`;
    expect(renderMarkdown(body)).toBe(
      "<p>Quenched with</p>\n" +
        '<figure class="structure-figure"><img src="/depictions/smiles.svg?s=CC(%3DO)O" alt="Structure of CC(=O)O" width="300" height="200" loading="lazy">' +
        "<figcaption><code>CC(=O)O</code></figcaption></figure>\n<p>then filtered.</p>",
    );
  });
});

describe("the figure guard after the sanitizer", () => {
  const img = (src: string) => ({ type: "element", tagName: "img", properties: { src }, children: [] });
  const figure = (src: string) => ({
    type: "element",
    tagName: "figure",
    properties: {},
    children: [{ type: "element", tagName: "a", properties: {}, children: [img(src)] }],
  });

  it("keeps figures showing our drawings and drops any other", () => {
    const ours = ["/molecules/OSM-S-1.svg", "/depictions/smiles.svg?s=C%5BC%40H%5D(N)C(%3DO)O"];
    const foreign = [
      "https://evil.example/x.svg",
      "//evil.example/x.svg",
      "/molecules/OSM-S-1.svg?x=1",
      "/depictions/smiles.svg?s=C&x=1",
      "/attachments/1/x.png",
      "javascript:alert(1)",
    ];
    const tree = { type: "root", children: [...ours, ...foreign].map(figure) };
    rehypeStructureGuard()(tree);
    expect(tree.children.map((f) => f.children[0]!.children[0]!.properties.src)).toEqual(ours);
  });

  it("leaves images outside figures to the sanitizer's rules", () => {
    expect(renderMarkdown("![plot](https://example.org/plot.png)")).toBe('<p><img src="https://example.org/plot.png" alt="plot"></p>');
  });
});
