import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { EntryEditor } from "@/components/entry-editor";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { today } from "@/lib/entries/input";
import { osraAvailable } from "@/lib/ocsr/osra";
import { HOME_TITLE } from "@/lib/wiki/model";
import { WIKI_STARTER } from "@/lib/wiki/starter";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ title?: string }> };

export const metadata = { title: "New wiki page" };

export default async function NewWikiPage({ params, searchParams }: Props) {
  const [{ slug }, { title }] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  if (!actor) redirect(`/signin?next=/campaigns/${slug}/wiki/new`);
  if (!(await roleIn(db, campaign.id, actor.id))) {
    return (
      <p className="notice warn">
        Only members of {campaign.name} can write its wiki. <Link href={`/campaigns/${slug}/wiki`}>Back to the wiki</Link>
      </p>
    );
  }
  const start = typeof title === "string" ? title.slice(0, 200) : "";
  return (
    <div className="stack">
      <h1>{start === HOME_TITLE ? `The overview of ${campaign.name}` : "New wiki page"}</h1>
      <EntryEditor
        kind="page"
        campaign={{ slug, name: campaign.name }}
        start={{ template: 0, title: start, body: start === HOME_TITLE ? WIKI_STARTER : "", reactions: [] }}
        defaultDate={today()}
        pictures={osraAvailable()}
      />
    </div>
  );
}
