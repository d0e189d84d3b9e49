import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { EntryEditor } from "@/components/entry-editor";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { getPage } from "@/db/queries/wiki";
import { today } from "@/lib/entries/input";
import { osraAvailable } from "@/lib/ocsr/osra";

type Props = { params: Promise<{ slug: string; page: string }> };

export const metadata = { title: "Edit wiki page" };

export default async function EditWikiPage({ params }: Props) {
  const { slug, page: key } = await params;
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const page = await getPage(db, slug, decodeURIComponent(key));
  if (!page || page.deletedAt) notFound();
  const actor = await currentActor();
  if (!actor) redirect(`/signin?next=${page.path}/edit`);
  if (!(await roleIn(db, campaign.id, actor.id))) {
    return (
      <p className="notice warn">
        Only members of {campaign.name} can edit its wiki. <Link href={page.path}>Back to the page</Link>
      </p>
    );
  }
  return (
    <div className="stack">
      <h1>Edit “{page.title}”</h1>
      <EntryEditor
        kind="page"
        campaign={{ slug, name: campaign.name }}
        entry={{ id: page.id, revisionId: page.revisionId, title: page.title, body: page.body, date: page.date, reactions: [] }}
        defaultDate={today()}
        pictures={osraAvailable()}
      />
    </div>
  );
}
