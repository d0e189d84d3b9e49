CREATE TABLE "chain_links" (
	"campaign_id" integer NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"record_id" integer NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_links_campaign_id_seq_pk" PRIMARY KEY("campaign_id","seq"),
	CONSTRAINT "chain_links_kind_check" CHECK ("chain_links"."kind" in ('revision', 'molecule', 'measurement')),
	CONSTRAINT "chain_links_hash_check" CHECK ("chain_links"."hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "license" text DEFAULT 'CC-BY-4.0' NOT NULL;--> statement-breakpoint
ALTER TABLE "chain_links" ADD CONSTRAINT "chain_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chain_links_record_idx" ON "chain_links" USING btree ("kind","record_id");--> statement-breakpoint
CREATE INDEX "chain_links_sealed_idx" ON "chain_links" USING btree ("campaign_id","sealed_at");--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_license_check" CHECK ("campaigns"."license" in ('CC-BY-4.0', 'CC0-1.0', 'CC-BY-SA-4.0', 'ODbL-1.0'));--> statement-breakpoint
-- The chain is append-only like the history it seals (notebook_refuse_change is migration 0001's).
CREATE TRIGGER chain_links_append_only BEFORE UPDATE OR DELETE ON "chain_links"
  FOR EACH ROW EXECUTE FUNCTION notebook_refuse_change();
--> statement-breakpoint
CREATE TRIGGER chain_links_no_truncate BEFORE TRUNCATE ON "chain_links"
  FOR EACH STATEMENT EXECUTE FUNCTION notebook_refuse_change();
