/**
 * The newsletter's draft as a pure function of a campaign's activity in one ISO week: the same activity always gives
 * the same items with the same keys, so a maintainer's pins and drops still apply when the week is drafted again.
 */
import { markdownToText } from "../markdown";
import { higherIsBetter, MOLAR_FACTORS } from "../molecules/assay";
import type {
  ActivityComment,
  ActivityMeasurement,
  ActivityMolecule,
  NewsletterActivity,
  NewsletterContent,
  NewsletterItem,
} from "./model";
import { WAITING_LOOKBACK_DAYS } from "./model";

const DAY = 86_400_000;

export const moleculePath = (code: string) => `/molecules/${encodeURIComponent(code)}`;
/** The structure as PNG (mail clients do not show SVG), at a size that reads in a message. */
export const structureImagePath = (code: string) => `/molecules/${encodeURIComponent(code)}.png`;
const entryPath = (id: number) => `/entries/${id}`;

export function draftNewsletter(activity: NewsletterActivity): NewsletterContent {
  const { start, end } = activity.window;
  const inWindow = (d: Date | null) => d !== null && d >= start && d < end;
  const slug = activity.campaign.slug;
  const molecules = new Map(activity.molecules.map((m) => [m.code, m]));
  const items: NewsletterItem[] = [
    ...bestPotencies(activity.measurements, start, end),
    ...activity.entries
      .filter((e) => inWindow(e.createdAt))
      .sort(byTime)
      .map((e) => ({
        key: `entry:${e.id}`,
        kind: "entry" as const,
        title: e.title,
        summary: [markdownToText(e.body, 280), `— ${e.author}, work of ${e.workDate}`].filter(Boolean).join(" "),
        path: entryPath(e.id),
        image: null,
        at: e.createdAt.toISOString(),
      })),
    ...activity.molecules
      .filter((m) => inWindow(m.createdAt))
      .sort(byTime)
      .map((m) => ({
        key: `molecule:${m.code}`,
        kind: "molecule" as const,
        title: label(m.code, m.name),
        summary: `${m.formula}, registered by ${m.registeredBy}.`,
        path: moleculePath(m.code),
        image: structure(m.code),
        at: m.createdAt.toISOString(),
      })),
    ...results(activity.measurements, start, end),
    ...activity.molecules
      .filter((m) => m.status === "parked" && inWindow(m.parkedAt))
      .sort((a, b) => a.parkedAt!.getTime() - b.parkedAt!.getTime() || a.code.localeCompare(b.code))
      .map((m) => ({
        key: `parked:${m.code}`,
        kind: "parked" as const,
        title: `${label(m.code, m.name)} parked`,
        summary: m.parkReason ? `Why: ${m.parkReason}` : "Parked without a reason given.",
        path: moleculePath(m.code),
        image: structure(m.code),
        at: m.parkedAt!.toISOString(),
      })),
    ...activity.todos
      .filter((t) => inWindow(t.createdAt))
      .sort(byTime)
      .map((t) => ({
        key: `todo-opened:${t.id}`,
        kind: "todo_opened" as const,
        title: `Opened: ${t.title}`,
        summary: todoSummary(t.issueNumber, t.assignees, t.state === "closed" && inWindow(t.lastActivityAt) ? "closed again this week" : null),
        path: `/campaigns/${slug}/todos/${t.id}`,
        image: null,
        at: t.createdAt.toISOString(),
      })),
    // A to-do keeps no time of closing: one that is closed now and whose last activity fell in the week was closed
    // in it (a later edit moves its last activity out of this week, so it is told once).
    ...activity.todos
      .filter((t) => t.state === "closed" && inWindow(t.lastActivityAt))
      .sort((a, b) => a.lastActivityAt.getTime() - b.lastActivityAt.getTime() || a.id - b.id)
      .map((t) => ({
        key: `todo-closed:${t.id}`,
        kind: "todo_closed" as const,
        title: `Closed: ${t.title}`,
        summary: todoSummary(t.issueNumber, t.assignees, null),
        path: `/campaigns/${slug}/todos/${t.id}`,
        image: null,
        at: t.lastActivityAt.toISOString(),
      })),
    ...discussions(activity.comments, start, end),
    ...openQuestions(activity.comments, end),
    ...waitingForData(activity, molecules),
  ];
  return {
    version: 1,
    campaign: { slug: activity.campaign.slug, name: activity.campaign.name },
    week: activity.week,
    window: { start: start.toISOString(), end: end.toISOString() },
    items,
  };
}

const byTime = <T extends { createdAt: Date; id?: number; code?: string }>(a: T, b: T) =>
  a.createdAt.getTime() - b.createdAt.getTime() || String(a.id ?? a.code).localeCompare(String(b.id ?? b.code), "en", { numeric: true });

const label = (code: string, name: string | null) => (name ? `${code} · ${name}` : code);
const structure = (code: string) => ({ path: structureImagePath(code), alt: `Structure of ${code}` });

function todoSummary(issueNumber: number | null, assignees: string[], extra: string | null): string {
  const parts = [issueNumber === null ? null : `GitHub issue #${issueNumber}`, assignees.length ? `assigned to ${assignees.join(", ")}` : null, extra];
  const text = parts.filter(Boolean).join(", ");
  return text ? `${text[0]!.toUpperCase()}${text.slice(1)}.` : "";
}

// ----- results and potency ----------------------------------------------------------------------------------------

/** "< 0.12 µM", "5.66 µM", "pIC50 7.1": as measured, up to four significant digits. */
export function formatValue(m: { value: number; unit: string | null; qualifier: string }): string {
  const value = String(Number(m.value.toPrecision(4)));
  return `${m.qualifier === "=" ? "" : `${m.qualifier} `}${value}${m.unit ? ` ${m.unit}` : ""}`;
}

const assayLabel = (m: { assay: string; target: string | null }) => (m.target ? `${m.target} ${m.assay}` : m.assay);

/** A window's measurements, one item per molecule (in the order of the molecule's first result). */
function results(measurements: readonly ActivityMeasurement[], start: Date, end: Date): NewsletterItem[] {
  const byMolecule = new Map<string, ActivityMeasurement[]>();
  for (const m of [...measurements].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)) {
    if (m.createdAt < start || m.createdAt >= end) continue;
    byMolecule.set(m.molecule, [...(byMolecule.get(m.molecule) ?? []), m]);
  }
  return [...byMolecule.values()].map((list) => {
    const first = list[0]!;
    const parts = list.map((m) => `${assayLabel(m)} ${formatValue(m)}${m.lab ? ` (${m.lab})` : ""}`);
    return {
      key: `results:${first.molecule}`,
      kind: "result" as const,
      title: `${label(first.molecule, first.moleculeName)}: ${list.length === 1 ? "a new result" : `${list.length} new results`}`,
      summary: `${parts.join("; ")}.`,
      path: moleculePath(first.molecule),
      image: structure(first.molecule),
      at: list[list.length - 1]!.createdAt.toISOString(),
    };
  });
}

interface Comparable {
  molecule: string;
  moleculeName: string | null;
  /** In µM for molar units, else as measured. */
  value: number;
  shown: ActivityMeasurement;
  createdAt: Date;
}

/**
 * "New most potent compound": per assay (endpoint and target, labs pooled, molar units compared in µM, as
 * lib/molecules/potency.ts groups them), the campaign's best value before the window and with it. A value counts when
 * it is measured or bounded on the potent side ("< 0.1" for an IC50); a bound on the weak side (">10") says nothing
 * about potency. The first value ever of an assay is a result, not an improvement.
 */
export function bestPotencies(measurements: readonly ActivityMeasurement[], start: Date, end: Date): NewsletterItem[] {
  const groups = new Map<string, { label: string; unit: string | null; up: boolean; before: Comparable | null; now: Comparable | null }>();
  for (const m of measurements) {
    if (m.createdAt >= end) continue;
    const up = higherIsBetter(m.assay);
    if (m.qualifier === (up ? "<" : ">")) continue;
    const factor = m.unit === null ? undefined : MOLAR_FACTORS[m.unit];
    const unit = factor === undefined ? m.unit : "µM";
    const value = factor === undefined ? m.value : Number((m.value * factor).toPrecision(12));
    const key = `${assayLabel(m)}|${unit ?? ""}`;
    const group = groups.get(key) ?? { label: assayLabel(m), unit, up, before: null, now: null };
    const candidate: Comparable = { molecule: m.molecule, moleculeName: m.moleculeName, value, shown: m, createdAt: m.createdAt };
    const better = (a: Comparable, b: Comparable | null) =>
      b === null || (up ? a.value > b.value : a.value < b.value) || (a.value === b.value && a.createdAt < b.createdAt);
    if (m.createdAt < start && better(candidate, group.before)) group.before = candidate;
    if (better(candidate, group.now)) group.now = candidate;
    groups.set(key, group);
  }
  const items: NewsletterItem[] = [];
  for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const { before, now } = g;
    if (!before || !now || now.createdAt < start) continue;
    if (!(g.up ? now.value > before.value : now.value < before.value)) continue;
    const unit = g.unit ? ` ${g.unit}` : "";
    const nowText = `${now.shown.qualifier === "=" ? "" : `${now.shown.qualifier} `}${String(Number(now.value.toPrecision(4)))}${unit}`;
    const beforeText = `${before.shown.qualifier === "=" ? "" : `${before.shown.qualifier} `}${String(Number(before.value.toPrecision(4)))}${unit}`;
    items.push({
      key: `best:${key}`,
      kind: "best_potency",
      title: `New most potent compound for ${g.label}: ${now.molecule}`,
      summary:
        `${label(now.molecule, now.moleculeName)} reached ${nowText}${now.shown.lab ? ` (${now.shown.lab})` : ""}; ` +
        `the best before this week was ${before.molecule} at ${beforeText}.`,
      path: moleculePath(now.molecule),
      image: structure(now.molecule),
      at: now.createdAt.toISOString(),
    });
  }
  return items;
}

// ----- discussion -----------------------------------------------------------------------------------------------

/** The window's most commented targets (hidden comments do not count), most comments first. */
function discussions(comments: readonly ActivityComment[], start: Date, end: Date): NewsletterItem[] {
  const byTarget = new Map<string, { target: ActivityComment["target"]; count: number; people: Set<string>; last: Date }>();
  for (const c of comments) {
    if (c.hidden || c.createdAt < start || c.createdAt >= end) continue;
    const t = byTarget.get(c.target.key) ?? { target: c.target, count: 0, people: new Set<string>(), last: c.createdAt };
    t.count++;
    t.people.add(c.author);
    if (c.createdAt > t.last) t.last = c.createdAt;
    byTarget.set(c.target.key, t);
  }
  return [...byTarget.values()]
    .sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime() || a.target.key.localeCompare(b.target.key))
    .map(({ target, count, people, last }) => ({
      key: `discussion:${target.key}`,
      kind: "discussion" as const,
      title: target.title,
      summary: `${count} ${count === 1 ? "comment" : "comments"} this week from ${[...people].sort().join(", ")}.`,
      path: target.path,
      image: target.key.startsWith("molecule:") ? structure(target.key.slice("molecule:".length)) : null,
      at: last.toISOString(),
    }));
}

/** Questions asked before the window's end and not answered by then (oldest first: they have waited longest). */
function openQuestions(comments: readonly ActivityComment[], end: Date): NewsletterItem[] {
  return comments
    .filter((c) => c.question && !c.hidden && c.createdAt < end && (c.answeredAt === null || c.answeredAt >= end))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
    .map((c) => ({
      key: `question:${c.id}`,
      kind: "question" as const,
      title: markdownToText(c.body, 160) || "(a question)",
      summary: `Asked by ${c.author} on ${c.target.title}, ${c.createdAt.toISOString().slice(0, 10)}.`,
      path: `${c.target.path.split("#")[0]}#comment-${c.id}`,
      image: null,
      at: c.createdAt.toISOString(),
    }));
}

/**
 * Entries waiting for data: live entries of the last WAITING_LOOKBACK_DAYS up to the window's end that mention
 * molecules of the campaign which had no measurement by then and are not parked — something was made or planned and
 * its assay result is still to come.
 */
function waitingForData(activity: NewsletterActivity, molecules: ReadonlyMap<string, ActivityMolecule>): NewsletterItem[] {
  const { end } = activity.window;
  const since = new Date(end.getTime() - WAITING_LOOKBACK_DAYS * DAY);
  const measured = new Set(activity.measurements.filter((m) => m.createdAt < end).map((m) => m.molecule));
  const items: NewsletterItem[] = [];
  for (const e of [...activity.entries].sort(byTime)) {
    if (e.createdAt < since || e.createdAt >= end) continue;
    const waiting = [...new Set(e.mentions)]
      .filter((code) => {
        const m = molecules.get(code);
        return m !== undefined && m.createdAt < end && !measured.has(code) && !(m.status === "parked" && m.parkedAt !== null && m.parkedAt < end);
      })
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    if (waiting.length === 0) continue;
    items.push({
      key: `waiting:${e.id}`,
      kind: "waiting",
      title: e.title,
      summary: `${waiting.join(", ")} ${waiting.length === 1 ? "has" : "have"} no measurement yet (entry of ${e.workDate} by ${e.author}).`,
      path: entryPath(e.id),
      image: structure(waiting[0]!),
      at: e.createdAt.toISOString(),
    });
  }
  return items;
}
