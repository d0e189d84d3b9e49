CREATE TABLE "attachment_scans" (
	"attachment_id" integer PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recognizer" text,
	"found" integer DEFAULT 0 NOT NULL,
	"message" text,
	"scanned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_scans_status_check" CHECK ("attachment_scans"."status" in ('pending', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "recognized_structures" (
	"id" serial PRIMARY KEY NOT NULL,
	"attachment_id" integer NOT NULL,
	"entry_id" integer NOT NULL,
	"page" integer NOT NULL,
	"box" jsonb NOT NULL,
	"smiles" text NOT NULL,
	"idcode" text NOT NULL,
	"formula" text NOT NULL,
	"confidence" real NOT NULL,
	"votes" integer NOT NULL,
	"readings" integer NOT NULL,
	"search_record" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachment_scans" ADD CONSTRAINT "attachment_scans_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognized_structures" ADD CONSTRAINT "recognized_structures_attachment_id_attachments_id_fk" FOREIGN KEY ("attachment_id") REFERENCES "public"."attachments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognized_structures" ADD CONSTRAINT "recognized_structures_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachment_scans_due_idx" ON "attachment_scans" USING btree ("next_attempt_at") WHERE "attachment_scans"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "recognized_structures_attachment_idx" ON "recognized_structures" USING btree ("attachment_id");--> statement-breakpoint
CREATE INDEX "recognized_structures_entry_idx" ON "recognized_structures" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "recognized_structures_idcode_idx" ON "recognized_structures" USING btree ("idcode");