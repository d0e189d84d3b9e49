/**
 * Spectra attached to entries (issue 13): the plain data a JCAMP-DX file is read into, the limits checked before
 * reading one, and the error a chemist sees when it cannot be read. Free of any parser, React or Next, so that the
 * server (which never parses untrusted files itself), the sandbox worker and the browser share it.
 */

/** The content type attachments named `.jdx` or `.dx` get (lib/entries/attachments.ts). */
export const JCAMP_CONTENT_TYPE = "chemical/x-jcamp-dx";

export const SPECTRUM_LIMITS = {
  /** Bytes of a JCAMP-DX file we read; checked before the text is decoded or parsed. One-dimensional spectra are far smaller. */
  maxBytes: 5 * 1024 * 1024,
  /** Points one table may declare (##NPOINTS=): a compressed table can expand a small file into a huge one. */
  maxDeclaredPoints: 4_194_304,
  /** Points sent to the browser for one view: min and max of each of half as many x buckets. */
  maxDisplayPoints: 4_000,
  /** Peaks of a peak table kept (the tallest). */
  maxPeaks: 500,
  /** Milliseconds the sandbox may spend reading one file (the chemistry pool's default) before it is stopped. */
  timeoutMs: 5_000,
} as const;

export type SpectrumKind = "nmr" | "nmr-fid" | "ir" | "raman" | "uv-vis" | "ms" | "other";

export interface SpectrumPeak {
  x: number;
  y: number;
  /** What the file assigns the peak to (##PEAK ASSIGNMENTS), if anything. */
  assignment: string | null;
}

export interface SpectrumAxis {
  /** In a chemist's words: "Chemical shift", "Wavenumber", "m/z"... */
  label: string;
  /** "ppm", "cm⁻¹", "nm"...; null when the quantity has none (m/z) or the file names none. */
  unit: string | null;
}

/** What a spectrum is and how it is drawn: everything but its points. */
export interface SpectrumHeader {
  title: string;
  kind: SpectrumKind;
  /** "1H NMR", "13C NMR", "IR", "UV-Vis", "MS"... */
  kindLabel: string;
  /** ##DATA TYPE= as the file says it ("NMR SPECTRUM", "INFRARED SPECTRUM"). */
  dataType: string;
  /** NMR: the observed nucleus ("1H", "13C"). */
  nucleus: string | null;
  /** NMR: the spectrometer frequency for the nucleus, in MHz. */
  observeFrequencyMHz: number | null;
  solvent: string | null;
  /** Drawn high → low (NMR chemical shifts, IR wavenumbers). */
  x: SpectrumAxis & { reversed: boolean };
  /** `peaksDown`: the bands are minima (transmittance), so "tallest" means deepest. */
  y: SpectrumAxis & { peaksDown: boolean };
  /** False for a spectrum that is only a peak table (a mass spectrum's sticks). */
  continuous: boolean;
  /** Points in the file's table (before any downsampling). */
  pointCount: number;
  /** Of all points: the plot's full extent. */
  range: { xMin: number; xMax: number; yMin: number; yMax: number };
  /** At most SPECTRUM_LIMITS.maxPeaks, x ascending. */
  peaks: SpectrumPeak[];
}

/** A spectrum as read from the file, at full resolution, x ascending. Made in the sandbox, kept by the server. */
export interface ParsedSpectrum extends SpectrumHeader {
  xs: Float64Array;
  ys: Float64Array;
}

/** What the browser gets: the header and the points of one x window. */
export interface SpectrumView extends SpectrumHeader {
  /** The x window these points cover: the whole spectrum, or the one asked for. */
  window: { from: number; to: number };
  /** At most SPECTRUM_LIMITS.maxDisplayPoints, x ascending, the extremes of every bucket kept. */
  points: { x: number[]; y: number[] };
}

export type SpectrumErrorCode =
  | "too_large" // over the byte or declared-points cap, refused before parsing
  | "not_jcamp" // some other kind of file
  | "unreadable" // JCAMP-DX that the parser could not read
  | "no_data" // read, but no spectrum in it
  | "unsupported" // a kind we do not draw (2D NMR)
  | "timeout" // the sandbox stopped it
  | "crashed"; // the sandbox ran out of memory on it

const SPECTRUM_ERROR_CODES: ReadonlySet<string> = new Set<SpectrumErrorCode>([
  "too_large",
  "not_jcamp",
  "unreadable",
  "no_data",
  "unsupported",
  "timeout",
  "crashed",
]);

/** Why a file cannot be shown as a spectrum, in words a chemist can act on. Known by brand across processes. */
export class SpectrumError extends Error {
  override readonly name = "SpectrumError";
  readonly code: SpectrumErrorCode;

  constructor(code: SpectrumErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  toJSON(): { name: "SpectrumError"; code: SpectrumErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** By brand (name and code), not by class: the error may come from a worker process or another bundle. */
export function isSpectrumError(error: unknown): error is SpectrumError {
  if (typeof error !== "object" || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "SpectrumError" && typeof code === "string" && SPECTRUM_ERROR_CODES.has(code);
}

export function isJcamp(contentType: string): boolean {
  return contentType === JCAMP_CONTENT_TYPE;
}

const MB = 1024 * 1024;

/** Throws `too_large` for a file over the cap; cheap, so the server checks before copying bytes to a worker. */
export function assertSpectrumSize(bytes: number): void {
  if (bytes > SPECTRUM_LIMITS.maxBytes) {
    throw new SpectrumError(
      "too_large",
      `This spectrum file is ${(bytes / MB).toFixed(1)} MB; spectra up to ${SPECTRUM_LIMITS.maxBytes / MB} MB are drawn. ` +
        "Download it to open it in your spectroscopy software, or export a smaller JCAMP-DX (one spectrum, compressed).",
    );
  }
}
