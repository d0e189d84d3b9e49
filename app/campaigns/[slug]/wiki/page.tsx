import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { listPages } from "@/db/queries/wiki";
import { HOME_SLUG, HOME_TITLE } from "@/lib/wiki/model";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props) {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  return { title: campaign ? `Wiki · ${campaign.name}` : "Campaign not found" };
}

export default async function WikiIndex({ params }: Props) {
  const { slug } = await params;
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  const [pages, role] = await Promise.all([listPages(db, slug), roleIn(db, campaign.id, actor?.id)]);
  const hasHome = pages.some((p) => p.slug === HOME_SLUG);
  return (
    <div className="stack">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`} className="tag">
          {campaign.name}
        </Link>
      </p>
      <div className="spread">
        <h1>Wiki</h1>
        <span className="row">
          <Link href={`/campaigns/${slug}/story`}>The story so far</Link>
          {role && !hasHome ? (
            <Link href={`/campaigns/${slug}/wiki/new?title=${HOME_TITLE}`} className="button">
              Write the overview
            </Link>
          ) : null}
          {role ? (
            <Link href={`/campaigns/${slug}/wiki/new`} className="button primary">
              New page
            </Link>
          ) : null}
        </span>
      </div>
      <p className="meta">
        Pages summarize the campaign from its data: live blocks (molecules, SAR tables, charts, entries, to-dos) are drawn from the registry
        and the notebook each time a page is read. Link a page from anywhere with [[Page title]].
      </p>
      {pages.length ? (
        <ul className="entries card" data-testid="wiki-pages">
          {pages.map((p) => (
            <li key={p.id}>
              <Link href={p.path} className="title">
                {p.title}
              </Link>
              <div className="meta">
                {p.slug === HOME_SLUG ? "home page · " : ""}
                {p.revisionNumber} revision{p.revisionNumber === 1 ? "" : "s"} · revised <RelativeTime date={p.updatedAt} />
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="meta">No pages yet.</p>
      )}
    </div>
  );
}
