import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { ChemError } from "../chem/errors";
import { childFailure, runChild, type ChildLimits } from "./child";
import { OCSR_LIMITS } from "./sniff";

/**
 * Normalizing a picture before OSRA reads it: flattened onto white, grey, scaled so that its lines have the width
 * OSRA reads best, sharpened when enlarged, padded with white. What each step gains is measured by `npm run
 * bench:ocsr`; black-and-white thresholds, a median filter, contrast curves (a darker luminance, a whiter white
 * point, coloured labels made black) and grey by luminance were measured too and read fewer structures (OSRA
 * thresholds better itself; a median filter erases the 1-2 px lines of a small picture). Decoding an untrusted
 * picture is a parse like any other, so it runs in a child process (normalize-child.mjs, sharp/libvips) under
 * child.ts's limits, never in the server.
 */

export const NORMALIZE_LIMITS: ChildLimits = {
  timeoutMs: 15_000,
  // Node itself needs ~200 MB of address space; a 40-megapixel grey picture 40 MB, its variants a few times that.
  memoryBytes: 1536 * 1024 * 1024,
  maxStdoutBytes: 64 * 1024,
  maxFileBytes: 128 * 1024 * 1024,
};

/** One picture OSRA is given: how it is made from the original, and the OSRA options it is read with. */
export interface Variant {
  /** A name for diagnostics and the benchmark ("stroke3", "x1"). */
  name: string;
  /** A fixed scale factor; ignored when `stroke` is given and the picture's line width could be measured. */
  scale?: number;
  /** Scale so that lines are this many pixels wide (measured on the picture), within minScale..maxScale. */
  stroke?: number;
  minScale?: number;
  maxScale?: number;
  /** The longest side after scaling, in pixels. */
  maxSide: number;
  /** White border, in pixels. */
  pad: number;
  /**
   * An unsharp mask after enlarging, with this radius (Gaussian sigma) in the original picture's pixels. A picture
   * enlarged from a small or JPEG-compressed one has soft glyph edges, and OSRA's character reader then takes an F or
   * a Cl for an I; sharpened, it reads them. Only an enlarged picture is sharpened.
   */
  sharpen?: number;
  /** OSRA's `-r`. */
  resolution?: number;
  /** OSRA's `-j`. */
  jaggy?: boolean;
  /** OSRA's `-t` (osra.ts). */
  threshold?: number;
}

export interface NormalizedVariant {
  variant: Variant;
  png: Uint8Array;
  width: number;
  height: number;
  /** Size of the result over size of the original: a box in it maps back by (x - pad) / scale. */
  scale: number;
  pad: number;
}

export interface Normalized {
  width: number;
  height: number;
  /** The typical line width found, in pixels; null when the picture has too little ink to tell. */
  stroke: number | null;
  variants: NormalizedVariant[];
}

const CHILD_FILE = "normalize-child.mjs";

/** The normalizer script: beside this file, or under lib/ocsr of the working folder (a Next.js server's bundle). */
export function normalizerPath(): string {
  const candidates = [new URL(CHILD_FILE, import.meta.url), pathToFileURL(path.join(process.cwd(), "lib", "ocsr", CHILD_FILE))];
  const found = candidates.find((url) => url.protocol === "file:" && existsSync(fileURLToPath(url)));
  if (found === undefined) throw new ChemError("worker_failed", `The image normalizer (${CHILD_FILE}) was not found.`);
  return fileURLToPath(found);
}

/**
 * Writes the picture into `dir` (a private folder of withTempDir) and makes the variants there. `page` picks a page
 * of a multi-page TIFF (0-based). Throws a ChemError when the picture cannot be decoded (damaged) or the normalizer
 * hits its limits.
 */
export async function normalizePicture(
  image: Uint8Array,
  dir: string,
  variants: readonly Variant[],
  options: { page?: number; signal?: AbortSignal; measure?: boolean } = {},
): Promise<Normalized> {
  const input = `source-${options.page ?? 0}`;
  writeFileSync(path.join(dir, input), image, { mode: 0o600 });
  const job = {
    input,
    page: options.page ?? 0,
    maxPixels: OCSR_LIMITS.maxPixels,
    measure: options.measure ?? variants.some((v) => v.stroke !== undefined),
    variants: variants.map((v, i) => ({ ...v, out: `variant-${options.page ?? 0}-${i}.png` })),
  };
  const result = await runChild({
    executable: process.execPath,
    args: [normalizerPath(), JSON.stringify(job)],
    cwd: dir,
    limits: NORMALIZE_LIMITS,
    signal: options.signal,
  });
  const failure = childFailure(result, "The image reader", NORMALIZE_LIMITS);
  if (failure !== null) {
    if (result.code === 2) throw new ChemError("invalid_structure", "This picture could not be decoded: it may be damaged or cut short.");
    throw failure;
  }
  const answer = JSON.parse(result.stdout) as {
    width: number;
    height: number;
    stroke: number | null;
    variants: { out: string; width: number; height: number; scale: number; pad: number }[];
  };
  return {
    width: answer.width,
    height: answer.height,
    stroke: answer.stroke,
    variants: answer.variants.map((v, i) => ({
      variant: variants[i]!,
      png: readFileSync(path.join(dir, v.out)),
      width: v.width,
      height: v.height,
      scale: v.scale,
      pad: v.pad,
    })),
  };
}
