import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { ChemError } from "../chem/errors";
import { AppError } from "../errors";
import { childFailure, findExecutable, runChild, withTempDir, type ChildLimits } from "./child";
import { parseOsraOutput, type OsraStructure } from "./parse";

/**
 * OSRA (Debian package `osra`), the open-source optical structure recognizer, run as a sandboxed child process on one
 * picture: alone in a private folder, under a deadline, an address-space cap and an output cap (child.ts). Its
 * options are the ones we measured (tests/bench/ocsr.mts); its answer is parsed by parse.ts and is untrusted text:
 * every SMILES goes through the chemistry sandbox afterwards.
 */

export const OSRA_LIMITS: ChildLimits = {
  // A picture normalized to at most ~2,500 px a side takes OSRA 0.3-3 s; a 29-megapixel one took four minutes.
  timeoutMs: 20_000,
  // Peak use was 0.7 GB on a 29-megapixel picture; our normalized ones need far less.
  memoryBytes: 2 * 1024 * 1024 * 1024,
  maxStdoutBytes: 1024 * 1024,
  // GraphicsMagick may spill pixels to its temporary folder (ours).
  maxFileBytes: 256 * 1024 * 1024,
};

export const INSTALL_HINT = "install it with `apt-get install osra` (Debian/Ubuntu)";

export interface OsraOptions {
  /** The executable: a name on PATH or a path. Default "osra". Tests put a misbehaving stand-in here. */
  binary?: string;
  /** `-r`: the resolution OSRA assumes, in dpi; default: it tries several and keeps the most confident. */
  resolution?: number;
  /** `-j`: extra thinning and scaling down, for low-quality scans. */
  jaggy?: boolean;
  /**
   * `-t`: OSRA's threshold between ink and paper (0.2-0.8); default: its own. A higher one keeps only the dark cores of
   * anti-aliased lines, so that a label drawn touching its bond stays apart from it (measured by bench:ocsr).
   */
  threshold?: number;
  /** `-i`: adaptive thresholding, for low-contrast photographs. */
  adaptive?: boolean;
  /** `-n`: white on black. */
  negate?: boolean;
  limits?: Partial<ChildLimits>;
  signal?: AbortSignal;
}

/** Where OSRA is, or a 503 saying how to install it. */
export function osraExecutable(binary = "osra"): string {
  const found = findExecutable(binary);
  if (found === null) {
    throw new AppError(
      "chemistry_unavailable",
      `Structure recognition needs OSRA, which is not installed on this server: ${INSTALL_HINT}.`,
    );
  }
  return found;
}

/** Whether pictures can be recognized here (the picture controls say how to install OSRA when not). */
export function osraAvailable(binary = "osra"): boolean {
  return findExecutable(binary) !== null;
}

/** "osra  version: 2.1.3" → "2.1.3". */
export function parseOsraVersion(stdout: string): string | null {
  return /version:?\s*([0-9][\w.+~-]*)/i.exec(stdout)?.[1] ?? null;
}

// Nothing of the server's environment (secrets, database URLs) reaches the child.
const CHILD_ENV: Record<string, string> = { PATH: "/usr/bin:/bin", LC_ALL: "C" };

const versions = new Map<string, Promise<string | null>>();

/** The installed OSRA's version (asked once per process), or null when it is missing or does not say. */
export function osraVersion(binary = "osra"): Promise<string | null> {
  const executable = findExecutable(binary);
  if (executable === null) return Promise.resolve(null);
  let version = versions.get(executable);
  if (!version) {
    version = new Promise((resolve) => {
      execFile(
        executable,
        ["--version"],
        { timeout: 10_000, env: CHILD_ENV as NodeJS.ProcessEnv, encoding: "utf8" },
        (_error: unknown, stdout: string, stderr: string) => resolve(parseOsraVersion(`${stdout}\n${stderr}`)),
      );
    });
    versions.set(executable, version);
  }
  return version;
}

/** OSRA's arguments for one run: always SMILES with confidence, page and box (the format parse.ts reads). */
export function osraArgs(file: string, options: OsraOptions = {}): string[] {
  const args = ["-f", "smi", "-p", "-e", "-c"];
  if (options.resolution !== undefined) args.push("-r", String(Math.round(options.resolution)));
  if (options.jaggy) args.push("-j");
  if (options.threshold !== undefined) {
    // OSRA refuses a threshold outside its range (and would answer nothing): a mistake in a variant, not the picture's.
    if (!(options.threshold >= 0.2 && options.threshold <= 0.8)) throw new Error(`OSRA's threshold is 0.2-0.8, not ${options.threshold}`);
    args.push("-t", options.threshold.toFixed(2));
  }
  if (options.adaptive) args.push("-i");
  if (options.negate) args.push("-n");
  // `--` ends the options: the file name is ours ("input.png"), but never let a name be taken for a flag.
  args.push("--", file);
  return args;
}

/**
 * Recognizes the structures in one picture (bytes of a PNG, JPEG, GIF, TIFF or WebP that sniff.ts accepted, or a
 * normalized PNG). Throws a ChemError `timeout` or `crashed` ("the recognizer stopped on this picture") when OSRA
 * hangs or dies, `aborted` when the signal fires, and AppError 503 when OSRA is not installed.
 */
export async function runOsra(image: Uint8Array, extension: string, options: OsraOptions = {}): Promise<OsraStructure[]> {
  const executable = osraExecutable(options.binary);
  const limits = { ...OSRA_LIMITS, ...options.limits };
  if (!/^[a-z]{2,4}$/.test(extension)) throw new Error(`bad extension ${extension}`);
  return withTempDir(async (dir) => {
    const file = `input.${extension}`;
    writeFileSync(path.join(dir, file), image, { mode: 0o600 });
    const result = await runChild({ executable, args: osraArgs(file, options), cwd: dir, limits, signal: options.signal });
    const failure = childFailure(result, "The recognizer", limits);
    if (failure !== null) {
      // OSRA answers "Cannot open file" with exit code 252 (-4) when GraphicsMagick cannot read the picture at all.
      if (result.code === 252) throw new ChemError("invalid_structure", "The recognizer could not read this picture: it may be damaged.");
      throw failure;
    }
    return parseOsraOutput(result.stdout).structures;
  });
}
