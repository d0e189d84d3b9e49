/** What the project feed records (the events table's kinds). The database schema takes its enum from here. */
export const eventKinds = [
  "campaign.created",
  "member.added",
  "entry.created",
  "entry.revised",
  "entry.deleted",
  "entry.restored",
  "molecule.registered",
  "molecules.imported",
  "todo.created",
  "todo.updated",
  "todo.conflict",
  "comment.created",
  "measurement.added",
  "page.created",
  "page.revised",
  "page.deleted",
  "page.restored",
  "integrity.published",
] as const;
export type EventKind = (typeof eventKinds)[number];
