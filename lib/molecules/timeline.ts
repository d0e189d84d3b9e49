/**
 * A molecule's life as one list, oldest first: registered, made and used in reactions, mentioned in entries,
 * measured, discussed in to-dos, parked. Computed from the data every time it is shown (never stored or edited), so
 * a result added today is on the page today. Pure: db/queries/story.ts gathers the facts.
 */
import type { MoleculeStatus, Qualifier } from "./model";

/** An entry as the timeline links it. */
export interface EntryRef {
  id: number;
  title: string;
}

export interface TimelineMeasurement {
  id: number;
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: Qualifier;
  /** The day of the assay, when given ("2026-03-02"). */
  measuredOn: string | null;
  /** When it was added to the notebook: the timeline tells what the notebook knew when. */
  at: Date;
  addedBy: string;
  /** The live entry that reports it. */
  entry: EntryRef | null;
}

export interface MoleculeTimelineFacts {
  molecule: {
    code: string;
    registeredAt: Date;
    registeredBy: string;
    status: MoleculeStatus;
    /** When it was last parked; null while active (and for molecules parked before the time was kept). */
    parkedAt: Date | null;
    parkReason: string | null;
  };
  measurements: readonly TimelineMeasurement[];
  /** Live entries that mention it, with their work date ("2026-03-02") and author. */
  mentions: readonly { entry: EntryRef; date: string; author: string }[];
  /** Rows of reactions in live entries that name it: `made` for a product row, else used (reagent, solvent...). */
  reactions: readonly { entry: EntryRef; date: string; made: boolean; reaction: { id: string; title: string | null }; role: string }[];
  /** To-dos that mention it. `closedAt` is null while open (see db/queries/story.ts for where it comes from). */
  todos: readonly { id: number; title: string; openedAt: Date; openedBy: string | null; closedAt: Date | null; path: string }[];
}

export const timelineKinds = ["registered", "made", "mentioned", "used", "measured", "todo-opened", "todo-closed", "parked"] as const;
export type TimelineKind = (typeof timelineKinds)[number];

/** One line of a timeline; the campaign story's items have the same shape (lib/wiki/story.ts). */
export interface TimelineItem {
  at: Date;
  kind: TimelineKind;
  title: string;
  detail?: string;
  /** Campaign ID of the molecule it is about. */
  molecule?: string;
  /** Login of who did it. */
  actor?: string;
  entry?: EntryRef;
  /** Where the line links when it is not the entry (a to-do, a reaction in its entry). */
  path?: string;
}

/** A value as chemists write it: "0.143 µM", "< 0.1 µM", "7.1" (at most four significant digits). */
export function describeValue(m: { value: number; unit: string | null; qualifier: Qualifier }): string {
  const value = String(Number(m.value.toPrecision(4)));
  return `${m.qualifier === "=" ? "" : `${m.qualifier} `}${value}${m.unit ? ` ${m.unit}` : ""}`;
}

/** "Pfal IC50": target and endpoint, as potency columns are labelled (labs are pooled there; shown in details). */
export function measurementLabel(m: { assay: string; target: string | null }): string {
  return m.target === null ? m.assay : `${m.target} ${m.assay}`;
}

/** An entry's work date ("2026-03-02") as a moment: the start of that day, UTC, like the dates the notebook shows. */
export function dayOf(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

export function moleculeTimeline(facts: MoleculeTimelineFacts): TimelineItem[] {
  const { molecule } = facts;
  const code = molecule.code;
  const items: TimelineItem[] = [
    { at: molecule.registeredAt, kind: "registered", title: `${code} registered`, molecule: code, actor: molecule.registeredBy },
  ];

  // An entry whose reaction makes or uses the molecule says more than "mentioned in": that one line is enough.
  const inReactions = new Set(facts.reactions.map((r) => r.entry.id));
  for (const r of facts.reactions) {
    items.push({
      at: dayOf(r.date),
      kind: r.made ? "made" : "used",
      title: r.made ? `Made in “${r.entry.title}”` : `Used in “${r.entry.title}”`,
      detail: [r.reaction.title, r.made ? null : r.role].filter(Boolean).join(" · ") || undefined,
      molecule: code,
      entry: r.entry,
      path: `/entries/${r.entry.id}#reaction-${r.reaction.id}`,
    });
  }
  for (const m of facts.mentions) {
    if (inReactions.has(m.entry.id)) continue;
    items.push({
      at: dayOf(m.date),
      kind: "mentioned",
      title: `Mentioned in “${m.entry.title}”`,
      molecule: code,
      actor: m.author,
      entry: m.entry,
    });
  }
  for (const m of facts.measurements) {
    items.push({
      at: m.at,
      kind: "measured",
      title: `${measurementLabel(m)}: ${describeValue(m)}`,
      detail: [m.lab, m.measuredOn ? `measured on ${m.measuredOn}` : null].filter(Boolean).join(" · ") || undefined,
      molecule: code,
      actor: m.addedBy,
      ...(m.entry ? { entry: m.entry } : {}),
    });
  }
  for (const t of facts.todos) {
    items.push({
      at: t.openedAt,
      kind: "todo-opened",
      title: `To-do opened: ${t.title}`,
      molecule: code,
      path: t.path,
      ...(t.openedBy ? { actor: t.openedBy } : {}),
    });
    if (t.closedAt) items.push({ at: t.closedAt, kind: "todo-closed", title: `To-do closed: ${t.title}`, molecule: code, path: t.path });
  }
  if (molecule.status === "parked" && molecule.parkedAt) {
    items.push({
      at: molecule.parkedAt,
      kind: "parked",
      title: `${code} parked`,
      molecule: code,
      ...(molecule.parkReason ? { detail: molecule.parkReason } : {}),
    });
  }
  return sortTimeline(items);
}

const RANK: Record<TimelineKind, number> = Object.fromEntries(timelineKinds.map((k, i) => [k, i])) as Record<TimelineKind, number>;

/**
 * Oldest day first. Entries are dated by their work date (a day, no time), so within one day the order is the order
 * of the work: registered, made, written about, used, measured, to-dos, parked; then by time.
 */
function sortTimeline(items: TimelineItem[]): TimelineItem[] {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return items
    .map((item, i) => ({ item, i }))
    .sort(
      (a, b) =>
        day(a.item.at).localeCompare(day(b.item.at)) ||
        RANK[a.item.kind] - RANK[b.item.kind] ||
        a.item.at.getTime() - b.item.at.getTime() ||
        a.i - b.i,
    )
    .map(({ item }) => item);
}
