CREATE TABLE "github_connections" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"repo" text NOT NULL,
	"auth_kind" text NOT NULL,
	"token" text,
	"app_id" text,
	"private_key" text,
	"installation_id" bigint,
	"api_base_url" text,
	"webhook_secret" text NOT NULL,
	"list_cursor" timestamp with time zone,
	"list_etag" text,
	"last_sync_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"created_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "github_deliveries" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"campaign_id" integer,
	"event" text NOT NULL,
	"action" text,
	"payload" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "github_pending_ops" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"todo_id" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "github_sync_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"operation" text NOT NULL,
	"delivery_id" text,
	"issue_number" integer,
	"todo_id" integer,
	"outcome" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "todo_mentions" (
	"todo_id" integer NOT NULL,
	"campaign_code" text NOT NULL,
	CONSTRAINT "todo_mentions_todo_id_campaign_code_pk" PRIMARY KEY("todo_id","campaign_code")
);
--> statement-breakpoint
CREATE TABLE "todos" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"marker" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"labels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"assignees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"milestone" text,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issue_number" integer,
	"issue_id" bigint,
	"html_url" text,
	"remote_updated_at" timestamp with time zone,
	"etag" text,
	"synced" jsonb,
	"conflicts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"remote_gone" text,
	"sync_error" text,
	"created_by_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "todos_marker_unique" UNIQUE("marker")
);
--> statement-breakpoint
ALTER TABLE "github_connections" ADD CONSTRAINT "github_connections_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_connections" ADD CONSTRAINT "github_connections_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_deliveries" ADD CONSTRAINT "github_deliveries_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_pending_ops" ADD CONSTRAINT "github_pending_ops_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_pending_ops" ADD CONSTRAINT "github_pending_ops_todo_id_todos_id_fk" FOREIGN KEY ("todo_id") REFERENCES "public"."todos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "github_sync_log" ADD CONSTRAINT "github_sync_log_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "todo_mentions" ADD CONSTRAINT "todo_mentions_todo_id_todos_id_fk" FOREIGN KEY ("todo_id") REFERENCES "public"."todos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "todos" ADD CONSTRAINT "todos_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "todos" ADD CONSTRAINT "todos_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "github_pending_ops_open_idx" ON "github_pending_ops" USING btree ("campaign_id","status","id");--> statement-breakpoint
CREATE INDEX "github_sync_log_campaign_idx" ON "github_sync_log" USING btree ("campaign_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "todo_mentions_code_idx" ON "todo_mentions" USING btree ("campaign_code");--> statement-breakpoint
CREATE UNIQUE INDEX "todos_issue_idx" ON "todos" USING btree ("campaign_id","issue_number");--> statement-breakpoint
CREATE INDEX "todos_campaign_activity_idx" ON "todos" USING btree ("campaign_id","last_activity_at" DESC NULLS LAST);