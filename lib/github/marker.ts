/**
 * What the notebook adds to an issue body it writes: a hidden marker naming the to-do (so that a create whose
 * answer was lost can be found before it is retried, and never made twice) and, optionally, a block of links for
 * the molecules the to-do mentions. Both are HTML comments or delimited by them, so GitHub renders the marker as
 * nothing and the notebook strips both when it reads a body back.
 */
export const GITHUB_BODY_LIMIT = 65_536;

const MARKER = /\s*<!-- notebook:todo:([0-9a-f-]{36}) -->\s*$/;
const MOLECULES = /\s*<!-- notebook:molecules -->[\s\S]*?<!-- \/notebook:molecules -->/;

export function markerComment(marker: string): string {
  return `<!-- notebook:todo:${marker} -->`;
}

/** The longest body a person may write: GitHub's limit less the separator and marker the notebook appends. */
export const TODO_BODY_LIMIT = GITHUB_BODY_LIMIT - `\n\n${markerComment("00000000-0000-0000-0000-000000000000")}`.length;

export interface MoleculeLink {
  code: string;
  name: string | null;
  pageUrl: string;
  imageUrl: string;
  pubchemUrl: string | null;
  chemblUrl: string | null;
}

/** A markdown block with each molecule's structure image and its notebook, PubChem and ChEMBL links. */
export function moleculeBlock(molecules: MoleculeLink[]): string {
  if (!molecules.length) return "";
  const rows = molecules.map((m) => {
    const links = [`[notebook](${m.pageUrl})`];
    if (m.pubchemUrl) links.push(`[PubChem](${m.pubchemUrl})`);
    if (m.chemblUrl) links.push(`[ChEMBL](${m.chemblUrl})`);
    const label = m.name ? `${m.code} (${m.name.replace(/[|\n]/g, " ")})` : m.code;
    return `| <img src="${m.imageUrl}" alt="${m.code}" width="160"> | **${label}** · ${links.join(" · ")} |`;
  });
  return ["<!-- notebook:molecules -->", "", "| Structure | Molecule |", "| --- | --- |", ...rows, "<!-- /notebook:molecules -->"].join("\n");
}

export class BodyTooLongError extends Error {
  constructor(readonly length: number) {
    super(
      `The body is ${length.toLocaleString("en")} characters with the notebook's marker; GitHub accepts at most ` +
        `${GITHUB_BODY_LIMIT.toLocaleString("en")}. Shorten it by ${(length - GITHUB_BODY_LIMIT).toLocaleString("en")} characters.`,
    );
  }
}

/**
 * The body sent to GitHub. The molecule block is left out when it would push the body over GitHub's limit (it is a
 * convenience); a body that is too long by itself is refused with a clear message rather than cut.
 */
export function composeIssueBody(body: string, marker: string, molecules: MoleculeLink[] = []): string {
  const tail = `\n\n${markerComment(marker)}`;
  const block = moleculeBlock(molecules);
  const withBlock = block ? `${body}\n\n${block}${tail}` : `${body}${tail}`;
  if (withBlock.length <= GITHUB_BODY_LIMIT) return withBlock;
  const plain = `${body}${tail}`;
  if (plain.length <= GITHUB_BODY_LIMIT) return plain;
  throw new BodyTooLongError(plain.length);
}

/** Splits an issue body as GitHub holds it into the to-do's own text and the marker it carries, if any. */
export function parseIssueBody(raw: string | null | undefined): { body: string; marker: string | null } {
  let text = (raw ?? "").replace(/\r\n/g, "\n");
  const found = MARKER.exec(text);
  const marker = found?.[1] ?? null;
  if (found) text = text.slice(0, found.index);
  text = text.replace(MOLECULES, "");
  return { body: normalizeBody(text), marker };
}

export function hasMarker(raw: string | null | undefined, marker: string): boolean {
  return (raw ?? "").includes(markerComment(marker));
}

/** The form a body is stored in on both sides of the comparison (GitHub keeps CRLF from browsers; trailing space is noise). */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n/g, "\n").replace(/\s+$/, "");
}
