/**
 * Three-way merge of a to-do with its GitHub issue, field by field. The base is the value both sides last agreed
 * on. Scalars (title, body, state) take whichever side changed; when both changed to different values it is a
 * conflict, kept for a person to resolve and never overwritten. Labels and assignees merge as sets: additions and
 * removals from both sides are all applied (a set cannot conflict: to remove an item it must be in the base, to
 * add one it must not).
 */
import type { RemoteIssue } from "./client";
import { parseIssueBody } from "./marker";
import type { TodoConflicts, TodoFields } from "./model";

export const SYNC_FIELDS = ["title", "body", "state", "labels", "assignees"] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];
const SET_FIELDS: ReadonlySet<SyncField> = new Set(["labels", "assignees"]);

/** Labels and logins are case-insensitive on GitHub; a set keeps the first spelling of each item. */
export function normalizeSet(items: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const item of items) if (!seen.has(item.toLowerCase())) seen.set(item.toLowerCase(), item);
  return [...seen.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

function setKey(items: readonly string[]): string {
  return normalizeSet(items)
    .map((i) => i.toLowerCase())
    .join("\u0000");
}

export function sameValue(field: SyncField, a: unknown, b: unknown): boolean {
  if (SET_FIELDS.has(field)) return setKey(a as string[]) === setKey(b as string[]);
  return a === b;
}

export function sameFields(a: TodoFields, b: TodoFields): boolean {
  return SYNC_FIELDS.every((f) => sameValue(f, a[f], b[f]));
}

/** The fields whose values differ between two versions. */
export function changedFields(from: TodoFields, to: TodoFields): SyncField[] {
  return SYNC_FIELDS.filter((f) => !sameValue(f, from[f], to[f]));
}

function mergeSet(base: readonly string[], local: readonly string[], remote: readonly string[]): string[] {
  const key = (s: string) => s.toLowerCase();
  const inBase = new Set(base.map(key));
  const removed = new Set([
    ...base.filter((b) => !local.some((l) => key(l) === key(b))),
    ...base.filter((b) => !remote.some((r) => key(r) === key(b))),
  ].map(key));
  const result = [...base, ...local.filter((l) => !inBase.has(key(l))), ...remote.filter((r) => !inBase.has(key(r)))];
  return normalizeSet(result.filter((item) => !removed.has(key(item))));
}

export interface MergeResult {
  /** What the notebook should hold afterwards (conflicting fields keep the notebook's value). */
  local: TodoFields;
  /** Fields to send to GitHub (never a conflicting one). */
  toRemote: Partial<TodoFields>;
  /** Fields that changed on GitHub only and are taken into the notebook. */
  toLocal: SyncField[];
  /** Both sides changed the field to different values. */
  conflicts: TodoConflicts;
  /** The new base: GitHub's value for agreed fields (local differences remain to be sent), the old base for conflicts. */
  base: TodoFields;
}

export function threeWayMerge(base: TodoFields, local: TodoFields, remote: TodoFields): MergeResult {
  const merged = { ...local };
  const newBase = { ...base };
  const toRemote: Partial<TodoFields> = {};
  const toLocal: SyncField[] = [];
  const conflicts: TodoConflicts = {};
  const set = <F extends SyncField>(target: Partial<TodoFields>, field: F, value: TodoFields[F]) => {
    target[field] = value;
  };
  for (const field of SYNC_FIELDS) {
    const localChanged = !sameValue(field, base[field], local[field]);
    const remoteChanged = !sameValue(field, base[field], remote[field]);
    let value: TodoFields[typeof field];
    if (SET_FIELDS.has(field)) {
      value = mergeSet(base[field] as string[], local[field] as string[], remote[field] as string[]);
    } else if (localChanged && remoteChanged && !sameValue(field, local[field], remote[field])) {
      conflicts[field] = { local: local[field], remote: remote[field] };
      continue;
    } else {
      value = localChanged ? local[field] : remote[field];
    }
    set(merged, field, value);
    // GitHub's value is what both sides now agree on; whatever the notebook holds beyond it is still to be sent.
    set(newBase, field, remote[field]);
    if (!sameValue(field, value, remote[field])) set(toRemote, field, value);
    if (!sameValue(field, value, local[field])) toLocal.push(field);
  }
  return { local: merged, toRemote, toLocal, conflicts, base: newBase };
}

/** The synced fields of a to-do. */
export function fieldsOf(todo: Pick<TodoFields, SyncField>): TodoFields {
  return { title: todo.title, body: todo.body, state: todo.state, labels: todo.labels, assignees: todo.assignees };
}

/** The fields of a remote issue in the notebook's form (marker and molecule block stripped). */
export function remoteFields(issue: RemoteIssue): TodoFields & { marker: string | null } {
  const { body, marker } = parseIssueBody(issue.body);
  return {
    title: issue.title,
    body,
    state: issue.state,
    labels: normalizeSet(issue.labels),
    assignees: normalizeSet(issue.assignees),
    marker,
  };
}
