import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { AddMemberForm, RemoveMemberButton } from "@/components/campaign-forms";
import { ElnImportForm } from "@/components/eln-import-form";
import { EntryList } from "@/components/entry-list";
import { NewsletterSignup } from "@/components/newsletter-signup";
import { WatchButton } from "@/components/watch-button";
import { isWatching } from "@/db/queries/watches";
import { getDb } from "@/db/index";
import { getCampaign, listMembers, roleIn } from "@/db/queries/campaigns";
import { listEntries } from "@/db/queries/entry-lists";
import { today } from "@/lib/entries/input";
import { isMailEnabled } from "@/lib/mail/config";
import { campaignChainHead } from "@/db/queries/integrity";
import { RelativeTime } from "@/components/ui/relative-time";
import { WikiContent } from "@/components/wiki-content";
import { getPage } from "@/db/queries/wiki";
import { HOME_SLUG, HOME_TITLE } from "@/lib/wiki/model";
import { CampaignOpenData } from "@/components/campaign-open-data";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ page?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  if (!campaign) return { title: "Campaign not found" };
  return {
    title: campaign.name,
    description: campaign.description || `Open lab notebook of ${campaign.name}`,
    alternates: {
      types: {
        "application/atom+xml": `/campaigns/${campaign.slug}/feed.atom`,
        "application/feed+json": `/campaigns/${campaign.slug}/feed.json`,
      },
    },
  };
}

export default async function CampaignPage({ params, searchParams }: Props) {
  const [{ slug }, { page: pageParam }] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const page = pageParam && /^\d{1,6}$/.test(pageParam) ? Math.max(1, Number(pageParam)) : 1;
  const actor = await currentActor();
  const [list, members, role, mineToday, watching, home, chain] = await Promise.all([
    listEntries(db, { campaignId: campaign.id, page, perPage: 30, excerpt: 600 }),
    listMembers(db, campaign.id),
    roleIn(db, campaign.id, actor?.id),
    actor ? listEntries(db, { campaignId: campaign.id, authorId: actor.id, date: today(), perPage: 10 }) : null,
    isWatching(db, actor?.id, "campaign", campaign.id),
    page === 1 ? getPage(db, campaign.slug, HOME_SLUG) : null,
    campaignChainHead(db, campaign),
  ]);
  const overview = home && !home.deletedAt ? home : null;
  return (
    <div className="grid">
      <section>
        <div className="spread">
          <h1>{campaign.name}</h1>
          <span className="meta">
            <a href={`/campaigns/${campaign.slug}/feed.atom`}>Atom</a> · <a href={`/campaigns/${campaign.slug}/feed.json`}>JSON Feed</a> ·{" "}
            <Link href={`/?campaign=${campaign.slug}`}>Activity</Link> ·{" "}
            <Link href={`/campaigns/${campaign.slug}/newsletter`}>Newsletter</Link>
          </span>
        </div>
        {campaign.description ? <p>{campaign.description}</p> : null}
        <div className="row molecule-links">
          <Link href={`/campaigns/${campaign.slug}/molecules`} className="button">
            Molecules
          </Link>
          <Link href={`/campaigns/${campaign.slug}/todos`} className="button">
            To-dos
          </Link>
          <Link href={`/campaigns/${campaign.slug}/wiki`} className="button">
            Wiki
          </Link>
          <Link href={`/campaigns/${campaign.slug}/predictions`} className="button">
            Predictions
          </Link>
          <Link href={`/campaigns/${campaign.slug}/story`}>The story so far</Link>
          {role ? (
            <>
              <Link href={`/campaigns/${campaign.slug}/molecules/new`}>Register a molecule</Link>
              <Link href={`/campaigns/${campaign.slug}/molecules/import`}>Import</Link>
            </>
          ) : null}
          <span className="meta">
            Export{" "}
            <a href={`/api/v1/campaigns/${campaign.slug}/export.csv`} download>
              CSV
            </a>{" "}
            ·{" "}
            <a href={`/api/v1/campaigns/${campaign.slug}/export.sdf`} download>
              SDF
            </a>{" "}
            ·{" "}
            <a
              href={`/api/v1/campaigns/${campaign.slug}/export.eln`}
              download
              title="The notebook as an .eln archive (RO-Crate), for other lab notebooks"
            >
              .eln
            </a>
          </span>
        </div>
        {role ? (
          <div className="card row">
            <Link href={`/campaigns/${campaign.slug}/entries/new`} className="button primary">
              Write today&apos;s entry
            </Link>
            {mineToday?.entries.length ? (
              <span className="meta">
                Continue today:{" "}
                {mineToday.entries.map((e, i) => (
                  <span key={e.id}>
                    {i ? ", " : ""}
                    <Link href={`${e.path}/edit`}>{e.title}</Link>
                  </span>
                ))}
              </span>
            ) : null}
          </div>
        ) : null}
        {overview ? (
          <section className="card campaign-overview" data-testid="campaign-overview">
            <div className="spread">
              <h2 style={{ marginTop: 0 }}>Overview</h2>
              <span className="meta">
                <Link href={overview.path}>wiki home page</Link>
                {role ? (
                  <>
                    {" "}
                    · <Link href={`${overview.path}/edit`}>edit</Link>
                  </>
                ) : null}
              </span>
            </div>
            <WikiContent db={db} campaign={campaign} body={overview.body} since={null} />
          </section>
        ) : role && page === 1 ? (
          <p className="meta">
            No overview yet:{" "}
            <Link href={`/campaigns/${campaign.slug}/wiki/new?title=${HOME_TITLE}`}>write the campaign&apos;s home page</Link>, with live
            blocks that keep it up to date.
          </p>
        ) : null}
        <h2>Notebook</h2>
        <EntryList entries={list.entries} />
        <div className="pager">
          {page > 1 ? <Link href={`?page=${page - 1}`}>← Newer</Link> : null}
          {list.hasMore ? <Link href={`?page=${page + 1}`}>Older →</Link> : null}
        </div>
      </section>
      <aside className="stack">
        {actor ? (
          <div className="card">
            <WatchButton kind="campaign" id={campaign.id} watching={watching} path={`/campaigns/${campaign.slug}`} />{" "}
            <span className="meta">comments and new results of the whole campaign</span>
          </div>
        ) : null}
        <NewsletterSignup slug={campaign.slug} mailEnabled={isMailEnabled()} />
        <CampaignOpenData campaign={campaign} maintainer={role === "maintainer"} />
        <div className="card" data-testid="chain-head">
          <strong>Verifiable history</strong>
          {chain.seq ? (
            <p className="meta" style={{ margin: "0.3rem 0 0" }}>
              {chain.seq.toLocaleString("en")} records sealed in a SHA-256 chain; head{" "}
              <code title={chain.hash}>{chain.hash.slice(0, 16)}…</code>
              {chain.sealedAt ? (
                <>
                  {" "}
                  (<RelativeTime date={chain.sealedAt} />)
                </>
              ) : null}
              . <a href={`/api/v1/campaigns/${campaign.slug}/integrity`}>Check it</a>
            </p>
          ) : (
            <p className="meta" style={{ margin: "0.3rem 0 0" }}>
              Nothing sealed yet: revisions, molecules and results are sealed into a hash chain within a minute of being written.
            </p>
          )}
          {role === "maintainer" ? (
            <p className="meta" style={{ margin: "0.3rem 0 0" }}>
              <a href={`/api/v1/campaigns/${campaign.slug}/archive`} download>
                Complete archive (zip)
              </a>{" "}
              — every revision, attachment, molecule, result, to-do, comment and the chain, with a verify script.
            </p>
          ) : null}
        </div>
        {role ? <ElnImportForm slug={campaign.slug} /> : null}
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Members</h2>
          <ul className="entries">
            {members.map((m) => (
              <li key={m.login} className="spread">
                <span>
                  <span className="member-login">{m.login}</span> <span className="meta">{m.role}</span>
                </span>
                {role === "maintainer" ? <RemoveMemberButton slug={campaign.slug} login={m.login} /> : null}
              </li>
            ))}
          </ul>
          {role === "maintainer" ? (
            <>
              <h2>Add a member</h2>
              <AddMemberForm slug={campaign.slug} />
            </>
          ) : null}
        </div>
      </aside>
    </div>
  );
}
