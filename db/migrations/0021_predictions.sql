CREATE TABLE "prediction_models" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"assay_label" text NOT NULL,
	"data_version" text NOT NULL,
	"algorithm" text NOT NULL,
	"trained_on" integer NOT NULL,
	"evaluation" jsonb NOT NULL,
	"model" jsonb NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prediction_models_algorithm_check" CHECK ("prediction_models"."algorithm" in ('random-forest', 'knn'))
);
--> statement-breakpoint
CREATE TABLE "prediction_rows" (
	"set_id" integer NOT NULL,
	"row" integer NOT NULL,
	"molecule_id" integer,
	"smiles" text,
	"idcode" text,
	"idcode_no_stereo" text,
	"parent_idcode" text,
	"value" numeric NOT NULL,
	"pic50" numeric NOT NULL,
	"uncertainty" numeric,
	"rank" integer,
	CONSTRAINT "prediction_rows_set_id_row_pk" PRIMARY KEY("set_id","row"),
	CONSTRAINT "prediction_rows_subject_check" CHECK (("prediction_rows"."molecule_id" is not null) or ("prediction_rows"."idcode" is not null))
);
--> statement-breakpoint
CREATE TABLE "prediction_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"assay_label" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"method" text,
	"unit" text NOT NULL,
	"submitted_by_id" integer,
	"model_id" integer,
	"row_count" integer NOT NULL,
	"hash" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prediction_sets_hash_check" CHECK ("prediction_sets"."hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "prediction_sets_author_check" CHECK (("prediction_sets"."submitted_by_id" is null) <> ("prediction_sets"."model_id" is null))
);
--> statement-breakpoint
CREATE TABLE "prediction_settings" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"active_threshold" numeric DEFAULT 6 NOT NULL,
	"top_k" integer DEFAULT 20 NOT NULL,
	"compare" text DEFAULT 'exact' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prediction_settings_compare_check" CHECK ("prediction_settings"."compare" in ('exact', 'no-stereo', 'parent')),
	CONSTRAINT "prediction_settings_top_k_check" CHECK ("prediction_settings"."top_k" between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "chain_links" DROP CONSTRAINT "chain_links_kind_check";--> statement-breakpoint
ALTER TABLE "prediction_models" ADD CONSTRAINT "prediction_models_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_rows" ADD CONSTRAINT "prediction_rows_set_id_prediction_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."prediction_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_rows" ADD CONSTRAINT "prediction_rows_molecule_id_molecules_id_fk" FOREIGN KEY ("molecule_id") REFERENCES "public"."molecules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_sets" ADD CONSTRAINT "prediction_sets_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_sets" ADD CONSTRAINT "prediction_sets_submitted_by_id_users_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_sets" ADD CONSTRAINT "prediction_sets_model_id_prediction_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."prediction_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_settings" ADD CONSTRAINT "prediction_settings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "prediction_models_version_idx" ON "prediction_models" USING btree ("campaign_id","assay_label","data_version");--> statement-breakpoint
CREATE INDEX "prediction_models_latest_idx" ON "prediction_models" USING btree ("campaign_id","assay_label","trained_at");--> statement-breakpoint
CREATE INDEX "prediction_rows_molecule_idx" ON "prediction_rows" USING btree ("molecule_id");--> statement-breakpoint
CREATE INDEX "prediction_rows_idcode_idx" ON "prediction_rows" USING hash ("idcode");--> statement-breakpoint
CREATE INDEX "prediction_rows_idcode_no_stereo_idx" ON "prediction_rows" USING hash ("idcode_no_stereo");--> statement-breakpoint
CREATE INDEX "prediction_rows_parent_idcode_idx" ON "prediction_rows" USING hash ("parent_idcode");--> statement-breakpoint
CREATE INDEX "prediction_sets_assay_idx" ON "prediction_sets" USING btree ("campaign_id","assay_label","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "prediction_sets_model_idx" ON "prediction_sets" USING btree ("model_id");--> statement-breakpoint
ALTER TABLE "chain_links" ADD CONSTRAINT "chain_links_kind_check" CHECK ("chain_links"."kind" in ('revision', 'molecule', 'measurement', 'prediction'));--> statement-breakpoint
-- A prediction set is sealed at submission: its rows and itself only get inserts (notebook_refuse_change is migration 0001's).
CREATE TRIGGER prediction_sets_append_only BEFORE UPDATE OR DELETE ON "prediction_sets"
  FOR EACH ROW EXECUTE FUNCTION notebook_refuse_change();
--> statement-breakpoint
CREATE TRIGGER prediction_sets_no_truncate BEFORE TRUNCATE ON "prediction_sets"
  FOR EACH STATEMENT EXECUTE FUNCTION notebook_refuse_change();
--> statement-breakpoint
CREATE TRIGGER prediction_rows_append_only BEFORE UPDATE OR DELETE ON "prediction_rows"
  FOR EACH ROW EXECUTE FUNCTION notebook_refuse_change();
--> statement-breakpoint
CREATE TRIGGER prediction_rows_no_truncate BEFORE TRUNCATE ON "prediction_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION notebook_refuse_change();
