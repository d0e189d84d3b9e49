// Following and taking part: comments (with their append-only versions), notifications, watches and delivery
// preferences, newsletter subscriptions, the newsletter itself, and the mail outbox everything is sent through.
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, check } from "drizzle-orm/pg-core";
import { commentTargetKinds, deliveryModes, mailStatuses, notificationKinds, subscriptionStatuses, watchTargetKinds } from "../../lib/discussion/model";
import { createdAt, oneOf } from "./columns";
import { campaigns } from "./campaigns";
import { users } from "./identity";
import { entries } from "./notebook";
import { molecules } from "./registry";

/**
 * A comment on an entry, a molecule or a reaction (of an entry). `body` is the current text; every text it ever had
 * is in `comment_versions` (append-only). Nobody deletes: a maintainer hides a comment with a reason.
 */
export const comments = pgTable(
  "comments",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    targetKind: text("target_kind", { enum: commentTargetKinds }).notNull(),
    entryId: integer("entry_id").references(() => entries.id),
    moleculeId: integer("molecule_id").references(() => molecules.id),
    /** For a reaction: its id within the entry (`entryId` is set too). */
    reactionId: text("reaction_id"),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id),
    replyToId: integer("reply_to_id"),
    body: text("body").notNull(),
    versionCount: integer("version_count").notNull().default(1),
    question: boolean("question").notNull().default(false),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answeredById: integer("answered_by_id").references(() => users.id),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenById: integer("hidden_by_id").references(() => users.id),
    hiddenReason: text("hidden_reason"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("comments_entry_idx").on(t.entryId, t.id),
    index("comments_molecule_idx").on(t.moleculeId, t.id),
    index("comments_campaign_idx").on(t.campaignId, t.createdAt),
    index("comments_author_idx").on(t.authorId, t.createdAt),
    check("comments_target_kind_check", oneOf(t.targetKind, commentTargetKinds)),
  ],
);
export type Comment = typeof comments.$inferSelect;

/** Every text a comment has had, numbered from 1. Append-only (trigger in the migration). */
export const commentVersions = pgTable(
  "comment_versions",
  {
    id: serial("id").primaryKey(),
    commentId: integer("comment_id")
      .notNull()
      .references(() => comments.id),
    number: integer("number").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("comment_versions_comment_number_idx").on(t.commentId, t.number)],
);

/**
 * One notification for one person. `dedupeKey` names the event it is about (e.g. `mention:comment:12`), and
 * (user, dedupe key) is unique, so an event notifies a person once however often it is processed.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    actorId: integer("actor_id").references(() => users.id),
    campaignId: integer("campaign_id").references(() => campaigns.id),
    title: text("title").notNull(),
    summary: text("summary"),
    /** Path of the page it is about, e.g. /entries/3#comment-12. */
    path: text("path").notNull(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** When it went out by e-mail (at once or in a digest); null while it has not (or will not). */
    mailedAt: timestamp("mailed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_user_dedupe_idx").on(t.userId, t.dedupeKey),
    index("notifications_user_unread_idx").on(t.userId, t.id).where(sql`${t.readAt} is null`),
    index("notifications_user_idx").on(t.userId, t.id),
    check("notifications_kind_check", oneOf(t.kind, notificationKinds)),
  ],
);
export type Notification = typeof notifications.$inferSelect;

/** "Watch": a person follows a campaign, a molecule or an entry. */
export const watches = pgTable(
  "watches",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    targetKind: text("target_kind", { enum: watchTargetKinds }).notNull(),
    targetId: integer("target_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.targetKind, t.targetId] }), index("watches_target_idx").on(t.targetKind, t.targetId)],
);

/** How a person wants each kind of notification: in the app only (the default), by e-mail at once, or in a digest. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    delivery: text("delivery", { enum: deliveryModes }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] }), check("notification_preferences_delivery_check", oneOf(t.delivery, deliveryModes))],
);

/** A person's e-mail address for notifications (confirmed by a link before anything is sent to it). */
export const userEmails = pgTable("user_emails", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id),
  email: text("email").notNull(),
  /** SHA-256 of the confirmation token while unconfirmed. */
  tokenHash: text("token_hash"),
  tokenExpiresAt: timestamp("token_expires_at", { withTimezone: true }),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * Newsletter subscriptions without an account: double opt-in (a confirmation link that expires), one-click
 * unsubscribe. Only token hashes are stored; the address is never shown to anyone.
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    email: text("email").notNull(),
    status: text("status", { enum: subscriptionStatuses }).notNull().default("pending"),
    confirmTokenHash: text("confirm_token_hash"),
    confirmExpiresAt: timestamp("confirm_expires_at", { withTimezone: true }),
    unsubscribeTokenHash: text("unsubscribe_token_hash").notNull(),
    createdAt: createdAt(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("subscriptions_campaign_email_idx").on(t.campaignId, sql`lower(${t.email})`),
    uniqueIndex("subscriptions_unsubscribe_idx").on(t.unsubscribeTokenHash),
    index("subscriptions_confirm_idx").on(t.confirmTokenHash),
    check("subscriptions_status_check", oneOf(t.status, subscriptionStatuses)),
  ],
);
export type Subscription = typeof subscriptions.$inferSelect;

/**
 * A campaign's newsletter of one ISO week (`2026-W49`): drafted from the week's activity, edited by a maintainer
 * (editorial paragraph, pinned and dropped items), sent, and archived publicly.
 */
export const newsletters = pgTable(
  "newsletters",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    week: text("week").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true }).notNull(),
    editorial: text("editorial"),
    /** Item keys a maintainer pinned to the top or dropped. */
    pinned: jsonb("pinned").$type<string[]>().notNull().default([]),
    dropped: jsonb("dropped").$type<string[]>().notNull().default([]),
    /** The drafted content (lib/newsletter), refreshed until it is sent. */
    content: jsonb("content").$type<unknown>().notNull(),
    /** When it goes out by itself unless a maintainer sends it earlier. */
    sendAt: timestamp("send_at", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("newsletters_campaign_week_idx").on(t.campaignId, t.week)],
);
export type Newsletter = typeof newsletters.$inferSelect;

/** Which subscriber got which newsletter: sending a week again sends only to those who have not had it. */
export const newsletterDeliveries = pgTable(
  "newsletter_deliveries",
  {
    newsletterId: integer("newsletter_id")
      .notNull()
      .references(() => newsletters.id),
    subscriptionId: integer("subscription_id")
      .notNull()
      .references(() => subscriptions.id),
    outboxId: integer("outbox_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.newsletterId, t.subscriptionId] })],
);

/**
 * Every message the notebook sends, written in the transaction that decides to send it and claimed by any app
 * process (`FOR UPDATE SKIP LOCKED`). `dedupeKey` makes enqueueing idempotent; `messageId` is fixed when the row is
 * written, so a retry after a lost SMTP answer carries the same Message-ID.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: serial("id").primaryKey(),
    dedupeKey: text("dedupe_key").notNull(),
    messageId: text("message_id").notNull(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    status: text("status", { enum: mailStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** A claim: the process that is sending it and until when (a crashed sender's claim lapses). */
    claimedBy: text("claimed_by"),
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mail_outbox_dedupe_idx").on(t.dedupeKey),
    uniqueIndex("mail_outbox_message_id_idx").on(t.messageId),
    index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check("mail_outbox_status_check", oneOf(t.status, mailStatuses)),
  ],
);
export type OutboxMessage = typeof mailOutbox.$inferSelect;

/** Scheduled work that must run once per period across processes (weekly drafts, digests): the row is the claim. */
export const scheduledRuns = pgTable(
  "scheduled_runs",
  {
    name: text("name").notNull(),
    period: text("period").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.name, t.period] })],
);
