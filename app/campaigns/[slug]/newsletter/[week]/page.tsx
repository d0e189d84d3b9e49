import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { pageOrigin } from "@/app/_lib/page-origin";
import { currentActor } from "@/app/_lib/session";
import { NewsletterIssueView } from "@/components/newsletter-issue";
import { getDb } from "@/db/index";
import { roleIn } from "@/db/queries/campaigns";
import { getNewsletter } from "@/db/queries/newsletters";
import { isAppError } from "@/lib/errors";
import { isMailEnabled } from "@/lib/mail/config";
import { itemCount, leadImage } from "@/lib/newsletter/issue";
import { newsletterSubject } from "@/lib/newsletter/render";
import { addWeeks, currentWeek, describeWindow, weekProblem } from "@/lib/newsletter/week";
import { newsletterItemAction, saveNewsletterAction, sendNewsletterAction } from "./actions";

type Props = { params: Promise<{ slug: string; week: string }>; searchParams: Promise<Record<string, string | undefined>> };

/** The week's newsletter, loaded once for metadata and page; null when there is none (a bad week, one not begun). */
const load = cache(async (slug: string, week: string) => {
  if (weekProblem(week) !== null || slug.length > 100) return null;
  try {
    return await getNewsletter(await getDb(), slug, week);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
});

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, week } = await params;
  const newsletter = await load(slug, week);
  if (!newsletter) return { title: "Newsletter not found", robots: { index: false } };
  const origin = await pageOrigin();
  const title = newsletterSubject(newsletter.issue);
  const n = itemCount(newsletter.issue);
  const description =
    newsletter.issue.editorial?.slice(0, 200) ??
    `${n} ${n === 1 ? "item" : "items"} from the open lab notebook of ${newsletter.campaign.name}: ` +
      newsletter.issue.sections.map((s) => `${s.items.length} ${s.title.toLowerCase()}`).join(", ");
  const lead = leadImage(newsletter.issue);
  // A structure as the link preview: the PNG of the issue's first molecule, at the size cards use.
  const images = lead ? [{ url: `${origin}${lead.path}?w=1200&h=630`, width: 1200, height: 630, alt: lead.alt }] : undefined;
  const url = `${origin}/campaigns/${newsletter.campaign.slug}/newsletter/${week}`;
  return {
    title,
    description,
    alternates: { canonical: url, types: { "application/atom+xml": `/campaigns/${newsletter.campaign.slug}/newsletter.atom` } },
    openGraph: { type: "article", title, description, url, images, ...(newsletter.sentAt ? { publishedTime: newsletter.sentAt.toISOString() } : {}) },
    twitter: { card: lead ? "summary_large_image" : "summary", title, description, images: images?.map((i) => i.url) },
    robots: newsletter.status === "sent" ? undefined : { index: false },
  };
}

export default async function NewsletterWeekPage({ params, searchParams }: Props) {
  const [{ slug, week }, query] = await Promise.all([params, searchParams]);
  const newsletter = await load(slug, week);
  if (!newsletter) notFound();
  const { campaign, issue } = newsletter;
  const actor = await currentActor();
  const role = actor ? await roleIn(await getDb(), campaign.id, actor.id) : null;
  const editable = role === "maintainer" && newsletter.status === "draft";
  const mail = isMailEnabled();
  const base = `/campaigns/${campaign.slug}/newsletter`;
  const next = addWeeks(week, 1);
  const hasNext = next <= currentWeek() && next.length === week.length;
  return (
    <div className="stack">
      <div className="spread">
        <div>
          <h1 style={{ marginBottom: 0 }}>
            {campaign.name} · week {week}
          </h1>
          <p className="meta" style={{ marginTop: "0.25rem" }}>
            {describeWindow(week)} ·{" "}
            {newsletter.sentAt ? (
              <span data-testid="newsletter-status">Sent {utc(newsletter.sentAt)}</span>
            ) : (
              <span data-testid="newsletter-status">
                Draft, written from the notebook{newsletter.sendAt ? `; goes out ${utc(newsletter.sendAt)}` : "; not scheduled"}
              </span>
            )}
          </p>
        </div>
        <nav className="meta row" aria-label="Other weeks">
          <Link href={`${base}/${addWeeks(week, -1)}`}>← {addWeeks(week, -1)}</Link>
          {hasNext ? <Link href={`${base}/${next}`}>{next} →</Link> : null}
          <Link href={base}>All newsletters</Link>
          <a href={`/campaigns/${campaign.slug}/newsletter.atom`}>Atom</a>
        </nav>
      </div>
      {query.error ? (
        <p className="error" role="alert">
          {query.error}
        </p>
      ) : null}
      {query.note ? (
        <p className="notice" role="status">
          {query.note}
        </p>
      ) : null}
      {role === "maintainer" && !mail ? (
        <p className="notice" data-testid="mail-off">
          E-mail is off on this notebook (no SMTP server is configured): newsletters are drafted and archived here, and nothing is mailed.
        </p>
      ) : null}
      {editable ? (
        <section className="card stack" aria-label="Edit before it goes out" data-testid="newsletter-editor">
          <h2 style={{ margin: 0 }}>Before it goes out</h2>
          <form action={saveNewsletterAction.bind(null, campaign.slug, week)} className="stack">
            <label className="field">
              <span>Editorial (plain text, shown above the items; a blank line starts a new paragraph)</span>
              <textarea name="editorial" rows={4} maxLength={4000} defaultValue={newsletter.edits.editorial ?? ""} />
            </label>
            <label className="field">
              <span>Goes out by itself at (UTC; empty: only when sent by hand)</span>
              <input type="datetime-local" name="sendAt" defaultValue={newsletter.sendAt ? newsletter.sendAt.toISOString().slice(0, 16) : ""} />
            </label>
            <div className="row">
              <button type="submit">Save</button>
            </div>
          </form>
          <form action={sendNewsletterAction.bind(null, campaign.slug, week)} className="row">
            <button type="submit" className="primary">
              Send now
            </button>
            <span className="meta">
              {mail
                ? `Goes to every confirmed subscriber who has not had it (${newsletter.deliveries} so far), and is archived as it is now.`
                : "E-mail is off: it is published in the archive and its feed as it is now."}
            </span>
          </form>
        </section>
      ) : null}
      <NewsletterIssueView
        issue={issue}
        controls={
          editable
            ? (item, pinned) => (
                <>
                  <form action={newsletterItemAction.bind(null, campaign.slug, week, item.key, pinned ? "unpin" : "pin")}>
                    <button type="submit">{pinned ? "Unpin" : "Pin"}</button>
                  </form>
                  <form action={newsletterItemAction.bind(null, campaign.slug, week, item.key, "drop")}>
                    <button type="submit">Drop</button>
                  </form>
                </>
              )
            : undefined
        }
      />
      {editable && issue.dropped.length ? (
        <section className="card" aria-label="Dropped items" data-testid="newsletter-dropped">
          <h2 style={{ marginTop: 0 }}>Dropped (readers do not see these)</h2>
          <ul>
            {issue.dropped.map((item) => (
              <li key={item.key} className="row">
                <span>{item.title}</span>
                <form action={newsletterItemAction.bind(null, campaign.slug, week, item.key, "restore")}>
                  <button type="submit">Restore</button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="meta">
        Written from the open notebook of <Link href={`/campaigns/${campaign.slug}`}>{campaign.name}</Link>.
        {newsletter.status === "sent" && mail ? ` Mailed to ${newsletter.deliveries} subscriber${newsletter.deliveries === 1 ? "" : "s"}.` : ""}
      </p>
    </div>
  );
}
