import { isChemError, ChemError } from "../chem/errors";
import { withTempDir } from "./child";
import { consensus, type Candidate, type Recognized } from "./consensus";
import { OSRA_LIMITS, runOsra, osraExecutable } from "./osra";
import { openPdf, renderPage } from "./pdf";
import { normalizePicture, type Variant } from "./preprocess";
import type { Guess } from "./repair";
import { OCSR_LIMITS, sniffPicture } from "./sniff";

export type { Candidate, Recognized } from "./consensus";

/**
 * Structures from a picture or PDF: sniffed and capped (sniff.ts), PDF pages rasterized (pdf.ts), each page
 * normalized into a few variants (preprocess.ts), each variant read by OSRA (osra.ts), and the answers that the
 * chemistry sandbox accepts voted on per place in the picture (consensus.ts). Every step runs in a child process
 * under limits; nothing here decodes a picture.
 */

/**
 * What the pipeline gives OSRA, chosen with `npm run bench:ocsr` (OSM Series 4 and HIV molecules drawn by
 * OpenChemLib and RDKit, clean and scanned): the picture as it came (normalized: flattened onto white, grey by its
 * darkest channel, a 20 px white border) at the resolution OSRA guesses; scaled so that its lines are 3 and 6 px wide,
 * read as 300 dpi; and scaled to 4 and 5 px lines read at a higher ink threshold (`-t 0.7`), which keeps only the
 * lines' dark cores. That last pair reads labels whose glyphs touch their bond — RDKit's drawings end the bond to a
 * chlorine on the "l", so at OSRA's own threshold "Cl" is one stroke with the bond and read as a methyl — but loses
 * the faint lines of blurred scans and small pictures, which the other three read; two of them, so that a label read
 * right outvotes one misread alike elsewhere. Alone, a variant reads a little fewer structures than OSRA on the raw
 * file or (the dark ones, on RDKit's drawings) many more; voting among the five reads more than any, and a fixed
 * resolution makes the scaled runs cheap (OSRA otherwise tries several). An enlarged variant is sharpened (an unsharp
 * mask of 1.5 of the original's pixels): enlarged from a small or JPEG-compressed picture, glyphs are soft and OSRA
 * reads an F or a Cl as an I. Measured on 20 Series 4 + 20 HIV pictures a style (exact, before → after): OpenChemLib
 * 150 dpi degraded 40 → 50 % and 25 → 30 %; RDKit 300 dpi degraded 55 → 65 % and 50 → 55 %, 150 dpi 15 → 25 % and
 * 40 → 45 %, 150 dpi degraded 0 → 5 % and 10 → 20 %; clean 300 dpi drawings of both unchanged.
 */
export const DEFAULT_VARIANTS: readonly Variant[] = [
  { name: "as-is", scale: 1, maxSide: 2500, pad: 20 },
  { name: "stroke3", stroke: 3, minScale: 0.25, maxScale: 4, maxSide: 2500, pad: 20, resolution: 300, sharpen: 1.5 },
  { name: "stroke6", stroke: 6, minScale: 0.25, maxScale: 4, maxSide: 2500, pad: 20, resolution: 300, sharpen: 1.5 },
  { name: "stroke4-dark", stroke: 4, minScale: 0.25, maxScale: 4, maxSide: 2500, pad: 20, resolution: 300, threshold: 0.7, sharpen: 1.5 },
  { name: "stroke5-dark", stroke: 5, minScale: 0.25, maxScale: 4, maxSide: 2500, pad: 20, resolution: 300, threshold: 0.7, sharpen: 1.5 },
];

/**
 * A PDF page (drawn at 300 dpi) is mostly text and several times larger than a picture: one variant each, the one
 * that reads best alone at the lowest cost (OSRA takes 10 s or more on a page at the resolution it guesses).
 */
export const PAGE_VARIANTS: readonly Variant[] = [
  { name: "page", stroke: 3, minScale: 0.25, maxScale: 2, maxSide: 4000, pad: 20, resolution: 300 },
];

export interface RecognizeOptions {
  /**
   * The canonical key of a SMILES OSRA wrote (the chemistry sandbox's idcode), or null when it is no valid
   * structure: answers are compared, and invalid ones dropped, by it.
   */
  canonicalize: (smiles: string) => Promise<string | null>;
  /**
   * Guesses the labels OSRA could not read (`*`) in an answer (repair.ts guessUnreadableLabels, in the chemistry
   * sandbox): without it such answers are dropped.
   */
  guess?: (smiles: string) => Promise<Guess | null>;
  /** The variants of each picture (default DEFAULT_VARIANTS); `[]` with `plain` for OSRA on the bytes as sent. */
  variants?: readonly Variant[];
  /** OSRA on the original bytes, no normalizing (the benchmark's baseline). */
  plain?: boolean;
  /** OSRA runs at once. Default 2. */
  parallel?: number;
  /** The OSRA executable (tests). */
  binary?: string;
  /** ms since epoch: no OSRA run starts after it, and runs in progress are stopped at it. */
  deadline?: number;
  signal?: AbortSignal;
}

export interface Recognition {
  structures: Recognized[];
  /** Pages in the file (1 for a single picture). */
  pageCount: number;
  pagesRead: number;
  /** What the chemist should know: pages skipped, a page the recognizer stopped on. */
  warnings: string[];
  /** Every answer of every variant, before the vote (the benchmark weighs each variant with them). */
  candidates: Candidate[];
  /** Each OSRA run: its variant, page and time (diagnostics, the benchmark). */
  runs: { page: number; variant: string; ms: number }[];
}

interface PageImage {
  page: number;
  bytes: Uint8Array;
  extension: string;
  /** A page inside a multi-page TIFF (0-based), read by the normalizer. */
  subpage?: number;
  /** How long one OSRA run may take on it. */
  runTimeoutMs: number;
}

/** OSRA on a PDF page: a page of dense text takes it 20 s and more. */
const PAGE_RUN_TIMEOUT_MS = 45_000;

export async function recognizePicture(
  bytes: Uint8Array,
  declaredType: string | null | undefined,
  options: RecognizeOptions,
): Promise<Recognition> {
  const sniffed = sniffPicture(bytes, declaredType);
  osraExecutable(options.binary); // a 503 before any work when OSRA is missing
  return withTempDir(async (dir) => {
    let pageCount: number;
    let page: (n: number) => Promise<PageImage>;
    if (sniffed.kind === "pdf") {
      const pdf = await openPdf(bytes, dir, { signal: options.signal });
      pageCount = pdf.pageCount;
      page = async (n) => ({
        page: n,
        bytes: (await renderPage(dir, n, pdf, { signal: options.signal })).png,
        extension: "png",
        runTimeoutMs: PAGE_RUN_TIMEOUT_MS,
      });
    } else {
      pageCount = sniffed.pages;
      const extension = sniffed.kind === "jpeg" ? "jpg" : sniffed.kind === "tiff" ? "tif" : sniffed.kind;
      page = (n) => Promise.resolve({ page: n, bytes, extension, subpage: n - 1, runTimeoutMs: OSRA_LIMITS.timeoutMs });
    }
    const toRead = Math.min(pageCount, OCSR_LIMITS.maxPages);
    const warnings: string[] = [];
    if (pageCount > toRead) warnings.push(`Only the first ${toRead} of ${pageCount} pages were read; split the file to read the rest.`);
    const variants = options.variants ?? (sniffed.kind === "pdf" ? PAGE_VARIANTS : DEFAULT_VARIANTS);
    const candidates: Candidate[] = [];
    const runs: Recognition["runs"] = [];
    let read = 0;
    let failure: unknown = null;
    for (let n = 1; n <= toRead; n++) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) {
        if (read === 0) throw deadlineError();
        warnings.push(`Stopped after page ${n - 1} of ${pageCount}: out of time; send the other pages separately.`);
        break;
      }
      try {
        candidates.push(...(await readPage(await page(n), dir, variants, options, runs)));
        read++;
      } catch (error) {
        if (!isChemError(error) || error.code === "aborted" || error.code === "worker_failed") throw error;
        failure ??= error;
        if (toRead > 1) warnings.push(`Page ${n}: ${error.message}`);
      }
    }
    // A picture the recognizer stopped on is an error; a bad page among readable ones is a warning.
    if (read === 0 && failure !== null) throw failure as Error;
    const structures = await consensus(candidates, options.canonicalize, options.guess);
    return { structures, pageCount, pagesRead: read, warnings, candidates, runs };
  });
}

/** OSRA's candidates for one page, over all variants, with boxes in the original picture's pixels. */
async function readPage(
  image: PageImage,
  dir: string,
  variants: readonly Variant[],
  options: RecognizeOptions,
  log: Recognition["runs"],
): Promise<Candidate[]> {
  const runs: { png: Uint8Array; ext: string; variant: Variant | null; scale: number; pad: number }[] = [];
  if (options.plain) runs.push({ png: image.bytes, ext: image.extension, variant: null, scale: 1, pad: 0 });
  if (variants.length > 0) {
    checkDeadline(options.deadline);
    const normalized = await normalizePicture(image.bytes, dir, variants, { page: image.subpage, signal: options.signal });
    for (const v of normalized.variants) runs.push({ png: v.png, ext: "png", variant: v.variant, scale: v.scale, pad: v.pad });
  }
  const results = await mapLimited(runs, options.parallel ?? 2, async (run, index) => {
    const remaining = options.deadline === undefined ? undefined : options.deadline - Date.now();
    if (remaining !== undefined && remaining <= 0) return { index, error: deadlineError() };
    const started = Date.now();
    try {
      const found = await runOsra(run.png, run.ext, {
        binary: options.binary,
        resolution: run.variant?.resolution,
        jaggy: run.variant?.jaggy,
        threshold: run.variant?.threshold,
        signal: options.signal,
        limits: { timeoutMs: Math.min(remaining ?? Infinity, image.runTimeoutMs) },
      });
      return { index, found };
    } catch (error) {
      return { index, error };
    } finally {
      log.push({ page: image.page, variant: run.variant?.name ?? "plain", ms: Date.now() - started });
    }
  });
  const candidates: Candidate[] = [];
  let error: unknown = null;
  for (const r of results) {
    if ("error" in r) {
      if (isChemError(r.error) && r.error.code === "aborted") throw r.error;
      error ??= r.error;
      continue;
    }
    const run = runs[r.index]!;
    for (const s of r.found) {
      candidates.push({
        ...s,
        page: image.page,
        variant: run.variant?.name ?? "plain",
        box: {
          x: Math.max(0, Math.round((s.box.x - run.pad) / run.scale)),
          y: Math.max(0, Math.round((s.box.y - run.pad) / run.scale)),
          width: Math.round(s.box.width / run.scale),
          height: Math.round(s.box.height / run.scale),
        },
      });
    }
  }
  // Every variant failed: the picture's fault (the recognizer stopped on it), said once.
  if (results.every((r) => "error" in r) && error !== null) throw error as Error;
  return candidates;
}

function checkDeadline(deadline: number | undefined): void {
  if (deadline !== undefined && Date.now() >= deadline) throw deadlineError();
}

function deadlineError(): ChemError {
  return new ChemError("timeout", "The recognizer ran out of time on this file; try a smaller picture or fewer pages.");
}

/** `fn` over `items`, at most `limit` at once, results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
