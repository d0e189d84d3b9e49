"use client";

import { useState, useTransition } from "react";
import { setWatchAction } from "@/app/notifications/actions";
import type { WatchTargetKind } from "@/lib/discussion/model";

/** Follow something: its comments (and a molecule's new results) reach your notifications. */
export function WatchButton({ kind, id, watching: initial, path }: { kind: WatchTargetKind; id: number; watching: boolean; path: string }) {
  const [watching, setWatching] = useState(initial);
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      aria-pressed={watching}
      disabled={pending}
      title={watching ? "You are notified of comments and new results here" : "Be notified of comments and new results here"}
      onClick={() =>
        start(async () => {
          const result = await setWatchAction({ kind, id, on: !watching, path });
          if (result.ok) setWatching(result.data.watching);
        })
      }
    >
      {watching ? "Watching ✓" : "Watch"}
    </button>
  );
}
