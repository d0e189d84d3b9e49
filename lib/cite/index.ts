// Citations of entries, wiki pages, molecules and campaigns in the formats reference managers import, and one line of
// text for people. The page's "Cite" box and the download routes both use these.
import { toBibtex } from "./bibtex";
import { toCslJson } from "./csl";
import { splitName, type Citation } from "./model";
import { toRis } from "./ris";

export type { Citation, Person } from "./model";

export const citationFormats = {
  bibtex: { label: "BibTeX", extension: "bib", contentType: "application/x-bibtex; charset=utf-8", write: toBibtex },
  ris: { label: "RIS", extension: "ris", contentType: "application/x-research-info-systems; charset=utf-8", write: toRis },
  "csl-json": {
    label: "CSL-JSON",
    extension: "json",
    contentType: "application/vnd.citationstyles.csl+json; charset=utf-8",
    write: toCslJson,
  },
} as const;
export type CitationFormat = keyof typeof citationFormats;
export const citationFormatNames = Object.keys(citationFormats) as [CitationFormat, ...CitationFormat[]];

/** The file of a citation in a format: its name (the key and the format's extension), type and text. */
export function citationFile(c: Citation, format: CitationFormat): { filename: string; contentType: string; body: string } {
  const f = citationFormats[format];
  return { filename: `${c.key}.${f.extension}`, contentType: f.contentType, body: f.write(c) };
}

/**
 * One line for people, author-date: "Lovelace, A., ben-synth (2024-03-05). Title (revision 3). Series 4, Open Notebook.
 * https://… Data licence: CC BY 4.0."
 */
export function toText(c: Citation): string {
  const authors = c.authors
    .map((p) => {
      const name = splitName(p);
      return "literal" in name ? name.literal : `${name.family}, ${initials(name.given)}`;
    })
    .join(", ");
  const revision = c.revision !== undefined ? ` (revision ${c.revision})` : "";
  return `${authors} (${c.issued}). ${c.title}${revision}. ${c.genre}, ${c.container.title}, ${c.publisher}. ${c.url} (accessed ${c.accessed}). Data licence: ${c.license.short}.`;
}

/** "Ada Maria" → "A. M."; a hyphenated "Jean-Paul" → "J.-P." */
function initials(given: string): string {
  return given
    .split(/\s+/)
    .map((word) =>
      word
        .split("-")
        .map((part) => (part ? `${[...part][0]!.toUpperCase()}.` : ""))
        .join("-"),
    )
    .join(" ");
}
