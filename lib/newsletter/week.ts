/**
 * ISO 8601 weeks in UTC, the newsletter's unit of time: `2026-W49` is the week from Monday 30 November 2026 00:00 UTC
 * up to (not including) Monday 7 December 00:00 UTC. A week belongs to the year of its Thursday, so 2026-W53 exists
 * (2026 starts on a Thursday) and 2027-W53 does not.
 */

const DAY = 86_400_000;
export const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
export const WEEK_FORMAT_HINT = "must be an ISO week like 2026-W49 (year, W, two-digit week number)";

export interface IsoWeek {
  year: number;
  week: number;
}

/** Monday 00:00 UTC of the week holding 4 January, which is week 1 by definition. */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
}

/** The ISO week a moment falls in (UTC). */
export function isoWeekOf(date: Date): IsoWeek {
  const time = date.getTime();
  if (!Number.isFinite(time)) throw new RangeError("isoWeekOf: invalid date");
  const midnight = time - (((time % DAY) + DAY) % DAY);
  const weekday = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(midnight + (3 - weekday) * DAY);
  const year = thursday.getUTCFullYear();
  return { year, week: 1 + Math.floor((midnight - weekday * DAY - firstMonday(year)) / (7 * DAY)) };
}

/** 52 or 53: the week of 28 December is always the year's last. */
export function weeksInYear(year: number): number {
  return isoWeekOf(new Date(Date.UTC(year, 11, 28))).week;
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`;
}

/** `2026-W49` as numbers, or null when it is not the form or not a week of that year (W00, 2027-W53). */
export function parseIsoWeek(text: string): IsoWeek | null {
  const match = WEEK_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < 1970 || year > 9998 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

/** Why a week string is refused ("W54 does not exist in 2026"), or null when it is a week. */
export function weekProblem(text: string): string | null {
  const match = WEEK_PATTERN.exec(text);
  if (!match) return WEEK_FORMAT_HINT;
  const year = Number(match[1]);
  if (year < 1970 || year > 9998) return "must be a week of a year from 1970 to 9998";
  const week = Number(match[2]);
  const last = weeksInYear(year);
  if (week < 1 || week > last) return `week ${match[2]} does not exist in ${year} (its weeks are W01 to W${last})`;
  return null;
}

/** The week's window in UTC: `start` its Monday 00:00, `end` the next Monday 00:00 (excluded). */
export function weekWindow(week: IsoWeek | string): { start: Date; end: Date } {
  const parsed = typeof week === "string" ? parseIsoWeek(week) : week;
  if (!parsed) throw new RangeError(`not an ISO week: ${typeof week === "string" ? week : formatIsoWeek(week)}`);
  const start = firstMonday(parsed.year) + (parsed.week - 1) * 7 * DAY;
  return { start: new Date(start), end: new Date(start + 7 * DAY) };
}

/** The week `n` weeks after (negative: before) the given one. */
export function addWeeks(week: string, n: number): string {
  return formatIsoWeek(isoWeekOf(new Date(weekWindow(week).start.getTime() + n * 7 * DAY)));
}

/** The current week's name, e.g. for the period of a weekly job. */
export function currentWeek(now: Date = new Date()): string {
  return formatIsoWeek(isoWeekOf(now));
}

/** "30 Nov – 6 Dec 2026": the days of the week as people read them. */
export function describeWindow(week: string): string {
  const { start, end } = weekWindow(week);
  const last = new Date(end.getTime() - DAY);
  const day = (d: Date, withYear: boolean) =>
    d.toLocaleDateString("en-GB", { day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}), timeZone: "UTC" });
  return `${day(start, start.getUTCFullYear() !== last.getUTCFullYear())} – ${day(last, true)}`;
}
