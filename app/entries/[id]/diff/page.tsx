import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/index";
import { getRevision } from "@/db/queries/entry-lists";
import { diffRevisions, withContext } from "@/lib/entries/diff";
import { diffReactions } from "@/lib/stoichiometry/diff";
import { loadEntry } from "../../_load";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ from?: string; to?: string }> };

export const metadata: Metadata = { title: "Changes", robots: { index: false } };

const asNumber = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null);

export default async function DiffPage({ params, searchParams }: Props) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const entry = await loadEntry(id);
  const to = asNumber(query.to) ?? entry.revisionNumber;
  const from = asNumber(query.from) ?? Math.max(1, to - 1);
  const db = await getDb();
  const [a, b] = await Promise.all([getRevision(db, entry.id, Math.min(from, to)), getRevision(db, entry.id, Math.max(from, to))]);
  if (!a || !b) notFound();
  const diff = diffRevisions(a, b);
  const cells = diffReactions(a.reactions, b.reactions);
  return (
    <div className="stack">
      <p className="meta">
        <Link href={entry.path}>← {entry.title}</Link> · <Link href={`${entry.path}/history`}>history</Link>
      </p>
      <h1>
        Changes from revision {a.number} to {b.number}
      </h1>
      <p className="meta">
        {b.author.login}
        {b.message ? `: ${b.message}` : ""} · <span className="diff-added">+{diff.added}</span> / <span>−{diff.removed}</span> lines
      </p>
      <p>
        <strong>Title: </strong>
        {diff.title.map((part, i) =>
          part.kind === "added" ? <ins key={i}>{part.text}</ins> : part.kind === "removed" ? <del key={i}>{part.text}</del> : <span key={i}>{part.text}</span>,
        )}
      </p>
      {diff.added + diff.removed === 0 ? <p className="meta">The text is the same.</p> : null}
      <table className="diff" data-testid="diff">
        <tbody>
          {withContext(diff.lines).map((line, i) =>
            line.kind === "fold" ? (
              <tr key={i} className="fold">
                <td colSpan={3}>… {line.count} unchanged lines …</td>
              </tr>
            ) : (
              <tr key={i} className={line.kind}>
                <td className="num">{line.oldNumber ?? ""}</td>
                <td className="num">{line.newNumber ?? ""}</td>
                <td>
                  <span aria-hidden>{line.kind === "added" ? "+ " : line.kind === "removed" ? "− " : "  "}</span>
                  {line.text}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      {cells.length ? (
        <>
          <h2>Reactions</h2>
          <table className="stoichiometry reaction-diff" data-testid="reaction-diff">
            <thead>
              <tr>
                <th>Reaction</th>
                <th>Row</th>
                <th>Cell</th>
                <th>Before</th>
                <th>After</th>
              </tr>
            </thead>
            <tbody>
              {cells.map((c, i) => (
                <tr key={i}>
                  <td>{c.reaction}</td>
                  <td>{c.row ?? ""}</td>
                  <td>{c.field}</td>
                  <td>
                    <del>{c.from}</del>
                  </td>
                  <td>
                    <ins>{c.to}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
