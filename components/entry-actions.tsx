"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteEntryAction, restoreEntryAction } from "@/app/entries/actions";

export function EntryActions({
  entryId,
  canEdit,
  canRestore,
  deleted,
  noun = "entry",
  editHref = `/entries/${entryId}/edit`,
}: {
  entryId: number;
  canEdit: boolean;
  canRestore: boolean;
  deleted: boolean;
  /** "page" for a wiki page (same actions, its own words and editor). */
  noun?: "entry" | "page";
  editHref?: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (action: (id: number) => Promise<{ ok: boolean; error?: { message: string } }>) =>
    start(async () => {
      const result = await action(entryId);
      if (!result.ok) setError(result.error?.message ?? "Failed.");
      else router.refresh();
    });
  return (
    <div className="row">
      {canEdit && !deleted ? (
        <>
          <Link href={editHref} className="button primary">
            Edit
          </Link>
          <button
            type="button"
            className="danger"
            disabled={pending}
            onClick={() => {
              if (confirm(`Delete this ${noun}? Its history is kept and a maintainer can restore it.`)) run(deleteEntryAction);
            }}
          >
            Delete
          </button>
        </>
      ) : null}
      {canRestore && deleted ? (
        <button type="button" className="primary" disabled={pending} onClick={() => run(restoreEntryAction)}>
          Restore {noun}
        </button>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}
