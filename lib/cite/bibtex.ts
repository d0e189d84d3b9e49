// BibTeX (read by BibTeX with the url package, and by biblatex/biber, Zotero, JabRef): one @misc record.
import { dateParts, splitName, type Citation, type Person } from "./model";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;

/**
 * Text as LaTeX reads it literally: the ten characters LaTeX gives a meaning are written as commands, so a title such
 * as "50% yield_2 {crude} #3" neither breaks the record (unbalanced braces) nor the document (a stray % or #).
 * Line breaks and runs of spaces become one space (a blank line would end a paragraph inside the field).
 */
export function escapeBibtex(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\{}$&%#_^~]/g, (c) => {
      switch (c) {
        case "\\":
          return "\\textbackslash{}";
        case "^":
          return "\\textasciicircum{}";
        case "~":
          return "\\textasciitilde{}";
        default:
          return `\\${c}`;
      }
    });
}

/**
 * A URL for the url/\url fields, which LaTeX reads verbatim: only braces and backslashes (which would unbalance the
 * field) and spaces are percent-encoded; % and # stay, as the url package expects them.
 */
export function bibtexUrl(url: string): string {
  return url.replace(/[{}\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * One author as BibTeX splits names: "Ada Lovelace" as written; a login, or a name BibTeX would split wrongly (one
 * holding " and " or a comma), in braces so it stays whole.
 */
function author(person: Person): string {
  const name = splitName(person);
  if ("literal" in name) return `{${escapeBibtex(name.literal)}}`;
  const text = `${name.given} ${name.family}`;
  return /\band\b/i.test(text) || text.includes(",") ? `{${escapeBibtex(text)}}` : escapeBibtex(text);
}

export function toBibtex(c: Citation): string {
  const [year, month] = dateParts(c.issued);
  const url = bibtexUrl(c.url);
  const note = [
    c.revision !== undefined ? `Revision ${c.revision}` + (c.latestUrl ? ` (latest: \\url{${bibtexUrl(c.latestUrl)}})` : "") : null,
    `Data licence: ${escapeBibtex(c.license.short)}, \\url{${bibtexUrl(c.license.url)}}`,
  ]
    .filter((part) => part !== null)
    .join(". ");
  const fields: [string, string][] = [
    ["author", c.authors.map(author).join(" and ")],
    // Double braces keep the title's capitals (compound names, IDs such as OSM-S-123) as written.
    ["title", `{${escapeBibtex(c.title)}}`],
    ["year", String(year)],
    ["date", c.issued],
    ["howpublished", `${escapeBibtex(c.genre)}, ${escapeBibtex(c.container.title)}, \\url{${url}}`],
    ["organization", escapeBibtex(c.container.title)],
    ["publisher", escapeBibtex(c.publisher)],
    ...(c.revision !== undefined ? ([["version", String(c.revision)]] as [string, string][]) : []),
    ["url", url],
    ["urldate", c.accessed],
    ["note", note],
  ];
  const width = Math.max(...fields.map(([name]) => name.length), "month".length);
  const lines = fields.map(([name, value]) => `  ${name.padEnd(width)} = {${value}},`);
  // The month as BibTeX's macro (unbraced), so styles print it in their language.
  lines.splice(3, 0, `  ${"month".padEnd(width)} = ${MONTHS[month - 1]},`);
  return `@misc{${c.key},\n${lines.join("\n")}\n}\n`;
}
