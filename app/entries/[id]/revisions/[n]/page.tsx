import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MarkdownView } from "@/components/markdown-view";
import { ReactionView } from "@/components/reaction-view";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { getRevision } from "@/db/queries/entry-lists";
import { loadEntry } from "../../../_load";

type Props = { params: Promise<{ id: string; n: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id, n } = await params;
  const entry = await loadEntry(id);
  return { title: `${entry.title}, revision ${n}` };
}

export default async function RevisionPage({ params }: Props) {
  const { id, n } = await params;
  const entry = await loadEntry(id);
  const revision = /^\d{1,9}$/.test(n) ? await getRevision(await getDb(), entry.id, Number(n)) : null;
  if (!revision) notFound();
  return (
    <article className="stack">
      <p className="meta">
        <Link href={entry.path}>← current version</Link> · <Link href={`${entry.path}/history`}>history</Link>
      </p>
      <p className="notice">
        Revision {revision.number} of {entry.revisionNumber}, saved by {revision.author.login} at <RelativeTime date={revision.createdAt} />
        {revision.message ? `: ${revision.message}` : "."}
      </p>
      <h1>{revision.title}</h1>
      <div className="card">
        <MarkdownView body={revision.body} />
      </div>
      {revision.reactions.map((reaction, i) => (
        <ReactionView key={reaction.id} reaction={reaction} index={i} schemeSrc={`${entry.path}/reactions/${reaction.id}.svg?revision=${revision.number}`} />
      ))}
    </article>
  );
}
