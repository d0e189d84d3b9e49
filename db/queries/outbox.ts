import crypto from "node:crypto";
import os from "node:os";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { mailSettings } from "@/lib/mail/config";
import { assertHeaderValue, checkExtraHeaders, newMessageId, requireMailAddress } from "@/lib/mail/headers";
import { MAX_SEND_ATTEMPTS, retryDelayMs } from "@/lib/mail/schedule";
import { isPermanentSmtpError, type MailTransport } from "@/lib/mail/transport";
import { AppError } from "@/lib/errors";
import type { Db, Queryable } from "../index";
import { mailOutbox, type OutboxMessage } from "../schema";

// The mail outbox: every message the notebook sends is a row, written in the transaction that decides to send it,
// and sent by whichever app process claims it.
//
// Exactly once, and the one window where it is not: a process claims due rows (FOR UPDATE SKIP LOCKED, so two
// processes never claim one row) and commits the claim; then, outside any transaction, it renews its claim on one
// message, sends it over SMTP with the Message-ID fixed at enqueue, and marks it sent, before the next. A process that
// dies leaves claims that lapse after NOTEBOOK_MAIL_CLAIM_SECONDS; another process sends those messages then, with the
// same Message-ID. The one window: the SMTP server has accepted a message and the process dies (or the database is
// unreachable) before the row is marked sent. That message is sent again after the claim lapses, with the same
// Message-ID, so a receiving system that de-duplicates by Message-ID shows it once; the sink counts two deliveries.

export interface MailMessage {
  /** Names the message for good: enqueueing the same key again changes nothing and answers the first row. */
  dedupeKey: string;
  /** What it is, for people reading the outbox: `subscription-confirm`, `newsletter`, `notification`, ... */
  kind: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post); one line each, none of the notebook's own. */
  headers?: Record<string, string>;
}

/**
 * Queue a message, idempotently by `dedupeKey`: the first call writes the row (with its Message-ID, fixed now), any
 * later call answers the same id with `created: false`. Call it inside the transaction that decides to send, so the
 * message exists exactly when the decision does. An address or a header that could smuggle in another header is
 * refused (422). Callers check `isMailEnabled()` first: while e-mail is off the notebook queues nothing.
 */
export async function enqueueMail(tx: Queryable, message: MailMessage): Promise<{ id: number; created: boolean }> {
  requireMailAddress(message.to, "to");
  if (!message.subject.trim()) throw new AppError("validation_failed", "A message needs a subject.");
  assertHeaderValue("Subject", message.subject);
  const headers = checkExtraHeaders(message.headers ?? {});
  if (!message.dedupeKey || message.dedupeKey.length > 500) throw new AppError("validation_failed", "A message needs a dedupe key of at most 500 characters.");
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      dedupeKey: message.dedupeKey,
      messageId: newMessageId(mailSettings().messageIdHost),
      kind: message.kind,
      toAddress: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers,
    })
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ id: mailOutbox.id });
  if (row) return { id: row.id, created: true };
  const [existing] = await tx.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.dedupeKey, message.dedupeKey));
  if (!existing) throw new Error(`enqueueMail: ${message.dedupeKey} conflicted but cannot be read`);
  return { id: existing.id, created: false };
}

/** This process's name in claims: host, pid and a random part (a pid can come back after a restart). */
export const processOwner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;

const lease = (ms: number) => sql`now() + ${Math.max(1, Math.round(ms))}::integer * interval '1 millisecond'`;

/**
 * Claim up to `limit` due messages for `owner` and commit: pending rows whose next attempt is due, which includes
 * rows whose earlier claim lapsed (a claim moves the next attempt to the claim's end). Counts the attempt.
 */
export async function claimDueMail(db: Db, owner: string, limit: number, claimMs: number): Promise<OutboxMessage[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, sql`now()`)))
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    const until = lease(claimMs);
    const claimed = await tx
      .update(mailOutbox)
      .set({ claimedBy: owner, claimedUntil: until, nextAttemptAt: until, attempts: sql`${mailOutbox.attempts} + 1` })
      .where(inArray(mailOutbox.id, due.map((d) => d.id)))
      .returning();
    return claimed.sort((a, b) => a.id - b.id);
  });
}

/** Still ours? Renew the claim right before sending; false when it lapsed and another process took the message. */
async function renewClaim(db: Db, id: number, owner: string, claimMs: number): Promise<boolean> {
  const until = lease(claimMs);
  const renewed = await db
    .update(mailOutbox)
    .set({ claimedUntil: until, nextAttemptAt: until })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.claimedBy, owner), eq(mailOutbox.status, "pending")))
    .returning({ id: mailOutbox.id });
  return renewed.length === 1;
}

async function markSent(db: Db, id: number): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ status: "sent", sentAt: sql`now()`, claimedBy: null, claimedUntil: null, lastError: null })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, "pending")));
}

async function markFailedAttempt(db: Db, message: OutboxMessage, owner: string, error: unknown, options: Required<Pick<SendOptions, "maxAttempts" | "retryBaseMs">>) {
  const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const giveUp = isPermanentSmtpError(error) || message.attempts >= options.maxAttempts;
  await db
    .update(mailOutbox)
    .set(
      giveUp
        ? { status: "failed", claimedBy: null, claimedUntil: null, lastError }
        : { claimedBy: null, claimedUntil: null, lastError, nextAttemptAt: sql`now() + ${Math.round(retryDelayMs(message.attempts, options.retryBaseMs))}::integer * interval '1 millisecond'` },
    )
    .where(and(eq(mailOutbox.id, message.id), eq(mailOutbox.claimedBy, owner), eq(mailOutbox.status, "pending")));
  return giveUp;
}

export interface SendOptions {
  transport: MailTransport;
  /** The From of every message; default NOTEBOOK_MAIL_FROM. */
  from?: string;
  owner?: string;
  /** Messages per claim. */
  batchSize?: number;
  /** How long a claim holds; default NOTEBOOK_MAIL_CLAIM_SECONDS. */
  claimMs?: number;
  /** Claims per call, at most (the runner calls again at its next tick). */
  maxBatches?: number;
  maxAttempts?: number;
  /** First retry delay; it doubles with each failed attempt (at most 2 h). */
  retryBaseMs?: number;
  /** Called after each message is marked sent (tests stop a sender between batches with it). */
  onSent?: (message: OutboxMessage) => void | Promise<void>;
}

export interface SendReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Claimed, then found taken over by another process (our claim had lapsed). */
  lost: number;
}

/** Send what is due: claim a batch, send it one message after the other, claim the next, until none is due. */
export async function sendDueMail(db: Db, options: SendOptions): Promise<SendReport> {
  const settings = mailSettings();
  const owner = options.owner ?? processOwner;
  const claimMs = options.claimMs ?? settings.claimMs;
  const retry = { maxAttempts: options.maxAttempts ?? MAX_SEND_ATTEMPTS, retryBaseMs: options.retryBaseMs ?? 60_000 };
  const report: SendReport = { sent: 0, retrying: 0, failed: 0, lost: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 20); batch++) {
    const claimed = await claimDueMail(db, owner, options.batchSize ?? 20, claimMs);
    if (claimed.length === 0) break;
    for (const message of claimed) {
      if (!(await renewClaim(db, message.id, owner, claimMs))) {
        report.lost++;
        continue;
      }
      try {
        await options.transport.send({
          from: options.from ?? settings.from,
          to: message.toAddress,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId: message.messageId,
          headers: message.headers,
        });
      } catch (error) {
        const gaveUp = await markFailedAttempt(db, message, owner, error, retry);
        if (gaveUp) report.failed++;
        else report.retrying++;
        console.error(`[mail] ${message.kind} #${message.id} ${gaveUp ? "failed for good" : "will be retried"}:`, (error as Error).message);
        continue;
      }
      // Accepted by the SMTP server: record it before anything else. If this write fails, the message goes again after
      // its claim lapses, with the same Message-ID (the one window, see the top of this file).
      await markSent(db, message.id);
      report.sent++;
      await options.onSent?.(message);
    }
  }
  return report;
}

/** How many messages are in each state (for tests, and for a look at the outbox). */
export async function outboxCounts(db: Queryable): Promise<Record<"pending" | "sent" | "failed", number>> {
  const rows = await db
    .select({ status: mailOutbox.status, count: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .groupBy(mailOutbox.status);
  const counts = { pending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.status] = r.count;
  return counts;
}
