import { and, eq } from "drizzle-orm";
import { type Actor, requireActor } from "@/lib/auth/policy";
import type { NotificationEmailInput, NotificationPreferencesInput } from "@/lib/contract/subscriptions";
import { type DeliveryMode, type NotificationKind, notificationKinds } from "@/lib/discussion/model";
import { AppError } from "@/lib/errors";
import { isMailEnabled, mailSettings } from "@/lib/mail/config";
import { emailConfirmMail } from "@/lib/mail/messages";
import { CONFIRM_LINK_HOURS, hashMailToken, looksLikeMailToken, newMailToken } from "@/lib/mail/tokens";
import type { Db, Queryable } from "../index";
import { notificationPreferences, userEmails, users } from "../schema";
import { enqueueMail } from "./outbox";
import { hitRateLimit } from "./rate-limits";

// A person's e-mail address for notifications (confirmed by a link before anything is sent to it) and how each kind
// of notification reaches them: in the app only (the default), by e-mail at once, or in a daily or weekly digest.

export interface NotificationMailSettings {
  email: string | null;
  confirmed: boolean;
  /** Until when the confirmation link sent last works (while unconfirmed). */
  linkExpiresAt: Date | null;
  delivery: Record<NotificationKind, DeliveryMode>;
}

export async function getNotificationMailSettings(db: Queryable, actor: Actor): Promise<NotificationMailSettings> {
  requireActor(actor);
  const [[address], preferences] = await Promise.all([
    db.select().from(userEmails).where(eq(userEmails.userId, actor.id)),
    db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, actor.id)),
  ]);
  const delivery = Object.fromEntries(notificationKinds.map((k) => [k, "in_app"])) as Record<NotificationKind, DeliveryMode>;
  for (const p of preferences) delivery[p.kind] = p.delivery;
  return {
    email: address?.email ?? null,
    confirmed: Boolean(address?.confirmedAt),
    linkExpiresAt: address && !address.confirmedAt ? address.tokenExpiresAt : null,
    delivery,
  };
}

/**
 * Set (or change) the caller's address: it is unconfirmed until the link mailed to it is opened, and nothing else is
 * sent to it before. Setting the confirmed address again changes nothing. Five links an hour per person at most (429).
 */
export async function setNotificationEmail(db: Db, actor: Actor, input: NotificationEmailInput): Promise<{ sent: boolean }> {
  requireActor(actor);
  if (!isMailEnabled()) throw new AppError("mail_off", "E-mail is off on this notebook: notifications stay in the app.");
  const [current] = await db.select().from(userEmails).where(eq(userEmails.userId, actor.id));
  if (current?.confirmedAt && current.email.toLowerCase() === input.email.toLowerCase()) return { sent: false };
  await hitRateLimit(db, `email-confirm:user:${actor.id}`, 5, 3600);
  const settings = mailSettings();
  const { token, hash } = newMailToken();
  const mail = await emailConfirmMail({
    siteName: settings.siteName,
    login: actor.login,
    confirmUrl: `${settings.publicUrl}/settings/email/confirm?token=${token}`,
    settingsUrl: `${settings.publicUrl}/settings`,
  });
  const row = { email: input.email, tokenHash: hash, tokenExpiresAt: new Date(Date.now() + CONFIRM_LINK_HOURS * 3600 * 1000), confirmedAt: null };
  await db.transaction(async (tx) => {
    await tx
      .insert(userEmails)
      .values({ userId: actor.id, ...row })
      .onConflictDoUpdate({ target: userEmails.userId, set: row });
    await enqueueMail(tx, { dedupeKey: `email-confirm:${actor.id}:${hash.slice(0, 24)}`, kind: "email-confirm", to: input.email, ...mail });
  });
  return { sent: true };
}

/** The caller removes their address: no more mail, whatever the preferences say. */
export async function removeNotificationEmail(db: Queryable, actor: Actor): Promise<void> {
  requireActor(actor);
  await db.delete(userEmails).where(eq(userEmails.userId, actor.id));
}

export type EmailLinkState = "valid" | "done" | "expired" | "invalid";

async function addressByToken(db: Queryable, token: string) {
  if (!looksLikeMailToken(token)) return null;
  const [row] = await db
    .select({ address: userEmails, login: users.login })
    .from(userEmails)
    .innerJoin(users, eq(users.id, userEmails.userId))
    .where(eq(userEmails.tokenHash, hashMailToken(token)));
  return row ?? null;
}

/** What a confirmation link would do, without doing it. */
export async function checkEmailLink(db: Queryable, token: string): Promise<{ state: EmailLinkState; login: string | null }> {
  const row = await addressByToken(db, token);
  if (!row) return { state: "invalid", login: null };
  if (row.address.confirmedAt) return { state: "done", login: row.login };
  if (!row.address.tokenExpiresAt || row.address.tokenExpiresAt < new Date()) return { state: "expired", login: row.login };
  return { state: "valid", login: row.login };
}

/**
 * Confirm an address with the token of its link (whoever opens it: having the mail is the proof). 404 for a forged
 * link or one replaced by a newer address, 410 for an expired one; twice answers `already_confirmed`.
 */
export async function confirmNotificationEmail(db: Queryable, token: string): Promise<"confirmed" | "already_confirmed"> {
  const row = await addressByToken(db, token);
  if (!row) throw new AppError("not_found", "This confirmation link is not valid: a newer address may have replaced it.");
  if (row.address.confirmedAt) return "already_confirmed";
  if (!row.address.tokenExpiresAt || row.address.tokenExpiresAt < new Date()) {
    throw new AppError("gone", `This confirmation link has expired (links work for ${CONFIRM_LINK_HOURS} hours). Set the address again in your settings.`);
  }
  await db
    .update(userEmails)
    .set({ confirmedAt: new Date() })
    .where(and(eq(userEmails.userId, row.address.userId), eq(userEmails.tokenHash, row.address.tokenHash!)));
  return "confirmed";
}

/** The caller's delivery mode for each kind named; kinds left out keep theirs. */
export async function setNotificationPreferences(db: Db, actor: Actor, input: NotificationPreferencesInput): Promise<void> {
  requireActor(actor);
  const rows = Object.entries(input).map(([kind, delivery]) => ({ userId: actor.id, kind: kind as NotificationKind, delivery: delivery }));
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    for (const row of rows) {
      await tx
        .insert(notificationPreferences)
        .values(row)
        .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { delivery: row.delivery } });
    }
  });
}
