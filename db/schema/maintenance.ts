// Bookkeeping of the database itself: the data repairs it has had.
import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
