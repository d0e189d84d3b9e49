// `npm start`: build if needed, bring the database up to date (and give an empty embedded
// notebook the demo campaign), then serve the production build (server/main.ts: Next behind the
// page cache of anonymous reads).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { closeDatabase, getDatabase } from "@/db/index";
import { env } from "@/lib/env.js";
import { serverCommand } from "../command";
import { ensureBuild } from "./build";
import { seedDemo } from "./seed";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function main(): Promise<void> {
  const e = env();
  ensureBuild(root);
  const database = await getDatabase();
  if (database.kind === "pglite" && process.env.NOTEBOOK_DEMO !== "0" && (await seedDemo(database.db))) {
    console.log("Added the demo campaign “Series 4” (set NOTEBOOK_DEMO=0 to start empty).");
  }
  // PGlite allows one process: release it before the server opens it.
  await closeDatabase();
  const port = process.env.PORT ?? "3000";
  // Local sign-in has no password, so without a GitHub app the server listens on loopback only.
  const host = process.env.HOST ?? (e.localSignIn ? "127.0.0.1" : "0.0.0.0");
  console.log(`Open notebook on http://${host === "0.0.0.0" ? "localhost" : host}:${port} (${database.kind === "pglite" ? `embedded database in ${e.dataDir}` : "PostgreSQL"})`);
  const { command, args } = serverCommand();
  const child = spawn(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", PORT: port, HOST: host },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
