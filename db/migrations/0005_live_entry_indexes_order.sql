DROP INDEX "entries_campaign_live_idx";--> statement-breakpoint
DROP INDEX "entries_live_idx";--> statement-breakpoint
CREATE INDEX "entries_campaign_live_idx" ON "entries" USING btree ("campaign_id","work_date" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "entries"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "entries_live_idx" ON "entries" USING btree ("work_date" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "entries"."deleted_at" is null;