/**
 * The periodic reconcile of every campaign's to-dos with its GitHub repository: GitHub does not redeliver failed
 * webhook deliveries by itself, so every connection is reconciled every NOTEBOOK_GITHUB_SYNC_INTERVAL seconds.
 * Started from instrumentation.ts when the server starts, never during `next build`; once per process.
 */
import { syncAll } from "@/db/queries/todo-sync";
import { env } from "@/lib/env.js";

const key = Symbol.for("open-notebook.github-reconcile");
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as { timer?: NodeJS.Timeout };

export function startPeriodicSync(): void {
  const seconds = env().NOTEBOOK_GITHUB_SYNC_INTERVAL;
  if (holder.timer || seconds <= 0) return;
  holder.timer = setInterval(() => {
    syncAll().catch((error: unknown) => console.error("[github sync]", error));
  }, seconds * 1000);
  holder.timer.unref();
}
