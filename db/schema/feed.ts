// The project feed: an append-only log of what happened in campaigns, their notebooks and registries.
import { index, integer, pgTable, serial, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./identity";
import { campaigns } from "./campaigns";
import { entries, revisions } from "./notebook";
import { eventKinds } from "../../lib/feed/model";

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
    /** The page it is about, when that is not the entry's or the campaign's (a comment, a molecule's result). */
    path: text("path"),
    /** Campaign IDs of the structures the item shows (a new molecule, the molecule of a result). */
    molecules: text("molecules").array(),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_created_idx").on(t.id.desc()),
    index("events_campaign_idx").on(t.campaignId, t.id.desc()),
    index("events_entry_idx").on(t.entryId),
  ],
);
export type Event = typeof events.$inferSelect;
