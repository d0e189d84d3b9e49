CREATE TABLE "data_repairs" (
	"name" text PRIMARY KEY NOT NULL,
	"changed" integer NOT NULL,
	"done_at" timestamp with time zone DEFAULT now() NOT NULL
);
