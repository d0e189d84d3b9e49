"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ElnImportResultBody } from "@/lib/contract/eln";

/**
 * Import an .eln archive (another notebook's export, or ours) into the campaign: the file goes as it is to
 * `POST /api/v1/imports?format=eln` (the API, not a server action, because archives are far larger than a server
 * action's body may be), and the answer is shown: what was imported, with links, and what was not and why.
 */
export function ElnImportForm({ slug }: { slug: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<ElnImportResultBody | null>(null);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("archive");
    if (!(file instanceof File) || file.size === 0) {
      setFailure("Choose an .eln file first.");
      return;
    }
    setBusy(true);
    setFailure(null);
    setResult(null);
    try {
      const res = await fetch(`/api/v1/imports?format=eln&campaign=${encodeURIComponent(slug)}`, {
        method: "POST",
        headers: { "Content-Type": "application/vnd.eln+zip" },
        body: file,
      });
      const answer = (await res.json().catch(() => null)) as (ElnImportResultBody & { error?: { message?: string } }) | null;
      if (!res.ok || !answer || answer.error) {
        setFailure(answer?.error?.message ?? `The server answered HTTP ${res.status}.`);
        return;
      }
      setResult(answer);
      router.refresh();
    } catch {
      setFailure("The archive could not be sent; check the connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const n = result?.imported;
  return (
    <div className="card" data-testid="eln-import">
      <strong>Import an .eln archive</strong>
      <p className="meta" style={{ margin: "0.3rem 0" }}>
        From eLabFTW, RSpace, AI4Green, SampleDB, PASTA or another notebook (at most 200 MB). You become the author; the original authors
        and dates head each entry.
      </p>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <input
          type="file"
          name="archive"
          accept=".eln,application/vnd.eln+zip,application/zip"
          aria-label=".eln archive"
          style={{ maxWidth: "100%" }}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Importing…" : "Import"}
        </button>
      </form>
      {failure ? (
        <p className="notice warn" role="alert">
          {failure}
        </p>
      ) : null}
      {result && n ? (
        <div className="stack" role="status">
          <p style={{ margin: 0 }}>
            Imported from {result.source}: {count(n.entries, "entry", "entries")}, {count(n.attachments, "attachment")},{" "}
            {count(n.comments, "comment")}, {count(n.reactions, "reaction")}, {count(n.molecules, "new molecule")} ({n.moleculesLinked}{" "}
            already registered), {count(n.measurements, "measurement")}.
          </p>
          <ul className="entries">
            {result.entries.slice(0, 20).map((e) => (
              <li key={e.id}>
                <Link href={e.path}>{e.title}</Link>
              </li>
            ))}
          </ul>
          <ReportList title="Not imported" items={result.errors} open />
          <ReportList title="Not mapped" items={result.skipped} />
        </div>
      ) : null}
    </div>
  );
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What an import left out, item by item with the reason; nothing when there is nothing to say. */
function ReportList({ title, items, open = false }: { title: string; items: { item: string; reason: string }[]; open?: boolean }) {
  if (!items.length) return null;
  return (
    <details open={open}>
      <summary>
        {title} ({items.length})
      </summary>
      <ul className="meta">
        {items.map((e, i) => (
          <li key={i}>
            <code>{e.item}</code>: {e.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
