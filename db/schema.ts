import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  boolean,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  check,
  type AnyPgColumn,
  type PgColumn,
} from "drizzle-orm/pg-core";
import { roles } from "../lib/campaigns/model";
import { eventKinds } from "../lib/feed/model";
import { githubAuthKinds, todoStates, type TodoConflicts, type TodoFields } from "../lib/github/model";
import { moleculeStatuses, qualifiers } from "../lib/molecules/model";

// The domain's vocabulary (roles, statuses, qualifiers, event kinds, to-do fields) lives in lib/<domain>/model.ts;
// the tables take their enums and check constraints from there, and re-export it for the queries.
export { roles, type Role } from "../lib/campaigns/model";
export { eventKinds, type EventKind } from "../lib/feed/model";
export { githubAuthKinds, todoStates, type GitHubAuthKind, type TodoConflicts, type TodoFields, type TodoState } from "../lib/github/model";
export { moleculeStatuses, qualifiers, type MoleculeStatus, type Qualifier } from "../lib/molecules/model";

/** A check that a text column holds one of the vocabulary's values: `column in ('a', 'b')`. */
function oneOf(column: PgColumn, values: readonly string[]) {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", "))})`;
}

const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** Accounts are keyed on GitHub's numeric user id; `login` is only a display name that GitHub lets people change. */
export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    githubId: bigint("github_id", { mode: "number" }).unique(),
    login: text("login").notNull(),
    name: text("name"),
    avatarUrl: text("avatar_url"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [uniqueIndex("users_login_idx").on(sql`lower(${t.login})`)],
);
export type User = typeof users.$inferSelect;

export const campaigns = pgTable("campaigns", {
  id: serial("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  createdById: integer("created_by_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});
export type Campaign = typeof campaigns.$inferSelect;


export const memberships = pgTable(
  "memberships",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: roles }).notNull(),
    addedById: integer("added_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    check("memberships_role_check", oneOf(t.role, roles)),
  ],
);
export type Membership = typeof memberships.$inferSelect;

/**
 * The current state of an entry. Its history lives in `revisions`, which only ever gets inserts
 * (a trigger in the migrations rejects UPDATE and DELETE there).
 */
export const entries = pgTable(
  "entries",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    workDate: date("work_date", { mode: "string" }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    currentRevisionId: integer("current_revision_id"),
    revisionCount: integer("revision_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedById: integer("deleted_by_id").references(() => users.id),
    search: tsvector("search").generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(body, '')), 'B')`,
    ),
  },
  (t) => [
    // Lists show live entries newest work first: partial indexes in exactly that order let a page
    // of them be read from the index instead of sorting the whole campaign. NULLS FIRST is what a plain
    // ORDER BY … DESC means; an index ordered otherwise cannot serve it.
    index("entries_campaign_live_idx").on(t.campaignId, t.workDate.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.deletedAt} is null`),
    index("entries_live_idx").on(t.workDate.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.deletedAt} is null`),
    index("entries_author_idx").on(t.authorId, t.workDate),
    index("entries_search_idx").using("gin", t.search),
  ],
);
export type Entry = typeof entries.$inferSelect;

export const revisions = pgTable(
  "revisions",
  {
    id: serial("id").primaryKey(),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    number: integer("number").notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    message: text("message"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("revisions_entry_number_idx").on(t.entryId, t.number)],
);
export type Revision = typeof revisions.$inferSelect;

export const attachments = pgTable(
  "attachments",
  {
    id: serial("id").primaryKey(),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    uploaderId: integer("uploader_id")
      .notNull()
      .references(() => users.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    data: bytea("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_entry_idx").on(t.entryId)],
);
export type Attachment = typeof attachments.$inferSelect;


/** The project feed: an append-only log of what happened, newest first when read. */
export const events = pgTable(
  "events",
  {
    id: serial("id").primaryKey(),
    kind: text("kind", { enum: eventKinds }).notNull(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    actorId: integer("actor_id")
      .notNull()
      .references(() => users.id),
    entryId: integer("entry_id").references(() => entries.id),
    revisionId: integer("revision_id").references(() => revisions.id),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_created_idx").on(t.id.desc()),
    index("events_campaign_idx").on(t.campaignId, t.id.desc()),
    index("events_entry_idx").on(t.entryId),
  ],
);
export type Event = typeof events.$inferSelect;

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    /** sha256 of the token; the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    tokenPrefix: text("token_prefix").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
export type ApiToken = typeof apiTokens.$inferSelect;

/** Fixed-window counters, in the database so that several app processes share one limit. */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limits_expires_idx").on(t.expiresAt)],
);


// ---------------------------------------------------------------------------------------------------------------
// Molecule registry (issue 3)

/**
 * How a campaign numbers its molecules: IDs are `<prefix>-<site>-<n>` (OSM-S-123). A prefix belongs to one campaign
 * only, so an ID names one molecule across the whole notebook (mentions and /molecules/{id} rely on that). A row is
 * written on the first registration (or by a maintainer); until then the campaign uses a default from its slug.
 */
export const campaignRegistrySettings = pgTable("campaign_registry_settings", {
  campaignId: integer("campaign_id")
    .primaryKey()
    .references(() => campaigns.id),
  prefix: text("prefix").notNull().unique(),
  defaultSite: text("default_site").notNull().default("A"),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});
export type CampaignRegistrySettings = typeof campaignRegistrySettings.$inferSelect;

/**
 * The next free number per campaign, prefix and site. Allocation is an upsert that increments and returns in the
 * registering transaction, so two registrations never get the same number; an ID given on import moves it past
 * that number. Numbers are never handed out twice, even after a molecule is parked.
 */
export const campaignIdCounters = pgTable(
  "campaign_id_counters",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    prefix: text("prefix").notNull(),
    site: text("site").notNull(),
    nextNumber: integer("next_number").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.prefix, t.site] })],
);


/** Hands out molecules.search_version numbers (see there). */
export const moleculesSearchVersionSeq = pgSequence("molecules_search_version_seq");

export const molecules = pgTable(
  "molecules",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** The public ID, e.g. OSM-S-123. Unique across campaigns (prefixes are), which implies unique per campaign. */
    campaignCode: text("campaign_code").notNull(),
    site: text("site").notNull(),
    number: integer("number").notNull(),
    name: text("name"),
    series: text("series"),
    /** The SMILES as the chemist gave it; null when a molfile was given. */
    inputSmiles: text("input_smiles"),
    /** OpenChemLib's canonical isomeric SMILES. */
    smiles: text("smiles").notNull(),
    idcode: text("idcode").notNull(),
    idcodeNoStereo: text("idcode_no_stereo").notNull(),
    parentIdcode: text("parent_idcode").notNull(),
    /**
     * The molfile as given (a drawing keeps its coordinates); null for a structure registered from a SMILES, whose
     * 2D coordinates are made when a molfile is asked for (lib/chem molfileFromIdcode), like its depictions.
     */
    molfile: text("molfile"),
    formula: text("formula").notNull(),
    averageMass: doublePrecision("average_mass").notNull(),
    monoisotopicMass: doublePrecision("monoisotopic_mass").notNull(),
    clogp: doublePrecision("clogp").notNull(),
    tpsa: doublePrecision("tpsa").notNull(),
    hbd: integer("hbd").notNull(),
    hba: integer("hba").notNull(),
    rotatableBonds: integer("rotatable_bonds").notNull(),
    lipinskiViolations: integer("lipinski_violations").notNull(),
    heavyAtoms: integer("heavy_atoms").notNull(),
    charge: integer("charge").notNull(),
    /** Null when RDKit cannot compute a standard InChI (e.g. carboranes): the molecule is registered anyway. */
    inchi: text("inchi"),
    inchikey: text("inchikey"),
    /**
     * The structure-search record (lib/search/record.ts: screen and similarity fingerprints, compact graph), filled by
     * the search index the first time it meets the molecule, so later starts load it instead of recomputing.
     */
    searchRecord: bytea("search_record"),
    status: text("status", { enum: moleculeStatuses }).notNull().default("active"),
    /**
     * Position in the order in which the search index must learn about molecules: a new number from
     * molecules_search_version_seq when the row is inserted and again, by trigger (migration 0012), whenever its
     * status changes. Every process's index reads the rows above the highest number it has seen.
     */
    searchVersion: bigint("search_version", { mode: "number" })
      .notNull()
      .default(sql`nextval('molecules_search_version_seq')`),
    parkReason: text("park_reason"),
    /** A batch or salt form points at the molecule it is a form of. */
    parentMoleculeId: integer("parent_molecule_id").references((): AnyPgColumn => molecules.id),
    registeredById: integer("registered_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("molecules_campaign_code_idx").on(t.campaignCode),
    index("molecules_campaign_number_idx").on(t.campaignId, t.site, t.number),
    // Hash indexes: an idcode of a large molecule can pass btree's ~2.7 kB row limit, and lookups are by equality.
    // (Hash indexes take one column; the campaign is filtered after.)
    index("molecules_idcode_idx").using("hash", t.idcode),
    index("molecules_idcode_no_stereo_idx").using("hash", t.idcodeNoStereo),
    index("molecules_parent_idcode_idx").using("hash", t.parentIdcode),
    index("molecules_inchikey_idx").on(t.inchikey),
    index("molecules_parent_idx").on(t.parentMoleculeId),
    // The structure-search index catches up before every search by reading the rows above its version
    // (db/queries/molecule-search.ts): usually none, found in this index without touching the table.
    index("molecules_search_version_idx").on(t.searchVersion),
    check("molecules_status_check", oneOf(t.status, moleculeStatuses)),
  ],
);
export type Molecule = typeof molecules.$inferSelect;

/** Other names of a molecule: inherited codes (MMV numbers), older campaign IDs. Unique per campaign, any case. */
export const moleculeAliases = pgTable(
  "molecule_aliases",
  {
    id: serial("id").primaryKey(),
    moleculeId: integer("molecule_id")
      .notNull()
      .references(() => molecules.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    alias: text("alias").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("molecule_aliases_campaign_alias_idx").on(t.campaignId, sql`lower(${t.alias})`),
    index("molecule_aliases_alias_idx").on(sql`lower(${t.alias})`),
    index("molecule_aliases_molecule_idx").on(t.moleculeId),
  ],
);
export type MoleculeAlias = typeof moleculeAliases.$inferSelect;


/** Assay results. Append-only like revisions: a trigger refuses UPDATE and DELETE; a correction is a new row. */
export const measurements = pgTable(
  "measurements",
  {
    id: serial("id").primaryKey(),
    moleculeId: integer("molecule_id")
      .notNull()
      .references(() => molecules.id),
    /** The endpoint, e.g. IC50. */
    assay: text("assay").notNull(),
    /** Organism, target or strain, e.g. "Pfal (K1)". */
    target: text("target"),
    lab: text("lab"),
    value: numeric("value", { mode: "number" }).notNull(),
    /** Null for dimensionless values such as pIC50. */
    unit: text("unit"),
    qualifier: text("qualifier", { enum: qualifiers }).notNull().default("="),
    measuredOn: date("measured_on", { mode: "string" }),
    /** The entry that reports the measurement. */
    entryId: integer("entry_id").references(() => entries.id),
    addedById: integer("added_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("measurements_molecule_idx").on(t.moleculeId),
    index("measurements_entry_idx").on(t.entryId),
    check("measurements_qualifier_check", oneOf(t.qualifier, qualifiers)),
  ],
);
export type Measurement = typeof measurements.$inferSelect;

/**
 * Campaign IDs written in an entry's current title and body. Derived data, rebuilt on every save (not history).
 * Mentions are kept by ID text and resolved when read, so an ID written before its molecule is registered links
 * as soon as it is.
 */
export const entryMentions = pgTable(
  "entry_mentions",
  {
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    campaignCode: text("campaign_code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.campaignCode] }), index("entry_mentions_code_idx").on(t.campaignCode)],
);


// ---------------------------------------------------------------------------------------------------------------
// To-dos kept in sync with GitHub issues (issue 5)

/** A campaign's link to one GitHub repository. Credentials stay server-side and are never rendered. */

export const githubConnections = pgTable("github_connections", {
  campaignId: integer("campaign_id")
    .primaryKey()
    .references(() => campaigns.id),
  owner: text("owner").notNull(),
  repo: text("repo").notNull(),
  authKind: text("auth_kind", { enum: githubAuthKinds }).notNull(),
  token: text("token"),
  appId: text("app_id"),
  privateKey: text("private_key"),
  installationId: bigint("installation_id", { mode: "number" }),
  /** REST base (https://api.github.com, or an Enterprise/test server); null = from GITHUB_BASE_URL. */
  apiBaseUrl: text("api_base_url"),
  webhookSecret: text("webhook_secret").notNull(),
  /** Reconcile cursor: the newest `updated_at` seen in a complete listing. */
  listCursor: timestamp("list_cursor", { withTimezone: true }),
  listEtag: text("list_etag"),
  lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
  lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
  lastError: text("last_error"),
  createdById: integer("created_by_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});
export type GitHubConnection = typeof githubConnections.$inferSelect;


export const todos = pgTable(
  "todos",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** Stable id carried in the issue body as a hidden marker, so a retried create finds its issue. */
    marker: text("marker").notNull().unique(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    state: text("state", { enum: todoStates }).notNull().default("open"),
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    assignees: jsonb("assignees").$type<string[]>().notNull().default([]),
    milestone: text("milestone"),
    /** Whether the issue body the notebook writes carries the mentioned molecules' structures and links. */
    moleculeLinks: boolean("molecule_links").notNull().default(false),
    commentCount: integer("comment_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    issueNumber: integer("issue_number"),
    issueId: bigint("issue_id", { mode: "number" }),
    htmlUrl: text("html_url"),
    remoteUpdatedAt: timestamp("remote_updated_at", { withTimezone: true }),
    etag: text("etag"),
    /** Last-synced value of each field; null until the issue exists on GitHub. */
    synced: jsonb("synced").$type<TodoFields>(),
    conflicts: jsonb("conflicts").$type<TodoConflicts>().notNull().default({}),
    /** Set when the issue was deleted or transferred on GitHub; the to-do is kept, read-only. */
    remoteGone: text("remote_gone"),
    syncError: text("sync_error"),
    createdById: integer("created_by_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("todos_issue_idx").on(t.campaignId, t.issueNumber),
    index("todos_campaign_activity_idx").on(t.campaignId, t.lastActivityAt.desc()),
  ],
);
export type Todo = typeof todos.$inferSelect;

/** Campaign IDs (OSM-S-123) written in a to-do's title or body, like entry_mentions. */
export const todoMentions = pgTable(
  "todo_mentions",
  {
    todoId: integer("todo_id")
      .notNull()
      .references(() => todos.id),
    campaignCode: text("campaign_code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.todoId, t.campaignCode] }), index("todo_mentions_code_idx").on(t.campaignCode)],
);

/** A write to GitHub, recorded before it is sent so that a lost answer is retried safely. */
export const githubPendingOps = pgTable(
  "github_pending_ops",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    todoId: integer("todo_id")
      .notNull()
      .references(() => todos.id),
    kind: text("kind", { enum: ["create", "update"] }).notNull(),
    status: text("status", { enum: ["pending", "done", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index("github_pending_ops_open_idx").on(t.campaignId, t.status, t.id)],
);
export type GitHubPendingOp = typeof githubPendingOps.$inferSelect;

/** Webhook deliveries seen, keyed by X-GitHub-Delivery so a redelivery is recognised. */
export const githubDeliveries = pgTable("github_deliveries", {
  deliveryId: text("delivery_id").primaryKey(),
  campaignId: integer("campaign_id").references(() => campaigns.id),
  event: text("event").notNull(),
  action: text("action"),
  payload: jsonb("payload"),
  receivedAt: createdAt(),
  processedAt: timestamp("processed_at", { withTimezone: true }),
});

/** What the sync did, for maintainers: insert-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export const githubSyncLog = pgTable(
  "github_sync_log",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    operation: text("operation").notNull(),
    deliveryId: text("delivery_id"),
    issueNumber: integer("issue_number"),
    todoId: integer("todo_id"),
    outcome: text("outcome").notNull(),
    message: text("message").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("github_sync_log_campaign_idx").on(t.campaignId, t.id.desc())],
);
export type GitHubSyncLogRow = typeof githubSyncLog.$inferSelect;

/**
 * Repairs of stored data that need the chemistry toolkit, which a SQL migration cannot run
 * (db/queries/data-repairs.ts): each is done once per database, when a server starts, and recorded here.
 */
export const dataRepairs = pgTable("data_repairs", {
  name: text("name").primaryKey(),
  /** Rows the repair changed. */
  changed: integer("changed").notNull(),
  doneAt: timestamp("done_at", { withTimezone: true }).notNull().defaultNow(),
});
