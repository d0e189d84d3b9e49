CREATE TABLE "campaign_id_counters" (
	"campaign_id" integer NOT NULL,
	"prefix" text NOT NULL,
	"site" text NOT NULL,
	"next_number" integer NOT NULL,
	CONSTRAINT "campaign_id_counters_campaign_id_prefix_site_pk" PRIMARY KEY("campaign_id","prefix","site")
);
--> statement-breakpoint
CREATE TABLE "campaign_registry_settings" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"prefix" text NOT NULL,
	"default_site" text DEFAULT 'A' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_registry_settings_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
CREATE TABLE "entry_mentions" (
	"entry_id" integer NOT NULL,
	"campaign_code" text NOT NULL,
	CONSTRAINT "entry_mentions_entry_id_campaign_code_pk" PRIMARY KEY("entry_id","campaign_code")
);
--> statement-breakpoint
CREATE TABLE "measurements" (
	"id" serial PRIMARY KEY NOT NULL,
	"molecule_id" integer NOT NULL,
	"assay" text NOT NULL,
	"target" text,
	"lab" text,
	"value" numeric NOT NULL,
	"unit" text,
	"qualifier" text DEFAULT '=' NOT NULL,
	"measured_on" date,
	"entry_id" integer,
	"added_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measurements_qualifier_check" CHECK ("measurements"."qualifier" in ('=', '<', '>'))
);
--> statement-breakpoint
CREATE TABLE "molecule_aliases" (
	"id" serial PRIMARY KEY NOT NULL,
	"molecule_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"alias" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "molecules" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"campaign_code" text NOT NULL,
	"site" text NOT NULL,
	"number" integer NOT NULL,
	"name" text,
	"series" text,
	"input_smiles" text,
	"smiles" text NOT NULL,
	"idcode" text NOT NULL,
	"idcode_no_stereo" text NOT NULL,
	"parent_idcode" text NOT NULL,
	"molfile" text NOT NULL,
	"formula" text NOT NULL,
	"average_mass" double precision NOT NULL,
	"monoisotopic_mass" double precision NOT NULL,
	"clogp" double precision NOT NULL,
	"tpsa" double precision NOT NULL,
	"hbd" integer NOT NULL,
	"hba" integer NOT NULL,
	"rotatable_bonds" integer NOT NULL,
	"lipinski_violations" integer NOT NULL,
	"heavy_atoms" integer NOT NULL,
	"charge" integer NOT NULL,
	"inchi" text,
	"inchikey" text,
	"status" text DEFAULT 'active' NOT NULL,
	"park_reason" text,
	"parent_molecule_id" integer,
	"registered_by_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "molecules_status_check" CHECK ("molecules"."status" in ('active', 'parked'))
);
--> statement-breakpoint
ALTER TABLE "campaign_id_counters" ADD CONSTRAINT "campaign_id_counters_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_registry_settings" ADD CONSTRAINT "campaign_registry_settings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entry_mentions" ADD CONSTRAINT "entry_mentions_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_molecule_id_molecules_id_fk" FOREIGN KEY ("molecule_id") REFERENCES "public"."molecules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_added_by_id_users_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "molecule_aliases" ADD CONSTRAINT "molecule_aliases_molecule_id_molecules_id_fk" FOREIGN KEY ("molecule_id") REFERENCES "public"."molecules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "molecule_aliases" ADD CONSTRAINT "molecule_aliases_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "molecules" ADD CONSTRAINT "molecules_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "molecules" ADD CONSTRAINT "molecules_parent_molecule_id_molecules_id_fk" FOREIGN KEY ("parent_molecule_id") REFERENCES "public"."molecules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "molecules" ADD CONSTRAINT "molecules_registered_by_id_users_id_fk" FOREIGN KEY ("registered_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "entry_mentions_code_idx" ON "entry_mentions" USING btree ("campaign_code");--> statement-breakpoint
CREATE INDEX "measurements_molecule_idx" ON "measurements" USING btree ("molecule_id");--> statement-breakpoint
CREATE INDEX "measurements_entry_idx" ON "measurements" USING btree ("entry_id");--> statement-breakpoint
CREATE UNIQUE INDEX "molecule_aliases_campaign_alias_idx" ON "molecule_aliases" USING btree ("campaign_id",lower("alias"));--> statement-breakpoint
CREATE INDEX "molecule_aliases_alias_idx" ON "molecule_aliases" USING btree (lower("alias"));--> statement-breakpoint
CREATE INDEX "molecule_aliases_molecule_idx" ON "molecule_aliases" USING btree ("molecule_id");--> statement-breakpoint
CREATE UNIQUE INDEX "molecules_campaign_code_idx" ON "molecules" USING btree ("campaign_code");--> statement-breakpoint
CREATE INDEX "molecules_campaign_number_idx" ON "molecules" USING btree ("campaign_id","site","number");--> statement-breakpoint
CREATE INDEX "molecules_idcode_idx" ON "molecules" USING hash ("idcode");--> statement-breakpoint
CREATE INDEX "molecules_idcode_no_stereo_idx" ON "molecules" USING hash ("idcode_no_stereo");--> statement-breakpoint
CREATE INDEX "molecules_parent_idcode_idx" ON "molecules" USING hash ("parent_idcode");--> statement-breakpoint
CREATE INDEX "molecules_inchikey_idx" ON "molecules" USING btree ("inchikey");--> statement-breakpoint
CREATE INDEX "molecules_parent_idx" ON "molecules" USING btree ("parent_molecule_id");