// Column types and checks the tables share.
import { sql } from "drizzle-orm";
import { customType, doublePrecision, integer, timestamp, type PgColumn } from "drizzle-orm/pg-core";
import { moleculeProperties, type MoleculeProperty } from "../../lib/molecules/properties";

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

const realColumn = (name: string) => doublePrecision(name).notNull();
const integerColumn = (name: string) => integer(name).notNull();
type PropertyColumns = {
  [P in MoleculeProperty as P["key"]]: P["type"] extends "integer" ? ReturnType<typeof integerColumn> : ReturnType<typeof realColumn>;
};

/** One column per computed molecule property (lib/molecules/properties.ts), named and typed by its row there. */
export function propertyColumns(): PropertyColumns {
  return Object.fromEntries(
    moleculeProperties.map((p) => [p.key, p.type === "integer" ? integerColumn(p.column) : realColumn(p.column)]),
  ) as PropertyColumns;
}
