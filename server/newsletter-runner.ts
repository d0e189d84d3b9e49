/**
 * The weekly newsletter's clock, in every app process: once per ISO week (across processes: db/queries/scheduled.ts)
 * the week just ended is drafted for every campaign, and every minute the drafts whose send time has passed are sent
 * (and a send a crash interrupted is finished). Sending is safe from several processes at once: each subscriber's
 * message is queued once (db/queries/newsletters.ts). Started from instrumentation.ts, never during `next build`.
 */
import { getDb, type Queryable } from "@/db/index";
import { draftAllCampaigns, sendDueNewsletters } from "@/db/queries/newsletters";
import { runOnce } from "@/db/queries/scheduled";
import { addWeeks, currentWeek } from "@/lib/newsletter/week";

export const NEWSLETTER_TICK_MS = 60_000;
const FIRST_TICK_MS = 5_000;

/** One look at the clock: draft last week's newsletters if no process has this week, then send what is due. */
export async function newsletterTick(db: Queryable, now = new Date()): Promise<{ drafted: boolean; sent: number }> {
  const period = currentWeek(now);
  const drafted = await runOnce(db, "newsletter-draft", period, () => draftAllCampaigns(db, addWeeks(period, -1), now));
  const sent = await sendDueNewsletters(db, now);
  return { drafted: drafted.ran, sent: sent.length };
}

const key = Symbol.for("open-notebook.newsletter-runner");
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as { timer?: NodeJS.Timeout; running?: boolean };

export function startNewsletterRunner(): void {
  if (holder.timer) return;
  const tick = () => {
    if (holder.running) return; // a slow tick is not overlapped by the next
    holder.running = true;
    getDb()
      .then((db) => newsletterTick(db))
      .catch((error: unknown) => console.error("[newsletter]", error))
      .finally(() => {
        holder.running = false;
      });
  };
  setTimeout(tick, FIRST_TICK_MS).unref();
  holder.timer = setInterval(tick, NEWSLETTER_TICK_MS);
  holder.timer.unref();
}
