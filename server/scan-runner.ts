/**
 * The picture scanner's clock, in every app process: every few seconds, pictures attached to entries that are not
 * scanned yet are queued and scanned by OSRA (db/queries/attachment-scans.ts runDueScans: each claimed by one process,
 * taken over if that process dies, retried on failures that are not the picture's). OSRA runs in child processes and
 * the structures it found in the chemistry sandbox, never in this process. Does nothing while OSRA is not installed.
 * Started from instrumentation.ts, never during `next build`.
 */
import { getDb } from "@/db/index";
import { runDueScans } from "@/db/queries/attachment-scans";
import { processOwner } from "@/db/queries/outbox";
import { env } from "@/lib/env.js";

const key = Symbol.for("open-notebook.scan-runner");
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as { timer?: NodeJS.Timeout; running?: boolean };

export function startScanRunner(): void {
  if (holder.timer) return;
  const tickMs = env().NOTEBOOK_SCAN_INTERVAL * 1000;
  const claimMs = env().NOTEBOOK_SCAN_CLAIM_SECONDS * 1000;
  const tick = () => {
    if (holder.running) return; // a long scan is not overlapped by the next look
    holder.running = true;
    getDb()
      .then((db) => runDueScans(db, processOwner, { claimMs }))
      .then((outcomes) => {
        for (const o of outcomes)
          console.log(
            `[scans] attachment ${o.attachmentId}: ${o.status === "done" ? `${o.found} structures` : `${o.status}, ${o.message}`}`,
          );
      })
      .catch((error: unknown) => console.error("[scans]", error))
      .finally(() => {
        holder.running = false;
      });
  };
  setTimeout(tick, Math.min(tickMs, 10_000)).unref();
  holder.timer = setInterval(tick, tickMs);
  holder.timer.unref();
}
