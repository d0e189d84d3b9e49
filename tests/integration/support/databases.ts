// Integration tests run on every database the notebook supports: PGlite always, PostgreSQL when
// TEST_DATABASE_URL names a server (CI starts one). Each suite gets a fresh database.
import crypto from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { openDatabase, type Database } from "@/db/index";

export interface TestDatabase {
  name: "pglite" | "postgres";
  open(): Promise<Database>;
}

export const testDatabases: TestDatabase[] = [
  { name: "pglite", open: () => openDatabase({ kind: "pglite" }) },
  ...(process.env.TEST_DATABASE_URL ? [{ name: "postgres" as const, open: () => freshPostgres(process.env.TEST_DATABASE_URL!) }] : []),
];

/** A new, empty PostgreSQL database for one suite, dropped when the suite closes it. */
export async function freshPostgres(serverUrl: string): Promise<Database> {
  const name = `nb_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString(), max: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      // A plain DROP cancels an autovacuum worker busy in the database and waits for it; WITH (FORCE) would try to
      // terminate it and fail (it is not our role's process). FORCE only for sessions a test left open.
      await admin.unsafe(`drop database if exists ${name}`).catch(() => admin.unsafe(`drop database if exists ${name} with (force)`));
      await admin.end();
    },
  };
}

/** describe() once per database; `get()` returns the suite's open database. */
export function describeEachDatabase(title: string, body: (get: () => Database) => void): void {
  for (const target of testDatabases) {
    describe(`${title} [${target.name}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await target.open();
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error("database not open yet");
        return database;
      });
    });
  }
}
