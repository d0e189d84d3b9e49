import { SPECTRUM_LIMITS, SpectrumError } from "./model";

/**
 * A first look at a file before the JCAMP-DX parser sees it: is it JCAMP-DX at all (a picture or a CSV named .jdx
 * gets a message saying what it is), how much does it declare (a compressed table can expand a small file into
 * millions of points), and which labels hold its tables (the parser reads an (XY..XY) curve and a peak table the
 * same way, and says which only through these). Plain string work, linear in the file.
 */

/** What a file is when its first bytes say it is not text: "a PNG image"…; null when they do not. */
export function describeOtherFormat(bytes: Uint8Array): string | null {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  const ascii = (s: string) => starts(...[...s].map((c) => c.charCodeAt(0)));
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "a PNG image";
  if (starts(0xff, 0xd8, 0xff)) return "a JPEG image";
  if (ascii("GIF8")) return "a GIF image";
  if (ascii("RIFF") && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") return "a WebP image";
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return "a TIFF image";
  if (ascii("%PDF")) return "a PDF document";
  if (starts(0x50, 0x4b, 0x03, 0x04)) return "a ZIP archive (a zipped instrument folder or an Office document)";
  if (starts(0x1f, 0x8b)) return "a gzip-compressed file";
  const head = bytes.subarray(0, 65_536);
  if (head.includes(0)) return "a binary file (perhaps the instrument's raw data)";
  return null;
}

export interface Scan {
  /** Per block, in the order of its ##TITLE=: the role of each data table in it. */
  tables: ("curve" | "peaks")[][];
  hasXyPoints: boolean;
}

/** JCAMP-DX labels ignore case, spaces, dashes and underscores: "##JCAMP-DX=" and "##JCAMPDX=" are one label. */
function canonical(label: string): string {
  return label.replace(/[\s_-]/g, "").toUpperCase();
}

const TABLE_ROLES: Record<string, "curve" | "peaks"> = {
  XYDATA: "curve",
  XYPOINTS: "curve",
  PEAKTABLE: "peaks",
  PEAKASSIGNMENTS: "peaks",
};

/**
 * Throws SpectrumError when `text` is not JCAMP-DX (`not_jcamp`), declares more points than we draw (`too_large`) or
 * is a 2D spectrum (`unsupported`); otherwise says where its tables are. Labels are found as the parser finds them:
 * "##" at the start of a line.
 */
export function scanJcamp(input: string): Scan {
  const text = input.replace(/^\uFEFF/, "");
  // Blank lines and $$ comment lines may come before the first label.
  const start = /^(?:[ \t]*(?:\$\$[^\r\n]*)?\r?\n)*[ \t]*/.exec(text)?.[0].length ?? 0;
  if (!text.startsWith("##", start)) throw notJcamp(describeText(text.slice(start, start + 2_000)));
  const firstLabel = canonical(text.slice(start + 2, text.indexOf("=", start)).slice(0, 40));
  if (firstLabel !== "TITLE") {
    throw notJcamp(`a JCAMP-DX file starts with “##TITLE=”, and this one starts with “##${firstLabel.slice(0, 20)}=”`);
  }
  const scan: Scan = { tables: [], hasXyPoints: false };
  let block = -1;
  let version = false;
  let declared = 0;
  const records = text
    .slice(start)
    .replace(/[\r\n]+##/g, "\n##")
    .split("\n##");
  for (const record of records) {
    const eq = record.indexOf("=");
    if (eq < 0) continue;
    const label = canonical(record.slice(record.startsWith("##") ? 2 : 0, eq).slice(0, 60));
    const value = record.slice(eq + 1, eq + 200);
    if (label === "TITLE") {
      block++;
      scan.tables[block] = [];
    } else if (label === "JCAMPDX") {
      version = true;
    } else if (label === "NPOINTS" || label === "VARDIM") {
      for (const n of value.split(/\$\$/)[0]!.match(/\d+/g) ?? []) declared = Math.max(declared, Number(n));
    } else if (label === "NUMDIM" && Number.parseInt(value.trim(), 10) >= 2) {
      throw twoD();
    } else if (label === "DATATYPE" && /\b(?:2D|nD)\b/i.test(value.split(/\r?\n/)[0]!)) {
      throw twoD();
    } else if (label in TABLE_ROLES) {
      if (label === "XYPOINTS") scan.hasXyPoints = true;
      scan.tables[Math.max(0, block)]?.push(TABLE_ROLES[label]!);
    }
  }
  if (!version) throw notJcamp("it starts like one, but has no “##JCAMP-DX=” line naming its version");
  if (declared > SPECTRUM_LIMITS.maxDeclaredPoints) {
    throw new SpectrumError(
      "too_large",
      `This spectrum declares ${declared.toLocaleString("en")} points; spectra of up to ` +
        `${SPECTRUM_LIMITS.maxDeclaredPoints.toLocaleString("en")} points are drawn. Download the file to open it in your spectroscopy software.`,
    );
  }
  return scan;
}

export function notJcamp(what: string): SpectrumError {
  return new SpectrumError(
    "not_jcamp",
    `This file is not a JCAMP-DX spectrum: ${what}. Only JCAMP-DX files (.jdx, .dx) are drawn; the file can still be downloaded.`,
  );
}

export function twoD(): SpectrumError {
  return new SpectrumError(
    "unsupported",
    "This is a 2D NMR spectrum (COSY, HSQC, HMBC…); only 1D spectra are drawn here. Download it to open it in NMR software.",
  );
}

/** What a text file that is not JCAMP-DX looks like, for the message. */
function describeText(head: string): string {
  const trimmed = head.trimStart();
  if (trimmed === "") return "it is empty";
  if (trimmed.startsWith("<")) return "it is an XML or HTML document";
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return "it is a JSON file";
  const lines = trimmed
    .split(/\r?\n/)
    .slice(0, 20)
    .filter((l) => l.trim() !== "");
  const numeric = lines.filter((l) => /^\s*[-+]?\d[\d.eE+-]*\s*[,;\t ]\s*[-+]?\d/.test(l)).length;
  if (numeric >= Math.max(1, lines.length / 2)) {
    return "it looks like a table of numbers (CSV or TSV). Export the spectrum as JCAMP-DX from the instrument or processing software";
  }
  return "a JCAMP-DX file starts with “##TITLE=”";
}
