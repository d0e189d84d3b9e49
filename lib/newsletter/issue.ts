/**
 * An issue is a draft with the maintainer's edits applied: pinned items first (in the order pinned), dropped items
 * left out, the rest in their sections, each section cut at its limit. The page, the e-mail, the API and the Atom
 * feed all show this one composition.
 */
import { sections, type NewsletterContent, type NewsletterEdits, type NewsletterIssue } from "./model";

export const EDITORIAL_MAX = 4000;
/** A pin or drop list longer than any issue could need is refused. */
export const EDIT_KEYS_MAX = 200;

export function composeIssue(content: NewsletterContent, edits: NewsletterEdits): NewsletterIssue {
  const byKey = new Map(content.items.map((item) => [item.key, item]));
  const dropped = new Set(edits.dropped);
  const pinnedKeys = [...new Set(edits.pinned)].filter((key) => byKey.has(key) && !dropped.has(key));
  const pinned = new Set(pinnedKeys);
  const editorial = edits.editorial?.trim() ? edits.editorial.trim() : null;
  const shown = sections.map((section) => {
    const kinds: readonly string[] = section.kinds;
    const all = content.items.filter((item) => kinds.includes(item.kind) && !dropped.has(item.key) && !pinned.has(item.key));
    return { id: section.id, title: section.title, items: all.slice(0, section.limit), more: Math.max(0, all.length - section.limit) };
  });
  const result = {
    campaign: content.campaign,
    week: content.week,
    window: content.window,
    editorial,
    pinned: pinnedKeys.map((key) => byKey.get(key)!),
    sections: shown.filter((s) => s.items.length > 0),
    dropped: content.items.filter((item) => dropped.has(item.key)),
  };
  return { ...result, empty: editorial === null && result.pinned.length === 0 && result.sections.length === 0 };
}

/** How many items a reader sees. */
export function itemCount(issue: NewsletterIssue): number {
  return issue.pinned.length + issue.sections.reduce((n, s) => n + s.items.length, 0);
}

/** The first structure picture of the issue (pinned items first), for link previews. */
export function leadImage(issue: NewsletterIssue): { path: string; alt: string } | null {
  for (const item of [...issue.pinned, ...issue.sections.flatMap((s) => s.items)]) if (item.image) return item.image;
  return null;
}

/** A pin list after pinning or unpinning one key; a drop list after dropping or restoring one (no duplicates). */
export function toggleKey(list: readonly string[], key: string, on: boolean): string[] {
  const rest = list.filter((k) => k !== key);
  return on ? [...rest, key] : rest;
}
