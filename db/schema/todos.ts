// To-dos kept in sync with GitHub issues: connections, to-dos, pending writes, deliveries and the sync log.
import { bigint, index, integer, jsonb, boolean, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./identity";
import { campaigns } from "./campaigns";
import { githubAuthKinds, todoStates, type TodoConflicts, type TodoFields } from "../../lib/github/model";

/** A campaign's link to one GitHub repository. Credentials stay server-side and are never rendered. */

export const githubConnections = pgTable("github_connections", {
  campaignId: integer("campaign_id")
    .primaryKey()
    .references(() => campaigns.id),
  owner: text("owner").notNull(),
  repo: text("repo").notNull(),
  authKind: text("auth_kind", { enum: githubAuthKinds }).notNull(),
  token: text("token"),
  appId: text("app_id"),
  privateKey: text("private_key"),
  installationId: bigint("installation_id", { mode: "number" }),
  /** REST base (https://api.github.com, or an Enterprise/test server); null = from GITHUB_BASE_URL. */
  apiBaseUrl: text("api_base_url"),
  webhookSecret: text("webhook_secret").notNull(),
  /** Reconcile cursor: the newest `updated_at` seen in a complete listing. */
  listCursor: timestamp("list_cursor", { withTimezone: true }),
  listEtag: text("list_etag"),
  lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
  lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
  lastError: text("last_error"),
  createdById: integer("created_by_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});
export type GitHubConnection = typeof githubConnections.$inferSelect;

export const todos = pgTable(
  "todos",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** Stable id carried in the issue body as a hidden marker, so a retried create finds its issue. */
    marker: text("marker").notNull().unique(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    state: text("state", { enum: todoStates }).notNull().default("open"),
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    assignees: jsonb("assignees").$type<string[]>().notNull().default([]),
    milestone: text("milestone"),
    /** Whether the issue body the notebook writes carries the mentioned molecules' structures and links. */
    moleculeLinks: boolean("molecule_links").notNull().default(false),
    commentCount: integer("comment_count").notNull().default(0),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    issueNumber: integer("issue_number"),
    issueId: bigint("issue_id", { mode: "number" }),
    htmlUrl: text("html_url"),
    remoteUpdatedAt: timestamp("remote_updated_at", { withTimezone: true }),
    etag: text("etag"),
    /** Last-synced value of each field; null until the issue exists on GitHub. */
    synced: jsonb("synced").$type<TodoFields>(),
    conflicts: jsonb("conflicts").$type<TodoConflicts>().notNull().default({}),
    /** Set when the issue was deleted or transferred on GitHub; the to-do is kept, read-only. */
    remoteGone: text("remote_gone"),
    syncError: text("sync_error"),
    createdById: integer("created_by_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    uniqueIndex("todos_issue_idx").on(t.campaignId, t.issueNumber),
    index("todos_campaign_activity_idx").on(t.campaignId, t.lastActivityAt.desc()),
  ],
);
export type Todo = typeof todos.$inferSelect;

/** Campaign IDs (OSM-S-123) written in a to-do's title or body, like entry_mentions. */
export const todoMentions = pgTable(
  "todo_mentions",
  {
    todoId: integer("todo_id")
      .notNull()
      .references(() => todos.id),
    campaignCode: text("campaign_code").notNull(),
  },
  (t) => [primaryKey({ columns: [t.todoId, t.campaignCode] }), index("todo_mentions_code_idx").on(t.campaignCode)],
);

/** A write to GitHub, recorded before it is sent so that a lost answer is retried safely. */
export const githubPendingOps = pgTable(
  "github_pending_ops",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    todoId: integer("todo_id")
      .notNull()
      .references(() => todos.id),
    kind: text("kind", { enum: ["create", "update"] }).notNull(),
    status: text("status", { enum: ["pending", "done", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index("github_pending_ops_open_idx").on(t.campaignId, t.status, t.id)],
);
export type GitHubPendingOp = typeof githubPendingOps.$inferSelect;

/** Webhook deliveries seen, keyed by X-GitHub-Delivery so a redelivery is recognised. */
export const githubDeliveries = pgTable("github_deliveries", {
  deliveryId: text("delivery_id").primaryKey(),
  campaignId: integer("campaign_id").references(() => campaigns.id),
  event: text("event").notNull(),
  action: text("action"),
  payload: jsonb("payload"),
  receivedAt: createdAt(),
  processedAt: timestamp("processed_at", { withTimezone: true }),
});

/** What the sync did, for maintainers: insert-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export const githubSyncLog = pgTable(
  "github_sync_log",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    operation: text("operation").notNull(),
    deliveryId: text("delivery_id"),
    issueNumber: integer("issue_number"),
    todoId: integer("todo_id"),
    outcome: text("outcome").notNull(),
    message: text("message").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("github_sync_log_campaign_idx").on(t.campaignId, t.id.desc())],
);
export type GitHubSyncLogRow = typeof githubSyncLog.$inferSelect;
