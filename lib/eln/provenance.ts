import type { ElnComment, ElnDataset, ElnPackage } from "./model";

/**
 * How an imported experiment keeps who wrote it and when. The notebook's own fields follow its rules: the importing
 * member is the entry's author and the created time is the server's. What the archive says is kept visibly:
 *
 * - the entry's date of work is the experiment's date (eLabFTW's `temporal`) or else its `dateCreated`, as written
 *   (its own calendar day);
 * - the body opens with one quoted line naming the source notebook, the original author and the dates as the
 *   archive writes them, its link and keywords; the experiment's text follows unchanged (markdown) or converted
 *   (HTML), then a table of its other properties;
 * - the first revision's change note says the same in one line, so the history shows it too;
 * - each comment opens with its original author and date.
 */

/** Markdown's special characters escaped, so that names and keywords from an archive read as they are written. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/\s+/g, " ")
    .trim();
}

const webUrl = (url: string | null) => (url && /^https?:\/\/[^\s<>]+$/i.test(url) ? url : null);

/** The quoted first line of an imported entry. */
export function provenanceLine(pkg: Pick<ElnPackage, "source">, d: ElnDataset): string {
  const parts = [`Imported from an .eln archive of ${escapeMarkdown(pkg.source)}`];
  if (d.author) parts.push(`originally by **${escapeMarkdown(d.author)}**`);
  if (d.dateCreated) parts.push(`created ${escapeMarkdown(d.dateCreated)}`);
  if (d.dateModified && d.dateModified !== d.dateCreated) parts.push(`last modified ${escapeMarkdown(d.dateModified)}`);
  const url = webUrl(d.url);
  if (url) parts.push(`source <${url}>`);
  if (d.keywords.length) parts.push(`keywords: ${d.keywords.map(escapeMarkdown).join(", ")}`);
  return `> ${parts.join(" · ")}`;
}

/** The revision note of an imported entry (one line, at most 500 characters). */
export function provenanceMessage(pkg: Pick<ElnPackage, "source">, d: ElnDataset): string {
  const by = d.author ? `, originally by ${d.author}` : "";
  const when = d.dateCreated ? `, created ${d.dateCreated}` : "";
  return `Imported from ${pkg.source} (.eln)${by}${when}`.replace(/[\u0000-\u001f]/g, " ").slice(0, 500);
}

/** An imported entry's body: the provenance line, the experiment's text, its properties as a table. */
export function importedBody(pkg: Pick<ElnPackage, "source">, d: ElnDataset): string {
  const sections = [provenanceLine(pkg, d)];
  if (d.body.trim() !== "") sections.push(d.body);
  if (d.properties.length) {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ");
    const rows = d.properties.map((p) => `| ${cell(p.name)} | ${cell(p.unit ? `${p.value} ${p.unit}` : p.value)} |`);
    sections.push(`## Properties\n\n| Property | Value |\n| --- | --- |\n${rows.join("\n")}`);
  }
  return sections.join("\n\n");
}

/** An imported comment's body: who wrote it, when and where, then its text. */
export function importedComment(pkg: Pick<ElnPackage, "source">, c: ElnComment): string {
  const who = c.author ? `**${escapeMarkdown(c.author)}**` : "Someone";
  const when = c.date ? ` on ${escapeMarkdown(c.date)}` : "";
  return `*${who} wrote${when} (in ${escapeMarkdown(pkg.source)}):*\n\n${c.text}`;
}
