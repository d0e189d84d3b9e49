import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { ChemError } from "../chem/errors";
import { AppError } from "../errors";
import { childFailure, findExecutable, runChild, type ChildLimits } from "./child";
import { OCSR_LIMITS } from "./sniff";

/**
 * PDF pages as pictures, with poppler's pdfinfo and pdftoppm (Debian package `poppler-utils`) under the same
 * child-process limits as OSRA: OSRA reading a PDF itself took six minutes on a two-page report, so pages are
 * rasterized here, each at the resolution OSRA reads best, and only the first OCSR_LIMITS.maxPages of them.
 */

export const PDF_LIMITS: ChildLimits = {
  timeoutMs: 15_000,
  memoryBytes: 1024 * 1024 * 1024,
  maxStdoutBytes: 256 * 1024,
  maxFileBytes: 128 * 1024 * 1024,
};

/** The resolution pages are rasterized at, unless that would pass the pixel cap (a poster-sized page). */
export const PDF_DPI = 300;

export interface PdfPage {
  /** 1-based. */
  page: number;
  png: Uint8Array;
  dpi: number;
}

function poppler(tool: "pdfinfo" | "pdftoppm"): string {
  const found = findExecutable(tool);
  if (found === null) {
    throw new AppError(
      "chemistry_unavailable",
      `Reading PDFs needs poppler's ${tool}, which is not installed on this server: install it with \`apt-get install poppler-utils\` (Debian/Ubuntu).`,
    );
  }
  return found;
}

/** Page count and page sizes (points) of the first `maxPages` pages, from `pdfinfo -f 1 -l N`. */
export function parsePdfInfo(stdout: string): { pageCount: number; sizes: Map<number, { width: number; height: number }> } {
  const pages = /^Pages:\s+(\d+)\s*$/m.exec(stdout);
  const sizes = new Map<number, { width: number; height: number }>();
  for (const m of stdout.matchAll(/^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts/gm)) {
    sizes.set(Number(m[1]), { width: Number(m[2]), height: Number(m[3]) });
  }
  return { pageCount: pages ? Number(pages[1]) : 0, sizes };
}

/** The dpi for a page of `width` × `height` points: PDF_DPI, or less so that the page stays under the pixel cap. */
export function pageDpi(size: { width: number; height: number } | undefined, maxPixels: number = OCSR_LIMITS.maxPixels): number {
  if (size === undefined || size.width <= 0 || size.height <= 0) return 72;
  const inches = (size.width / 72) * (size.height / 72);
  return Math.max(1, Math.min(PDF_DPI, Math.floor(Math.sqrt(maxPixels / inches))));
}

export interface OpenedPdf {
  /** Pages in the document. */
  pageCount: number;
  /** Sizes in points of the first pages (up to the page cap). */
  sizes: Map<number, { width: number; height: number }>;
}

/**
 * Writes the PDF (its bytes, already sniffed) into `dir` (a private folder of withTempDir) and reads its page count
 * and page sizes with pdfinfo. An encrypted or damaged PDF is a 422.
 */
export async function openPdf(pdf: Uint8Array, dir: string, options: { maxPages?: number; signal?: AbortSignal } = {}): Promise<OpenedPdf> {
  const maxPages = options.maxPages ?? OCSR_LIMITS.maxPages;
  const pdfinfo = poppler("pdfinfo");
  poppler("pdftoppm"); // both or neither: a 503 now rather than after the first page
  writeFileSync(path.join(dir, "input.pdf"), pdf, { mode: 0o600 });
  const info = await runChild({
    executable: pdfinfo,
    args: ["-f", "1", "-l", String(maxPages), "--", "input.pdf"],
    cwd: dir,
    limits: PDF_LIMITS,
    signal: options.signal,
  });
  const failure = childFailure(info, "The PDF reader", PDF_LIMITS);
  if (info.timedOut || info.overflowed) throw failure!;
  const { pageCount, sizes } = parsePdfInfo(info.stdout);
  if (failure !== null || pageCount === 0) {
    const why = /incorrect password|encrypt/i.test(info.stderr)
      ? "is encrypted; send it without a password"
      : "could not be read: it may be damaged";
    throw new AppError("validation_failed", `file: this PDF ${why}.`, { fields: { file: why } });
  }
  return { pageCount, sizes };
}

/** One page of the PDF openPdf wrote into `dir`, as a grey PNG at PDF_DPI (or less for a poster-sized page). */
export async function renderPage(dir: string, page: number, opened: OpenedPdf, options: { signal?: AbortSignal } = {}): Promise<PdfPage> {
  const dpi = pageDpi(opened.sizes.get(page));
  const run = await runChild({
    executable: poppler("pdftoppm"),
    args: ["-r", String(dpi), "-gray", "-png", "-singlefile", "-f", String(page), "-l", String(page), "--", "input.pdf", `page-${page}`],
    cwd: dir,
    limits: PDF_LIMITS,
    signal: options.signal,
  });
  const failure = childFailure(run, `The PDF reader (page ${page})`, PDF_LIMITS);
  if (failure !== null) {
    if (failure.code === "timeout") throw failure;
    throw new ChemError("crashed", `Page ${page} of this PDF could not be drawn: it may be damaged.`);
  }
  const file = path.join(dir, `page-${page}.png`);
  const png = readFileSync(file);
  rmSync(file); // the page's variants are made from these bytes; twenty pages need not sit on disk together
  return { page, png, dpi };
}
