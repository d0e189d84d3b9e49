// Build the production app when it is missing or older than its sources: used by `npm start`
// and by the end-to-end tests, so both run what the code says now.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const sourceDirs = ["app", "components", "db", "lib", "server", "public"];
const sourceFiles = ["next.config.js", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "proxy.ts", "instrumentation.ts"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file bumps its folder's mtime
  for (const name of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** Why a build is needed, or null when the existing one is up to date. */
export function buildReason(appDir: string, force?: string): string | null {
  if (force) return force;
  const buildId = path.join(appDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "there is no production build yet";
  const built = statSync(buildId).mtimeMs;
  for (const rel of [...sourceDirs, ...sourceFiles]) {
    if (newestMtime(path.join(appDir, rel)) > built) return `${rel} changed since the last build`;
  }
  return null;
}

/** Run `next build` if needed; returns the seconds it took, or null when skipped. */
export function ensureBuild(appDir: string, options: { force?: string; log?: (line: string) => void } = {}): number | null {
  const log = options.log ?? console.log;
  const reason = buildReason(appDir, options.force);
  if (!reason) return null;
  log(`Building the notebook (${reason})…`);
  const started = Date.now();
  const result = spawnSync(path.join(appDir, "node_modules", ".bin", "next"), ["build"], {
    cwd: appDir,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal}) after ${seconds.toFixed(1)} s`);
  log(`Built in ${seconds.toFixed(1)} s.`);
  return seconds;
}
