ALTER TABLE "molecules" ADD COLUMN "registry_key" text;--> statement-breakpoint
ALTER TABLE "molecules" ADD COLUMN "registry_key_no_stereo" text;--> statement-breakpoint
ALTER TABLE "molecules" ADD COLUMN "parent_registry_key" text;--> statement-breakpoint
CREATE INDEX "molecules_registry_key_idx" ON "molecules" USING hash ("registry_key");--> statement-breakpoint
CREATE INDEX "molecules_registry_key_no_stereo_idx" ON "molecules" USING hash ("registry_key_no_stereo");--> statement-breakpoint
CREATE INDEX "molecules_parent_registry_key_idx" ON "molecules" USING hash ("parent_registry_key");