import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../index";
import { scheduledRuns } from "../schema";

// Work that must run once per period across every app process (a day's digests, a week's newsletter drafts). The
// claim is a row of scheduled_runs: the process whose insert of (name, period) succeeds runs the work; the others'
// inserts conflict and they skip it. The work itself must be idempotent (dedupe keys, rows marked done in the same
// transaction), because a run can be taken over: a claim that never finished within `staleAfterMs` (its process died)
// is claimed again by the next process to look, and a run that throws gives its claim up for the next tick.

export type RunOutcome<T> = { ran: true; result: T } | { ran: false };

/**
 * Run `fn` once for (`name`, `period`) across processes. Answers `{ran: false}` when another process has it (or had
 * it and finished). `period` is any stable name of the period, e.g. `2026-12-05` or `2026-W49` (lib/mail/schedule.ts).
 */
export async function runOnce<T>(
  db: Queryable,
  name: string,
  period: string,
  fn: () => Promise<T>,
  options: { staleAfterMs?: number } = {},
): Promise<RunOutcome<T>> {
  const staleAfterMs = Math.max(1, Math.round(options.staleAfterMs ?? 30 * 60 * 1000));
  const claimed = await db
    .insert(scheduledRuns)
    .values({ name, period })
    .onConflictDoUpdate({
      target: [scheduledRuns.name, scheduledRuns.period],
      set: { startedAt: sql`now()` },
      // Only a run that started long ago and never finished is taken over; otherwise the insert does nothing.
      setWhere: sql`${scheduledRuns.finishedAt} is null and ${scheduledRuns.startedAt} < now() - ${staleAfterMs}::integer * interval '1 millisecond'`,
    })
    .returning({ name: scheduledRuns.name });
  if (claimed.length === 0) return { ran: false };
  const mine = and(eq(scheduledRuns.name, name), eq(scheduledRuns.period, period));
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await db.delete(scheduledRuns).where(and(mine, isNull(scheduledRuns.finishedAt)));
    throw error;
  }
  await db.update(scheduledRuns).set({ finishedAt: sql`now()` }).where(mine);
  return { ran: true, result };
}
