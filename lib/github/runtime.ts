/**
 * The server process's one sync engine and its periodic reconcile (GitHub does not redeliver failed webhook
 * deliveries by itself, so every connection is reconciled every NOTEBOOK_GITHUB_SYNC_INTERVAL seconds). Started
 * from instrumentation.ts when the server starts, never during `next build`.
 */
import { getDb } from "@/db/index";
import { allConnections } from "@/db/queries/todos";
import { env } from "@/lib/env.js";
import { TodoSync } from "./sync";

const key = Symbol.for("open-notebook.todo-sync");
type Holder = { sync?: Promise<TodoSync>; timer?: NodeJS.Timeout };
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as Holder;

export function todoSync(): Promise<TodoSync> {
  holder.sync ??= getDb().then(
    (db) =>
      new TodoSync(db, {
        githubBaseUrl: env().GITHUB_BASE_URL,
        siteUrl: env().NOTEBOOK_PUBLIC_URL ?? "http://localhost:3000",
      }),
  );
  return holder.sync;
}

export async function syncAll(): Promise<void> {
  const sync = await todoSync();
  const db = await getDb();
  for (const conn of await allConnections(db)) await sync.sync(conn);
}

export function startPeriodicSync(): void {
  const seconds = env().NOTEBOOK_GITHUB_SYNC_INTERVAL;
  if (holder.timer || seconds <= 0) return;
  holder.timer = setInterval(() => {
    syncAll().catch((error: unknown) => console.error("[github sync]", error));
  }, seconds * 1000);
  holder.timer.unref();
}
