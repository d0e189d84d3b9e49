import { AppError } from "../errors";

/**
 * What an uploaded picture is, judged from its bytes alone (the declared type is only checked against it), and its
 * size in pixels read from the headers before anything decodes it: a 100-megapixel PNG is refused from its first 24
 * bytes. Plain TypeScript on bytes, free of any decoder.
 */

export const OCSR_LIMITS = {
  /** Bytes of one upload. */
  maxBytes: 20 * 1024 * 1024,
  /** Pixels of one picture (width × height), or of one page of a multi-page TIFF. */
  maxPixels: 40_000_000,
  /** Pages of a PDF or TIFF read; the rest is skipped, and the answer says so. */
  maxPages: 20,
  /** A side shorter than this cannot hold a structure anyone could read. */
  minSide: 16,
} as const;

export type PictureKind = "png" | "jpeg" | "gif" | "tiff" | "webp" | "pdf";

export const MEDIA_TYPES: Record<PictureKind, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  tiff: "image/tiff",
  webp: "image/webp",
  pdf: "application/pdf",
};

/** Other spellings of the same types that clients send. */
const ALIASES: Record<string, PictureKind> = {
  "image/x-png": "png",
  "image/jpg": "jpeg",
  "image/pjpeg": "jpeg",
  "image/tif": "tiff",
  "image/x-tiff": "tiff",
  "application/x-pdf": "pdf",
};

/** Declared types that say nothing about the content: the bytes decide. */
const UNSPECIFIC = new Set(["", "application/octet-stream", "binary/octet-stream"]);

export type SniffedPicture =
  | { kind: Exclude<PictureKind, "pdf">; mediaType: string; width: number; height: number; pages: number }
  | { kind: "pdf"; mediaType: string };

const KINDS = "PNG, JPEG, GIF, TIFF, WebP or PDF";

/** The kind a declared media type names, null for one that names none of ours, undefined for "unspecified". */
export function declaredKind(declared: string | null | undefined): PictureKind | null | undefined {
  const type = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (UNSPECIFIC.has(type)) return undefined;
  const found = (Object.entries(MEDIA_TYPES) as [PictureKind, string][]).find(([, t]) => t === type);
  return found?.[0] ?? ALIASES[type] ?? null;
}

/** The file's kind from its magic bytes, or null. */
export function magicKind(bytes: Uint8Array): PictureKind | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return "tiff";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  // PDF readers accept a header anywhere in the first kilobyte.
  if (ascii(bytes, 0, Math.min(bytes.length, 1024)).includes("%PDF-")) return "pdf";
  return null;
}

/**
 * Checks an upload before anything decodes it: its size in bytes, its kind from its magic bytes against the declared
 * type, and its pixels from its headers. Throws AppError 413 (too large), 415 (not a picture, or a type that lies)
 * or 422 (a damaged header, a picture too small to hold a structure).
 */
export function sniffPicture(bytes: Uint8Array, declaredType?: string | null): SniffedPicture {
  if (bytes.byteLength > OCSR_LIMITS.maxBytes) {
    throw new AppError(
      "payload_too_large",
      `file: is larger than ${OCSR_LIMITS.maxBytes / 1024 / 1024} MB; send a smaller picture or fewer pages.`,
    );
  }
  if (bytes.byteLength === 0) throw invalid("is empty; send a picture (PNG, JPEG, GIF, TIFF or WebP) or a PDF");
  const kind = magicKind(bytes);
  const declared = declaredKind(declaredType);
  if (kind === null) {
    throw new AppError("unsupported_media_type", `file: is not a ${KINDS} file${declared === null ? ` (it says ${declaredType})` : ""}.`);
  }
  if (declared === null || (declared !== undefined && declared !== kind)) {
    throw new AppError(
      "unsupported_media_type",
      `file: says it is ${String(declaredType)} but its content is ${MEDIA_TYPES[kind]}; send it with its real type.`,
    );
  }
  if (kind === "pdf") return { kind, mediaType: MEDIA_TYPES.pdf };
  const size = READERS[kind](bytes);
  if (size === null) throw invalid(`looks like a ${kind.toUpperCase()} file, but its header is damaged or cut short`);
  const { width, height } = size;
  const pixels = width * height;
  if (pixels > OCSR_LIMITS.maxPixels) {
    const mp = (n: number) => `${Math.round(n / 100_000) / 10} megapixels`;
    throw new AppError(
      "payload_too_large",
      `file: is ${width} × ${height} pixels (${mp(pixels)}); the limit is ${mp(OCSR_LIMITS.maxPixels)}: scale it down first.`,
    );
  }
  if (Math.min(width, height) < OCSR_LIMITS.minSide) {
    throw invalid(`is ${width} × ${height} pixels: too small to hold a readable structure`);
  }
  return { kind, mediaType: MEDIA_TYPES[kind], width, height, pages: size.pages ?? 1 };
}

function invalid(message: string): AppError {
  return new AppError("validation_failed", `file: ${message}`, { fields: { file: message } });
}

interface Size {
  width: number;
  height: number;
  pages?: number;
}

const READERS: Record<Exclude<PictureKind, "pdf">, (b: Uint8Array) => Size | null> = {
  png: pngSize,
  jpeg: jpegSize,
  gif: gifSize,
  tiff: tiffSize,
  webp: webpSize,
};

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The first chunk must be IHDR: width and height as 32-bit big-endian numbers. */
function pngSize(bytes: Uint8Array): Size | null {
  if (bytes.length < 24 || ascii(bytes, 12, 16) !== "IHDR") return null;
  const v = view(bytes);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** Walks the marker segments up to the first start-of-frame (any of the SOFn markers), which holds the size. */
function jpegSize(bytes: Uint8Array): Size | null {
  const v = view(bytes);
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // image data (or its end) before any frame header
    const length = v.getUint16(i + 2);
    if (length < 2) return null;
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (sof) {
      if (i + 9 > bytes.length) return null;
      const height = v.getUint16(i + 5);
      const width = v.getUint16(i + 7);
      // A height of 0 is announced later (a DNL marker): too rare in pictures to trust, so refused as damaged.
      return height === 0 || width === 0 ? null : { width, height };
    }
    i += 2 + length;
  }
  return null;
}

/** The logical screen; a frame larger than it is clipped by decoders (and only the first frame is read). */
function gifSize(bytes: Uint8Array): Size | null {
  if (bytes.length < 10) return null;
  const v = view(bytes);
  return { width: v.getUint16(6, true), height: v.getUint16(8, true) };
}

/** RIFF/WEBP with one of the three bitstream headers: lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webpSize(bytes: Uint8Array): Size | null {
  if (bytes.length < 30) return null;
  const chunk = ascii(bytes, 12, 16);
  const u24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
  if (chunk === "VP8X") return { width: u24(24) + 1, height: u24(27) + 1 };
  if (chunk === "VP8L") {
    if (bytes[20] !== 0x2f) return null;
    const bits = view(bytes).getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8 ") {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null;
    const v = view(bytes);
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  }
  return null;
}

/**
 * Classic TIFF: follows the chain of image directories (each page one), reading ImageWidth (256) and ImageLength
 * (257) of each; answers the largest page and how many pages there are (counting stops past the page cap, and at a
 * directory seen before: a loop).
 */
function tiffSize(bytes: Uint8Array): Size | null {
  if (bytes.length < 8) return null;
  const v = view(bytes);
  const le = bytes[0] === 0x49;
  const u16 = (at: number) => v.getUint16(at, le);
  const u32 = (at: number) => v.getUint32(at, le);
  let offset = u32(4);
  let width = 0;
  let height = 0;
  let pages = 0;
  const seen = new Set<number>();
  while (offset !== 0 && pages <= OCSR_LIMITS.maxPages) {
    if (seen.has(offset) || offset + 2 > bytes.length) return pages > 0 ? { width, height, pages } : null;
    seen.add(offset);
    const count = u16(offset);
    if (offset + 2 + count * 12 + 4 > bytes.length) return pages > 0 ? { width, height, pages } : null;
    let w = 0;
    let h = 0;
    for (let e = 0; e < count; e++) {
      const at = offset + 2 + e * 12;
      const tag = u16(at);
      if (tag !== 256 && tag !== 257) continue;
      const value = u16(at + 2) === 3 ? u16(at + 8) : u32(at + 8); // SHORT or LONG
      if (tag === 256) w = value;
      else h = value;
    }
    if (w === 0 || h === 0) return null;
    // The largest page decides whether the file may be read (each page is decoded alone).
    if (w * h > width * height) [width, height] = [w, h];
    pages++;
    offset = u32(offset + 2 + count * 12);
  }
  return pages > 0 ? { width, height, pages } : null;
}
