// Over 400 lines on purpose: one walk over a crate, whose pieces (which Dataset owns which File, what each property
// becomes, what is left to report) share the crate's bookkeeping of what was used.
import { createHash } from "node:crypto";
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_ENTRY } from "../entries/attachments";
import { memberPathsOf } from "./checks";
import { readMolecules, readReactions } from "./chemistry";
import { type Crate, hasType, isAbsoluteUri, list, oneLine, text, types, type CrateNode } from "./crate";
import { PUBLISHER_NAME } from "./export";
import { looksLikeHtml, markdownFromHtml } from "./html";
import {
  ELN_LIMITS,
  ElnError,
  type ElnComment,
  type ElnDataset,
  type ElnFile,
  type ElnMolecule,
  type ElnPackage,
  type ElnSkip,
} from "./model";
import { ai4greenReaction, rspaceDocument } from "./vendors";
import type { ZipMember } from "./zip";

/**
 * A crate read into what the notebook stores (ElnPackage): each Dataset the root lists is an experiment (the
 * consortium's rule: one meant to be imported is listed in the root's `hasPart`); the Files it lists, and those of
 * Datasets it holds that are not themselves listed, are its attachments, each read from the archive and its SHA-256
 * checked (a mismatch refuses the archive); the text is markdown (converted from HTML where it is HTML); comments,
 * eLabFTW's steps and extra fields, PASTA's and SampleDB's metadata (as a table in the text), AI4Green's reaction
 * (as a reaction block, its products as molecules), RSpace's documents (their XML), and our own molecules,
 * measurements and reactions. Whatever of the graph or the archive was not used is reported, never silently dropped.
 */

export interface ArchiveAccess {
  root: string;
  /** Members by path inside the root folder. */
  members: Map<string, ZipMember>;
  read: (member: ZipMember) => Uint8Array;
}

/** Dataset properties turned into the entry's fields, or into rows of its properties table. */
const MAPPED = new Set([
  "@id",
  "@type",
  "name",
  "text",
  "description",
  "encodingFormat",
  "dateCreated",
  "dateModified",
  "datePublished",
  "temporal",
  "author",
  "creator",
  "keywords",
  "url",
  "comment",
  "hasPart",
  "variableMeasured",
  "step",
  "identifier",
  "genre",
  "creativeWorkStatus",
  "about",
  "mentions",
  "alternateName",
  "license",
  "version",
  "isBasedOn",
]);

export function mapCrate(crate: Crate, archive: ArchiveAccess): ElnPackage {
  const skipped: ElnSkip[] = [];
  const descriptor = crate.descriptor();
  const root = crate.root();
  if (!descriptor || !root) throw new ElnError("bad_metadata", "ro-crate-metadata.json describes no root dataset (no node “./”).");
  crate.used.add(descriptor["@id"]).add(root["@id"]);
  const publisher = crate.nameOf(descriptor.sdPublisher);
  const action = crate.ofType("CreateAction").find((a) => crate.refs(a.object)[0]?.["@id"] === root["@id"]);
  if (action) crate.used.add(action["@id"]);
  const instrument = crate.refs(action?.instrument)[0];
  if (instrument?.["@id"]) crate.used.add(instrument["@id"]);
  const software = publisher ?? crate.nameOf(instrument) ?? "another notebook";
  const version = text(instrument?.version) ?? text(crate.refs(descriptor.sdPublisher)[0]?.version);
  const source = oneLine(`${software}${version && !software.includes(version) ? ` ${version}` : ""}`, 100);
  const ours = publisher === PUBLISHER_NAME;
  const license = licenseOf(crate, root.license);

  const datasets = crate.refs(root.hasPart).filter((n) => hasType(n, "Dataset"));
  if (datasets.length > ELN_LIMITS.datasets) {
    throw new ElnError(
      "unsupported",
      `The archive holds ${datasets.length} experiments; at most ${ELN_LIMITS.datasets} are imported at once.`,
    );
  }
  const listed = new Set(datasets.map((d) => d["@id"]));
  const claimed = new Set<string>();
  // The people an experiment falls back to when it names no author: the crate's creator, or the only person in it.
  const people = crate.ofType("Person");
  const fallbackAuthor =
    crate.nameOf(root.creator) ??
    crate.nameOf(root.author) ??
    crate.nameOf(action?.agent) ??
    (people.length === 1 ? crate.nameOf(people[0]) : null);
  const measurementDataset = new Map<string, string>();
  const molecules: ElnMolecule[] = [];

  const out: ElnDataset[] = datasets.map((node) => {
    crate.used.add(node["@id"]);
    const files = ownedFiles(crate, node, listed, claimed);
    const entry: ElnDataset = {
      id: node["@id"],
      title: titleOf(node),
      body: "",
      dateCreated: dateText(node.dateCreated),
      dateModified: dateText(node.dateModified),
      workDate: null,
      author: crate.nameOf(node.author) ?? crate.nameOf(node.creator) ?? fallbackAuthor,
      // Ours are the campaign IDs the text mentions: the text says them already.
      keywords: ours ? [] : keywordsOf(node.keywords),
      url: text(node.url),
      comments: commentsOf(crate, node),
      files: [],
      reactions: [],
      properties: [],
    };
    const sections: string[] = [];
    if (ours) {
      entry.body = text(node.text) ?? "";
      entry.reactions = readReactions(crate, node);
      for (const m of crate.refs(node.variableMeasured)) if (hasType(m, "PropertyValue")) measurementDataset.set(m["@id"], node["@id"]);
    } else {
      const description = text(node.description);
      const body = text(node.text);
      const html = text(node.encodingFormat)?.startsWith("text/html") ?? false;
      if (description && description !== body) sections.push(convert(description, false, node["@id"], skipped));
      if (body) sections.push(convert(body, html, node["@id"], skipped));
      const steps = stepsOf(crate, node);
      if (steps) sections.push(steps);
      entry.properties = propertiesOf(crate, node, skipped);
    }
    // The files: attachments, unless too large, too many or not in the archive; remote ones are linked.
    const remote: string[] = [];
    const names = new Set<string>();
    for (const file of files) {
      const got = readFile(crate, file, archive, skipped, names);
      if (got === "remote") remote.push(`- [${oneLine(text(file.name) ?? file["@id"])}](${file["@id"]})`);
      else if (got && entry.files.length >= ATTACHMENTS_PER_ENTRY)
        skipped.push({ item: file["@id"], reason: `an entry holds at most ${ATTACHMENTS_PER_ENTRY} attachments` });
      else if (got) entry.files.push(got);
      if (ours || !got) continue;
      // A File's own metadata (PASTA's image sizes, units and ontology terms) joins the entry's properties.
      const label = got === "remote" ? oneLine(text(file.name) ?? "remote file") : got.name;
      for (const pv of crate.refs(file.variableMeasured)) {
        crate.used.add(pv["@id"]);
        addProperty(entry.properties, `${label}: ${text(pv.name) ?? text(pv.propertyID) ?? "property"}`, pv.value, pv.unitText);
      }
    }
    if (remote.length) sections.push(`## Remote files\n\n${remote.join("\n")}`);
    if (!ours) vendorData(entry, sections, molecules, skipped);
    if (!ours) entry.body = sections.filter((s) => s.trim() !== "").join("\n\n");
    entry.workDate =
      workDateOf(node.temporal) ?? workDateOf(entry.dateCreated) ?? workDateOf(root.datePublished) ?? workDateOf(descriptor.dateCreated);
    const unmapped = Object.keys(node).filter((k) => !MAPPED.has(k) && !(ours && k === "license"));
    if (unmapped.length) skipped.push({ item: node["@id"], reason: `not mapped: ${unmapped.join(", ")}` });
    return entry;
  });

  molecules.unshift(...readMolecules(crate, (id) => measurementDataset.get(id) ?? null));
  for (const [item, reason] of leftovers(crate, archive, claimed)) skipped.push({ item, reason });
  return { root: archive.root, source, ours, license, datasets: out, molecules, skipped };
}

function titleOf(node: CrateNode): string {
  const name = text(node.name);
  if (name) return oneLine(name);
  const folder = node["@id"].replace(/\/+$/, "").split("/").pop() ?? "";
  return oneLine(folder) || "Untitled experiment";
}

function licenseOf(crate: Crate, value: unknown): string | null {
  if (typeof value === "string") return oneLine(value, 300);
  const node = crate.refs(value)[0];
  if (!node) return null;
  if (node["@id"]) crate.used.add(node["@id"]);
  return (
    oneLine([text(node.name), text(node.identifier), isAbsoluteUri(node["@id"]) ? node["@id"] : null].filter(Boolean).join(" — "), 300) ||
    null
  );
}

/** A date as the archive writes it (shown to the reader), one line. */
function dateText(value: unknown): string | null {
  const t = text(value);
  return t ? oneLine(t, 60) : null;
}

/**
 * The day of work from a date as written: its own calendar day (`2025-01-03T00:00:00+01:00` is the 3rd), RSpace's
 * `dd:mm:yy:HH:MM:SS`; null when it is not a real day between 1900 and tomorrow.
 */
export function workDateOf(value: unknown): string | null {
  const t = text(value);
  if (!t) return null;
  let day: string | null = /^(\d{4}-\d{2}-\d{2})/.exec(t)?.[1] ?? null;
  const rspace = /^(\d{2}):(\d{2}):(\d{2}):\d{2}:\d{2}:\d{2}$/.exec(t);
  if (!day && rspace) day = `20${rspace[3]}-${rspace[2]}-${rspace[1]}`;
  if (!day) return null;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return null;
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return day >= "1900-01-01" && day <= tomorrow ? day : null;
}

function keywordsOf(value: unknown): string[] {
  const all = list(value).flatMap((k) => (typeof k === "string" ? k.split(",") : []));
  return [...new Set(all.map((k) => oneLine(k, 100)).filter(Boolean))].slice(0, 100);
}

function convert(value: string, html: boolean, where: string, skipped: ElnSkip[]): string {
  if (!html && !looksLikeHtml(value)) return value.trim();
  const { markdown, truncated } = markdownFromHtml(value);
  if (truncated) skipped.push({ item: where, reason: `text cut at ${ELN_LIMITS.htmlChars.toLocaleString("en")} characters` });
  return markdown;
}

function commentsOf(crate: Crate, node: CrateNode): ElnComment[] {
  const nodes = crate.refs(node.comment).filter((c) => hasType(c, "Comment"));
  for (const c of crate.ofType("Comment")) if (crate.refs(c.parentItem)[0]?.["@id"] === node["@id"] && !nodes.includes(c)) nodes.push(c);
  return nodes.flatMap((c) => {
    if (c["@id"]) crate.used.add(c["@id"]);
    const body = text(c.text) ?? text(c.description);
    if (!body) return [];
    return [
      {
        author: crate.nameOf(c.author) ?? crate.nameOf(c.creator),
        date: dateText(c.dateCreated),
        text: looksLikeHtml(body) ? markdownFromHtml(body).markdown : body,
      },
    ];
  });
}

/** eLabFTW's steps as a task list: done ones ticked. */
function stepsOf(crate: Crate, node: CrateNode): string | null {
  const steps = crate.refs(node.step).filter((s) => hasType(s, "HowToStep"));
  if (!steps.length) return null;
  steps.sort((a, b) => (typeof a.position === "number" ? a.position : 0) - (typeof b.position === "number" ? b.position : 0));
  const lines = steps.map((s) => {
    crate.used.add(s["@id"]);
    const direction =
      crate
        .refs(s.itemListElement)
        .map((d) => (crate.used.add(d["@id"]), text(d.text)))
        .find(Boolean) ??
      text(s.text) ??
      text(s.name) ??
      "";
    return `- [${text(s.creativeWorkStatus) === "finished" ? "x" : " "}] ${oneLine(direction, 500)}`;
  });
  return `## Steps\n\n${lines.join("\n")}`;
}

/** What a Dataset says about itself beyond its text: status, category, extra fields, metadata (as a table). */
function addProperty(rows: ElnDataset["properties"], name: string, value: unknown, unit: unknown = null): void {
  const v = typeof value === "boolean" ? String(value) : text(value);
  if (v !== null) rows.push({ name: oneLine(name), value: oneLine(v, 1000), unit: text(unit) });
}

function propertiesOf(crate: Crate, node: CrateNode, skipped: ElnSkip[]): ElnDataset["properties"] {
  const rows: ElnDataset["properties"] = [];
  const add = (name: string, value: unknown, unit: unknown = null) => addProperty(rows, name, value, unit);
  add("Identifier", node.identifier);
  add("Kind", node.genre);
  add("Status", node.creativeWorkStatus);
  for (const about of crate.refs(node.about)) {
    crate.used.add(about["@id"]);
    add("Category", about.name ?? about["@id"]);
  }
  for (const m of crate.refs(node.mentions)) add("Links to", m.name ?? m["@id"]);
  for (const part of crate.refs(node.isBasedOn)) add("Based on", part.name ?? part["@id"]);
  for (const pv of crate.refs(node.variableMeasured)) {
    crate.used.add(pv["@id"]);
    if (pv.propertyID === "elabftw_metadata") {
      skipped.push({ item: pv["@id"], reason: "eLabFTW's raw metadata JSON: its extra fields are imported one by one" });
      continue;
    }
    add(text(pv.name) ?? text(pv.propertyID) ?? "Property", pv.value, pv.unitText);
  }
  return rows;
}

/**
 * The Files an experiment owns: those its `hasPart` lists, and those of Datasets it holds that are not imported
 * themselves (SampleDB's versions), each File once across the archive.
 */
function ownedFiles(crate: Crate, dataset: CrateNode, listed: Set<string>, claimed: Set<string>): CrateNode[] {
  const out: CrateNode[] = [];
  const seen = new Set<string>([dataset["@id"]]);
  const walk = (node: CrateNode, depth: number) => {
    for (const part of crate.refs(node.hasPart)) {
      if (seen.has(part["@id"]) || depth > 20) continue;
      seen.add(part["@id"]);
      if (hasType(part, "File") && !claimed.has(part["@id"])) {
        claimed.add(part["@id"]);
        out.push(part);
      } else if (hasType(part, "Dataset") && !listed.has(part["@id"])) {
        crate.used.add(part["@id"]);
        walk(part, depth + 1);
      }
    }
  };
  walk(dataset, 0);
  return out;
}

/** A File read and checked, "remote" for a web address, or null when it is not imported (and the report says why). */
function readFile(
  crate: Crate,
  file: CrateNode,
  archive: ArchiveAccess,
  skipped: ElnSkip[],
  names: Set<string>,
): ElnFile | "remote" | null {
  const id = file["@id"];
  crate.used.add(id);
  if (/^https?:\/\//i.test(id)) {
    skipped.push({ item: id, reason: "a remote file (a web address), not inside the archive: linked from the entry" });
    return "remote";
  }
  if (isAbsoluteUri(id)) {
    skipped.push({ item: id, reason: "a file named by an address that is neither in the archive nor on the web" });
    return null;
  }
  if (id.startsWith("/") || id.split(/[\\/]/).includes("..")) {
    throw new ElnError(
      "unsafe_path",
      `ro-crate-metadata.json names the file ${JSON.stringify(id)} outside the archive's root folder; nothing was imported.`,
    );
  }
  const member = memberPathsOf(id)
    .map((p) => archive.members.get(p))
    .find((m) => m && !m.directory);
  if (!member) {
    skipped.push({ item: id, reason: "listed in ro-crate-metadata.json but not in the archive" });
    return null;
  }
  if (member.size > ATTACHMENT_MAX_BYTES) {
    skipped.push({ item: id, reason: `larger than the ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB an attachment may be` });
    return null;
  }
  if (member.size === 0) {
    skipped.push({ item: id, reason: "an empty file" });
    return null;
  }
  const data = archive.read(member);
  const sha256 = createHash("sha256").update(data).digest("hex");
  const declared = text(file.sha256)?.toLowerCase() ?? null;
  if (declared !== null && declared !== sha256) {
    throw new ElnError(
      "hash_mismatch",
      `The SHA-256 of ${JSON.stringify(member.path)} does not match the crate's (${declared.slice(0, 12)}… declared, ${sha256.slice(0, 12)}… read): the archive is damaged or was altered; nothing was imported.`,
    );
  }
  const base = member.path.split("/").pop()!;
  const given = text(file.name);
  let name = given && !given.includes("/") && !isAbsoluteUri(given) ? oneLine(given, 120) : base;
  const parent = member.path.split("/").slice(-2, -1)[0];
  if (names.has(name.toLowerCase()) && parent) name = `${parent}-${name}`;
  for (let n = 2; names.has(name.toLowerCase()); n++) name = `${n}-${name}`;
  names.add(name.toLowerCase());
  return {
    id,
    path: member.path,
    name,
    encodingFormat: text(file.encodingFormat),
    description: text(file.description) ?? text(file.text),
    sha256,
    data,
  };
}

/** AI4Green's reaction JSON and RSpace's document XML, read from the experiment's own files. */
function vendorData(entry: ElnDataset, sections: string[], molecules: ElnMolecule[], skipped: ElnSkip[]): void {
  for (const file of entry.files) {
    if (file.data.byteLength > 2 * 1024 * 1024) continue;
    if (/\.json$/i.test(file.name)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(file.data));
      } catch {
        continue;
      }
      const found = ai4greenReaction(parsed, file.id);
      if (found) {
        entry.reactions.push(found.reaction);
        molecules.push(...found.products);
      }
    } else if (/\.xml$/i.test(file.name) && !/_form\.xml$/i.test(file.name)) {
      const doc = rspaceDocument(new TextDecoder().decode(file.data));
      if (!doc) continue;
      if (doc.name) entry.title = oneLine(doc.name);
      entry.author ??= doc.createdBy;
      entry.dateCreated ??= doc.creationDate;
      entry.dateModified ??= doc.lastModifiedDate;
      entry.keywords = [...new Set([...entry.keywords, ...doc.tags])];
      if (doc.body) sections.unshift(doc.body);
      else skipped.push({ item: file.id, reason: "an RSpace document without fields" });
    }
  }
}

/** What the import did not use: nodes of the graph (by type) and members of the archive the crate does not describe. */
function leftovers(crate: Crate, archive: ArchiveAccess, claimed: Set<string>): [string, string][] {
  const out: [string, string][] = [];
  const quiet = new Set(["Organization", "SoftwareApplication", "CreateAction", "Person", "CreativeWork", "Thing"]);
  const byType = new Map<string, string[]>();
  for (const node of crate.nodes.values()) {
    if (crate.used.has(node["@id"]) || claimed.has(node["@id"])) continue;
    const kind = types(node).join("/") || "untyped";
    if (types(node).some((t) => quiet.has(t))) continue;
    if (hasType(node, "File")) {
      out.push([node["@id"], "a File no imported experiment lists (only the archive's root does)"]);
      continue;
    }
    if (hasType(node, "Dataset")) {
      out.push([node["@id"], "a Dataset the archive's root does not list, so it is not imported (the consortium's rule)"]);
      continue;
    }
    byType.set(kind, [...(byType.get(kind) ?? []), node["@id"]]);
  }
  for (const [kind, ids] of byType)
    out.push([
      ids.length === 1 ? ids[0]! : `${ids.length} ${kind} nodes`,
      `${kind} not linked from any imported experiment: not mapped${ids.length > 1 ? ` (${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""})` : ""}`,
    ]);
  for (const dup of new Set(crate.duplicates)) out.push([dup, "this @id occurs more than once in the graph: only its first node was read"]);
  const described = new Set([...crate.nodes.keys()].flatMap((id) => memberPathsOf(id)));
  const extra = [...archive.members]
    .filter(([path, m]) => !m.directory && path !== "ro-crate-metadata.json" && !described.has(path))
    .map(([path]) => path);
  for (const path of extra.slice(0, 50)) {
    const why = path.endsWith(".minisig")
      ? "a signature: not verified"
      : path === "ro-crate-preview.html"
        ? "the archive's preview page"
        : "a file the crate does not describe";
    out.push([path, why]);
  }
  if (extra.length > 50) out.push([`${extra.length - 50} more files`, "files the crate does not describe"]);
  return out;
}
