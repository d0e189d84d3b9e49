/** The vocabulary of to-dos synced with GitHub issues. The database schema takes its enums and types from here. */

/** How a campaign's connection authenticates: a personal/fine-grained token, or a GitHub App installation. */
export const githubAuthKinds = ["token", "app"] as const;
export type GitHubAuthKind = (typeof githubAuthKinds)[number];

export const todoStates = ["open", "closed"] as const;
export type TodoState = (typeof todoStates)[number];

/** The synced fields of a to-do, as last agreed by both sides (the base of the three-way merge). */
export interface TodoFields {
  title: string;
  body: string;
  state: TodoState;
  labels: string[];
  assignees: string[];
}
export type TodoConflicts = Partial<Record<keyof TodoFields, { local: unknown; remote: unknown }>>;
