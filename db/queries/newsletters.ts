/**
 * The weekly newsletter (issue 14): a campaign's activity in an ISO week gathered from the tables, drafted by
 * lib/newsletter (a pure function), edited by maintainers (editorial, pins, drops, send time), published and queued
 * for every confirmed subscriber through the mail outbox, exactly once per subscriber however often it is sent.
 *
 * Until a week is sent its draft is made afresh from the activity whenever it is read (so the page, the API and a
 * maintainer's preview always show what would go out); the stored row keeps the edits and the last draft. Sending
 * freezes the content: the archive, the feed and every later delivery show what went out.
 *
 * Longer than our usual 400 lines on purpose: one newsletter's life from draft to delivery (reading, editing,
 * publishing, queueing, the scheduler's two steps) reads best in one place; gathering the activity is its own file.
 */
import { and, asc, count, desc, eq, gte, isNotNull, isNull, lte, notExists, sql } from "drizzle-orm";
import { requireActor, requireMaintainer, type Actor } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";

import { escapeHtml } from "@/lib/feed";
import type { EditNewsletterInput } from "@/lib/contract/newsletters";
import { mailSettings } from "@/lib/mail/config";
import { draftNewsletter as draftFromActivity } from "@/lib/newsletter/draft";
import { composeIssue, EDIT_KEYS_MAX, toggleKey } from "@/lib/newsletter/issue";
import type { NewsletterContent, NewsletterEdits, NewsletterIssue } from "@/lib/newsletter/model";

import { renderNewsletterEmail } from "@/lib/newsletter/render";
import { weekProblem, weekWindow } from "@/lib/newsletter/week";
import type { Queryable } from "../index";
import { campaigns, newsletterDeliveries, newsletters, subscriptions, type Campaign, type Newsletter } from "../schema";
import { requireCampaign, roleIn } from "./campaigns";

import { gatherNewsletterActivity } from "./newsletter-activity";
import { enqueueMail } from "./outbox";
import { subscriptionMailHeaders, unsubscribeUrlFor } from "./subscriptions";

const DAY = 86_400_000;
export { gatherNewsletterActivity };

/** A draft the weekly run makes goes out by itself on the Tuesday after its week, 09:00 UTC, unless a maintainer changes that. */
export const DEFAULT_SEND_DELAY_MS = DAY + 9 * 3_600_000;
/** Subscribers queued per transaction when sending. */
const SEND_BATCH = 100;

export interface NewsletterView {
  /** The stored row's id; null for a week never drafted or edited (its draft is made on the fly). */
  id: number | null;
  campaign: Campaign;
  week: string;
  status: "draft" | "sent";
  sendAt: Date | null;
  sentAt: Date | null;
  edits: NewsletterEdits;
  content: NewsletterContent;
  issue: NewsletterIssue;
  /** Subscribers it has been queued for. */
  deliveries: number;
}

/** A week that has not begun has no newsletter (nor a draft): 404. */
function requireBegun(week: string, now: Date): { start: Date; end: Date } {
  const problem = weekProblem(week);
  if (problem !== null) throw new AppError("validation_failed", `week: ${problem}`, { fields: { week: problem } });
  const window = weekWindow(week);
  if (window.start > now) throw new AppError("not_found", `Week ${week} has not begun yet: there is no newsletter for it.`);
  return window;
}

const editsOf = (row: Newsletter | null): NewsletterEdits => ({
  editorial: row?.editorial ?? null,
  pinned: row?.pinned ?? [],
  dropped: row?.dropped ?? [],
});

// ----- reading ----------------------------------------------------------------------------------------------------

async function storedRow(db: Queryable, campaignId: number, week: string): Promise<Newsletter | null> {
  const [row] = await db
    .select()
    .from(newsletters)
    .where(and(eq(newsletters.campaignId, campaignId), eq(newsletters.week, week)));
  return row ?? null;
}

async function deliveryCount(db: Queryable, newsletterId: number | null): Promise<number> {
  if (newsletterId === null) return 0;
  const [row] = await db.select({ n: count() }).from(newsletterDeliveries).where(eq(newsletterDeliveries.newsletterId, newsletterId));
  return row?.n ?? 0;
}

function view(campaign: Campaign, week: string, row: Newsletter | null, content: NewsletterContent, deliveries: number): NewsletterView {
  const edits = editsOf(row);
  return {
    id: row?.id ?? null,
    campaign,
    week,
    status: row?.sentAt ? "sent" : "draft",
    sendAt: row?.sendAt ?? null,
    sentAt: row?.sentAt ?? null,
    edits,
    content,
    issue: composeIssue(content, edits),
    deliveries,
  };
}

/** A week's newsletter: what went out when it was sent, else the draft as the activity stands now. */
export async function getNewsletter(db: Queryable, slug: string, week: string, now = new Date()): Promise<NewsletterView> {
  const campaign = await requireCampaign(db, slug);
  requireBegun(week, now);
  const row = await storedRow(db, campaign.id, week);
  const content = row?.sentAt ? (row.content as NewsletterContent) : draftFromActivity(await gatherNewsletterActivity(db, campaign, week));
  return view(campaign, week, row, content, await deliveryCount(db, row?.id ?? null));
}

export interface NewsletterListItem {
  week: string;
  status: "draft" | "sent";
  windowStart: Date;
  windowEnd: Date;
  sendAt: Date | null;
  sentAt: Date | null;
  /** Items a reader sees (of the stored draft, for a draft). */
  items: number;
  editorial: string | null;
}

/** A campaign's stored newsletters, newest week first (sent ones, and drafts the weekly run or a maintainer made). */
export async function listNewsletters(
  db: Queryable,
  slug: string,
  options: { sentOnly?: boolean; limit?: number } = {},
): Promise<NewsletterListItem[]> {
  const campaign = await requireCampaign(db, slug);
  const rows = await db
    .select()
    .from(newsletters)
    .where(and(eq(newsletters.campaignId, campaign.id), options.sentOnly ? isNotNull(newsletters.sentAt) : undefined))
    .orderBy(desc(newsletters.windowStart))
    .limit(Math.min(500, options.limit ?? 200));
  return rows.map((row) => {
    const issue = composeIssue(row.content as NewsletterContent, editsOf(row));
    return {
      week: row.week,
      status: row.sentAt ? ("sent" as const) : ("draft" as const),
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      sendAt: row.sendAt,
      sentAt: row.sentAt,
      items: issue.pinned.length + issue.sections.reduce((n, s) => n + s.items.length, 0),
      editorial: issue.editorial,
    };
  });
}

/** Sent newsletters with their issues, newest first, for the Atom feed. */
export async function sentNewsletters(
  db: Queryable,
  slug: string,
  limit = 20,
): Promise<{ campaign: Campaign; issues: (NewsletterIssue & { sentAt: Date })[] }> {
  const campaign = await requireCampaign(db, slug);
  const rows = await db
    .select()
    .from(newsletters)
    .where(and(eq(newsletters.campaignId, campaign.id), isNotNull(newsletters.sentAt)))
    .orderBy(desc(newsletters.sentAt))
    .limit(limit);
  return {
    campaign,
    issues: rows.map((row) => ({ ...composeIssue(row.content as NewsletterContent, editsOf(row)), sentAt: row.sentAt! })),
  };
}

// ----- drafting and editing --------------------------------------------------------------------------------------------

/**
 * Creates or refreshes the stored draft of a week from its activity (a sent newsletter is left as it went out).
 * `defaultSendAt`: a new draft with items gets the default send time (the weekly run's drafts go out by themselves).
 */
export async function draftNewsletter(
  db: Queryable,
  slug: string,
  week: string,
  options: { now?: Date; defaultSendAt?: boolean } = {},
): Promise<NewsletterView> {
  const now = options.now ?? new Date();
  const campaign = await requireCampaign(db, slug);
  const window = requireBegun(week, now);
  const content = draftFromActivity(await gatherNewsletterActivity(db, campaign, week));
  const sendAt = options.defaultSendAt && content.items.length > 0 ? new Date(window.end.getTime() + DEFAULT_SEND_DELAY_MS) : null;
  await db
    .insert(newsletters)
    .values({ campaignId: campaign.id, week, windowStart: window.start, windowEnd: window.end, content, sendAt })
    .onConflictDoUpdate({
      target: [newsletters.campaignId, newsletters.week],
      // A week a maintainer edited before it was drafted keeps a send time they set, else gets the default one.
      set: {
        content,
        updatedAt: sql`now()`,
        ...(sendAt ? { sendAt: sql`coalesce(${newsletters.sendAt}, ${sendAt.toISOString()}::timestamptz)` } : {}),
      },
      setWhere: isNull(newsletters.sentAt),
    });
  const row = await storedRow(db, campaign.id, week);
  return view(campaign, week, row, row?.sentAt ? (row.content as NewsletterContent) : content, await deliveryCount(db, row?.id ?? null));
}

/** Maintainers set the editorial, pins, drops and send time of a week not sent yet (the row is made if need be). */
export async function editNewsletter(
  db: Queryable,
  actor: Actor,
  slug: string,
  week: string,
  input: EditNewsletterInput,
  now = new Date(),
): Promise<NewsletterView> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  requireMaintainer(await roleIn(db, campaign.id, actor.id), campaign.name);
  const window = requireBegun(week, now);
  const content = draftFromActivity(await gatherNewsletterActivity(db, campaign, week));
  await db.transaction(async (tx) => {
    const row = await lockWeek(tx, campaign.id, week, window, content);
    if (row.sentAt)
      throw new AppError(
        "conflict",
        `The newsletter of ${week} was sent on ${row.sentAt.toISOString().slice(0, 16).replace("T", " ")} UTC; it is archived as it went out.`,
      );
    await tx
      .update(newsletters)
      .set({
        content,
        ...(input.editorial !== undefined ? { editorial: input.editorial?.trim() ? input.editorial.trim() : null } : {}),
        ...(input.pinned !== undefined ? { pinned: [...new Set(input.pinned)] } : {}),
        ...(input.dropped !== undefined ? { dropped: [...new Set(input.dropped)] } : {}),
        ...(input.sendAt !== undefined ? { sendAt: input.sendAt === null ? null : new Date(input.sendAt) } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(newsletters.id, row.id));
  });
  return getNewsletter(db, slug, week, now);
}

export type ItemEdit = "pin" | "unpin" | "drop" | "restore";

/** Maintainers pin or unpin one item, or drop or restore it (a pinned item that is dropped is unpinned). */
export async function editNewsletterItem(
  db: Queryable,
  actor: Actor,
  slug: string,
  week: string,
  key: string,
  edit: ItemEdit,
  now = new Date(),
): Promise<NewsletterView> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  const row = await storedRow(db, campaign.id, week);
  const { pinned, dropped } = editsOf(row);
  const next: { pinned: string[]; dropped: string[] } =
    edit === "pin" || edit === "unpin"
      ? { pinned: toggleKey(pinned, key, edit === "pin"), dropped: toggleKey(dropped, key, false) }
      : { pinned: edit === "drop" ? toggleKey(pinned, key, false) : [...pinned], dropped: toggleKey(dropped, key, edit === "drop") };
  if (next.pinned.length > EDIT_KEYS_MAX || next.dropped.length > EDIT_KEYS_MAX) {
    throw new AppError("validation_failed", `key: an issue keeps at most ${EDIT_KEYS_MAX} pinned and ${EDIT_KEYS_MAX} dropped items`, {
      fields: { key: "too many edits" },
    });
  }
  return editNewsletter(db, actor, slug, week, next, now);
}

// ----- sending -----------------------------------------------------------------------------------------------------

export interface SendOutcome {
  newsletter: NewsletterView;
  mail: "on" | "off";
  /** Messages queued by this call. */
  queued: number;
  /** Confirmed subscribers who had it already. */
  alreadyDelivered: number;
}

/**
 * A maintainer sends a week's newsletter now: it is published (its content frozen, sentAt set) and queued for every
 * confirmed subscriber who has not had it. Sending it again queues it only for those who have not. With e-mail off it
 * is published and archived, and nothing is queued.
 */
export async function sendNewsletter(db: Queryable, actor: Actor, slug: string, week: string, now = new Date()): Promise<SendOutcome> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  requireMaintainer(await roleIn(db, campaign.id, actor.id), campaign.name);
  const row = await publish(db, campaign, week, now);
  const delivered = await deliver(db, row);
  return { ...delivered, newsletter: await getNewsletter(db, slug, week, now) };
}

/** The week's row, made from the draft if there is none yet, locked for the rest of the transaction. */
async function lockWeek(
  tx: Queryable,
  campaignId: number,
  week: string,
  window: { start: Date; end: Date },
  content: Newsletter["content"],
): Promise<Newsletter> {
  await tx
    .insert(newsletters)
    .values({ campaignId, week, windowStart: window.start, windowEnd: window.end, content })
    .onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(newsletters)
    .where(and(eq(newsletters.campaignId, campaignId), eq(newsletters.week, week)))
    .for("update");
  return row!;
}

/** Freezes the week's content and marks it sent, once (a second caller finds it sent and changes nothing). */
async function publish(db: Queryable, campaign: Campaign, week: string, now: Date): Promise<Newsletter> {
  const window = requireBegun(week, now);
  const content = draftFromActivity(await gatherNewsletterActivity(db, campaign, week));
  return db.transaction(async (tx) => {
    const row = await lockWeek(tx, campaign.id, week, window, content);
    if (row.sentAt) return row;
    const [sent] = await tx
      .update(newsletters)
      .set({ content, sentAt: now, updatedAt: sql`now()` })
      .where(eq(newsletters.id, row.id))
      .returning();
    return sent!;
  });
}

/** Stands in for each subscriber's unsubscribe link in the message rendered once for all of them. */
const UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/newsletter-subscriber";

/**
 * Queues a published newsletter for each confirmed subscriber without a delivery: the delivery row and the outbox
 * message in one transaction, the message's dedupe key `newsletter:<id>:<subscription>`, so however many processes
 * send the same week at once, and however often, each subscriber gets it once.
 * `confirmedBy`: only subscribers confirmed by then (finishing an interrupted send does not reach later subscribers).
 */
async function deliver(db: Queryable, row: Newsletter, options: { confirmedBy?: Date } = {}): Promise<Omit<SendOutcome, "newsletter">> {
  const campaign = eq(subscriptions.campaignId, row.campaignId);
  const confirmed = and(
    campaign,
    eq(subscriptions.status, "confirmed"),
    options.confirmedBy ? lte(subscriptions.confirmedAt, options.confirmedBy) : undefined,
  );
  const had = db
    .select({ one: sql`1` })
    .from(newsletterDeliveries)
    .where(and(eq(newsletterDeliveries.newsletterId, row.id), eq(newsletterDeliveries.subscriptionId, subscriptions.id)));
  const [before] = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(and(confirmed, sql`exists (${had})`));
  const alreadyDelivered = before?.n ?? 0;
  const settings = mailSettings();
  if (!settings.enabled) return { mail: "off", queued: 0, alreadyDelivered };

  // Rendered once for everyone (the first time someone is missing it), each subscriber's unsubscribe link put in after.
  let message: Awaited<ReturnType<typeof renderNewsletterEmail>> | null = null;
  let queued = 0;
  let after = 0;
  for (;;) {
    const batch = await db
      .select({ id: subscriptions.id, email: subscriptions.email, campaignId: subscriptions.campaignId })
      .from(subscriptions)
      .where(and(confirmed, sql`${subscriptions.id} > ${after}`, notExists(had)))
      .orderBy(asc(subscriptions.id))
      .limit(SEND_BATCH);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    message ??= await renderNewsletterEmail(composeIssue(row.content as NewsletterContent, editsOf(row)), {
      origin: settings.publicUrl,
      siteName: settings.siteName,
      unsubscribeUrl: UNSUBSCRIBE_PLACEHOLDER,
    });
    const rendered = message;
    queued += await db.transaction(async (tx) => {
      let n = 0;
      for (const subscriber of batch) {
        const unsubscribe = unsubscribeUrlFor(subscriber);
        const { id: outboxId } = await enqueueMail(tx, {
          dedupeKey: `newsletter:${row.id}:${subscriber.id}`,
          kind: "newsletter",
          to: subscriber.email,
          subject: rendered.subject,
          html: rendered.html.replaceAll(UNSUBSCRIBE_PLACEHOLDER, escapeHtml(unsubscribe)),
          text: rendered.text.replaceAll(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
          headers: subscriptionMailHeaders(subscriber),
        });
        const inserted = await tx
          .insert(newsletterDeliveries)
          .values({ newsletterId: row.id, subscriptionId: subscriber.id, outboxId })
          .onConflictDoNothing()
          .returning({ id: newsletterDeliveries.subscriptionId });
        n += inserted.length;
      }
      return n;
    });
  }
  return { mail: "on", queued, alreadyDelivered };
}

// ----- the weekly run (server/newsletter-runner.ts) ----------------------------------------------------------------------

/** Drafts a week's newsletter of every campaign (the weekly run drafts the week just ended). */
export async function draftAllCampaigns(db: Queryable, week: string, now = new Date()): Promise<{ slug: string; items: number }[]> {
  const all = await db.select({ slug: campaigns.slug }).from(campaigns).orderBy(asc(campaigns.id));
  const drafted: { slug: string; items: number }[] = [];
  for (const { slug } of all) {
    try {
      const v = await draftNewsletter(db, slug, week, { now, defaultSendAt: true });
      drafted.push({ slug, items: v.content.items.length });
    } catch (error) {
      console.error(`[newsletter] drafting ${slug} ${week} failed:`, error);
    }
  }
  return drafted;
}

/**
 * Sends every draft whose send time has passed (an issue with nothing to tell is not sent: its send time is cleared),
 * and finishes sends that a crash interrupted (newsletters sent in the last week that a subscriber confirmed by then
 * has not had).
 */
export async function sendDueNewsletters(db: Queryable, now = new Date()): Promise<{ week: string; slug: string; queued: number }[]> {
  const due = await db
    .select({ id: newsletters.id, week: newsletters.week, slug: campaigns.slug, campaign: campaigns })
    .from(newsletters)
    .innerJoin(campaigns, eq(campaigns.id, newsletters.campaignId))
    .where(and(isNull(newsletters.sentAt), lte(newsletters.sendAt, now)))
    .orderBy(asc(newsletters.sendAt));
  const done: { week: string; slug: string; queued: number }[] = [];
  for (const d of due) {
    try {
      const current = await getNewsletter(db, d.slug, d.week, now);
      if (current.issue.empty) {
        await db
          .update(newsletters)
          .set({ sendAt: null, updatedAt: sql`now()` })
          .where(and(eq(newsletters.id, d.id), isNull(newsletters.sentAt)));
        continue;
      }
      const row = await publish(db, d.campaign, d.week, now);
      done.push({ week: d.week, slug: d.slug, queued: (await deliver(db, row)).queued });
    } catch (error) {
      console.error(`[newsletter] sending ${d.slug} ${d.week} failed:`, error);
    }
  }
  if (mailSettings().enabled) {
    const recent = await db
      .select()
      .from(newsletters)
      .where(and(isNotNull(newsletters.sentAt), gte(newsletters.sentAt, new Date(now.getTime() - 7 * DAY))));
    for (const row of recent) {
      try {
        await deliver(db, row, { confirmedBy: row.sentAt! });
      } catch (error) {
        console.error(`[newsletter] finishing the send of ${row.week} failed:`, error);
      }
    }
  }
  return done;
}
