import { getDb } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { listFeed, type FeedItem } from "@/db/queries/events";
import { escapeHtml, toAtom, toJsonFeed, type FeedEntry } from "@/lib/feed";
import { env } from "@/lib/env.js";
import { licenseOf } from "@/lib/campaigns/licenses";
import { renderMarkdown, markdownToText } from "@/lib/markdown";
import { errorResponse, publicOrigin } from "./api";

const VERBS: Record<FeedItem["kind"], string> = {
  "campaign.created": "started the campaign",
  "member.added": "added a member",
  "entry.created": "wrote",
  "entry.revised": "revised",
  "entry.deleted": "deleted",
  "entry.restored": "restored",
  "molecule.registered": "registered",
  "molecules.imported": "imported molecules into",
  "todo.created": "added a to-do to",
  "todo.updated": "changed a to-do of",
  "todo.conflict": "found a sync conflict in",
  "comment.created": "commented on",
  "measurement.added": "added a result to",
  "page.created": "started the wiki page",
  "page.revised": "revised the wiki page",
  "page.deleted": "deleted the wiki page",
  "page.restored": "restored the wiki page",
  "integrity.published": "published the chain head of",
};

export function feedHeadline(item: FeedItem): string {
  return item.kind.startsWith("entry.") || item.kind.startsWith("page.")
    ? `${item.actor.login} ${VERBS[item.kind]} “${item.title}”`
    : item.title;
}

function toFeedEntry(item: FeedItem, origin: string): FeedEntry {
  const text =
    item.kind === "entry.created" && item.entry
      ? renderMarkdown(item.entry.body)
      : `<p>${escapeHtml(item.summary || feedHeadline(item))}</p>`;
  // Structures by absolute URL, as PNG (feed readers do not all show SVG).
  const pictures = item.molecules
    .map(
      (code) =>
        `<a href="${origin}/molecules/${code}"><img src="${origin}/molecules/${code}.png?w=240&h=180" alt="${escapeHtml(code)}" width="240" height="180"></a>`,
    )
    .join(" ");
  const html = pictures ? `${text}<p>${pictures}</p>` : text;
  return {
    id: `${origin}/events/${item.id}`,
    title: `${feedHeadline(item)} · ${item.campaign.name}`,
    url: `${origin}${item.path}`,
    html,
    summary: item.kind === "entry.created" && item.entry ? markdownToText(item.entry.body) : item.summary || feedHeadline(item),
    published: item.createdAt,
    author: { name: item.actor.name ?? item.actor.login },
    category: item.campaign.name,
    license: licenseOf(item.campaign.license),
  };
}

/** The project feed (site-wide, or one campaign's) as Atom or JSON Feed 1.1. */
export async function feedResponse(request: Request, format: "atom" | "json", slug?: string): Promise<Response> {
  try {
    const db = await getDb();
    const origin = publicOrigin(request);
    const campaign = slug ? await requireCampaign(db, slug) : null;
    const items = await listFeed(db, { campaignId: campaign?.id, limit: 50 });
    const site = env().NOTEBOOK_SITE_NAME;
    const options = {
      title: campaign ? `${campaign.name} · ${site}` : site,
      description: campaign
        ? campaign.description || `Lab notebook of ${campaign.name}`
        : "Everything that happens in the open lab notebook",
      homeUrl: campaign ? `${origin}/campaigns/${campaign.slug}` : `${origin}/`,
      selfUrl: campaign ? `${origin}/campaigns/${campaign.slug}/feed` : `${origin}/feed`,
      siteName: site,
      ...(campaign ? { license: licenseOf(campaign.license) } : {}),
    };
    const entries = items.map((i) => toFeedEntry(i, origin));
    const body = format === "atom" ? toAtom(entries, options) : toJsonFeed(entries, options);
    const type = format === "atom" ? "application/atom+xml; charset=utf-8" : "application/feed+json; charset=utf-8";
    return new Response(body, { headers: { "Content-Type": type, "Cache-Control": "public, max-age=60" } });
  } catch (error) {
    return errorResponse(error);
  }
}
