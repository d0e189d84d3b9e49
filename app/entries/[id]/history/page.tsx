import type { Metadata } from "next";
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { listRevisions } from "@/db/queries/entry-lists";
import { loadEntry } from "../../_load";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const entry = await loadEntry((await params).id);
  return { title: `History of ${entry.title}` };
}

export default async function HistoryPage({ params }: Props) {
  const entry = await loadEntry((await params).id);
  const revisions = await listRevisions(await getDb(), entry.id);
  const newest = revisions[0]?.number ?? 1;
  return (
    <div className="stack">
      <p className="meta">
        <Link href={entry.path}>← {entry.title}</Link>
      </p>
      <h1>History</h1>
      <p className="meta">Every save is kept. Pick two revisions to compare.</p>
      <form action={`${entry.path}/diff`} className="card">
        <table className="history">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th>Revision</th>
              <th>Who</th>
              <th>When</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.id}>
                <td>
                  <input type="radio" name="from" value={r.number} defaultChecked={r.number === Math.max(1, newest - 1)} aria-label={`Compare from revision ${r.number}`} />
                </td>
                <td>
                  <input type="radio" name="to" value={r.number} defaultChecked={r.number === newest} aria-label={`Compare to revision ${r.number}`} />
                </td>
                <td>
                  <Link href={`${entry.path}/revisions/${r.number}`}>#{r.number}</Link>
                  {r.number > 1 ? (
                    <>
                      {" "}
                      <Link href={`${entry.path}/diff?from=${r.number - 1}&to=${r.number}`} className="meta">
                        changes
                      </Link>
                    </>
                  ) : null}
                </td>
                <td>{r.author.login}</td>
                <td>
                  <RelativeTime date={r.createdAt} />
                </td>
                <td>{r.message ?? (r.number === 1 ? "first version" : "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <button type="submit" className="primary" disabled={revisions.length < 2}>
            Compare selected revisions
          </button>
        </p>
      </form>
    </div>
  );
}
