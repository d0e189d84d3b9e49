import { sql } from "drizzle-orm";
import {
  bigint,

  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  check,
} from "drizzle-orm/pg-core";

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

export const roles = ["maintainer", "member"] as const;
export type Role = (typeof roles)[number];

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
    check("memberships_role_check", sql`${t.role} in ('maintainer', 'member')`),
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
    index("entries_campaign_date_idx").on(t.campaignId, t.workDate.desc(), t.id.desc()),
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

export const eventKinds = [
  "campaign.created",
  "member.added",
  "entry.created",
  "entry.revised",
  "entry.deleted",
  "entry.restored",
] as const;
export type EventKind = (typeof eventKinds)[number];

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

