ALTER TABLE "events" ADD COLUMN "path" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "molecules" text[];