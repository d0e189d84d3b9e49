// Runs once when the server starts (Next.js instrumentation hook): builds the structure search index from the
// database (its time is logged) so the first search does not pay for it, runs the data repairs this database has
// not had yet (db/queries/data-repairs.ts), starts the chemistry sandbox's workers, the periodic GitHub reconcile, and
// the mail, newsletter, hash-chain and model runners and the picture scanner.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const [{ getDb }, { searchIndexFor }, { runDataRepairs }, { startPeriodicSync }, { sharedChemPool }] = await Promise.all([
    import("@/db/index"),
    import("@/db/queries/molecules/search"),
    import("@/db/queries/data-repairs"),
    import("@/server/github-reconcile"),
    import("@/lib/sandbox/pool"),
  ]);
  // The chemistry sandbox's processes load their toolkits now, not on the first registration or search.
  sharedChemPool().warm();
  // In the background: the server answers meanwhile, and a search that comes first waits for the same build.
  void getDb()
    .then((db) => searchIndexFor(db))
    .catch((error: unknown) => console.error("[structure search] index not built at start:", error));
  void getDb()
    .then((db) => runDataRepairs(db))
    .then((ran) => {
      for (const { name, changed } of ran) console.log(`data repair ${name}: ${changed} rows changed`);
    })
    .catch((error: unknown) => console.error("[data repairs] not run at start:", error));
  startPeriodicSync();
  void import("@/server/mail-runner")
    .then((m) => m.startMailRunner())
    .catch((error: unknown) => console.error("[mail] runner not started:", error));
  void import("@/server/newsletter-runner")
    .then((m) => m.startNewsletterRunner())
    .catch((error: unknown) => console.error("[newsletter] runner not started:", error));
  void import("@/server/integrity-runner")
    .then((m) => m.startIntegrityRunner())
    .catch((error: unknown) => console.error("[integrity] runner not started:", error));
  void import("@/server/model-runner")
    .then((m) => m.startModelRunner())
    .catch((error: unknown) => console.error("[models] runner not started:", error));
  void import("@/server/scan-runner")
    .then((m) => m.startScanRunner())
    .catch((error: unknown) => console.error("[scans] runner not started:", error));
}
