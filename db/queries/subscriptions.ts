import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { SubscribeInput } from "@/lib/contract/subscriptions";
import { env } from "@/lib/env.js";
import { AppError, isAppError } from "@/lib/errors";
import { isMailEnabled, mailSettings } from "@/lib/mail/config";
import { listUnsubscribeHeaders } from "@/lib/mail/headers";
import { subscriptionConfirmMail, subscriptionWelcomeMail } from "@/lib/mail/messages";
import { CONFIRM_LINK_HOURS, hashMailToken, looksLikeMailToken, newMailToken, unsubscribeToken } from "@/lib/mail/tokens";
import type { Db, Queryable } from "../index";
import { campaigns, subscriptions } from "../schema";
import { enqueueMail } from "./outbox";
import { hitRateLimit } from "./rate-limits";

// Newsletter subscriptions without an account. Double opt-in: a request stores the address as pending and mails a
// link that expires; only the link confirms. Every answer to a request is the same (202), whatever the address's state,
// so nobody learns who is subscribed. Addresses are never shown; tokens are stored as SHA-256 only.

/** Confirmation mails to one address per hour, whatever campaign and client ask (more are silently not sent). */
const MAILS_PER_ADDRESS_PER_HOUR = 3;

const addressKey = (email: string) => crypto.createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 32);

function mailOff(): AppError {
  return new AppError("mail_off", "E-mail is off on this notebook: the newsletter is archived on the campaign's pages instead.");
}

async function campaignBySlug(db: Queryable, slug: string) {
  const [campaign] = await db.select({ id: campaigns.id, slug: campaigns.slug, name: campaigns.name }).from(campaigns).where(eq(campaigns.slug, slug));
  if (!campaign) throw new AppError("not_found", `No campaign ${JSON.stringify(slug)}.`);
  return campaign;
}

/**
 * A subscription's unsubscribe link: the API's one-click URL (RFC 8058 POST; a GET shows a page with a button). The
 * token in it is derived from the server's secret, the campaign and the address, so it is the same in every message.
 */
export function unsubscribeUrlFor(subscription: { campaignId: number; email: string }): string {
  const token = unsubscribeToken(env().authSecret, subscription.campaignId, subscription.email);
  return `${mailSettings().publicUrl}/api/v1/subscriptions/unsubscribe?token=${token}`;
}

/** The headers every newsletter message carries: List-Unsubscribe with its one-click POST (RFC 8058). */
export function subscriptionMailHeaders(subscription: { campaignId: number; email: string }): Record<string, string> {
  return listUnsubscribeHeaders(unsubscribeUrlFor(subscription));
}

/** The confirmed subscribers of a campaign, for sending it the newsletter. Addresses go to mail only, never to a page. */
export async function confirmedSubscribers(db: Queryable, campaignId: number): Promise<{ id: number; campaignId: number; email: string }[]> {
  return db
    .select({ id: subscriptions.id, campaignId: subscriptions.campaignId, email: subscriptions.email })
    .from(subscriptions)
    .where(and(eq(subscriptions.campaignId, campaignId), eq(subscriptions.status, "confirmed")))
    .orderBy(asc(subscriptions.id));
}

/** How many confirmed subscribers a campaign has (a number is all anyone sees). */
export async function subscriberCount(db: Queryable, campaignId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscriptions)
    .where(and(eq(subscriptions.campaignId, campaignId), eq(subscriptions.status, "confirmed")));
  return row?.n ?? 0;
}

/**
 * Ask for a campaign's newsletter. Answers nothing (the route says 202 either way): a new or pending address gets a
 * confirmation link, one that had unsubscribed too (subscribing again), a confirmed one gets nothing. A client address
 * that floods is refused (429, which says nothing about the address asked for); an address asked for too often gets
 * no more mail for the hour, silently.
 */
export async function requestSubscription(db: Db, slug: string, input: SubscribeInput, client: { address: string }): Promise<void> {
  if (!isMailEnabled()) throw mailOff();
  const campaign = await campaignBySlug(db, slug);
  await hitRateLimit(db, `subscribe:addr:${client.address}`, env().NOTEBOOK_RATE_LIMIT_SUBSCRIBE, 3600);
  try {
    await hitRateLimit(db, `subscribe:email:${addressKey(input.email)}`, MAILS_PER_ADDRESS_PER_HOUR, 3600);
  } catch (error) {
    if (isAppError(error) && error.is("rate_limited")) return;
    throw error;
  }
  const settings = mailSettings();
  const { token, hash } = newMailToken();
  const campaignUrl = `${settings.publicUrl}/campaigns/${encodeURIComponent(campaign.slug)}`;
  const mail = await subscriptionConfirmMail({
    siteName: settings.siteName,
    campaignName: campaign.name,
    campaignUrl,
    confirmUrl: `${settings.publicUrl}/subscriptions/confirm?token=${token}`,
  });
  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: subscriptions.id, status: subscriptions.status, email: subscriptions.email })
      .from(subscriptions)
      .where(and(eq(subscriptions.campaignId, campaign.id), sql`lower(${subscriptions.email}) = lower(${input.email})`))
      .for("update");
    if (existing?.status === "confirmed") return;
    const expires = new Date(Date.now() + CONFIRM_LINK_HOURS * 3600 * 1000);
    let id: number;
    if (existing) {
      await tx
        .update(subscriptions)
        .set({ status: "pending", confirmTokenHash: hash, confirmExpiresAt: expires })
        .where(eq(subscriptions.id, existing.id));
      id = existing.id;
    } else {
      const [created] = await tx
        .insert(subscriptions)
        .values({
          campaignId: campaign.id,
          email: input.email,
          status: "pending",
          confirmTokenHash: hash,
          confirmExpiresAt: expires,
          unsubscribeTokenHash: hashMailToken(unsubscribeToken(env().authSecret, campaign.id, input.email)),
        })
        .onConflictDoNothing()
        .returning({ id: subscriptions.id });
      if (!created) return; // the same address asked at the same moment: that request sends the link
      id = created.id;
    }
    await enqueueMail(tx, { dedupeKey: `subscription-confirm:${id}:${hash.slice(0, 24)}`, kind: "subscription-confirm", to: existing?.email ?? input.email, ...mail });
  });
}

export type LinkState = "valid" | "done" | "expired" | "invalid";

export interface LinkCheck {
  state: LinkState;
  campaign: { slug: string; name: string } | null;
}

async function subscriptionByHash(db: Queryable, column: "confirm" | "unsubscribe", token: string, lock = false) {
  if (!looksLikeMailToken(token)) return null;
  const query = db
    .select({ subscription: subscriptions, campaign: { slug: campaigns.slug, name: campaigns.name } })
    .from(subscriptions)
    .innerJoin(campaigns, eq(campaigns.id, subscriptions.campaignId))
    .where(
      eq(column === "confirm" ? subscriptions.confirmTokenHash : subscriptions.unsubscribeTokenHash, hashMailToken(token)),
    );
  const [row] = lock ? await query.for("update", { of: subscriptions }) : await query;
  return row ?? null;
}

/** What a confirmation link would do, without doing it (the page shows a button, or why the link does not work). */
export async function checkConfirmLink(db: Queryable, token: string): Promise<LinkCheck> {
  const row = await subscriptionByHash(db, "confirm", token);
  if (!row) return { state: "invalid", campaign: null };
  if (row.subscription.status === "confirmed") return { state: "done", campaign: row.campaign };
  if (!row.subscription.confirmExpiresAt || row.subscription.confirmExpiresAt < new Date()) return { state: "expired", campaign: row.campaign };
  return { state: "valid", campaign: row.campaign };
}

/**
 * Confirm a subscription with the token of its link: 404 for a link that is forged or was replaced (a newer request,
 * or the subscription ended), 410 for an expired one; confirming twice answers `already_confirmed`. A new subscriber
 * gets a welcome message that carries the unsubscribe link and headers.
 */
export async function confirmSubscription(db: Db, token: string): Promise<{ status: "confirmed" | "already_confirmed"; campaign: string }> {
  const settings = mailSettings();
  return db.transaction(async (tx) => {
    const row = await subscriptionByHash(tx, "confirm", token, true);
    if (!row) throw new AppError("not_found", "This confirmation link is not valid: it may have been replaced by a newer one, or the subscription has ended.");
    const { subscription, campaign } = row;
    if (subscription.status === "confirmed") return { status: "already_confirmed" as const, campaign: campaign.slug };
    if (!subscription.confirmExpiresAt || subscription.confirmExpiresAt < new Date()) {
      throw new AppError("gone", `This confirmation link has expired (links work for ${CONFIRM_LINK_HOURS} hours). Ask for the newsletter again on the campaign page.`);
    }
    await tx.update(subscriptions).set({ status: "confirmed", confirmedAt: new Date() }).where(eq(subscriptions.id, subscription.id));
    if (settings.enabled) {
      const unsubscribeUrl = unsubscribeUrlFor(subscription);
      const mail = await subscriptionWelcomeMail({
        siteName: settings.siteName,
        campaignName: campaign.name,
        campaignUrl: `${settings.publicUrl}/campaigns/${encodeURIComponent(campaign.slug)}`,
        unsubscribeUrl,
      });
      await enqueueMail(tx, {
        dedupeKey: `subscription-welcome:${subscription.id}:${subscription.confirmTokenHash?.slice(0, 24)}`,
        kind: "subscription-welcome",
        to: subscription.email,
        headers: listUnsubscribeHeaders(unsubscribeUrl),
        ...mail,
      });
    }
    return { status: "confirmed" as const, campaign: campaign.slug };
  });
}

/** What an unsubscribe link would do, without doing it. */
export async function checkUnsubscribeLink(db: Queryable, token: string): Promise<LinkCheck> {
  const row = await subscriptionByHash(db, "unsubscribe", token);
  if (!row) return { state: "invalid", campaign: null };
  return { state: row.subscription.status === "unsubscribed" ? "done" : "valid", campaign: row.campaign };
}

/**
 * End a subscription with the token of its unsubscribe link (RFC 8058 one-click, the page's button, or the API): no
 * sign-in, no cookie, the token is the proof. A pending confirmation link stops working too. Twice is harmless.
 */
export async function unsubscribe(db: Db, token: string): Promise<{ status: "unsubscribed" | "already_unsubscribed"; campaign: string }> {
  return db.transaction(async (tx) => {
    const row = await subscriptionByHash(tx, "unsubscribe", token, true);
    if (!row) throw new AppError("not_found", "This unsubscribe link is not valid.");
    if (row.subscription.status === "unsubscribed") return { status: "already_unsubscribed" as const, campaign: row.campaign.slug };
    await tx
      .update(subscriptions)
      .set({ status: "unsubscribed", unsubscribedAt: new Date(), confirmTokenHash: null, confirmExpiresAt: null })
      .where(eq(subscriptions.id, row.subscription.id));
    return { status: "unsubscribed" as const, campaign: row.campaign.slug };
  });
}
