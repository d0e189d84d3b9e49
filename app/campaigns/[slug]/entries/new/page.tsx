import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { EntryEditor } from "@/components/entry-editor";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { getTemplate, listTemplates } from "@/db/queries/templates";
import { today } from "@/lib/entries/input";
import { osraAvailable } from "@/lib/ocsr/osra";

export const metadata: Metadata = { title: "New entry", robots: { index: false } };

export default async function NewEntryPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ template?: string }> }) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  if (!actor) redirect(`/signin?next=/campaigns/${slug}/entries/new`);
  if (!(await roleIn(db, campaign.id, actor.id))) {
    return (
      <p className="notice warn">
        Only members of {campaign.name} can write in it. Ask a maintainer to add you. <Link href={`/campaigns/${slug}`}>Back</Link>
      </p>
    );
  }
  const day = today();
  const [templates, template] = await Promise.all([
    listTemplates(db, campaign.id),
    query.template && /^\d{1,9}$/.test(query.template) ? getTemplate(db, campaign.id, Number(query.template)) : null,
  ]);
  return (
    <div className="stack">
      <p className="meta">
        <Link href={`/campaigns/${slug}`}>← {campaign.name}</Link> · new entry
      </p>
      {templates.length ? (
        <nav className="meta templates" aria-label="Templates">
          Start from a template:{" "}
          {templates.map((t, i) => (
            <span key={t.id}>
              {i ? " · " : ""}
              {template?.id === t.id ? <strong>{t.name}</strong> : <Link href={`/campaigns/${slug}/entries/new?template=${t.id}`}>{t.name}</Link>}
            </span>
          ))}
          {template ? (
            <>
              {" "}
              · <Link href={`/campaigns/${slug}/entries/new`}>blank entry</Link>
            </>
          ) : null}
        </nav>
      ) : null}
      <EntryEditor
        key={template?.id ?? "blank"}
        campaign={{ slug: campaign.slug, name: campaign.name }}
        defaultDate={day}
        start={template ? { template: template.id, title: template.title, body: template.body, reactions: template.reactions } : undefined}
        pictures={osraAvailable()}
      />
    </div>
  );
}
