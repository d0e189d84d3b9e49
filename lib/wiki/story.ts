/**
 * "The story so far": a campaign's (or one series') timeline, computed from the data every time it is read and
 * never edited by hand. It tells the milestones a newcomer asks about — the first molecule, each time the best value
 * of an assay improved (which compound, who added the result, in which entry), molecules parked and why, to-dos opened
 * and closed — and how busy each month was. Pure: db/queries/story.ts gathers the facts.
 *
 * Items read oldest first, as a story does; the page may reverse them.
 */
import { higherIsBetter, MOLAR_FACTORS } from "../molecules/assay";
import type { Qualifier } from "../molecules/model";
import { comparePotency, meetsPotency, potencyKey } from "../molecules/potency";
import { describeValue, measurementLabel, type EntryRef } from "../molecules/timeline";

export interface StoryMolecule {
  code: string;
  series: string | null;
  registeredAt: Date;
  registeredBy: string;
  /** Null while active, and for molecules parked before the time was kept (those cannot be dated, so are left out). */
  parkedAt: Date | null;
  parkReason: string | null;
}

export interface StoryMeasurement {
  id: number;
  molecule: string;
  /** The series of its molecule. */
  series: string | null;
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: Qualifier;
  /** When it was added: improvements are told in the order the notebook learnt them. */
  at: Date;
  /** Who added it. */
  addedBy: string;
  /** The live entry that reports it. */
  entry: EntryRef | null;
}

export interface StoryTodo {
  id: number;
  title: string;
  openedAt: Date;
  /** Null for to-dos that came from GitHub. */
  openedBy: string | null;
  /** Null while open. */
  closedAt: Date | null;
  /** The series of the molecules it mentions: a to-do belongs to the story of each. */
  series: readonly string[];
  path: string;
}

/**
 * Counts of one month ("2026-11"), counted by the database. `series` says which story they count: null for the whole
 * campaign, a name for that series. Several rows of one month and series are added up.
 */
export interface StoryMonthFact {
  month: string;
  series: string | null;
  molecules: number;
  measurements: number;
  entries: number;
}

/**
 * What a story is made from. `molecules` need not be all of them: the first of each series and the parked ones are
 * what the story tells. `measurements` must be every result of the story's molecules (any order).
 */
export interface StoryFacts {
  molecules: readonly StoryMolecule[];
  measurements: readonly StoryMeasurement[];
  todos: readonly StoryTodo[];
  months: readonly StoryMonthFact[];
}

export const storyKinds = [
  "first-molecule",
  "series-started",
  "first-result",
  "best-improved",
  "parked",
  "todo-opened",
  "todo-closed",
] as const;
export type StoryKind = (typeof storyKinds)[number];

export interface StoryItem {
  at: Date;
  kind: StoryKind;
  title: string;
  detail?: string;
  /** Campaign ID of the molecule it is about. */
  molecule?: string;
  /** Login of who did it. */
  actor?: string;
  entry?: EntryRef;
  /** Where the line links when it is not the molecule or the entry (a to-do). */
  path?: string;
}

export interface StoryMonth {
  /** "2026-11" */
  month: string;
  molecules: number;
  measurements: number;
  entries: number;
}

export interface Story {
  /** Oldest first. */
  items: StoryItem[];
  /** Oldest first, every month from the first counted to the last (quiet months as zeros). */
  months: StoryMonth[];
}

export function buildStory(facts: StoryFacts, options: { series?: string } = {}): Story {
  const series = options.series ?? null;
  const inScope = (s: string | null) => series === null || s === series;
  // A molecule may come twice (the first of its series and parked): it is one molecule.
  const molecules = [...new Map(facts.molecules.filter((m) => inScope(m.series)).map((m) => [m.code, m])).values()];
  const items: StoryItem[] = [
    ...firsts(molecules, series),
    ...bestValues(facts.measurements.filter((m) => inScope(m.series))),
    ...parked(molecules),
    ...todoItems(facts.todos.filter((t) => series === null || t.series.includes(series))),
  ];
  const rank = (k: StoryKind) => storyKinds.indexOf(k);
  items.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a.kind) - rank(b.kind));
  return { items, months: monthsOf(facts.months, series) };
}

const byRegistration = (a: StoryMolecule, b: StoryMolecule) =>
  a.registeredAt.getTime() - b.registeredAt.getTime() || a.code.localeCompare(b.code, "en", { numeric: true });

/** The first molecule of the story; in a campaign's story also the first of each series, where a series began. */
function firsts(molecules: readonly StoryMolecule[], series: string | null): StoryItem[] {
  const sorted = [...molecules].sort(byRegistration);
  const first = sorted[0];
  if (!first) return [];
  const items: StoryItem[] = [
    {
      at: first.registeredAt,
      kind: "first-molecule",
      title: series === null ? `First molecule registered: ${first.code}` : `First ${series} molecule registered: ${first.code}`,
      molecule: first.code,
      actor: first.registeredBy,
      ...(series === null && first.series ? { detail: first.series } : {}),
    },
  ];
  if (series !== null) return items;
  const started = new Set<string>(first.series ? [first.series] : []);
  for (const m of sorted) {
    if (m.series === null || started.has(m.series)) continue;
    started.add(m.series);
    items.push({
      at: m.registeredAt,
      kind: "series-started",
      title: `${m.series} begins: ${m.code} registered`,
      molecule: m.code,
      actor: m.registeredBy,
    });
  }
  return items;
}

interface Best {
  /** In µM for molar units, else as measured: what is compared. */
  value: number;
  shown: StoryMeasurement;
}

/**
 * Walks every result in the order it was added, keeping the best value so far per assay column as the molecule table
 * groups them (lib/molecules/potency.ts: target and endpoint, labs pooled, molar units in µM, other units apart). The
 * first value of a column is its first result; a later one is an improvement only when strictly more potent. Values
 * bounded on the weak side (">10" for an IC50, "<5" for a pIC50) say nothing about potency and never count.
 */
function bestValues(measurements: readonly StoryMeasurement[]): StoryItem[] {
  const sorted = [...measurements].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const best = new Map<string, Best>();
  const items: StoryItem[] = [];
  for (const m of sorted) {
    const up = higherIsBetter(m.assay);
    if (m.qualifier === (up ? "<" : ">")) continue;
    const factor = m.unit === null ? undefined : MOLAR_FACTORS[m.unit];
    const unit = factor === undefined ? m.unit : "µM";
    // The same rounding as bestPotency, so 800 nM and 0.8 µM are one value, not an improvement on each other.
    const value = factor === undefined ? m.value : Number((m.value * factor).toPrecision(12));
    const label = measurementLabel(m);
    const key = potencyKey({ label, unit });
    const before = best.get(key);
    const candidate = { value, qualifier: m.qualifier };
    if (before && !(meetsPotency(candidate, before.value, up) && comparePotency(candidate, before, up) < 0)) continue;
    best.set(key, { value, shown: m });
    const base = { at: m.at, molecule: m.molecule, actor: m.addedBy, ...(m.entry ? { entry: m.entry } : {}) };
    if (!before) {
      items.push({
        ...base,
        kind: "first-result",
        title: `First ${label} result: ${m.molecule} at ${describeValue(m)}`,
        ...(m.lab ? { detail: m.lab } : {}),
      });
      continue;
    }
    const was = `was ${describeValue(before.shown)} (${before.shown.molecule})`;
    items.push({
      ...base,
      kind: "best-improved",
      title: `New best ${label}: ${m.molecule} at ${describeValue(m)}`,
      detail: [was, m.lab].filter(Boolean).join(" · "),
    });
  }
  return items;
}

function parked(molecules: readonly StoryMolecule[]): StoryItem[] {
  return molecules
    .filter((m): m is StoryMolecule & { parkedAt: Date } => m.parkedAt !== null)
    .map((m) => ({
      at: m.parkedAt,
      kind: "parked" as const,
      title: `${m.code} parked`,
      molecule: m.code,
      ...(m.parkReason ? { detail: m.parkReason } : {}),
    }));
}

function todoItems(todos: readonly StoryTodo[]): StoryItem[] {
  return todos.flatMap((t): StoryItem[] => [
    { at: t.openedAt, kind: "todo-opened", title: `To-do opened: ${t.title}`, path: t.path, ...(t.openedBy ? { actor: t.openedBy } : {}) },
    ...(t.closedAt ? [{ at: t.closedAt, kind: "todo-closed" as const, title: `To-do closed: ${t.title}`, path: t.path }] : []),
  ]);
}

const MONTH = /^(\d{4})-(\d{2})$/;
/** Twenty years: beyond that a gap is a mistyped date (an entry dated 1900), not quiet months worth a row each. */
const MAX_FILLED_MONTHS = 240;

/** The story's month rows added up by month, with the quiet months between filled in as zeros. */
function monthsOf(facts: readonly StoryMonthFact[], series: string | null): StoryMonth[] {
  const counted = new Map<string, StoryMonth>();
  for (const f of facts) {
    if (f.series !== series || !MONTH.test(f.month)) continue;
    const row = counted.get(f.month) ?? { month: f.month, molecules: 0, measurements: 0, entries: 0 };
    row.molecules += f.molecules;
    row.measurements += f.measurements;
    row.entries += f.entries;
    counted.set(f.month, row);
  }
  const keys = [...counted.keys()].sort();
  const index = (key: string) => {
    const [, year, month] = MONTH.exec(key)!;
    return Number(year) * 12 + Number(month) - 1;
  };
  if (keys.length === 0 || index(keys.at(-1)!) - index(keys[0]!) >= MAX_FILLED_MONTHS) return keys.map((k) => counted.get(k)!);
  const months: StoryMonth[] = [];
  for (let i = index(keys[0]!); i <= index(keys.at(-1)!); i++) {
    const key = `${String(Math.floor(i / 12)).padStart(4, "0")}-${String((i % 12) + 1).padStart(2, "0")}`;
    months.push(counted.get(key) ?? { month: key, molecules: 0, measurements: 0, entries: 0 });
  }
  return months;
}
