import { convert, type ConvertResult, type Entry, type Spectrum } from "jcampconverter";

import { assertSpectrumSize, SPECTRUM_LIMITS, SpectrumError, type ParsedSpectrum, type SpectrumKind, type SpectrumPeak } from "./model";
import { describeOtherFormat, notJcamp, scanJcamp, twoD, type Scan } from "./sniff";

/**
 * Reads a JCAMP-DX file (IUPAC 4.24, 5.01 and the 6.0 that Bruker and MestReNova write) into plain data for the
 * plot: what the spectrum is, its axes in a chemist's units, every point (x ascending) and its peak table. Untrusted
 * input: it runs in the sandbox workers only (lib/sandbox/jobs.ts), after the size cap and a look at the text that
 * refuses other files and declared sizes we will not allocate, so cheminfo's `jcampconverter` only sees
 * plausible JCAMP-DX. Throws SpectrumError with a message the chemist can act on.
 */
export function readJcamp(input: Uint8Array | string): ParsedSpectrum {
  assertSpectrumSize(typeof input === "string" ? input.length : input.byteLength);
  if (typeof input !== "string") {
    const other = describeOtherFormat(input);
    if (other) throw notJcamp(`it is ${other}`);
  }
  const text = typeof input === "string" ? input : decode(input);
  const scan = scanJcamp(text);
  let result: ConvertResult;
  try {
    // XYPOINTS is the (XY..XY) table of UV-Vis and other unevenly sampled spectra; the parser reads the same table
    // under XYDATA.
    const readable = scan.hasXyPoints ? text.replace(/(^|[\r\n])##\s*XY[\s_-]*POINTS\s*=/gi, "$1##XYDATA=") : text;
    result = convert(readable, { keepRecordsRegExp: KEPT_RECORDS, noContour: true });
  } catch (error) {
    throw new SpectrumError("unreadable", `This JCAMP-DX file could not be read (${reason(error)}). Is it complete?`, { cause: error });
  }
  if (result.flatten.some((entry) => entry.twoD)) throw twoD();
  return fromEntries(result.flatten, scan);
}

const KEPT_RECORDS = /^(\.OBSERVENUCLEUS|\.OBSERVEFREQUENCY|\.SOLVENTNAME)$/;

/** JCAMP-DX is ASCII; comments and titles may be UTF-8 or Latin-1 (Windows instrument software). */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("latin1").decode(bytes);
  }
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 200) || "unknown error";
}

interface Table {
  entry: Entry;
  spectrum: Spectrum;
  role: "curve" | "peaks";
}

/** The spectrum to draw (the first curve in the file) and its peak list (the first peak table, or the curve's). */
function fromEntries(entries: Entry[], scan: Scan): ParsedSpectrum {
  const tables: Table[] = [];
  entries.forEach((entry, i) => {
    const labels = scan.tables[i] ?? [];
    entry.spectra.forEach((spectrum, j) => {
      // The parser reads an (XY..XY) XYDATA table as it reads a peak table: which label held it says which it is.
      // NTUPLES pages (Bruker, MestReNova) have no such labels: the parser's flags say.
      const label = labels.length === entry.spectra.length ? labels[j] : undefined;
      const role = label ?? (spectrum.isXYAdata || spectrum.isPeaktable ? "peaks" : "curve");
      if (spectrum.data?.x?.length) tables.push({ entry, spectrum, role });
    });
  });
  const curve = tables.find((t) => t.role === "curve");
  const peakTable = tables.find((t) => t.role === "peaks");
  const main = curve ?? peakTable;
  if (!main) {
    throw new SpectrumError(
      "no_data",
      "This JCAMP-DX file holds no spectrum to draw (no ##XYDATA, ##XYPOINTS or ##PEAK TABLE with points).",
    );
  }
  const kind = kindOf(main.entry.dataType ?? peakTable?.entry.dataType ?? "", String(main.spectrum.xUnits ?? ""));
  const nucleus = kind === "nmr" || kind === "nmr-fid" ? nucleusOf(main.entry) : null;
  const observeFrequencyMHz = kind === "nmr" || kind === "nmr-fid" ? frequencyOf(main) : null;
  const x = xAxisOf(kind, String(main.spectrum.xUnits ?? ""), observeFrequencyMHz);
  const [xs, ys] = sortedPoints(main.spectrum, x.scale);
  if (xs.length === 0) throw new SpectrumError("no_data", "This JCAMP-DX file's spectrum has no readable points.");
  const range = rangeOf(xs, ys);
  const y = yAxisOf(kind, String(main.spectrum.yUnits ?? ""), range.yMax);
  let peaks: SpectrumPeak[] = [];
  if (peakTable) {
    const peakAxis = xAxisOf(kind, String(peakTable.spectrum.xUnits ?? main.spectrum.xUnits ?? ""), observeFrequencyMHz);
    peaks = peaksOf(peakTable.spectrum, peakAxis.scale, y.peaksDown);
  }
  return {
    title: titleOf(main.entry, entries[0]),
    kind,
    kindLabel: kindLabel(kind, nucleus, main.entry.dataType),
    dataType: (main.entry.dataType ?? "").trim(),
    nucleus,
    observeFrequencyMHz,
    solvent: textInfo(main.entry, ".SOLVENTNAME"),
    x: { label: x.label, unit: x.unit, reversed: x.reversed },
    y,
    continuous: curve !== undefined,
    pointCount: xs.length,
    range,
    peaks,
    xs,
    ys,
  };
}

function kindOf(dataType: string, xUnits: string): SpectrumKind {
  const type = dataType.toUpperCase();
  if (/NMR/.test(type)) return /FID/.test(type) || /SECOND/i.test(xUnits) ? "nmr-fid" : "nmr";
  if (/INFRARED|\bIR\b|FTIR/.test(type)) return "ir";
  if (/RAMAN/.test(type)) return "raman";
  if (/\bUV\b|UV[/ -]?VIS|ULTRAVIOLET|VISIBLE/.test(type)) return "uv-vis";
  if (/MASS/.test(type)) return "ms";
  return "other";
}

function kindLabel(kind: SpectrumKind, nucleus: string | null, dataType: string | undefined): string {
  switch (kind) {
    case "nmr":
      return nucleus ? `${nucleus} NMR` : "NMR";
    case "nmr-fid":
      return nucleus ? `${nucleus} NMR FID` : "NMR FID";
    case "ir":
      return "IR";
    case "raman":
      return "Raman";
    case "uv-vis":
      return "UV-Vis";
    case "ms":
      return "MS";
    default:
      return (
        (dataType ?? "")
          .trim()
          .toLowerCase()
          .replace(/^\w/, (c) => c.toUpperCase()) || "Spectrum"
      );
  }
}

/** "^1H", "1H", "H1" → "1H". */
function nucleusOf(entry: Entry): string | null {
  const raw = entry.xType ?? textInfo(entry, ".OBSERVENUCLEUS") ?? entry.ntuples.nucleus?.[0] ?? null;
  if (!raw) return null;
  const cleaned = String(raw).replace(/[\^\s]/g, "");
  const swapped = /^([A-Za-z]{1,2})(\d{1,3})$/.exec(cleaned);
  return (swapped ? `${swapped[2]}${swapped[1]}` : cleaned).slice(0, 8) || null;
}

function frequencyOf(table: Table): number | null {
  const value = Number(table.spectrum.observeFrequency ?? table.entry.info[".OBSERVEFREQUENCY"]);
  return Number.isFinite(value) && value > 0 ? value : null;
}

function textInfo(entry: Entry, key: string): string | null {
  const value = entry.info[key];
  if (value === undefined || value === null || Array.isArray(value)) return null;
  const text = String(value).trim().slice(0, 120);
  return text || null;
}

function titleOf(entry: Entry, root: Entry | undefined): string {
  for (const candidate of [entry.title, root?.title]) {
    const line = (candidate ?? "")
      .split(/\r?\n/)
      .map((l) => l.replace(/\$\$.*$/, "").trim())
      .find((l) => l !== "");
    if (line) return line.slice(0, 200);
  }
  return "Untitled spectrum";
}

interface XAxis {
  label: string;
  unit: string | null;
  reversed: boolean;
  /** Multiplies the file's x values (Hz → ppm). */
  scale: number;
}

function xAxisOf(kind: SpectrumKind, units: string, frequency: number | null): XAxis {
  const u = units.toUpperCase();
  const axis = (label: string, unit: string | null, reversed = false, scale = 1): XAxis => ({ label, unit, reversed, scale });
  if (/PPM/.test(u)) return axis("Chemical shift", "ppm", true);
  if (/\bHZ\b/.test(u)) {
    // The parser gives ppm when the file names the spectrometer frequency; when it did not, we do.
    if (kind === "nmr" && frequency) return axis("Chemical shift", "ppm", true, 1 / frequency);
    return axis("Frequency", "Hz", kind === "nmr");
  }
  if (/SECOND/.test(u)) return axis("Time", "s");
  if (/1\/CM|CM-1|CM\^-1|WAVENUMBER/.test(u))
    return kind === "raman" ? axis("Raman shift", "cm⁻¹") : axis("Wavenumber", "cm⁻¹", kind === "ir");
  if (/NANOMET|^NM$/.test(u)) return axis("Wavelength", "nm");
  if (/MICROMET|^UM$|^µM$/.test(u)) return axis("Wavelength", "µm");
  if (/M\/Z/.test(u)) return axis("m/z", null);
  if (/MINUTE/.test(u)) return axis("Time", "min");
  return axis(units ? capitalize(units) : "x", null, kind === "ir" || kind === "nmr");
}

function yAxisOf(kind: SpectrumKind, units: string, yMax: number): SpectrumAxisY {
  const u = units.toUpperCase();
  if (/TRANSMITTANCE|%T\b/.test(u)) return { label: "Transmittance", unit: yMax > 1.5 ? "%" : null, peaksDown: true };
  if (/REFLECTANCE/.test(u)) return { label: "Reflectance", unit: yMax > 1.5 ? "%" : null, peaksDown: true };
  if (/ABSORBANCE/.test(u)) return { label: "Absorbance", unit: null, peaksDown: false };
  if (/ABUNDANCE/.test(u)) return { label: "Relative abundance", unit: null, peaksDown: false };
  if (/ARBITRARY|COUNTS|INTENSITY/.test(u) || kind === "nmr" || kind === "nmr-fid" || !units) {
    return { label: "Intensity", unit: /ARBITRARY/.test(u) || !units ? null : capitalize(units), peaksDown: false };
  }
  return { label: capitalize(units), unit: null, peaksDown: false };
}

type SpectrumAxisY = ParsedSpectrum["y"];

function capitalize(text: string): string {
  const lower = text.trim().toLowerCase().slice(0, 60);
  return lower.replace(/^\w/, (c) => c.toUpperCase());
}

/** The finite points, x ascending (NMR and IR files list them high → low), x scaled to the axis unit. */
function sortedPoints(spectrum: Spectrum, scale: number): [Float64Array, Float64Array] {
  const rawX = spectrum.data.x ?? [];
  const rawY = spectrum.data.y ?? [];
  const n = Math.min(rawX.length, rawY.length);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(rawX[i]) && Number.isFinite(rawY[i])) order.push(i);
  let ascending = true;
  let descending = true;
  for (let k = 1; k < order.length; k++) {
    const d = rawX[order[k]!]! - rawX[order[k - 1]!]!;
    if (d < 0) ascending = false;
    if (d > 0) descending = false;
  }
  if (descending && !ascending) order.reverse();
  else if (!ascending) order.sort((a, b) => rawX[a]! - rawX[b]!);
  const xs = new Float64Array(order.length);
  const ys = new Float64Array(order.length);
  order.forEach((i, k) => {
    xs[k] = rawX[i]! * scale;
    ys[k] = rawY[i]!;
  });
  return [xs, ys];
}

function rangeOf(xs: Float64Array, ys: Float64Array): ParsedSpectrum["range"] {
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const y of ys) {
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  return { xMin: xs[0]!, xMax: xs[xs.length - 1]!, yMin, yMax };
}

/** The tallest peaks (deepest, for transmittance) of a peak table, at most SPECTRUM_LIMITS.maxPeaks, x ascending. */
function peaksOf(spectrum: Spectrum, scale: number, peaksDown: boolean): SpectrumPeak[] {
  const xs = spectrum.data.x ?? [];
  const ys = spectrum.data.y ?? [];
  const assignments = (spectrum.data as { a?: unknown[] }).a;
  const peaks: SpectrumPeak[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]! * scale;
    const y = ys[i] ?? Number.NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const a = assignments?.[i];
    const assignment = typeof a === "string" && a.trim() !== "" ? a.trim().slice(0, 80) : null;
    peaks.push({ x, y, assignment });
  }
  peaks.sort((p, q) => (peaksDown ? p.y - q.y : q.y - p.y));
  return peaks.slice(0, SPECTRUM_LIMITS.maxPeaks).sort((p, q) => p.x - q.x);
}
