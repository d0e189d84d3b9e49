import type { RemoteIssue } from "./client";
import type { GitHubAuthKind, TodoConflicts, TodoFields, TodoState } from "./model";

/**
 * What the sync engine (sync.ts) and the webhook receiver (webhook.ts) keep, and how they reach it: an interface
 * that db/queries/github-sync.ts implements on the database (todoSyncStore). The engine knows nothing of tables.
 */

/** A campaign's link to one GitHub repository (credentials stay server-side). */
export interface SyncConnection {
  campaignId: number;
  owner: string;
  repo: string;
  authKind: GitHubAuthKind;
  token: string | null;
  appId: string | null;
  privateKey: string | null;
  installationId: number | null;
  apiBaseUrl: string | null;
  webhookSecret: string;
  listCursor: Date | null;
  listEtag: string | null;
  lastSyncAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
  createdById: number;
}

/** A to-do as the engine reads it. */
export interface SyncTodo extends TodoFields {
  id: number;
  campaignId: number;
  marker: string;
  state: TodoState;
  moleculeLinks: boolean;
  issueNumber: number | null;
  etag: string | null;
  synced: TodoFields | null;
  conflicts: TodoConflicts;
  remoteGone: string | null;
}

/** A write to GitHub, recorded before it is sent so that a lost answer is retried safely. */
export interface PendingOp {
  id: number;
  campaignId: number;
  todoId: number;
  kind: "create" | "update";
  status: "pending" | "done" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export interface SyncLogEntry {
  campaignId: number;
  operation: string;
  outcome: string;
  message?: string;
  deliveryId?: string | null;
  issueNumber?: number | null;
  todoId?: number | null;
}

export type ApplyOutcome = "created" | "updated" | "unchanged" | "stale" | "conflict" | "adopted";

/** A molecule an ID in a to-do names, for the structure block of the issue body. */
export interface LinkedMolecule {
  code: string;
  name: string | null;
  idcode: string;
  inchikey: string | null;
}

export interface TodoSyncStore {
  appendSyncLog(entry: SyncLogEntry): Promise<void>;
  openOps(campaignId: number): Promise<PendingOp[]>;
  updateOp(id: number, set: Partial<Pick<PendingOp, "status" | "attempts" | "lastError">>): Promise<void>;
  todoById(id: number): Promise<SyncTodo | null>;
  setTodoSyncError(id: number, message: string | null): Promise<void>;
  /** What the notebook just wrote becomes the agreed base (no echo), then GitHub's answer is merged. */
  recordOwnWrite(todoId: number, sent: Partial<TodoFields>, issue: RemoteIssue, etag: string | null): Promise<unknown>;
  /** GitHub's state of one issue merged three-way into its to-do. */
  applyRemoteIssue(campaignId: number, issue: RemoteIssue, options?: { etag?: string | null; own?: boolean }): Promise<{ outcome: ApplyOutcome; todo: SyncTodo; changed: string[] }>;
  markGone(campaignId: number, issueNumber: number, reason: "deleted" | "transferred", location?: string): Promise<SyncTodo | null>;
  updateConnectionState(campaignId: number, set: Partial<Pick<SyncConnection, "listCursor" | "listEtag" | "lastSyncAt" | "lastAttemptAt" | "lastError">>): Promise<void>;
  feedEvent(campaignId: number, actorId: number, kind: "todo.updated" | "todo.created" | "todo.conflict", title: string, summary?: string): Promise<void>;
  /** To-dos linked to an issue that still exists as far as the notebook knows. */
  linkedTodos(campaignId: number): Promise<(SyncTodo & { issueNumber: number })[]>;
  /** The registered molecules these written IDs name, by ID as written. */
  resolveMentions(written: readonly string[]): Promise<Map<string, LinkedMolecule>>;
  // Webhook deliveries
  connectionsForRepository(owner: string, repo: string): Promise<SyncConnection[]>;
  /** Records a delivery once; false when this X-GitHub-Delivery was seen before (a redelivery). */
  recordDelivery(row: { deliveryId: string; campaignId: number | null; event: string; action: string | null; payload: unknown }): Promise<boolean>;
  markDeliveryProcessed(deliveryId: string): Promise<void>;
}
