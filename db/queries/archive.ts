// The complete campaign archive (issue 16): every entry with every revision, attachments, molecules, aliases,
// measurements, to-dos, comments, the feed, the wiki and the hash chain, in one zip with a manifest of SHA-256s, the
// chain's records and a verify script (lib/integrity/verify.mjs) — for backup, and for depositing with a paper. It
// restores into an empty notebook exactly: the same rows with the same ids, so a second export of the restored
// campaign is byte for byte the first, and the chain verifies. Tables are handled by one generic mechanism (a list
// of tables and which of their rows belong to the campaign); only attachments' bytes are files rather than JSON.
// What is personal (watches, notifications, e-mail addresses, tokens, GitHub credentials, subscriptions, page visits)
// never goes in an archive.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { asc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import * as schema from "../schema";
import { requireCampaign } from "./campaigns";
import { sealCampaign, sealedRecords, verifyCampaign, type IntegrityReport } from "./integrity";

export const ARCHIVE_FORMAT = "open-notebook-campaign-archive";
export const ARCHIVE_VERSION = 1;
/** An archive bigger than this (compressed, or any file in it uncompressed) is refused before it is read. */
export const ARCHIVE_MAX_BYTES = 2 * 1024 ** 3 - 1;

type Ids = { campaign: number; entries: number[]; molecules: number[]; todos: number[]; comments: number[]; predictionSets: number[] };

/** The campaign's rows of each table, in the order a restore inserts them (each after what it refers to). */
const TABLES: { name: string; table: PgTable; rows: (ids: Ids) => SQL | undefined }[] = [
  { name: "campaigns", table: schema.campaigns, rows: (i) => eq(schema.campaigns.id, i.campaign) },
  { name: "memberships", table: schema.memberships, rows: (i) => eq(schema.memberships.campaignId, i.campaign) },
  {
    name: "campaign_registry_settings",
    table: schema.campaignRegistrySettings,
    rows: (i) => eq(schema.campaignRegistrySettings.campaignId, i.campaign),
  },
  { name: "campaign_id_counters", table: schema.campaignIdCounters, rows: (i) => eq(schema.campaignIdCounters.campaignId, i.campaign) },
  { name: "entries", table: schema.entries, rows: (i) => eq(schema.entries.campaignId, i.campaign) },
  { name: "revisions", table: schema.revisions, rows: (i) => inIds(schema.revisions.entryId, i.entries) },
  { name: "attachments", table: schema.attachments, rows: (i) => inIds(schema.attachments.entryId, i.entries) },
  { name: "entry_mentions", table: schema.entryMentions, rows: (i) => inIds(schema.entryMentions.entryId, i.entries) },
  { name: "entry_page_links", table: schema.entryPageLinks, rows: (i) => eq(schema.entryPageLinks.campaignId, i.campaign) },
  { name: "entry_templates", table: schema.entryTemplates, rows: (i) => eq(schema.entryTemplates.campaignId, i.campaign) },
  { name: "molecules", table: schema.molecules, rows: (i) => eq(schema.molecules.campaignId, i.campaign) },
  { name: "molecule_aliases", table: schema.moleculeAliases, rows: (i) => eq(schema.moleculeAliases.campaignId, i.campaign) },
  { name: "measurements", table: schema.measurements, rows: (i) => inIds(schema.measurements.moleculeId, i.molecules) },
  { name: "prediction_settings", table: schema.predictionSettings, rows: (i) => eq(schema.predictionSettings.campaignId, i.campaign) },
  { name: "prediction_models", table: schema.predictionModels, rows: (i) => eq(schema.predictionModels.campaignId, i.campaign) },
  { name: "prediction_sets", table: schema.predictionSets, rows: (i) => eq(schema.predictionSets.campaignId, i.campaign) },
  { name: "prediction_rows", table: schema.predictionRows, rows: (i) => inIds(schema.predictionRows.setId, i.predictionSets) },
  { name: "todos", table: schema.todos, rows: (i) => eq(schema.todos.campaignId, i.campaign) },
  { name: "todo_mentions", table: schema.todoMentions, rows: (i) => inIds(schema.todoMentions.todoId, i.todos) },
  { name: "todo_page_links", table: schema.todoPageLinks, rows: (i) => eq(schema.todoPageLinks.campaignId, i.campaign) },
  { name: "comments", table: schema.comments, rows: (i) => eq(schema.comments.campaignId, i.campaign) },
  { name: "comment_versions", table: schema.commentVersions, rows: (i) => inIds(schema.commentVersions.commentId, i.comments) },
  { name: "newsletters", table: schema.newsletters, rows: (i) => eq(schema.newsletters.campaignId, i.campaign) },
  { name: "events", table: schema.events, rows: (i) => eq(schema.events.campaignId, i.campaign) },
  { name: "chain_links", table: schema.chainLinks, rows: (i) => eq(schema.chainLinks.campaignId, i.campaign) },
];

/** Ids in a list; a list that is empty matches nothing. */
function inIds(column: Parameters<typeof inArray>[0], ids: number[]): SQL {
  return ids.length ? inArray(column, ids) : sql`false`;
}

/** The columns of a table that are stored (a generated column such as entries.search is the database's own). */
function storedColumns(table: PgTable) {
  return Object.fromEntries(Object.entries(getTableColumns(table)).filter(([, c]) => !c.generated));
}

/** A row as JSON: dates as ISO text, bytes as base64 (attachments' bytes go to files instead). */
function toJson(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v instanceof Date ? v.toISOString() : v instanceof Uint8Array ? { base64: Buffer.from(v).toString("base64") } : v,
    ]),
  );
}

/** A row from JSON, typed by its table's columns. */
function fromJson(table: PgTable, row: Record<string, unknown>): Record<string, unknown> {
  const columns = storedColumns(table);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const column = columns[key];
    if (!column) throw new AppError("validation_failed", `archive: column ${key} is not in this notebook's schema`);
    if (value !== null && column.columnType === "PgTimestamp") out[key] = new Date(value as string);
    else if (value !== null && typeof value === "object" && "base64" in value)
      out[key] = new Uint8Array(Buffer.from((value as { base64: string }).base64, "base64"));
    else out[key] = value;
  }
  return out;
}

const USER_REFERENCES =
  /^(?:authorId|actorId|userId|uploaderId|addedById|registeredById|createdById|deletedById|hiddenById|answeredById|editedById|submittedById)$/;

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function stableJson(value: unknown): Uint8Array {
  return strToU8(`${JSON.stringify(value, null, 1)}\n`);
}

/** The campaign archive as a zip: `<slug>/manifest.json`, `data/*.json`, `files/…`, `integrity/…`, `verify.mjs`. */
export async function exportArchive(
  db: Queryable,
  slug: string,
): Promise<{ filename: string; bytes: Uint8Array; report: IntegrityReport }> {
  const campaign = await requireCampaign(db, slug);
  await sealCampaign(db, campaign.id);
  const ids: Ids = {
    campaign: campaign.id,
    entries: (await db.select({ id: schema.entries.id }).from(schema.entries).where(eq(schema.entries.campaignId, campaign.id))).map(
      (r) => r.id,
    ),
    molecules: (
      await db.select({ id: schema.molecules.id }).from(schema.molecules).where(eq(schema.molecules.campaignId, campaign.id))
    ).map((r) => r.id),
    todos: (await db.select({ id: schema.todos.id }).from(schema.todos).where(eq(schema.todos.campaignId, campaign.id))).map((r) => r.id),
    comments: (await db.select({ id: schema.comments.id }).from(schema.comments).where(eq(schema.comments.campaignId, campaign.id))).map(
      (r) => r.id,
    ),
    predictionSets: (
      await db.select({ id: schema.predictionSets.id }).from(schema.predictionSets).where(eq(schema.predictionSets.campaignId, campaign.id))
    ).map((r) => r.id),
  };
  const root = `${slug}-archive`;
  const files: Zippable = {};
  const counts: Record<string, number> = {};
  const people = new Set<number>();
  for (const { name, table, rows } of TABLES) {
    const columns = storedColumns(table);
    const order = Object.values(columns).filter((c) => c.primary || c.name === "id" || c.name === "seq");
    let found = await db
      .select(columns)
      .from(table)
      .where(rows(ids))
      .orderBy(...(order.length ? order.map((c) => asc(c)) : Object.values(columns).map((c) => asc(c))));
    if (name === "attachments") {
      for (const a of found as { id: number; filename: string; data: Uint8Array }[])
        files[`${root}/files/attachments/${a.id}/${a.filename}`] = a.data;
      found = found.map(({ data: _bytes, ...rest }) => rest);
    }
    for (const row of found) for (const [k, v] of Object.entries(row)) if (USER_REFERENCES.test(k) && typeof v === "number") people.add(v);
    counts[name] = found.length;
    files[`${root}/data/${name}.json`] = stableJson(found.map(toJson));
  }
  const users = people.size
    ? await db
        .select(storedColumns(schema.users))
        .from(schema.users)
        .where(inArray(schema.users.id, [...people]))
        .orderBy(asc(schema.users.id))
    : [];
  files[`${root}/data/users.json`] = stableJson(users.map(toJson));
  counts.users = users.length;

  const records = await sealedRecords(db, campaign.id);
  const recordsJson = Object.fromEntries(
    Object.entries(records).map(([kind, map]) => [kind, Object.fromEntries([...map].map(([id, r]) => [id, toJson(r)]))]),
  );
  files[`${root}/integrity/records.json`] = stableJson(recordsJson);
  const chain = (JSON.parse(strFromU8(files[`${root}/data/chain_links.json`] as Uint8Array)) as Record<string, unknown>[]).map(
    ({ seq, kind, recordId, prevHash, hash }) => ({ seq, kind, recordId, prevHash, hash }),
  );
  files[`${root}/integrity/chain.json`] = stableJson(chain);
  files[`${root}/verify.mjs`] = strToU8(readFileSync(path.join(process.cwd(), "lib", "integrity", "verify.mjs"), "utf8"));
  const report = await verifyCampaign(db, slug);
  files[`${root}/README.txt`] = strToU8(readme(campaign, report));

  const manifest = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    campaign: { slug: campaign.slug, name: campaign.name, license: campaign.license },
    chain: { links: report.links, head: report.head, ok: report.ok },
    tables: counts,
    files: Object.entries(files)
      .map(([p, bytes]) => ({
        path: p.slice(root.length + 1),
        size: (bytes as Uint8Array).byteLength,
        sha256: sha256Hex(bytes as Uint8Array),
      }))
      .sort((a, b) => a.path.localeCompare(b.path)),
  };
  files[`${root}/manifest.json`] = stableJson(manifest);
  // Fixed times in the zip: the same campaign gives the same bytes.
  const bytes = zipSync(files, { level: 6, mtime: new Date("2020-01-01T00:00:00Z") });
  return { filename: `${slug}-archive.zip`, bytes, report };
}

function readme(campaign: schema.Campaign, report: IntegrityReport): string {
  return `${campaign.name} — complete campaign archive (${ARCHIVE_FORMAT} ${ARCHIVE_VERSION})

Licence of the data: ${campaign.license}.

data/*.json      every row of the campaign, one file per table, as stored (ids kept)
files/           the entries' attachments
integrity/       the hash chain (chain.json) and the records it seals (records.json)
manifest.json    the SHA-256 of every file above
verify.mjs       checks the manifest and the chain: node verify.mjs <this folder>  (Node 18 or later, nothing else)

Chain head when exported: ${report.head} (${report.links} links, ${report.ok ? "verified" : "NOT verified"}).
Compare it with the head the campaign published in its feed to know this copy was not rewritten since.

Restore into an empty notebook: npm run admin -- import --in <this zip>
`;
}

/** The bytes of a zip's files, refusing what is not a campaign archive before anything is written. */
function readArchive(bytes: Uint8Array): {
  root: string;
  read: (name: string) => Uint8Array | undefined;
  manifest: { format: string; version: number; files: { path: string; sha256: string }[] };
} {
  if (bytes.byteLength > ARCHIVE_MAX_BYTES) throw new AppError("payload_too_large", "The archive is larger than 2 GB.");
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (file) => file.originalSize <= ARCHIVE_MAX_BYTES });
  } catch {
    throw new AppError("validation_failed", "archive: not a zip file");
  }
  const manifestName = Object.keys(entries).find((n) => /^[^/]+\/manifest\.json$/.test(n));
  if (!manifestName) throw new AppError("validation_failed", "archive: no <folder>/manifest.json; not a campaign archive");
  const root = manifestName.slice(0, manifestName.indexOf("/"));
  const manifest = JSON.parse(strFromU8(entries[manifestName]!)) as {
    format: string;
    version: number;
    files: { path: string; sha256: string }[];
  };
  if (manifest.format !== ARCHIVE_FORMAT || manifest.version !== ARCHIVE_VERSION) {
    throw new AppError(
      "validation_failed",
      `archive: format ${manifest.format} ${manifest.version} is not ${ARCHIVE_FORMAT} ${ARCHIVE_VERSION}`,
    );
  }
  for (const file of manifest.files) {
    const data = entries[`${root}/${file.path}`];
    if (!data) throw new AppError("validation_failed", `archive: ${file.path} is listed in the manifest but missing`);
    if (sha256Hex(data) !== file.sha256)
      throw new AppError("validation_failed", `archive: ${file.path} does not match its SHA-256 in the manifest`);
  }
  return { root, manifest, read: (name) => entries[`${root}/${name}`] };
}

/**
 * Restores a campaign archive into a notebook that does not have the campaign: every row with its id, in one
 * transaction (all or nothing), the id sequences moved past the restored ids, then the chain checked.
 */
export async function importArchive(
  db: Queryable,
  bytes: Uint8Array,
): Promise<{ slug: string; rows: Record<string, number>; report: IntegrityReport }> {
  const archive = readArchive(bytes);
  const json = (name: string) => JSON.parse(strFromU8(archive.read(`data/${name}.json`) ?? strToU8("[]"))) as Record<string, unknown>[];
  const [campaignRow] = json("campaigns");
  if (!campaignRow) throw new AppError("validation_failed", "archive: no campaign in data/campaigns.json");
  const slug = String(campaignRow.slug);
  const rows: Record<string, number> = {};
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: schema.campaigns.id }).from(schema.campaigns).where(eq(schema.campaigns.slug, slug));
    if (existing) throw new AppError("conflict", `This notebook already has a campaign ${slug}; restore into a notebook without it.`);
    // People: the same id and login, or not there yet; anything else means the notebook is not empty enough.
    for (const user of json("users")) {
      const [byId] = await tx
        .select({ login: schema.users.login })
        .from(schema.users)
        .where(eq(schema.users.id, user.id as number));
      if (byId && byId.login !== user.login)
        throw new AppError(
          "conflict",
          `User id ${String(user.id)} is ${byId.login} here, ${String(user.login)} in the archive: restore into an empty notebook.`,
        );
      if (!byId) await tx.insert(schema.users).values(fromJson(schema.users, user) as typeof schema.users.$inferInsert);
    }
    rows.users = json("users").length;
    for (const { name, table } of TABLES) {
      let list = json(name);
      if (name === "attachments")
        list = list.map((a) => ({
          ...a,
          data: {
            base64: Buffer.from(archive.read(`files/attachments/${String(a.id)}/${String(a.filename)}`) ?? new Uint8Array()).toString(
              "base64",
            ),
          },
        }));
      // A molecule may name a parent registered after it: parents are set once every molecule is in.
      const parents = name === "molecules" ? list.filter((m) => m.parentMoleculeId !== null) : [];
      if (parents.length) list = list.map((m) => ({ ...m, parentMoleculeId: null }));
      for (let i = 0; i < list.length; i += 500) {
        await tx.insert(table).values(list.slice(i, i + 500).map((r) => fromJson(table, r)));
      }
      for (const m of parents)
        await tx
          .update(schema.molecules)
          .set({ parentMoleculeId: m.parentMoleculeId as number })
          .where(eq(schema.molecules.id, m.id as number));
      rows[name] = list.length;
    }
    await tx.execute(
      sql`select setval('molecules_search_version_seq', greatest((select coalesce(max(search_version), 1) from molecules), (select last_value from molecules_search_version_seq)))`,
    );
    for (const table of [
      "users",
      "campaigns",
      "entries",
      "revisions",
      "attachments",
      "entry_templates",
      "molecules",
      "molecule_aliases",
      "measurements",
      "prediction_models",
      "prediction_sets",
      "todos",
      "comments",
      "comment_versions",
      "newsletters",
      "events",
    ]) {
      await tx.execute(
        sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select coalesce(max(id), 1) from ${table}), 1))`),
      );
    }
  });
  return { slug, rows, report: await verifyCampaign(db, slug) };
}
