import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { EntryActions } from "@/components/entry-actions";
import { MarkdownView } from "@/components/markdown-view";
import { MentionHover } from "@/components/mention-hover";
import { MoleculesMentioned } from "@/components/molecule-mentions";
import { ReactionView } from "@/components/reaction-view";
import { SaveTemplateForm } from "@/components/save-template-form";
import { Discussion } from "@/components/discussion";
import { WatchButton } from "@/components/watch-button";
import { isWatching } from "@/db/queries/watches";
import { SpectraPanel } from "@/components/spectrum-plot";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { listAttachments } from "@/db/queries/attachments";
import { entryRecognized } from "@/db/queries/attachment-scans";
import { RecognizedStructures } from "@/components/recognized-structures";
import { osraAvailable } from "@/lib/ocsr/osra";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { deletedBy } from "@/db/queries/entries";
import { moleculesMentionedIn } from "@/db/queries/mentions";
import { pagesLinkedFrom } from "@/db/queries/wiki";
import { canEditEntry } from "@/lib/auth/policy";
import { markdownToText } from "@/lib/markdown";
import type { StoredReaction } from "@/lib/stoichiometry/reaction";
import { loadEntry } from "../_load";
import { pageCiteContext } from "@/app/_lib/cite";
import { CiteBox } from "@/components/cite-box";
import { JsonLdScript } from "@/components/json-ld";
import { LicenseLine } from "@/components/license-line";
import { citeDocument } from "@/db/queries/citations";
import { documentJsonLd } from "@/lib/cite/jsonld";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const entry = await loadEntry((await params).id);
  if (entry.deletedAt) return { title: "Deleted entry", robots: { index: false } };
  const description = markdownToText(entry.body, 160) || `Lab notebook entry of ${entry.date}`;
  // The first structure it names (a product of its reactions, else a mention) previews the entry where it is shared.
  const mentioned = await moleculesMentionedIn(await getDb(), entry.id);
  const product = entry.reactions.flatMap((r) =>
    r.rows.filter((row) => row.role === "product" && row.molecule).map((row) => row.molecule!),
  )[0];
  const code = product ?? mentioned[0]?.code;
  const image = code ? { url: `/molecules/${code}.png?w=1200&h=630`, width: 1200, height: 630, alt: `Structure of ${code}` } : null;
  return {
    title: `${entry.title} (${entry.date})`,
    description,
    openGraph: {
      type: "article",
      title: entry.title,
      description,
      publishedTime: entry.createdAt.toISOString(),
      authors: [entry.author.login],
      ...(image ? { images: [image] } : {}),
    },
    twitter: {
      card: image ? "summary_large_image" : "summary",
      title: entry.title,
      description,
      ...(image ? { images: [image.url] } : {}),
    },
  };
}

export default async function EntryPage({ params }: Props) {
  const entry = await loadEntry((await params).id);
  if (entry.kind === "page") redirect(entry.path); // a wiki page is read in its campaign's wiki
  const db = await getDb();
  const actor = await currentActor();
  const campaign = (await getCampaign(db, entry.campaign.slug))!;
  const [role, attachments, remover, mentioned, watching, wikiPages, recognized] = await Promise.all([
    roleIn(db, campaign.id, actor?.id),
    listAttachments(db, entry.id),
    entry.deletedAt ? deletedBy(db, entry.id) : null,
    entry.deletedAt ? [] : moleculesMentionedIn(db, entry.id),
    isWatching(db, actor?.id, "entry", entry.id),
    entry.deletedAt ? [] : pagesLinkedFrom(db, entry.id),
    entry.deletedAt ? null : entryRecognized(db, entry.id),
  ]);
  const canEdit = actor ? canEditEntry(actor.id, entry.authorId, role) : false;
  const attachmentsById = new Map(attachments.map((a) => [a.id, { filename: a.filename, path: a.path }]));
  const hoverCards = Object.fromEntries(mentioned.map((m) => [m.mention, { code: m.code, name: m.name, status: m.status }]));
  const cite = await pageCiteContext();
  const citation = entry.deletedAt ? null : await citeDocument(db, entry.id, entry.revisionNumber, cite);

  if (entry.deletedAt) {
    return (
      <article className="card stack">
        <h1>This entry was deleted</h1>
        <p className="meta">
          “{entry.title}” ({entry.date}) in <Link href={`/campaigns/${entry.campaign.slug}`}>{entry.campaign.name}</Link> was deleted by{" "}
          {remover} on <RelativeTime date={entry.deletedAt} />. Its history is kept.
        </p>
        {role === "maintainer" ? <EntryActions entryId={entry.id} canEdit={false} canRestore deleted /> : null}
      </article>
    );
  }

  return (
    <article className="grid">
      <div>
        <p className="meta" style={{ margin: 0 }}>
          <Link href={`/campaigns/${entry.campaign.slug}`} className="tag">
            {entry.campaign.name}
          </Link>{" "}
          · work of <strong>{entry.date}</strong>
        </p>
        <h1>{entry.title}</h1>
        <p className="meta">
          by {entry.author.login} · written <RelativeTime date={entry.createdAt} />
          {entry.revisionNumber > 1 ? (
            <>
              {" "}
              · revised <RelativeTime date={entry.updatedAt} />
            </>
          ) : null}
        </p>
        <div className="card">
          <MarkdownView body={entry.body} campaign={entry.campaign.slug} />
        </div>
        {entry.reactions.map((reaction, i) => (
          <ReactionView
            key={reaction.id}
            reaction={reaction}
            index={i}
            schemeSrc={`${entry.path}/reactions/${reaction.id}.svg?revision=${entry.revisionNumber}`}
            register={canEdit ? { entryId: entry.id, baseRevision: entry.revisionId } : null}
            attachments={attachmentsById}
          />
        ))}
        <SpectraPanel attachments={attachments} captions={spectrumCaptions(entry.reactions)} />
        {recognized ? <RecognizedStructures found={recognized} scanning={osraAvailable()} /> : null}
        {entry.reactions.map((reaction, i) => (
          <Discussion
            key={reaction.id}
            db={db}
            target={{ kind: "reaction", id: `${entry.id}/${reaction.id}` }}
            campaign={entry.campaign.slug}
            actor={actor}
            role={role}
            isOwner={actor?.id === entry.authorId}
            returnTo={entry.path}
            title={`Discussion of reaction ${i + 1}${reaction.title ? `: ${reaction.title}` : ""}`}
          />
        ))}
        <Discussion
          db={db}
          target={{ kind: "entry", id: entry.id }}
          campaign={entry.campaign.slug}
          actor={actor}
          role={role}
          isOwner={actor?.id === entry.authorId}
          returnTo={entry.path}
        />
        <MentionHover molecules={hoverCards} />
        <LicenseLine license={entry.campaign.license} />
        {citation ? (
          <JsonLdScript
            data={documentJsonLd({
              kind: "entry",
              title: entry.title,
              description: markdownToText(entry.body, 300),
              url: citation.latestUrl!,
              revisionUrl: citation.url,
              revision: entry.revisionNumber,
              workDate: entry.date,
              authors: citation.authors,
              createdAt: entry.createdAt,
              updatedAt: entry.updatedAt,
              campaign: { ...entry.campaign, url: citation.container.url },
              mentions: mentioned.map((m) => ({ code: m.code, url: `${cite.origin}/molecules/${m.code}` })),
            })}
          />
        ) : null}
      </div>
      <aside className="stack">
        <div className="card stack">
          <div>
            <Link href={`${entry.path}/history`}>
              History ({entry.revisionNumber} revision{entry.revisionNumber === 1 ? "" : "s"})
            </Link>
          </div>
          <div>
            <a
              href={`/api/v1/entries/${entry.id}/export.eln`}
              download
              title="This entry, its files and molecules as an .eln archive (RO-Crate)"
            >
              Export .eln
            </a>
          </div>
          {canEdit ? <EntryActions entryId={entry.id} canEdit canRestore={false} deleted={false} /> : null}
          {actor ? <WatchButton kind="entry" id={entry.id} watching={watching} path={entry.path} /> : null}
          {role ? <SaveTemplateForm entryId={entry.id} suggestion={entry.reactions[0]?.title ?? entry.title} /> : null}
          {!actor ? (
            <p className="meta">
              <Link href={`/signin?next=${entry.path}`}>Sign in</Link> to edit.
            </p>
          ) : null}
        </div>
        {citation ? <CiteBox citation={citation} href={`${entry.path}/cite`} revision={entry.revisionNumber} /> : null}
        <MoleculesMentioned molecules={mentioned} />
        {wikiPages.length ? (
          <div className="card" data-testid="wiki-pages-linked">
            <strong>In the wiki</strong>
            <ul className="entries">
              {wikiPages.map((p) => (
                <li key={p.path}>
                  <Link href={p.path}>{p.title}</Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {attachments.length ? (
          <div className="card">
            <strong>Attachments</strong>
            <ul className="attachments">
              {attachments.map((a) => (
                <li key={a.id}>
                  <a href={a.path}>{a.filename}</a> <span className="meta">{(a.size / 1024).toFixed(1)} kB</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </aside>
    </article>
  );
}

/** "Spectrum of OSM-S-12" for each attachment a product row links as its spectrum. */
function spectrumCaptions(reactions: StoredReaction[]): Record<number, string> {
  const captions: Record<number, string> = {};
  for (const r of reactions) {
    for (const row of r.rows) {
      if (row.spectrum) captions[row.spectrum] = `spectrum of ${row.molecule ?? row.name ?? `the product of ${r.title ?? "the reaction"}`}`;
    }
  }
  return captions;
}
