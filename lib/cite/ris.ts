// RIS (Research Information Systems), as EndNote, Zotero and Mendeley import it: one record of "TG  - value" lines,
// CRLF-terminated, from TY to ER.
import { dateParts, splitName, type Citation, type CitedKind } from "./model";

/** ELEC is a web page (an entry, a wiki page); DATA a dataset (a molecule record, a campaign's data). */
const TYPES: Record<CitedKind, string> = { entry: "ELEC", page: "ELEC", molecule: "DATA", campaign: "DATA" };

/** One line: a two-character tag, two spaces, a hyphen, a space, and the value on that one line. */
export function risLine(tag: string, value: string): string {
  if (!/^[A-Z][A-Z0-9]$/.test(tag)) throw new Error(`not a RIS tag: ${tag}`);
  return `${tag}  - ${value.replace(/\s+/g, " ").trim()}\r\n`;
}

/** A RIS date: YYYY/MM/DD/ (the trailing slash ends the date, before optional other info). */
function risDate(day: string): string {
  const [y, m, d] = dateParts(day);
  return `${y}/${String(m).padStart(2, "0")}/${String(d).padStart(2, "0")}/`;
}

export function toRis(c: Citation): string {
  const authors = c.authors.map((p) => {
    const name = splitName(p);
    return "literal" in name ? name.literal : `${name.family}, ${name.given}`;
  });
  return [
    risLine("TY", TYPES[c.kind]),
    ...authors.map((a) => risLine("AU", a)),
    risLine("TI", c.title),
    risLine("T2", c.container.title),
    risLine("PY", String(dateParts(c.issued)[0])),
    risLine("DA", risDate(c.issued)),
    ...(c.revision !== undefined ? [risLine("ET", `Revision ${c.revision}`)] : []),
    risLine("M3", c.genre),
    risLine("PB", c.publisher),
    risLine("UR", c.url),
    ...(c.latestUrl ? [risLine("L2", c.latestUrl)] : []),
    risLine("Y2", risDate(c.accessed)),
    risLine("N1", `Data licence: ${c.license.short} (${c.license.url})`),
    risLine("ID", c.key),
    "ER  - \r\n",
  ].join("");
}
