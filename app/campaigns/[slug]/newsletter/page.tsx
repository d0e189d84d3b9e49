import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";
import { listNewsletters } from "@/db/queries/newsletters";
import { isMailEnabled } from "@/lib/mail/config";
import { currentWeek, describeWindow } from "@/lib/newsletter/week";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  if (!campaign) return { title: "Campaign not found" };
  return {
    title: `Newsletter · ${campaign.name}`,
    description: `Every weekly newsletter of ${campaign.name}, written from its open lab notebook.`,
    alternates: { types: { "application/atom+xml": `/campaigns/${campaign.slug}/newsletter.atom` } },
  };
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function NewsletterArchivePage({ params }: Props) {
  const { slug } = await params;
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const list = await listNewsletters(db, campaign.slug);
  const thisWeek = currentWeek();
  const base = `/campaigns/${campaign.slug}/newsletter`;
  const shown = list.filter((n) => n.status === "sent" || n.items > 0 || n.editorial);
  return (
    <div className="stack">
      <div className="spread">
        <h1>Newsletter · {campaign.name}</h1>
        <span className="meta">
          <a href={`/campaigns/${campaign.slug}/newsletter.atom`}>Atom feed</a> · <Link href={`/campaigns/${campaign.slug}`}>Back to the campaign</Link>
        </span>
      </div>
      <p>
        Every week the notebook writes the campaign&apos;s newsletter from its own activity: new entries, molecules and results, the most
        potent compounds, to-dos, discussions and open questions.{" "}
        {isMailEnabled() ? "Subscribers get it by e-mail." : "E-mail is off on this notebook: newsletters are archived here and in the feed."}
      </p>
      <p>
        <Link href={`${base}/${thisWeek}`}>This week so far ({thisWeek})</Link>
      </p>
      {shown.length === 0 ? (
        <p className="meta">No newsletter yet.</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }} data-testid="newsletter-archive">
          {shown.map((n) => (
            <li key={n.week} className="card">
              <Link href={`${base}/${n.week}`}>
                <strong>Week {n.week}</strong>
              </Link>{" "}
              <span className="meta">
                {describeWindow(n.week)} · {n.items} {n.items === 1 ? "item" : "items"} ·{" "}
                {n.sentAt ? `sent ${utc(n.sentAt)}` : n.sendAt ? `draft, goes out ${utc(n.sendAt)}` : "draft"}
              </span>
              {n.editorial ? <p style={{ margin: "0.25rem 0 0" }}>{n.editorial.split(/\n\s*\n/)[0]}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
