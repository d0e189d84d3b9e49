-- The GitHub sync log is append-only, like revisions and events: maintainers read it to see what the sync did.
CREATE TRIGGER github_sync_log_append_only BEFORE UPDATE OR DELETE ON "github_sync_log"
  FOR EACH ROW EXECUTE FUNCTION notebook_refuse_change();
--> statement-breakpoint
CREATE TRIGGER github_sync_log_no_truncate BEFORE TRUNCATE ON "github_sync_log"
  FOR EACH STATEMENT EXECUTE FUNCTION notebook_refuse_change();
