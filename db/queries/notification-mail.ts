import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { DeliveryMode } from "@/lib/discussion/model";
import { isMailEnabled, mailSettings } from "@/lib/mail/config";
import { digestMail, notificationMail, type MailedNotification } from "@/lib/mail/messages";
import { dayPeriod, isoWeekPeriod } from "@/lib/mail/schedule";
import type { Db } from "../index";
import { notificationPreferences, notifications, userEmails } from "../schema";
import { enqueueMail } from "./outbox";
import { runOnce } from "./scheduled";

// Notifications by e-mail, for people who set a confirmed address and chose e-mail for a kind: one message per
// notification ("immediate"), or a digest once a day or once a week (UTC; runOnce makes it once across processes).
// Each notification is queued and marked mailed (mailedAt) in one transaction, and its message has a dedupe key, so
// however many processes look at once and however often, nothing is mailed twice. Notifications older than the
// look-back below are not mailed any more (someone who turns e-mail on is not sent last month's news).

const LOOK_BACK_HOURS: Record<Exclude<DeliveryMode, "in_app">, number> = { immediate: 24, daily: 3 * 24, weekly: 15 * 24 };
const BATCH = 50;
/** Most notifications in one digest; the rest wait for the next one. */
const DIGEST_MAX = 100;

const since = (hours: number) => sql`now() - ${hours}::integer * interval '1 hour'`;

function mailed(n: { title: string; summary: string | null; path: string; createdAt: Date }, publicUrl: string): MailedNotification {
  const path = n.path.startsWith("/") ? n.path : `/${n.path}`;
  return { title: n.title, summary: n.summary, url: `${publicUrl}${path}`, createdAt: n.createdAt };
}

/** One message for each due notification whose owner wants it at once. */
export async function mailImmediateNotifications(db: Db): Promise<number> {
  const settings = mailSettings();
  let queued = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const due = await tx
        .select({
          id: notifications.id,
          title: notifications.title,
          summary: notifications.summary,
          path: notifications.path,
          createdAt: notifications.createdAt,
          email: userEmails.email,
        })
        .from(notifications)
        .innerJoin(
          notificationPreferences,
          and(
            eq(notificationPreferences.userId, notifications.userId),
            eq(notificationPreferences.kind, notifications.kind),
            eq(notificationPreferences.delivery, "immediate"),
          ),
        )
        .innerJoin(userEmails, and(eq(userEmails.userId, notifications.userId), isNotNull(userEmails.confirmedAt)))
        .where(and(isNull(notifications.mailedAt), gt(notifications.createdAt, since(LOOK_BACK_HOURS.immediate))))
        .orderBy(asc(notifications.id))
        .limit(BATCH)
        .for("update", { of: notifications, skipLocked: true });
      for (const row of due) {
        const mail = await notificationMail({ siteName: settings.siteName, notification: mailed(row, settings.publicUrl), settingsUrl: `${settings.publicUrl}/settings` });
        await enqueueMail(tx, { dedupeKey: `notification:${row.id}`, kind: "notification", to: row.email, ...mail });
      }
      if (due.length) await tx.update(notifications).set({ mailedAt: sql`now()` }).where(inArray(notifications.id, due.map((d) => d.id)));
      return due.length;
    });
    queued += n;
    if (n < BATCH) return queued;
  }
}

/** The digests of one cadence and period: one message per person with something new, the notifications marked mailed. */
export async function mailDigests(db: Db, cadence: "daily" | "weekly", period: string): Promise<number> {
  const settings = mailSettings();
  const people = await db
    .selectDistinct({ userId: notificationPreferences.userId, email: userEmails.email })
    .from(notificationPreferences)
    .innerJoin(userEmails, and(eq(userEmails.userId, notificationPreferences.userId), isNotNull(userEmails.confirmedAt)))
    .where(eq(notificationPreferences.delivery, cadence))
    .orderBy(asc(notificationPreferences.userId));
  let queued = 0;
  for (const person of people) {
    queued += await db.transaction(async (tx) => {
      const kinds = tx
        .select({ kind: notificationPreferences.kind })
        .from(notificationPreferences)
        .where(and(eq(notificationPreferences.userId, person.userId), eq(notificationPreferences.delivery, cadence)));
      const due = await tx
        .select({ id: notifications.id, title: notifications.title, summary: notifications.summary, path: notifications.path, createdAt: notifications.createdAt })
        .from(notifications)
        .where(
          and(
            eq(notifications.userId, person.userId),
            isNull(notifications.mailedAt),
            inArray(notifications.kind, kinds),
            gt(notifications.createdAt, since(LOOK_BACK_HOURS[cadence])),
          ),
        )
        .orderBy(asc(notifications.id))
        .limit(DIGEST_MAX)
        .for("update", { skipLocked: true });
      if (due.length === 0) return 0;
      const mail = await digestMail({
        siteName: settings.siteName,
        cadence,
        period,
        notifications: due.map((d) => mailed(d, settings.publicUrl)),
        settingsUrl: `${settings.publicUrl}/settings`,
      });
      const { created } = await enqueueMail(tx, { dedupeKey: `digest:${cadence}:${period}:${person.userId}`, kind: `digest-${cadence}`, to: person.email, ...mail });
      // Already sent for this period (a run taken over): what came since waits for the next period's digest.
      if (!created) return 0;
      await tx.update(notifications).set({ mailedAt: sql`now()` }).where(inArray(notifications.id, due.map((d) => d.id)));
      return 1;
    });
  }
  return queued;
}

/**
 * What the mail runner does at each tick before sending: queue immediate notifications, and the day's and the week's
 * digests once per period (the first tick of a UTC day, of an ISO week, in any process).
 */
export async function mailDueNotifications(db: Db, now = new Date()): Promise<{ immediate: number; daily: number; weekly: number }> {
  if (!isMailEnabled()) return { immediate: 0, daily: 0, weekly: 0 };
  const immediate = await mailImmediateNotifications(db);
  const day = dayPeriod(now);
  const week = isoWeekPeriod(now);
  const daily = await runOnce(db, "notification-digest:daily", day, () => mailDigests(db, "daily", day));
  const weekly = await runOnce(db, "notification-digest:weekly", week, () => mailDigests(db, "weekly", week));
  return { immediate, daily: daily.ran ? daily.result : 0, weekly: weekly.ran ? weekly.result : 0 };
}
