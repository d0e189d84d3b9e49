// Time in the outbox and in scheduled work: retry delays, and the names of periods (a UTC day, an ISO week) that
// scheduled work runs once for (db/queries/scheduled.ts).

/** Attempts before a message is given up as failed. */
export const MAX_SEND_ATTEMPTS = 8;

/** Wait before attempt n+1 after n failed ones: 1, 2, 4 … minutes, at most 2 hours. */
export function retryDelayMs(failedAttempts: number, baseMs = 60_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), 2 * 60 * 60 * 1000);
}

/** The UTC day of a moment: `2026-12-05`. */
export function dayPeriod(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The ISO 8601 week of a moment (UTC): `2026-W49`. Weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekPeriod(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
