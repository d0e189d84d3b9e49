// The wiki's derived data: which documents link to which pages, and when a reader last looked at a page.
import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { campaigns } from "./campaigns";
import { users } from "./identity";
import { entries } from "./notebook";
import { todos } from "./todos";

/**
 * `[[Page title]]` links written in an entry or a page (its current text) and in a to-do's body: rebuilt on every
 * save, like mentions. Kept by slug, so a link to a page not written yet works as soon as it is, and "linked from"
 * on a page is one indexed lookup.
 */
export const entryPageLinks = pgTable(
  "entry_page_links",
  {
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    slug: text("slug").notNull(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.slug] }), index("entry_page_links_target_idx").on(t.campaignId, t.slug)],
);

export const todoPageLinks = pgTable(
  "todo_page_links",
  {
    todoId: integer("todo_id")
      .notNull()
      .references(() => todos.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    slug: text("slug").notNull(),
  },
  (t) => [primaryKey({ columns: [t.todoId, t.slug] }), index("todo_page_links_target_idx").on(t.campaignId, t.slug)],
);

/** When a signed-in reader last opened a page: its live blocks say what changed since. */
export const pageVisits = pgTable(
  "page_visits",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    visitedAt: timestamp("visited_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.entryId] })],
);
