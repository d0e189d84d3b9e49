// Column types and checks the tables share.
import { sql } from "drizzle-orm";
import { customType, timestamp, type PgColumn } from "drizzle-orm/pg-core";

/** A check that a text column holds one of the vocabulary's values: `column in ('a', 'b')`. */
export function oneOf(column: PgColumn, values: readonly string[]) {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", "))})`;
}

export const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
