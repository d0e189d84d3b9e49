import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { EntryEditor } from "@/components/entry-editor";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { canEditEntry } from "@/lib/auth/policy";
import { today } from "@/lib/entries/input";
import { osraAvailable } from "@/lib/ocsr/osra";
import { loadEntry } from "../../_load";

export const metadata: Metadata = { title: "Edit entry", robots: { index: false } };

export default async function EditEntryPage({ params }: { params: Promise<{ id: string }> }) {
  const entry = await loadEntry((await params).id);
  if (entry.kind === "page") redirect(`${entry.path}/edit`); // a wiki page has its own editor route
  const actor = await currentActor();
  if (!actor) redirect(`/signin?next=${entry.path}/edit`);
  const db = await getDb();
  const campaign = (await getCampaign(db, entry.campaign.slug))!;
  const role = await roleIn(db, campaign.id, actor.id);
  if (entry.deletedAt || !canEditEntry(actor.id, entry.authorId, role)) {
    return (
      <p className="notice warn">
        {entry.deletedAt ? "This entry was deleted." : "Only the author of this entry or a maintainer of its campaign can edit it."}{" "}
        <Link href={entry.path}>Back to the entry</Link>
      </p>
    );
  }
  return (
    <div className="stack">
      <p className="meta">
        <Link href={entry.path}>← {entry.title}</Link> · editing revision {entry.revisionNumber} in {entry.campaign.name}
      </p>
      <EntryEditor
        campaign={entry.campaign}
        defaultDate={today()}
        entry={{
          id: entry.id,
          revisionId: entry.revisionId,
          title: entry.title,
          body: entry.body,
          date: entry.date,
          reactions: entry.reactions,
        }}
        pictures={osraAvailable()}
      />
    </div>
  );
}
