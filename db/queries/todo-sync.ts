/**
 * The server process's one to-do sync engine (lib/github/sync.ts) on this database, kept on globalThis so that every
 * bundle (routes, server actions, instrumentation) shares it. The periodic reconcile that drives it is started by
 * server/github-reconcile.ts.
 */
import { env } from "@/lib/env.js";
import { TodoSync } from "@/lib/github/sync";
import { getDb } from "../index";
import { todoSyncStore } from "./github-sync";
import { allConnections } from "./todos";

export { todoSyncStore } from "./github-sync";

const key = Symbol.for("open-notebook.todo-sync");
type Holder = { sync?: Promise<TodoSync> };
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as Holder;

export function todoSync(): Promise<TodoSync> {
  holder.sync ??= getDb().then(
    (db) =>
      new TodoSync(todoSyncStore(db), {
        githubBaseUrl: env().GITHUB_BASE_URL,
        siteUrl: env().NOTEBOOK_PUBLIC_URL ?? "http://localhost:3000",
      }),
  );
  return holder.sync;
}

/** Reconciles every connected campaign once, one after another. */
export async function syncAll(): Promise<void> {
  const sync = await todoSync();
  const db = await getDb();
  for (const conn of await allConnections(db)) await sync.sync(conn);
}
