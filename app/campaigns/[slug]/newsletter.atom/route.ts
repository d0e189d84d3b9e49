import { errorResponse, publicOrigin } from "@/app/_lib/api";
import { getDb } from "@/db/index";
import { sentNewsletters } from "@/db/queries/newsletters";
import { env } from "@/lib/env.js";
import { licenseOf } from "@/lib/campaigns/licenses";
import { toAtom, type FeedEntry } from "@/lib/feed";
import { itemCount } from "@/lib/newsletter/issue";
import { newsletterPath, newsletterSubject, renderNewsletterFragment } from "@/lib/newsletter/render";

/** The campaign's sent newsletters as Atom: each entry is the issue as it went out, with absolute links and structures. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const origin = publicOrigin(request);
    const { campaign, issues } = await sentNewsletters(db, (await params).slug, 30);
    const site = env().NOTEBOOK_SITE_NAME;
    const archive = `${origin}/campaigns/${campaign.slug}/newsletter`;
    const entries: FeedEntry[] = issues.map((issue) => ({
      id: `${origin}${newsletterPath(campaign.slug, issue.week)}`,
      title: newsletterSubject(issue),
      url: `${origin}${newsletterPath(campaign.slug, issue.week)}`,
      html: renderNewsletterFragment(issue, origin),
      summary: issue.editorial ?? `${itemCount(issue)} items from the notebook of ${campaign.name}, week ${issue.week}.`,
      published: issue.sentAt,
      author: { name: `${campaign.name} maintainers` },
      category: campaign.name,
    }));
    const atom = toAtom(entries, {
      title: `Newsletter of ${campaign.name} · ${site}`,
      description: `The weekly newsletter of ${campaign.name}, written from its notebook`,
      homeUrl: archive,
      selfUrl: archive,
      siteName: site,
      license: licenseOf(campaign.license),
    });
    return new Response(atom, { headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=60" } });
  } catch (error) {
    return errorResponse(error);
  }
}
