import type { StoredReaction } from "../stoichiometry/reaction";
import { METADATA_FILE, type CrateNode } from "./crate";
import { measurementNodes, moleculeNode, reactionNodes, type ExportMolecule } from "./chemistry";
import { writeZip } from "./zip";

/**
 * A campaign (or some of its entries) as an .eln archive: one root folder named like the archive, holding
 * `ro-crate-metadata.json` (RO-Crate 1.1, the consortium's conventions) and one folder per entry with its
 * attachments. Each entry is a Dataset (name, author as a Person, dateCreated/dateModified, the date of work as
 * `temporal`, its markdown as `text`, comments as Comment nodes, attachments as Files with sha256, encodingFormat and
 * contentSize); molecules are schema.org MolecularEntity nodes with their measurements as PropertyValues
 * (lib/eln/chemistry.ts); the root carries the campaign's licence. Plain data in, bytes out: db/queries/eln.ts
 * gathers the data.
 */

export const PUBLISHER_NAME = "Open Notebook";
export const ELN_CONTENT_TYPE = "application/vnd.eln+zip";

export interface ExportPerson {
  login: string;
  name: string | null;
}

export interface ExportEntry {
  id: number;
  title: string;
  body: string;
  workDate: string;
  createdAt: Date;
  updatedAt: Date;
  author: ExportPerson;
  comments: { id: number; author: ExportPerson; body: string; createdAt: Date }[];
  attachments: { id: number; filename: string; contentType: string; size: number; sha256: string; createdAt: Date; data: Uint8Array }[];
  reactions: StoredReaction[];
  /** Campaign IDs the entry mentions. */
  mentions: string[];
}

export interface ExportInput {
  /** Absolute origin of the notebook ("https://notebook.example.org"), for links back. */
  origin: string;
  version: string;
  campaign: { slug: string; name: string; description: string | null; license: { id: string; name: string; url: string } };
  /** The root folder's (and the archive's) name. */
  name: string;
  /** What the archive holds, in a sentence. */
  description: string;
  entries: ExportEntry[];
  molecules: ExportMolecule[];
  exportedAt: Date;
}

/** The root folder and file name of an archive of a campaign (or of one entry), dated. */
export function archiveName(slug: string, exportedAt: Date, entryId?: number): string {
  const day = exportedAt.toISOString().slice(0, 10);
  return entryId === undefined ? `${safeSegment(slug)}-${day}` : `${safeSegment(slug)}-entry-${entryId}-${day}`;
}

const personId = (p: ExportPerson) => `#person-${encodeURIComponent(p.login)}`;
const folderOf = (e: ExportEntry) => `./${e.workDate}-${safeSegment(e.title).slice(0, 48) || "entry"}-${e.id}/`;

/** A path segment that every zip tool and file system takes: lowercase letters, digits and hyphens. */
function safeSegment(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The crate's `@graph` and the files beside it. */
export function buildCrate(input: ExportInput): {
  metadata: { "@context": string; "@graph": CrateNode[] };
  files: { path: string; data: Uint8Array }[];
} {
  const graph: CrateNode[] = [];
  const files: { path: string; data: Uint8Array }[] = [];
  const people = new Map<string, ExportPerson>();
  const iso = (d: Date) => d.toISOString();
  const license = { "@id": input.campaign.license.url };
  const byEntry = new Map<number, string[]>();
  for (const m of input.molecules)
    for (const x of m.measurements)
      if (x.entryId !== null) byEntry.set(x.entryId, [...(byEntry.get(x.entryId) ?? []), `#measurement-${x.id}`]);
  const exported = new Set(input.molecules.map((m) => m.code));

  graph.push(
    {
      "@id": METADATA_FILE,
      "@type": "CreativeWork",
      about: { "@id": "./" },
      conformsTo: { "@id": "https://w3id.org/ro/crate/1.1" },
      dateCreated: iso(input.exportedAt),
      sdPublisher: { "@id": "#publisher" },
      version: "1.0",
    },
    {
      "@id": "./",
      "@type": "Dataset",
      name: input.name,
      description: input.description,
      datePublished: iso(input.exportedAt),
      license,
      url: `${input.origin}/campaigns/${input.campaign.slug}`,
      hasPart: input.entries.map((e) => ({ "@id": folderOf(e) })),
      mentions: input.molecules.map((m) => ({ "@id": `#molecule-${m.code}` })),
    },
    {
      "@id": input.campaign.license.url,
      "@type": "CreativeWork",
      name: input.campaign.license.name,
      identifier: input.campaign.license.id,
    },
    { "@id": "#publisher", "@type": "Organization", name: PUBLISHER_NAME, url: input.origin },
    { "@id": "#software", "@type": "SoftwareApplication", name: PUBLISHER_NAME, version: input.version, url: input.origin },
    {
      "@id": "#ro-crate_created",
      "@type": "CreateAction",
      object: { "@id": "./" },
      name: "RO-Crate created",
      endTime: iso(input.exportedAt),
      instrument: { "@id": "#software" },
      actionStatus: { "@id": "http://schema.org/CompletedActionStatus" },
    },
  );

  for (const entry of input.entries) {
    const folder = folderOf(entry);
    people.set(entry.author.login, entry.author);
    const parts: { "@id": string }[] = [];
    const taken = new Set<string>();
    for (const a of entry.attachments) {
      // Two attachments may share a name; their paths may not. The File keeps the name.
      let path = a.filename;
      for (let n = 2; taken.has(path.toLowerCase()); n++) path = `${n}-${a.filename}`;
      taken.add(path.toLowerCase());
      const id = `${folder}${path}`;
      parts.push({ "@id": id });
      files.push({ path: id.slice(2), data: a.data });
      graph.push({
        "@id": id,
        "@type": "File",
        name: a.filename,
        encodingFormat: a.contentType,
        contentSize: String(a.size),
        sha256: a.sha256,
        dateCreated: iso(a.createdAt),
        url: `${input.origin}/attachments/${a.id}/${encodeURIComponent(a.filename)}`,
      });
    }
    const fileIds = new Map(entry.attachments.map((a, i) => [a.id, parts[i]!["@id"]]));
    const reactions = reactionNodes(`#entry-${entry.id}`, entry.reactions, fileIds, exported);
    const comments = entry.comments.map((c) => {
      people.set(c.author.login, c.author);
      return {
        "@id": `#comment-${c.id}`,
        "@type": "Comment",
        text: c.body,
        dateCreated: iso(c.createdAt),
        author: { "@id": personId(c.author) },
      };
    });
    const mentioned = entry.mentions.filter((code) => exported.has(code));
    graph.push({
      "@id": folder,
      "@type": "Dataset",
      name: entry.title,
      author: { "@id": personId(entry.author) },
      dateCreated: iso(entry.createdAt),
      dateModified: iso(entry.updatedAt),
      temporal: entry.workDate,
      text: entry.body,
      encodingFormat: "text/markdown",
      genre: "experiment",
      identifier: String(entry.id),
      url: `${input.origin}/entries/${entry.id}`,
      license,
      ...(entry.mentions.length ? { keywords: entry.mentions.join(",") } : {}),
      ...(mentioned.length ? { mentions: mentioned.map((code) => ({ "@id": `#molecule-${code}` })) } : {}),
      ...(comments.length ? { comment: comments.map((c) => ({ "@id": c["@id"] })) } : {}),
      ...(reactions.length || byEntry.has(entry.id)
        ? {
            variableMeasured: [
              ...reactions.map((n) => ({ "@id": n["@id"] })),
              ...(byEntry.get(entry.id) ?? []).map((id) => ({ "@id": id })),
            ],
          }
        : {}),
      hasPart: parts,
    });
    graph.push(...comments, ...reactions);
  }

  for (const m of input.molecules) {
    graph.push(moleculeNode(m, input.origin), ...measurementNodes(m));
  }
  for (const p of people.values()) {
    graph.push({
      "@id": personId(p),
      "@type": "Person",
      name: p.name ?? p.login,
      alternateName: p.login,
      url: `https://github.com/${encodeURIComponent(p.login)}`,
    });
  }
  return { metadata: { "@context": "https://w3id.org/ro/crate/1.1/context", "@graph": graph }, files };
}

/** The archive's bytes: the root folder with ro-crate-metadata.json, a readable preview and each entry's files. */
export function buildElnArchive(input: ExportInput): Uint8Array {
  const { metadata, files } = buildCrate(input);
  const encode = (s: string) => new TextEncoder().encode(s);
  return writeZip(
    [
      { path: `${input.name}/${METADATA_FILE}`, data: encode(JSON.stringify(metadata, null, 1)) },
      { path: `${input.name}/ro-crate-preview.html`, data: encode(previewHtml(input)) },
      ...files.map((f) => ({ path: `${input.name}/${f.path}`, data: f.data })),
    ],
    input.exportedAt,
  );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What someone who unzips the archive sees first: what it is, its licence, and its entries and molecules. */
function previewHtml(input: ExportInput): string {
  const items = input.entries
    .map(
      (e) =>
        `<li>${escapeHtml(e.workDate)} — <a href="${escapeHtml(folderOf(e))}">${escapeHtml(e.title)}</a> (${escapeHtml(e.author.name ?? e.author.login)})</li>`,
    )
    .join("\n");
  const molecules = input.molecules.map((m) => `<li>${escapeHtml(m.code)}${m.name ? ` — ${escapeHtml(m.name)}` : ""}</li>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.name)}</title></head>
<body>
<h1>${escapeHtml(input.campaign.name)}</h1>
<p>${escapeHtml(input.description)} Exported from <a href="${escapeHtml(input.origin)}/campaigns/${escapeHtml(input.campaign.slug)}">${escapeHtml(PUBLISHER_NAME)}</a> on ${escapeHtml(input.exportedAt.toISOString())}.
Licence: <a href="${escapeHtml(input.campaign.license.url)}">${escapeHtml(input.campaign.license.name)}</a>.</p>
<h2>Entries</h2>
<ul>
${items}
</ul>
${molecules ? `<h2>Molecules</h2>\n<ul>\n${molecules}\n</ul>` : ""}
</body></html>
`;
}
