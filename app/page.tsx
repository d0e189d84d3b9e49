import type { Metadata } from "next";
import Link from "next/link";
import { FeedList } from "@/components/feed-list";
import { getDb } from "@/db/index";
import { getCampaign, listCampaignNames } from "@/db/queries/campaigns";
import { listFeed } from "@/db/queries/events";
import { env } from "@/lib/env.js";

export function generateMetadata(): Metadata {
  return { title: { absolute: `${env().NOTEBOOK_SITE_NAME}: project feed` } };
}

export default async function HomePage({ searchParams }: { searchParams: Promise<{ campaign?: string; before?: string }> }) {
  const { campaign: slug, before } = await searchParams;
  const db = await getDb();
  const campaign = slug ? await getCampaign(db, slug) : null;
  const beforeId = before && /^\d{1,10}$/.test(before) ? Number(before) : undefined;
  const [items, campaigns] = await Promise.all([
    listFeed(db, { campaignId: campaign?.id, before: beforeId, limit: 30, excerpt: 600 }),
    listCampaignNames(db),
  ]);
  const feedBase = campaign ? `/campaigns/${campaign.slug}/feed` : "/feed";
  return (
    <div className="grid">
      <section>
        <div className="spread">
          <h1>{campaign ? `${campaign.name}: what's new` : "What's new in the open lab"}</h1>
          <span className="meta">
            <a href={`${feedBase}.atom`}>Atom</a> · <a href={`${feedBase}.json`}>JSON Feed</a>
          </span>
        </div>
        <FeedList items={items} />
        {items.length === 30 ? (
          <div className="pager">
            <Link href={`/?${new URLSearchParams({ ...(slug ? { campaign: slug } : {}), before: String(items.at(-1)!.id) })}`}>Older →</Link>
          </div>
        ) : null}
      </section>
      <aside className="stack">
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Campaigns</h2>
          <ul className="entries">
            <li>
              <Link href="/" aria-current={campaign ? undefined : "page"}>
                All campaigns
              </Link>
            </li>
            {campaigns.map((c) => (
              <li key={c.slug}>
                <Link href={`/?campaign=${c.slug}`} aria-current={campaign?.slug === c.slug ? "page" : undefined}>
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <p className="meta">
          Everything here is public and free to reuse. Follow by <a href="/feed.atom">Atom</a> or <a href="/feed.json">JSON Feed</a>.
        </p>
      </aside>
    </div>
  );
}
