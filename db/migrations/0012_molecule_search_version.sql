CREATE SEQUENCE "public"."molecules_search_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
DROP INDEX "molecules_parked_idx";--> statement-breakpoint
ALTER TABLE "molecules" ADD COLUMN "search_version" bigint DEFAULT nextval('molecules_search_version_seq') NOT NULL;--> statement-breakpoint
CREATE INDEX "molecules_search_version_idx" ON "molecules" USING btree ("search_version");--> statement-breakpoint
-- A status change (park, activate) moves the molecule to the end of the search index's catch-up order, so every
-- process's index sees it on its next search. Set here rather than by each writer, so no writer can forget it.
CREATE FUNCTION notebook_molecule_search_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_version := nextval('molecules_search_version_seq');
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER molecules_search_version BEFORE UPDATE OF status ON "molecules"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION notebook_molecule_search_version();
