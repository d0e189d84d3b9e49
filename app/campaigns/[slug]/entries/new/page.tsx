import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { EntryEditor } from "@/components/entry-editor";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { today } from "@/lib/entries/input";

export const metadata: Metadata = { title: "New entry", robots: { index: false } };

export default async function NewEntryPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
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
  return (
    <div className="stack">
      <p className="meta">
        <Link href={`/campaigns/${slug}`}>← {campaign.name}</Link> · new entry
      </p>
      <EntryEditor campaign={{ slug: campaign.slug, name: campaign.name }} defaultDate={day} />
    </div>
  );
}
