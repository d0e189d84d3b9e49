import type { Metadata } from "next";
import Link from "next/link";
import { currentActor } from "@/app/_lib/session";
import { NewCampaignForm } from "@/components/campaign-forms";
import { getDb } from "@/db/index";
import { listCampaigns } from "@/db/queries/campaigns";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const [campaigns, actor] = await Promise.all([getDb().then(listCampaigns), currentActor()]);
  return (
    <div className="grid">
      <section>
        <h1>Campaigns</h1>
        <ul className="entries">
          {campaigns.map((c) => (
            <li key={c.slug}>
              <Link href={`/campaigns/${c.slug}`} className="title">
                {c.name}
              </Link>
              <p className="meta" style={{ margin: 0 }}>
                {c.entryCount} entries · {c.memberCount} members{c.lastWorkDate ? ` · last work ${c.lastWorkDate}` : ""}
              </p>
              {c.description ? <p style={{ margin: "0.2rem 0 0" }}>{c.description}</p> : null}
            </li>
          ))}
        </ul>
        {!campaigns.length ? <p className="meta">No campaigns yet.</p> : null}
      </section>
      <aside>
        {actor ? (
          <NewCampaignForm />
        ) : (
          <p className="card meta">
            <Link href="/signin?next=/campaigns">Sign in</Link> to start a campaign.
          </p>
        )}
      </aside>
    </div>
  );
}
