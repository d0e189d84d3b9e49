import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { ChemError } from "../chem/errors";

/**
 * The one way the recognizer's helpers (osra, pdfinfo, pdftoppm, the image normalizer) run: a child process in its
 * own process group, started through `sh -c 'ulimit …; exec …'` so that the kernel caps its address space, the files
 * it may write and its core dumps, in a private folder with a minimal environment, killed (the whole group) at its
 * deadline or when its output grows past a cap. Untrusted pictures are decoded only there, never in the server.
 */

/** Every temporary folder of the recognizer starts with this, so a test (or an admin) can see that none is left. */
export const TEMP_PREFIX = "notebook-ocsr-";

export interface ChildLimits {
  /** Wall-clock milliseconds before the process group is killed. */
  timeoutMs: number;
  /** Address space of the process, in bytes (ulimit -v). */
  memoryBytes: number;
  /** Bytes of stdout kept; more kills the process. */
  maxStdoutBytes: number;
  /** Largest file the process may write, in bytes (ulimit -f). */
  maxFileBytes: number;
}

export interface ChildRun {
  /** Absolute path of the executable. */
  executable: string;
  args: readonly string[];
  /** Working directory: the private temporary folder. */
  cwd: string;
  limits: ChildLimits;
  /** Extra environment on top of the minimal one. */
  env?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ChildResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last few kilobytes, for diagnostics. */
  stderr: string;
  /** Killed by us at the deadline. */
  timedOut: boolean;
  /** Killed by us because stdout passed its cap. */
  overflowed: boolean;
  elapsedMs: number;
}

const STDERR_TAIL = 4096;

/** The executable `name` on PATH (or `name` itself when it is a path), or null: so a missing tool is known before spawning. */
export function findExecutable(name: string, searchPath = process.env.PATH ?? "/usr/bin:/bin"): string | null {
  const candidates = name.includes("/")
    ? [name]
    : [...searchPath.split(":").filter(Boolean), "/usr/bin", "/bin"].map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return path.resolve(candidate);
    } catch {
      // not here
    }
  }
  return null;
}

/** A folder of ours this old belongs to a process that was killed before its `finally` ran. */
export const STALE_TEMP_MS = 60 * 60 * 1000;
let swept = false;

/** Removes what killed processes left behind (no recognition runs for an hour); once a process, at its first use. */
export function sweepStaleTempDirs(now = Date.now()): void {
  const root = os.tmpdir();
  for (const name of readdirSync(root)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(root, name);
    try {
      if (now - statSync(dir).mtimeMs > STALE_TEMP_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

/** A private folder (mode 0700 by mkdtemp) for one recognition, removed afterwards whatever happens. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  if (!swept) {
    swept = true;
    sweepStaleTempDirs();
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one child under its limits; resolves with how it ended (a crash or a kill is a result, not a rejection). */
export function runChild(run: ChildRun): Promise<ChildResult> {
  const { limits } = run;
  const kb = (bytes: number) => String(Math.max(1, Math.floor(bytes / 1024)));
  // ulimit -f counts 512-byte blocks in POSIX sh (dash), -v kilobytes. -c 0: a crash leaves no core file behind.
  // ulimit -t: CPU seconds, twice the wall-clock limit (a child may run a second thread), so it only matters when
  // this process is gone (killed with SIGKILL, its timers with it): the child, in a process group of its own, then
  // stops by itself instead of running on as an orphan.
  const cpuSeconds = 2 * Math.ceil(limits.timeoutMs / 1000) + 1;
  const script = `ulimit -c 0; ulimit -t ${cpuSeconds}; ulimit -v ${kb(limits.memoryBytes)}; ulimit -f ${Math.max(1, Math.floor(limits.maxFileBytes / 512))}; exec "$0" "$@"`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(abortError());
      return;
    }
    // Nothing of the server's environment (secrets, database URLs) reaches the child.
    const env: Record<string, string> = {
      PATH: "/usr/bin:/bin",
      HOME: run.cwd,
      TMPDIR: run.cwd,
      MAGICK_TMPDIR: run.cwd,
      LC_ALL: "C",
      // One core per child: GraphicsMagick and libvips would otherwise start a thread per core.
      OMP_NUM_THREADS: "1",
      ...run.env,
    };
    const child = spawn("/bin/sh", ["-c", script, run.executable, ...run.args], {
      cwd: run.cwd,
      detached: true, // its own process group, so that a kill reaches whatever it started
      stdio: ["ignore", "pipe", "pipe"],
      env: env as NodeJS.ProcessEnv,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let timedOut = false;
    let overflowed = false;
    let aborted = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, limits.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    run.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.byteLength;
      if (stdoutBytes > limits.maxStdoutBytes) {
        overflowed = true;
        killGroup();
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
      // A grandchild may outlive `exec`'s process (a helper it forked): make sure the group is gone with it.
      killGroup();
      if (aborted) {
        reject(abortError());
        return;
      }
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr,
        timedOut,
        overflowed,
        elapsedMs: Date.now() - started,
      });
    });
  });
}

function abortError(): ChemError {
  return new ChemError("aborted", "The recognition was cancelled.");
}

/**
 * Why a child's run is no answer, in a chemist's words, or null when it ended normally. `what` names the tool
 * ("The recognizer", "The PDF reader").
 */
export function childFailure(result: ChildResult, what: string, limits: ChildLimits): ChemError | null {
  if (result.timedOut) {
    const limit = limits.timeoutMs >= 1000 ? `${Math.round(limits.timeoutMs / 1000)} s` : `${limits.timeoutMs} ms`;
    return new ChemError("timeout", `${what} took longer than ${limit} on this file and was stopped.`);
  }
  if (result.overflowed) return new ChemError("crashed", `${what} wrote more output than expected on this file and was stopped.`);
  if (result.signal !== null || result.code !== 0) {
    const how = result.signal !== null ? `${result.signal}` : `exit code ${result.code}`;
    return new ChemError("crashed", `${what} stopped on this file (${how}); try a cleaner or smaller picture.`);
  }
  return null;
}
