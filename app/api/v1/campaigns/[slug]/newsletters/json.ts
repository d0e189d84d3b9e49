import type { z } from "zod";
import type { NewsletterListItem, NewsletterView, SendOutcome } from "@/db/queries/newsletters";
import type { Newsletter, NewsletterItem, NewsletterSummary, SendResult } from "@/lib/contract/newsletters";
import type { NewsletterItem as Item } from "@/lib/newsletter/model";
import { itemCount } from "@/lib/newsletter/issue";
import { newsletterPath } from "@/lib/newsletter/render";
import { weekWindow } from "@/lib/newsletter/week";

// The newsletter API's answers, typed by their schemas in lib/contract/newsletters.ts; every link absolute.

const apiPath = (slug: string, week: string) => `/api/v1/campaigns/${encodeURIComponent(slug)}/newsletters/${week}`;

function itemJson(item: Item, origin: string): z.input<typeof NewsletterItem> {
  return {
    key: item.key,
    kind: item.kind,
    title: item.title,
    summary: item.summary,
    path: item.path,
    url: `${origin}${item.path}`,
    image: item.image ? { url: `${origin}${item.image.path}`, alt: item.image.alt } : null,
    at: item.at,
  };
}

export function newsletterSummaryJson(slug: string, n: NewsletterListItem, origin: string): z.input<typeof NewsletterSummary> {
  return {
    week: n.week,
    windowStart: n.windowStart.toISOString(),
    windowEnd: n.windowEnd.toISOString(),
    status: n.status,
    sendAt: n.sendAt?.toISOString() ?? null,
    sentAt: n.sentAt?.toISOString() ?? null,
    items: n.items,
    url: `${origin}${newsletterPath(slug, n.week)}`,
    apiUrl: `${origin}${apiPath(slug, n.week)}`,
  };
}

export function newsletterJson(n: NewsletterView, origin: string, mail: boolean): z.input<typeof Newsletter> {
  const window = weekWindow(n.week);
  return {
    week: n.week,
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
    status: n.status,
    sendAt: n.sendAt?.toISOString() ?? null,
    sentAt: n.sentAt?.toISOString() ?? null,
    items: itemCount(n.issue),
    url: `${origin}${newsletterPath(n.campaign.slug, n.week)}`,
    apiUrl: `${origin}${apiPath(n.campaign.slug, n.week)}`,
    campaign: { slug: n.campaign.slug, name: n.campaign.name },
    editorial: n.issue.editorial,
    pinned: n.issue.pinned.map((i) => itemJson(i, origin)),
    sections: n.issue.sections.map((s) => ({ id: s.id, title: s.title, items: s.items.map((i) => itemJson(i, origin)), more: s.more })),
    deliveries: n.deliveries,
    mail: mail ? "on" : "off",
  };
}

export function sendResultJson(outcome: SendOutcome, origin: string): z.input<typeof SendResult> {
  return {
    week: outcome.newsletter.week,
    sentAt: outcome.newsletter.sentAt!.toISOString(),
    mail: outcome.mail,
    queued: outcome.queued,
    alreadyDelivered: outcome.alreadyDelivered,
    url: `${origin}${newsletterPath(outcome.newsletter.campaign.slug, outcome.newsletter.week)}`,
  };
}
