/**
 * The hash chain's clock, in every app process: every minute each campaign's new records are sealed into its chain
 * (db/queries/integrity.ts; the campaign's row lock makes that once across processes), and each day the chain head
 * as it stood at midnight (UTC) is published in the campaign's feed when it moved. Started from instrumentation.ts, never during `next build`.
 */
import { getDb, type Queryable } from "@/db/index";
import { publishChainHeads, sealAllCampaigns } from "@/db/queries/integrity";

export const INTEGRITY_TICK_MS = 60_000;
const FIRST_TICK_MS = 10_000;

export async function integrityTick(db: Queryable, now = new Date()): Promise<{ sealed: number; published: number }> {
  const sealed = await sealAllCampaigns(db);
  const published = await publishChainHeads(db, now);
  return { sealed, published };
}

const key = Symbol.for("open-notebook.integrity-runner");
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as { timer?: NodeJS.Timeout; running?: boolean };

export function startIntegrityRunner(): void {
  if (holder.timer) return;
  const tick = () => {
    if (holder.running) return; // a slow tick (a large import to seal) is not overlapped by the next
    holder.running = true;
    getDb()
      .then((db) => integrityTick(db))
      .catch((error: unknown) => console.error("[integrity]", error))
      .finally(() => {
        holder.running = false;
      });
  };
  setTimeout(tick, FIRST_TICK_MS).unref();
  holder.timer = setInterval(tick, INTEGRITY_TICK_MS);
  holder.timer.unref();
}
