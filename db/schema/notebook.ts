// The notebook: dated entries, their append-only revisions, attachments, and the campaign IDs they mention.
import { sql } from "drizzle-orm";
import { check, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ReactionInput } from "../../lib/stoichiometry/input";
import type { StoredReaction } from "../../lib/stoichiometry/reaction";
import { documentKinds } from "../../lib/wiki/model";
import { tsvector, bytea, createdAt, oneOf } from "./columns";
import { users } from "./identity";
import { campaigns } from "./campaigns";

/**
 * The current state of an entry. Its history lives in `revisions`, which only ever gets inserts
 * (a trigger in the migrations rejects UPDATE and DELETE there).
 *
 * A wiki page is a row here too (`kind` "page"), so pages have the entries' history, diff, conflicts, mentions,
 * search and discussion without a second copy of any of it; a page is found by its campaign and `slug` (made from
 * its title), and its `workDate` is the day it was started.
 */
export const entries = pgTable(
  "entries",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    kind: text("kind", { enum: documentKinds }).notNull().default("entry"),
    /** A page's URL key (lib/wiki/model.ts pageSlug of its title); null for entries. */
    slug: text("slug"),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    workDate: date("work_date", { mode: "string" }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** The reactions of the current revision, each with its computed table (lib/stoichiometry/reaction.ts). */
    reactions: jsonb("reactions").$type<StoredReaction[]>().notNull().default([]),
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
    index("entries_campaign_live_idx")
      .on(t.campaignId, t.workDate.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.deletedAt} is null`),
    index("entries_live_idx")
      .on(t.workDate.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.deletedAt} is null`),
    index("entries_author_idx").on(t.authorId, t.workDate),
    index("entries_search_idx").using("gin", t.search),
    // "Made in" / "used in" on a molecule page: entries whose reactions name the molecule, by JSON containment.
    index("entries_reactions_idx").using("gin", t.reactions.op("jsonb_path_ops")),
    // One live page per title in a campaign; a deleted page keeps its slug for its tombstone and history.
    uniqueIndex("entries_page_slug_idx")
      .on(t.campaignId, t.slug)
      .where(sql`${t.kind} = 'page' and ${t.deletedAt} is null`),
    check("entries_kind_check", oneOf(t.kind, documentKinds)),
    check("entries_page_slug_check", sql`(${t.kind} = 'page') = (${t.slug} is not null)`),
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
    reactions: jsonb("reactions").$type<StoredReaction[]>().notNull().default([]),
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

/**
 * A campaign's entry templates: a title, a body and a reaction skeleton (rows as entered, without amounts) that "New
 * entry" can start from. Made from an entry ("Save as template"); a newer one under the same name replaces it.
 */
export const entryTemplates = pgTable(
  "entry_templates",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    name: text("name").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    reactions: jsonb("reactions").$type<ReactionInput[]>().notNull().default([]),
    sourceEntryId: integer("source_entry_id").references(() => entries.id),
    createdById: integer("created_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [uniqueIndex("entry_templates_campaign_name_idx").on(t.campaignId, sql`lower(${t.name})`)],
);
export type EntryTemplate = typeof entryTemplates.$inferSelect;
