// The verifiable history of each campaign: a hash chain over its records (lib/integrity).
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { chainKinds } from "../../lib/integrity/model";
import { campaigns } from "./campaigns";
import { oneOf } from "./columns";

/**
 * One link per sealed record of a campaign, in the order they were sealed: `hash` is SHA-256 over the previous
 * link's hash and the record's canonical serialization (lib/integrity/chain.ts). Records are sealed shortly after
 * they are written (db/queries/integrity.ts), by whichever process gets the campaign's chain first; a record is
 * sealed once (unique kind and id). Append-only: a trigger in the migration refuses UPDATE and DELETE.
 */
export const chainLinks = pgTable(
  "chain_links",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    kind: text("kind", { enum: chainKinds }).notNull(),
    recordId: integer("record_id").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    sealedAt: timestamp("sealed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.seq] }),
    uniqueIndex("chain_links_record_idx").on(t.kind, t.recordId),
    index("chain_links_sealed_idx").on(t.campaignId, t.sealedAt),
    check("chain_links_kind_check", oneOf(t.kind, chainKinds)),
    check("chain_links_hash_check", sql`${t.hash} ~ '^[0-9a-f]{64}$'`),
  ],
);
export type ChainLink = typeof chainLinks.$inferSelect;
