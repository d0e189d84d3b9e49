import { spawnSync } from "node:child_process";

/**
 * Runs SQL as a PostgreSQL superuser, for the benchmarks' RDKit cartridge runs (creating an extension needs one; the
 * tests' role is not): through BENCH_RDKIT_URL when set, else with psql as the `postgres` OS user (as root).
 * `db` names the database on that server. Never throws: `ok` says whether psql succeeded, `out` what it printed.
 */
export function superuserPsql(sql: string, db = "postgres"): { ok: boolean; out: string } {
  const url = process.env.BENCH_RDKIT_URL;
  const args = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql];
  const result = url
    ? spawnSync("psql", [url.replace(/\/[^/?]*(\?|$)/, `/${db}$1`), ...args], { encoding: "utf8" })
    : spawnSync("runuser", ["-u", "postgres", "--", "psql", "-d", db, ...args], { encoding: "utf8" });
  return { ok: result.status === 0, out: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}
