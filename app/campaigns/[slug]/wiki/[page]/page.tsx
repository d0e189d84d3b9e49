import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { Discussion } from "@/components/discussion";
import { EntryActions } from "@/components/entry-actions";
import { RelativeTime } from "@/components/ui/relative-time";
import { WatchButton } from "@/components/watch-button";
import { WikiContent } from "@/components/wiki-content";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { deletedBy } from "@/db/queries/entries";
import { isWatching } from "@/db/queries/watches";
import { getPage, pageBacklinks, recordVisit } from "@/db/queries/wiki";
import { markdownToText } from "@/lib/markdown";
import { pageSlug } from "@/lib/wiki/model";
import { pageCiteContext } from "@/app/_lib/cite";
import { CiteBox } from "@/components/cite-box";
import { JsonLdScript } from "@/components/json-ld";
import { citeDocument } from "@/db/queries/citations";
import { documentJsonLd } from "@/lib/cite/jsonld";

type Props = { params: Promise<{ slug: string; page: string }>; searchParams: Promise<{ since?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, page: key } = await params;
  const page = await getPage(await getDb(), slug, decodeURIComponent(key));
  if (!page || page.deletedAt) return { title: "Wiki page not found", robots: { index: false } };
  const description = markdownToText(page.body, 160) || `${page.title}, a wiki page of ${page.campaign.name}`;
  return {
    title: `${page.title} · ${page.campaign.name} wiki`,
    description,
    openGraph: { type: "article", title: page.title, description },
  };
}

/** `?since=YYYY-MM-DD`: a real day, not in the future. */
function sinceDate(text: string | undefined): Date | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const at = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text || at.getTime() > Date.now() ? null : at;
}

export default async function WikiPage({ params, searchParams }: Props) {
  const [{ slug, page: key }, { since: sinceParam }] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const wanted = pageSlug(decodeURIComponent(key));
  if (!wanted) notFound();
  const page = await getPage(db, slug, wanted);
  const actor = await currentActor();
  const role = await roleIn(db, campaign.id, actor?.id);

  if (!page) {
    const title = decodeURIComponent(key).replace(/-/g, " ");
    return (
      <article className="card stack">
        <h1>No page “{title}” yet</h1>
        <p className="meta">
          The wiki of <Link href={`/campaigns/${slug}`}>{campaign.name}</Link> has no page with this title.{" "}
          <Link href={`/campaigns/${slug}/wiki`}>All pages</Link>
        </p>
        {role ? (
          <p>
            <Link href={`/campaigns/${slug}/wiki/new?title=${encodeURIComponent(title)}`} className="button primary">
              Write this page
            </Link>
          </p>
        ) : null}
      </article>
    );
  }
  if (page.slug !== key) redirect(page.path);

  if (page.deletedAt) {
    const remover = await deletedBy(db, page.id);
    return (
      <article className="card stack">
        <h1>This page was deleted</h1>
        <p className="meta">
          “{page.title}” in the wiki of <Link href={`/campaigns/${slug}`}>{campaign.name}</Link> was deleted by {remover} on{" "}
          <RelativeTime date={page.deletedAt} />. Its history is kept: <Link href={`/entries/${page.id}/history`}>history</Link>.
        </p>
        {role === "maintainer" ? <EntryActions entryId={page.id} canEdit={false} canRestore deleted noun="page" /> : null}
      </article>
    );
  }

  // What changed: since the date asked for, else since this reader's previous visit (which this visit replaces).
  const asked = sinceDate(sinceParam);
  const lastVisit = !asked && actor ? await recordVisit(db, actor.id, page.id) : null;
  const since = asked ? { at: asked, label: sinceParam! } : lastVisit ? { at: lastVisit, label: "your last visit" } : null;
  const [backlinks, watching] = await Promise.all([pageBacklinks(db, slug, page.slug), isWatching(db, actor?.id, "entry", page.id)]);
  const citation = await citeDocument(db, page.id, page.revisionNumber, await pageCiteContext());

  return (
    <article className="grid">
      <div>
        <p className="meta" style={{ margin: 0 }}>
          <Link href={`/campaigns/${slug}`} className="tag">
            {campaign.name}
          </Link>{" "}
          · <Link href={`/campaigns/${slug}/wiki`}>wiki</Link>
        </p>
        <h1>{page.title}</h1>
        <p className="meta">
          started by {page.author.login} · revised <RelativeTime date={page.updatedAt} /> · live blocks show the data as it is now
          {since ? ` · marking what changed since ${since.label}` : ""}
        </p>
        <div className="card">
          <WikiContent db={db} campaign={campaign} body={page.body} since={since} />
        </div>
        <Discussion
          db={db}
          target={{ kind: "entry", id: page.id }}
          campaign={slug}
          actor={actor}
          role={role}
          isOwner={actor?.id === page.authorId}
          returnTo={page.path}
        />
        <JsonLdScript
          data={documentJsonLd({
            kind: "page",
            title: page.title,
            description: markdownToText(page.body, 300),
            url: citation.latestUrl!,
            revisionUrl: citation.url,
            revision: page.revisionNumber,
            workDate: null,
            authors: citation.authors,
            createdAt: page.createdAt,
            updatedAt: page.updatedAt,
            campaign: { ...page.campaign, url: citation.container.url },
            mentions: [],
          })}
        />
      </div>
      <aside className="stack">
        <div className="card stack">
          <Link href={`/entries/${page.id}/history`}>
            History ({page.revisionNumber} revision{page.revisionNumber === 1 ? "" : "s"})
          </Link>
          {role ? (
            <EntryActions entryId={page.id} canEdit canRestore={false} deleted={false} noun="page" editHref={`${page.path}/edit`} />
          ) : null}
          {actor ? <WatchButton kind="entry" id={page.id} watching={watching} path={page.path} /> : null}
          {!actor ? (
            <p className="meta">
              <Link href={`/signin?next=${page.path}`}>Sign in</Link> to edit.
            </p>
          ) : null}
        </div>
        <CiteBox citation={citation} href={`/entries/${page.id}/cite`} revision={page.revisionNumber} />
        <form className="card stack" action={page.path} method="get">
          <label htmlFor="since">
            <strong>What changed since</strong>
          </label>
          <div className="row">
            <input id="since" name="since" type="date" defaultValue={asked ? sinceParam : ""} required />
            <button type="submit">Show</button>
          </div>
        </form>
        <div className="card" data-testid="linked-from">
          <strong>Linked from</strong>
          {backlinks.length ? (
            <ul className="entries">
              {backlinks.map((b) => (
                <li key={b.path}>
                  <Link href={b.path}>{b.title}</Link>
                  <div className="meta">
                    {b.kind === "todo" ? "to-do" : b.kind === "page" ? "wiki page" : "entry"} · {b.date}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="meta">Nothing links here yet: write [[{page.title}]] in an entry, a page or a to-do.</p>
          )}
        </div>
        <div className="card">
          <Link href={`/campaigns/${slug}/story`}>The story so far</Link> · <Link href={`/campaigns/${slug}/wiki`}>All pages</Link>
        </div>
      </aside>
    </article>
  );
}
