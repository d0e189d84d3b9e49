-- Measurements are append-only records like revisions: a wrong value is corrected by adding a new measurement,
-- never by changing or removing the old one. notebook_refuse_change() comes from 0001_append_only_history.
CREATE TRIGGER measurements_append_only BEFORE UPDATE OR DELETE ON "measurements"
  FOR EACH ROW EXECUTE FUNCTION notebook_refuse_change();
--> statement-breakpoint
CREATE TRIGGER measurements_no_truncate BEFORE TRUNCATE ON "measurements"
  FOR EACH STATEMENT EXECUTE FUNCTION notebook_refuse_change();
