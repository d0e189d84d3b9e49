// Citations in the formats reference managers import: BibTeX that LaTeX cannot be broken by, RIS in its line format,
// CSL-JSON of the CSL data schema's shape, the text line, and CITATION.cff.
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { citationFile, toText } from "@/lib/cite";
import { bibtexUrl, escapeBibtex, toBibtex } from "@/lib/cite/bibtex";
import { campaignCitation, documentCitation, moleculeCitation, type CiteContext } from "@/lib/cite/build";
import { toCff, yamlString } from "@/lib/cite/cff";
import { toCslItem, toCslJson } from "@/lib/cite/csl";
import { citationKey, splitName } from "@/lib/cite/model";
import { risLine, toRis } from "@/lib/cite/ris";

const ctx: CiteContext = { origin: "https://nb.test", site: "Open Notebook", accessed: "2026-05-04" };
const series4 = { slug: "series-4", name: "Series 4 (triazolopyrazines)", license: "CC-BY-4.0" };
const ada = { login: "ada", name: "Ada Lovelace" };
const ben = { login: "ben-synth", name: null };

const entry = documentCitation(
  {
    id: 12,
    kind: "entry",
    slug: null,
    title: "SNAr with 2-phenylethanol: 66% yield_2 {crude}",
    path: "/entries/12",
    campaign: series4,
    revision: { number: 3, createdAt: new Date("2024-03-06T09:30:00Z") },
    authors: [ada, ben, { login: "ADA", name: "Ada L." }],
  },
  ctx,
);

/** Braces that are not escaped (\{ \}) must balance, or BibTeX reads the rest of the file into one field. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const match of text.replace(/\\[{}]/g, "").matchAll(/[{}]/g)) {
    depth += match[0] === "{" ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe("what an entry's citation says", () => {
  it("cites the revision's stable page, with the latest page beside it, every author once, the campaign and its licence", () => {
    expect(entry).toMatchObject({
      key: "series-4_entry-12_r3",
      url: "https://nb.test/entries/12/revisions/3",
      latestUrl: "https://nb.test/entries/12",
      revision: 3,
      issued: "2024-03-06",
      accessed: "2026-05-04",
      container: { title: "Series 4 (triazolopyrazines)", url: "https://nb.test/campaigns/series-4" },
      publisher: "Open Notebook",
      genre: "Lab notebook entry",
    });
    expect(entry.authors.map((a) => a.login)).toEqual(["ada", "ben-synth"]);
    expect(entry.license).toMatchObject({ id: "CC-BY-4.0", short: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" });
  });

  it("keys a wiki page by its slug, a molecule by its ID, a campaign by the day it was cited", () => {
    const page = documentCitation(
      {
        ...{
          id: 40,
          kind: "page",
          slug: "ether-side-chains",
          title: "Ether side chains",
          path: "/campaigns/series-4/wiki/ether-side-chains",
        },
        campaign: series4,
        revision: { number: 1, createdAt: new Date("2024-04-01T00:00:00Z") },
        authors: [ada],
      },
      ctx,
    );
    expect(page).toMatchObject({
      key: "series-4_wiki-ether-side-chains_r1",
      genre: "Campaign wiki page",
      latestUrl: "https://nb.test/campaigns/series-4/wiki/ether-side-chains",
    });
    const molecule = moleculeCitation(
      {
        code: "OSM-S-106",
        name: "aminothienopyrimidine",
        path: "/molecules/OSM-S-106",
        createdAt: new Date("2023-01-02T03:04:05Z"),
        registeredBy: ada,
        campaign: { ...series4, license: "CC0-1.0" },
      },
      ctx,
    );
    expect(molecule).toMatchObject({
      key: "series-4_OSM-S-106",
      title: "OSM-S-106: aminothienopyrimidine",
      url: "https://nb.test/molecules/OSM-S-106",
      issued: "2023-01-02",
      kind: "molecule",
    });
    expect(molecule.license.short).toBe("CC0 1.0");
    const campaign = campaignCitation({ ...series4, members: [ada, ben], issued: "2024-03-11" }, ctx);
    expect(campaign).toMatchObject({
      key: "series-4_2026-05-04",
      url: "https://nb.test/campaigns/series-4",
      issued: "2024-03-11",
      authors: [ada, ben],
    });
    expect(citationKey("Série 4", "β/γ", 7)).toBe("Serie-4_7");
  });

  it("splits a person's name as citation formats need it, and keeps a login or a single name whole", () => {
    expect(splitName(ada)).toEqual({ given: "Ada", family: "Lovelace" });
    expect(splitName({ login: "x", name: "Lovelace, Ada King" })).toEqual({ family: "Lovelace", given: "Ada King" });
    expect(splitName({ login: "x", name: "Jean-Paul  de la Cruz" })).toEqual({ given: "Jean-Paul de la", family: "Cruz" });
    expect(splitName({ login: "x", name: "Plato" })).toEqual({ literal: "Plato" });
    expect(splitName(ben)).toEqual({ literal: "ben-synth" });
  });
});

describe("BibTeX", () => {
  it("escapes the characters LaTeX gives a meaning, so text is printed as written", () => {
    expect(escapeBibtex("50% yield_2 {crude} #3 & $x$ a^b ~c \\d")).toBe(
      "50\\% yield\\_2 \\{crude\\} \\#3 \\& \\$x\\$ a\\textasciicircum{}b \\textasciitilde{}c \\textbackslash{}d",
    );
    expect(escapeBibtex("two\n\nparagraphs\tand  spaces")).toBe("two paragraphs and spaces");
    expect(bibtexUrl("https://nb.test/a b{c}\\")).toBe("https://nb.test/a%20b%7Bc%7D%5C");
  });

  it("writes one @misc record with the revision's URL, the revision, the licence, and balanced braces", () => {
    const bib = toBibtex(entry);
    expect(bib).toMatch(/^@misc\{series-4_entry-12_r3,\n/);
    expect(bib).toContain("  author       = {Ada Lovelace and {ben-synth}},");
    expect(bib).toContain("  title        = {{SNAr with 2-phenylethanol: 66\\% yield\\_2 \\{crude\\}}},");
    expect(bib).toContain("  year         = {2024},");
    expect(bib).toContain("  month        = mar,");
    expect(bib).toContain("  url          = {https://nb.test/entries/12/revisions/3},");
    expect(bib).toContain("  version      = {3},");
    expect(bib).toContain("  urldate      = {2026-05-04},");
    expect(bib).toMatch(
      /note\s+= \{Revision 3 \(latest: \\url\{https:\/\/nb\.test\/entries\/12\}\)\. Data licence: CC BY 4\.0, \\url\{https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/\}\},/,
    );
    expect(bib.trimEnd().endsWith("}")).toBe(true);
    expect(balanced(bib)).toBe(true);
  });

  it("keeps braces balanced and the record closed whatever a title or a name holds", () => {
    for (const title of ["}", "{", "}}{{", "a } @misc{evil, title={x}", "\\", "%}", "\\}"]) {
      const bib = toBibtex({ ...entry, title, authors: [{ login: "x", name: `${title} and } Other` }] });
      expect(balanced(bib), title).toBe(true);
      expect(bib.match(/^@/gm)).toHaveLength(1);
    }
    // A name BibTeX would split at " and " stays one author.
    expect(toBibtex({ ...entry, authors: [{ login: "r", name: "Research and Development" }] })).toContain(
      "author       = {{Research and Development}},",
    );
  });
});

describe("RIS", () => {
  it("writes tag lines (two letters, two spaces, hyphen, space), CRLF, from TY to ER", () => {
    const ris = toRis({ ...entry, title: "Line one\nline two" });
    const lines = ris.split("\r\n");
    expect(lines.pop()).toBe("");
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- .*$/);
    expect(lines[0]).toBe("TY  - ELEC");
    expect(lines.at(-1)).toBe("ER  - ");
    expect(lines).toEqual(
      expect.arrayContaining([
        "AU  - Lovelace, Ada",
        "AU  - ben-synth",
        "TI  - Line one line two",
        "T2  - Series 4 (triazolopyrazines)",
        "PY  - 2024",
        "DA  - 2024/03/06/",
        "ET  - Revision 3",
        "UR  - https://nb.test/entries/12/revisions/3",
        "L2  - https://nb.test/entries/12",
        "Y2  - 2026/05/04/",
        "N1  - Data licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "ID  - series-4_entry-12_r3",
      ]),
    );
    expect(toRis({ ...entry, kind: "molecule" }).startsWith("TY  - DATA\r\n")).toBe(true);
    expect(() => risLine("title", "x")).toThrow();
  });
});

/** The shape of CSL input data (citation-style-language/schema, csl-data.json), for the variables written here. */
const cslSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["type", "id"],
    additionalProperties: false,
    properties: {
      id: { type: ["string", "number"] },
      type: { enum: ["article", "book", "dataset", "document", "entry", "post", "report", "software", "webpage"] },
      title: { type: "string" },
      author: { type: "array", items: { $ref: "#/definitions/name" } },
      issued: { $ref: "#/definitions/date" },
      accessed: { $ref: "#/definitions/date" },
      URL: { type: "string" },
      "container-title": { type: "string" },
      publisher: { type: "string" },
      genre: { type: "string" },
      version: { type: "string" },
      note: { type: "string" },
      custom: { type: "object" },
    },
  },
  definitions: {
    name: {
      type: "object",
      additionalProperties: false,
      properties: { family: { type: "string" }, given: { type: "string" }, literal: { type: "string" } },
    },
    date: {
      type: "object",
      additionalProperties: false,
      properties: {
        "date-parts": {
          type: "array",
          minItems: 1,
          maxItems: 2,
          items: { type: "array", minItems: 1, maxItems: 3, items: { type: ["string", "number"] } },
        },
      },
    },
  },
};

describe("CSL-JSON", () => {
  it("is an array of one item of the CSL data schema's shape, with the licence in note and custom", () => {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    const validate = ajv.compile(cslSchema);
    for (const c of [
      entry,
      moleculeCitation(
        { code: "OSM-S-1", name: null, path: "/molecules/OSM-S-1", createdAt: new Date(0), registeredBy: ben, campaign: series4 },
        ctx,
      ),
    ]) {
      const data = JSON.parse(toCslJson(c)) as unknown;
      expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
    }
    expect(toCslItem(entry)).toEqual({
      id: "series-4_entry-12_r3",
      type: "webpage",
      title: "SNAr with 2-phenylethanol: 66% yield_2 {crude}",
      author: [{ given: "Ada", family: "Lovelace" }, { literal: "ben-synth" }],
      issued: { "date-parts": [[2024, 3, 6]] },
      accessed: { "date-parts": [[2026, 5, 4]] },
      URL: "https://nb.test/entries/12/revisions/3",
      "container-title": "Series 4 (triazolopyrazines)",
      publisher: "Open Notebook",
      genre: "Lab notebook entry",
      version: "3",
      note: "Data licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
      custom: { license: "CC-BY-4.0", licenseUrl: "https://creativecommons.org/licenses/by/4.0/", latestUrl: "https://nb.test/entries/12" },
    });
  });
});

describe("citation files and text", () => {
  it("names each file by its key and format, with the format's media type", () => {
    expect(citationFile(entry, "bibtex")).toMatchObject({
      filename: "series-4_entry-12_r3.bib",
      contentType: "application/x-bibtex; charset=utf-8",
    });
    expect(citationFile(entry, "ris")).toMatchObject({ filename: "series-4_entry-12_r3.ris" });
    expect(citationFile(entry, "csl-json")).toMatchObject({
      filename: "series-4_entry-12_r3.json",
      contentType: "application/vnd.citationstyles.csl+json; charset=utf-8",
    });
  });

  it("reads as one line for people", () => {
    expect(toText(entry)).toBe(
      "Lovelace, A., ben-synth (2024-03-06). SNAr with 2-phenylethanol: 66% yield_2 {crude} (revision 3). Lab notebook entry, " +
        "Series 4 (triazolopyrazines), Open Notebook. https://nb.test/entries/12/revisions/3 (accessed 2026-05-04). Data licence: CC BY 4.0.",
    );
  });
});

/** The restricted YAML toCff writes: `key: value`, `- key: value` list items, every scalar a JSON string or a bare word. */
function readCff(text: string): { top: Record<string, unknown>; authors: Record<string, string>[] } {
  const top: Record<string, unknown> = {};
  const authors: Record<string, string>[] = [];
  let list: string | null = null;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const item = /^ {2}- ([\w-]+): (.*)$/.exec(line) ?? /^ {4}([\w-]+): (.*)$/.exec(line);
    const scalar = (raw: string) => (raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
    if (item && list === "authors") {
      if (line.startsWith("  - ")) authors.push({});
      authors.at(-1)![item[1]!] = scalar(item[2]!);
      continue;
    }
    const listItem = /^ {2}- (.*)$/.exec(line);
    if (listItem && list) {
      (top[list] as string[]).push(scalar(listItem[1]!));
      continue;
    }
    const pair = /^([\w-]+):(?: (.*))?$/.exec(line);
    if (!pair) throw new Error(`not CFF as written here: ${line}`);
    list = pair[2] === undefined ? pair[1]! : null;
    top[pair[1]!] = pair[2] === undefined ? [] : scalar(pair[2]);
  }
  return { top, authors };
}

describe("CITATION.cff", () => {
  it("writes CFF 1.2.0 for a dataset: title, abstract, members as authors, SPDX licence, URL", () => {
    const cff = toCff({
      title: 'Series 4: "triazolopyrazines" #1',
      description: "Open Source Malaria.\nSeries 4.",
      url: "https://nb.test/campaigns/series-4",
      license: "CC0-1.0",
      members: [ada, ben, { login: "plato", name: "Plato" }],
      keywords: ["open science"],
    });
    const { top, authors } = readCff(cff);
    expect(top).toEqual({
      "cff-version": "1.2.0",
      message: "If you use these data, please cite them using these metadata.",
      type: "dataset",
      title: 'Series 4: "triazolopyrazines" #1',
      abstract: "Open Source Malaria.\nSeries 4.",
      authors: [],
      license: "CC0-1.0",
      url: "https://nb.test/campaigns/series-4",
      keywords: ["open science"],
    });
    expect(authors).toEqual([
      { "given-names": "Ada", "family-names": "Lovelace", alias: "ada" },
      { alias: "ben-synth" },
      { "given-names": "Plato", alias: "plato" },
    ]);
    expect(cff).toContain('title: "Series 4: \\"triazolopyrazines\\" #1"\n');
  });

  it("quotes every value so YAML cannot read it as something else", () => {
    for (const text of ["yes", "null", "- item", "a: b", "#x", "'q'", "1e3", "@x", "multi\nline", "\u2028"]) {
      const quoted = yamlString(text);
      expect(quoted.startsWith('"') && quoted.endsWith('"')).toBe(true);
      expect(quoted).not.toMatch(/[\n\u2028]/);
    }
    // A campaign with no member (impossible in use) still names an author: the campaign itself.
    expect(
      readCff(toCff({ title: "T", description: "", url: "https://nb.test/campaigns/t", license: "CC-BY-4.0", members: [] })).top.authors,
    ).toEqual([]);
    expect(toCff({ title: "T", description: "", url: "https://nb.test/campaigns/t", license: "CC-BY-4.0", members: [] })).toContain(
      'authors:\n  - name: "T"\n',
    );
  });
});
