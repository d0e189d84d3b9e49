// Database set-up for the HTTP e2e tests: a temp PGlite data dir or a fresh PostgreSQL database, API tokens made
// with the real admin command (`server/cli/admin.ts`), and the few things the API cannot do (revoking a token).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { appDir } from "./paths";
import { TEST_AUTH_SECRET } from "./server";

/** Where a notebook keeps its data; `env` is what both the admin command and startNotebook need to find it. */
export type Store = PgliteStore | PostgresStore;
export interface PgliteStore {
  kind: "pglite";
  dataDir: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}
export interface PostgresStore {
  kind: "postgres";
  url: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export function randomSuffix(bytes = 4): string {
  return crypto.randomBytes(bytes).toString("hex");
}

/**
 * A new, empty PGlite data dir. It sits inside its own temp folder because the app keeps an auth secret file
 * beside the data dir (`.<name>-auth-secret`), and dispose() should remove that too.
 */
export async function pgliteStore(): Promise<PgliteStore> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "notebook-e2e-store-"));
  const dataDir = path.join(parent, "data");
  return {
    kind: "pglite",
    dataDir,
    env: { NOTEBOOK_DATA_DIR: dataDir },
    dispose: () => rm(parent, { recursive: true, force: true }),
  };
}

/** A fresh database `nb_e2e_<random>` on the PostgreSQL server of serverUrl, dropped (with force) by dispose(). */
export async function postgresStore(serverUrl: string): Promise<PostgresStore> {
  const name = `nb_e2e_${randomSuffix(6)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    url: url.toString(),
    env: { DATABASE_URL: url.toString(), AUTH_SECRET: TEST_AUTH_SECRET },
    async dispose() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `tsx server/cli/admin.ts <args>` against a store, with an environment that names only that store. */
export function runAdmin(store: Store, args: string[]): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NOTEBOOK_DATA_DIR;
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  Object.assign(env, { AUTH_SECRET: TEST_AUTH_SECRET, NODE_ENV: "production" }, store.env);
  const child = spawn(path.join(appDir, "node_modules", ".bin", "tsx"), ["server/cli/admin.ts", ...args], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A new API token for `login` (the user is created if needed), made with the admin command. */
export async function createToken(store: Store, login: string): Promise<string> {
  const result = await runAdmin(store, ["create-token", "--user", login]);
  const token = result.stdout.trim();
  if (result.code !== 0 || !/^nbk_[A-Za-z0-9_-]{43}$/.test(token)) {
    throw new Error(`admin create-token --user ${login} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return token;
}

/** Tokens for several users, one admin command after the other (PGlite is one process at a time). */
export async function createTokens<L extends string>(store: Store, logins: readonly L[]): Promise<Record<L, string>> {
  const tokens = {} as Record<L, string>;
  for (const login of logins) tokens[login] = await createToken(store, login);
  return tokens;
}

/**
 * Revoke a token the way the settings page does (revoked_at set), straight in the database: the API has no
 * endpoint for it. On PGlite the server must not be running (one process at a time).
 */
export async function revokeTokenInDatabase(store: Store, token: string): Promise<void> {
  const hash = crypto.createHash("sha256").update(token).digest("hex");
  if (store.kind === "postgres") {
    const sql = postgres(store.url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`update api_tokens set revoked_at = now() where token_hash = ${hash} returning id`;
      if (rows.length !== 1) throw new Error("revokeTokenInDatabase: token not found");
    } finally {
      await sql.end();
    }
    return;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create({ dataDir: store.dataDir });
  try {
    const result = await db.query("update api_tokens set revoked_at = now() where token_hash = $1 returning id", [hash]);
    if (result.rows.length !== 1) throw new Error("revokeTokenInDatabase: token not found");
  } finally {
    await db.close();
  }
}

/**
 * The fixed-window rate limit counts per wall-clock minute. A test that must stay inside one window waits,
 * if needed, until a new minute has begun (a wait before acting, not a timing assertion).
 */
export async function waitForFreshMinute(needSeconds: number): Promise<void> {
  const intoMinute = (Date.now() % 60_000) / 1000;
  if (intoMinute + needSeconds < 60) return;
  await new Promise((resolve) => setTimeout(resolve, (60 - intoMinute) * 1000 + 250));
}

/** The demo campaign, seeded the way `npm start` seeds an empty notebook (server/cli/seed.ts). */
export function seedDemoCampaign(store: PgliteStore): Promise<void> {
  const script =
    '(async () => { const { getDatabase, closeDatabase } = await import("@/db/index"); const { seedDemo } = await import("./server/cli/seed");' +
    " const d = await getDatabase(); await seedDemo(d.db); await closeDatabase(); process.exit(0); })()" +
    ".catch((e) => { console.error(e); process.exit(1); });";
  const env: NodeJS.ProcessEnv = { ...process.env, ...store.env, AUTH_SECRET: TEST_AUTH_SECRET, NODE_ENV: "production" };
  delete env.DATABASE_URL;
  for (const key of Object.keys(env)) if (key.startsWith("VITEST")) delete env[key];
  const child = spawn(path.join(appDir, "node_modules", ".bin", "tsx"), ["--eval", script], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) =>
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`seeding the demo failed (${code}):\n${output}`)))),
  );
}
