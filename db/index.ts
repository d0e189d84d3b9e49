// The one module that opens database connections: PGlite on disk by default, PostgreSQL when
// DATABASE_URL is set. Query modules import `getDb` from here. (No `import "server-only"`: the
// admin command and the tests use the same queries outside Next.js.)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env.js";
import { AppError } from "@/lib/errors";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or an open transaction: query functions accept both. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: "pglite"; dataDir?: string /* undefined = in memory */ }
  | { kind: "postgres"; url: string; max?: number };

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
const MIGRATION_LOCK = 7_270_701;

/** Open a database and bring its schema up to date with the committed migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === "pglite" ? openPglite(options.dataDir) : openPostgres(options.url, options.max);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const release = dataDir ? acquireDataDirLock(dataDir) : () => {};
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = dataDir ? await PGlite.create({ dataDir }) : await PGlite.create();
    const db = drizzle({ client, schema }) as unknown as Db;
    await migrate(db as never, { migrationsFolder });
    // PGlite runs no autovacuum, so the planner's statistics would never be refreshed: without them it
    // sorts whole tables instead of walking an index. Analyze on open and every few minutes.
    await client.exec("analyze");
    const analyzer = setInterval(() => void client.exec("analyze").catch(() => {}), 10 * 60 * 1000);
    analyzer.unref();
    return {
      db,
      kind: "pglite",
      close: async () => {
        clearInterval(analyzer);
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function openPostgres(url: string, max = 10): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Several app processes may start at once: one migrates while the others wait on an advisory lock.
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle({ client: admin }), { migrationsFolder });
    await admin`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await admin.end();
  }
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, kind: "postgres", close: () => client.end() };
}

/**
 * PGlite is a single-process database. Two processes writing one data directory would corrupt it,
 * so the directory is locked with a pid file and a second opener is refused with a clear message.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "notebook.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockFile, "utf8"));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new AppError(
          "database_busy",
          `The embedded database in ${dataDir} is in use by process ${holder} (is the notebook server running?). ` +
            "Stop that process first, or use PostgreSQL through DATABASE_URL to run several processes at once.",
        );
      }
      fs.rmSync(lockFile, { force: true }); // left behind by a process that died
    }
  }
  throw new AppError("database_busy", `Could not lock the embedded database in ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed server whose parent died too stays a zombie until an init process reaps it (some container inits never
  // do): it exists for kill(0) but holds nothing. Linux says so in /proc/<pid>/stat ("<pid> (<name>) Z ...").
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** The options the running app uses, from the validated environment. */
export function defaultDatabaseOptions(): DatabaseOptions {
  const e = env();
  return e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dataDir: e.dataDir };
}

const globalForDb = globalThis as unknown as { notebookDatabase?: Promise<Database> };

/** The app's database, opened (and migrated) once per process and kept across hot reloads. */
export function getDatabase(): Promise<Database> {
  globalForDb.notebookDatabase ??= openDatabase(defaultDatabaseOptions()).catch((error: unknown) => {
    globalForDb.notebookDatabase = undefined;
    throw error;
  });
  return globalForDb.notebookDatabase;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Use a database that a test or a command opened itself as the app's database. */
export function useDatabase(database: Database): void {
  globalForDb.notebookDatabase = Promise.resolve(database);
}

export async function closeDatabase(): Promise<void> {
  const current = globalForDb.notebookDatabase;
  globalForDb.notebookDatabase = undefined;
  if (current) await (await current).close();
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

export { schema };
