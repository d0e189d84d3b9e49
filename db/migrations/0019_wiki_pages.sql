CREATE TABLE "entry_page_links" (
	"entry_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"slug" text NOT NULL,
	CONSTRAINT "entry_page_links_entry_id_slug_pk" PRIMARY KEY("entry_id","slug")
);
--> statement-breakpoint
CREATE TABLE "page_visits" (
	"user_id" integer NOT NULL,
	"entry_id" integer NOT NULL,
	"visited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "page_visits_user_id_entry_id_pk" PRIMARY KEY("user_id","entry_id")
);
--> statement-breakpoint
CREATE TABLE "todo_page_links" (
	"todo_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"slug" text NOT NULL,
	CONSTRAINT "todo_page_links_todo_id_slug_pk" PRIMARY KEY("todo_id","slug")
);
--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "kind" text DEFAULT 'entry' NOT NULL;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "slug" text;--> statement-breakpoint
ALTER TABLE "entry_page_links" ADD CONSTRAINT "entry_page_links_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_page_links" ADD CONSTRAINT "entry_page_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "page_visits" ADD CONSTRAINT "page_visits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "page_visits" ADD CONSTRAINT "page_visits_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "todo_page_links" ADD CONSTRAINT "todo_page_links_todo_id_todos_id_fk" FOREIGN KEY ("todo_id") REFERENCES "public"."todos"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "todo_page_links" ADD CONSTRAINT "todo_page_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entry_page_links_target_idx" ON "entry_page_links" USING btree ("campaign_id","slug");--> statement-breakpoint
CREATE INDEX "todo_page_links_target_idx" ON "todo_page_links" USING btree ("campaign_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "entries_page_slug_idx" ON "entries" USING btree ("campaign_id","slug") WHERE "entries"."kind" = 'page' and "entries"."deleted_at" is null;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_kind_check" CHECK ("entries"."kind" in ('entry', 'page'));--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_page_slug_check" CHECK (("entries"."kind" = 'page') = ("entries"."slug" is not null));