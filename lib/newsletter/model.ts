/**
 * The vocabulary of the weekly newsletter: what a campaign's activity in a week is made of (the draft's input), the
 * items a draft holds, and the sections an issue shows them in. Plain data: the draft is stored as jsonb, served by
 * the API, rendered as a page, an e-mail and an Atom entry.
 */
import type { Qualifier } from "../molecules/model";

/** What a newsletter item is about. */
export const itemKinds = [
  "best_potency",
  "entry",
  "molecule",
  "result",
  "parked",
  "todo_opened",
  "todo_closed",
  "discussion",
  "question",
  "waiting",
] as const;
export type ItemKind = (typeof itemKinds)[number];

/** One thing the newsletter tells, with a key that stays the same each time the week is drafted (pins and drops name it). */
export interface NewsletterItem {
  /** e.g. `entry:12`, `molecule:OSM-S-272`, `best:Pfal IC50|µM`, `todo-closed:7`, `question:31`. */
  key: string;
  kind: ItemKind;
  title: string;
  /** Plain text, one or two sentences. */
  summary: string;
  /** Where it is, relative to the notebook's origin: `/entries/12`, `/molecules/OSM-S-272`. */
  path: string;
  /** A structure picture (PNG, so mail clients show it), relative to the origin. */
  image: { path: string; alt: string } | null;
  /** When it happened (ISO 8601), for ordering. */
  at: string;
}

/** The stored draft: a pure function of the campaign's activity in the week (lib/newsletter/draft.ts). */
export interface NewsletterContent {
  version: 1;
  campaign: { slug: string; name: string };
  week: string;
  window: { start: string; end: string };
  items: NewsletterItem[];
}

/** What a maintainer changes before it goes out. */
export interface NewsletterEdits {
  editorial: string | null;
  pinned: readonly string[];
  dropped: readonly string[];
}

/** The sections of an issue, in the order they are shown, each with the kinds it holds and how many it shows. */
export const sections = [
  { id: "best", title: "New most potent compounds", kinds: ["best_potency"], limit: 10 },
  { id: "entries", title: "New entries", kinds: ["entry"], limit: 20 },
  { id: "molecules", title: "New molecules", kinds: ["molecule"], limit: 24 },
  { id: "results", title: "New results", kinds: ["result"], limit: 30 },
  { id: "parked", title: "Parked", kinds: ["parked"], limit: 20 },
  { id: "todos", title: "To-dos", kinds: ["todo_opened", "todo_closed"], limit: 30 },
  { id: "discussions", title: "Most discussed", kinds: ["discussion"], limit: 5 },
  { id: "questions", title: "Questions still open", kinds: ["question"], limit: 10 },
  { id: "waiting", title: "Entries waiting for data", kinds: ["waiting"], limit: 10 },
] as const satisfies readonly { id: string; title: string; kinds: readonly ItemKind[]; limit: number }[];
export type SectionId = (typeof sections)[number]["id"];

/** An issue as readers see it: the draft with the maintainer's editorial, pins and drops applied. */
export interface NewsletterIssue {
  campaign: { slug: string; name: string };
  week: string;
  window: { start: string; end: string };
  editorial: string | null;
  /** Items a maintainer pinned, first, in the order pinned. */
  pinned: NewsletterItem[];
  sections: { id: SectionId; title: string; items: NewsletterItem[]; /** items left out past the section's limit */ more: number }[];
  /** Dropped items (maintainers see them to bring them back; readers never do). */
  dropped: NewsletterItem[];
  /** Nothing to tell: no item and no editorial. */
  empty: boolean;
}

// ----- the draft's input: one campaign's activity --------------------------------------------------------------------

export interface ActivityEntry {
  id: number;
  title: string;
  body: string;
  workDate: string;
  author: string;
  createdAt: Date;
  /** Campaign IDs of this campaign's molecules the entry mentions. */
  mentions: string[];
}

export interface ActivityMolecule {
  code: string;
  name: string | null;
  formula: string;
  registeredBy: string;
  createdAt: Date;
  status: "active" | "parked";
  parkReason: string | null;
  parkedAt: Date | null;
}

export interface ActivityMeasurement {
  id: number;
  molecule: string;
  moleculeName: string | null;
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: Qualifier;
  createdAt: Date;
}

export interface ActivityTodo {
  id: number;
  title: string;
  state: "open" | "closed";
  issueNumber: number | null;
  assignees: string[];
  createdAt: Date;
  lastActivityAt: Date;
}

export interface ActivityComment {
  id: number;
  body: string;
  author: string;
  createdAt: Date;
  question: boolean;
  answeredAt: Date | null;
  hidden: boolean;
  /** What it is on: `entry:12`, `molecule:OSM-S-1`, `reaction:12:snar`, with the title and page to show. */
  target: { key: string; title: string; path: string };
}

/**
 * Everything the draft of one week is made from. The gatherer (db/queries/newsletters.ts) may give more than the
 * window (earlier measurements for the potency comparison, recent entries for "waiting for data", questions asked
 * earlier); the draft decides what belongs to the week.
 */
export interface NewsletterActivity {
  campaign: { slug: string; name: string };
  week: string;
  window: { start: Date; end: Date };
  /** Live entries created in the window or in the WAITING_LOOKBACK_DAYS before its end. */
  entries: ActivityEntry[];
  /** Molecules registered or parked in the window, and those the entries mention. */
  molecules: ActivityMolecule[];
  /** Every measurement of the campaign's molecules added before the window's end. */
  measurements: ActivityMeasurement[];
  /** To-dos created or last active in the window. */
  todos: ActivityTodo[];
  /** Comments made in the window, and questions asked before its end. */
  comments: ActivityComment[];
}

/** How far back "entries waiting for data" looks: entries of the last four weeks, the newsletter's week included. */
export const WAITING_LOOKBACK_DAYS = 28;
