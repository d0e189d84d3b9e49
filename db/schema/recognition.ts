// Structures recognized in entries' pictures (issue 18): every image or PDF attached to an entry is scanned once in
// the background by OSRA (lib/ocsr), and what it found is kept beside the attachment, derived data that a rescan
// replaces. Never part of the campaign archive: an imported campaign's pictures are scanned again where it lands.
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, real, serial, text, timestamp } from "drizzle-orm/pg-core";
import { scanStatuses } from "../../lib/ocsr/scan";
import { bytea, createdAt, oneOf } from "./columns";
import { attachments, entries } from "./notebook";

/**
 * One row per picture attachment: the durable job that scans it. Claimed by one app process at a time (FOR UPDATE
 * SKIP LOCKED, then a lease until `claimedUntil`; a process killed mid-scan leaves a claim that lapses and another
 * takes the picture over). `recognizer` names OSRA's version and the notebook's pipeline that made the result, so a
 * rescan after an upgrade can choose the pictures read by an older one.
 */
export const attachmentScans = pgTable(
  "attachment_scans",
  {
    attachmentId: integer("attachment_id")
      .primaryKey()
      .references(() => attachments.id),
    status: text("status", { enum: scanStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    recognizer: text("recognizer"),
    /** Structures found by the last finished scan. */
    found: integer("found").notNull().default(0),
    /** Why a scan failed, or what it warned about (pages skipped); null when there is nothing to say. */
    message: text("message"),
    scannedAt: timestamp("scanned_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("attachment_scans_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    check("attachment_scans_status_check", oneOf(t.status, scanStatuses)),
  ],
);
export type AttachmentScan = typeof attachmentScans.$inferSelect;

/** A structure OSRA found in a picture attachment, read by the chemistry sandbox like any untrusted structure. */
export const recognizedStructures = pgTable(
  "recognized_structures",
  {
    id: serial("id").primaryKey(),
    attachmentId: integer("attachment_id")
      .notNull()
      .references(() => attachments.id),
    entryId: integer("entry_id")
      .notNull()
      .references(() => entries.id),
    page: integer("page").notNull(),
    box: jsonb("box").$type<{ x: number; y: number; width: number; height: number }>().notNull(),
    smiles: text("smiles").notNull(),
    idcode: text("idcode").notNull(),
    formula: text("formula").notNull(),
    confidence: real("confidence").notNull(),
    votes: integer("votes").notNull(),
    readings: integer("readings").notNull(),
    /** Labels the recognizer could not read, guessed (lib/ocsr/repair.ts); null when nothing was guessed. */
    guessed: jsonb("guessed").$type<{ asCarbon: number; leftOut: number }>(),
    /** What structure search keeps of it (lib/search/record.ts), so "also search recognized structures" can match it. */
    searchRecord: bytea("search_record"),
    createdAt: createdAt(),
  },
  (t) => [
    index("recognized_structures_attachment_idx").on(t.attachmentId),
    index("recognized_structures_entry_idx").on(t.entryId),
    index("recognized_structures_idcode_idx").on(t.idcode),
  ],
);
export type RecognizedStructureRow = typeof recognizedStructures.$inferSelect;
