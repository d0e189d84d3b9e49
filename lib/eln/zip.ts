import { Inflate, zipSync, type ZipOptions } from "fflate";
import { ELN_LIMITS, ElnError } from "./model";

/**
 * Zip archives in and out, for .eln files. Writing is fflate's. Reading is done here on purpose, on fflate's
 * streaming inflater: an uploaded archive is untrusted, so the central directory is read first and every member is
 * judged before one byte is inflated (its path must stay inside the archive: no `..`, no absolute path, no
 * symlink; declared sizes and the member count must fit the caps), and then each member is inflated in small steps
 * with the cap enforced as it grows, because the sizes a zip declares can lie (a zip bomb declares a few bytes and
 * inflates to gigabytes). CRC-32 and sizes are checked against the central directory.
 */

export interface ZipMember {
  /** As stored in the archive. */
  rawName: string;
  /** Normalized: `/`-separated, no empty or `.` segments, no trailing slash. */
  path: string;
  directory: boolean;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipLimits {
  members: number;
  totalBytes: number;
  memberBytes: number;
}

const DEFAULT_LIMITS: ZipLimits = { members: ELN_LIMITS.members, totalBytes: ELN_LIMITS.totalBytes, memberBytes: ELN_LIMITS.memberBytes };

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * A member's name made safe, or an `unsafe_path` ElnError: absolute paths (`/x`, `C:\x`), parent segments (`..`),
 * NUL and other control characters are refused; `\` counts as a separator (Windows tools write it), repeated
 * separators and `.` segments are dropped.
 */
export function safeMemberPath(name: string): string {
  if (/[\u0000-\u001f]/.test(name))
    throw new ElnError("unsafe_path", `The archive member ${JSON.stringify(name)} has control characters in its name.`);
  const slashed = name.replace(/\\/g, "/");
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed)) {
    throw new ElnError(
      "unsafe_path",
      `The archive member ${JSON.stringify(name)} has an absolute path; .eln members must stay inside the archive's root folder.`,
    );
  }
  const segments = slashed.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) {
    throw new ElnError(
      "unsafe_path",
      `The archive member ${JSON.stringify(name)} points outside the archive (“..”); nothing was imported.`,
    );
  }
  return segments.join("/");
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;

function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    if (utf8Flag) throw new ElnError("not_zip", "An archive member's name is not valid UTF-8 although the archive says it is.");
    return new TextDecoder("latin1").decode(raw);
  }
}

/** The end of central directory record (and its ZIP64 form): where the directory is and how many members it lists. */
function findDirectory(bytes: Uint8Array): { count: number; offset: number; size: number } {
  if (bytes.byteLength < 22) throw new ElnError("not_zip", "The file is not a zip archive (too short); an .eln file is a zip.");
  const lowest = Math.max(0, bytes.byteLength - 22 - 0xffff);
  for (let at = bytes.byteLength - 22; at >= lowest; at--) {
    if (u32(bytes, at) !== SIG_EOCD) continue;
    if (u16(bytes, at + 4) !== 0 || u16(bytes, at + 6) !== 0)
      throw new ElnError("unsupported", "Archives split over several disks are not supported.");
    let count = u16(bytes, at + 10);
    let size = u32(bytes, at + 12);
    let offset = u32(bytes, at + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const locator = at - 20;
      if (locator < 0 || u32(bytes, locator) !== SIG_EOCD64_LOCATOR)
        throw new ElnError("not_zip", "The archive's ZIP64 directory is missing.");
      const record = u64(bytes, locator + 8);
      if (record + 56 > bytes.byteLength || u32(bytes, record) !== SIG_EOCD64)
        throw new ElnError("not_zip", "The archive's ZIP64 directory is damaged.");
      count = u64(bytes, record + 32);
      size = u64(bytes, record + 40);
      offset = u64(bytes, record + 48);
    }
    if (offset + size > bytes.byteLength) throw new ElnError("not_zip", "The archive is truncated: its directory lies beyond its end.");
    return { count, offset, size };
  }
  throw new ElnError("not_zip", "The file is not a zip archive (no central directory); an .eln file is a zip.");
}

/**
 * The members an archive lists, each checked before anything is inflated: count, safe path, no symlink, no
 * encryption, declared sizes within the caps. Throws an ElnError naming the first problem.
 */
export function listMembers(bytes: Uint8Array, limits: ZipLimits = DEFAULT_LIMITS): ZipMember[] {
  const dir = findDirectory(bytes);
  if (dir.count > limits.members) {
    throw new ElnError(
      "zip_bomb",
      `The archive lists ${dir.count.toLocaleString("en")} members; at most ${limits.members.toLocaleString("en")} are accepted.`,
    );
  }
  const members: ZipMember[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    if (at + 46 > bytes.byteLength || u32(bytes, at) !== SIG_CENTRAL)
      throw new ElnError("not_zip", "The archive's central directory is damaged.");
    const madeBy = u16(bytes, at + 4);
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const crc32 = u32(bytes, at + 16);
    let compressedSize = u32(bytes, at + 20);
    let size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const external = u32(bytes, at + 38);
    let localOffset = u32(bytes, at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.byteLength) throw new ElnError("not_zip", "The archive's central directory is damaged.");
    const rawName = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0);
    // ZIP64: the real sizes and offset of a member over 4 GB (or written by a tool that always uses ZIP64).
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
      const id = u16(bytes, x);
      const length = u16(bytes, x + 2);
      if (id === 0x0001) {
        let field = x + 4;
        if (size === 0xffffffff) {
          size = u64(bytes, field);
          field += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(bytes, field);
          field += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(bytes, field);
      }
      x += 4 + length;
    }
    at = end;
    const host = madeBy >> 8;
    const mode = external >>> 16;
    if ((host === 3 || host === 19) && (mode & S_IFMT) === S_IFLNK) {
      throw new ElnError(
        "unsafe_path",
        `The archive member ${JSON.stringify(rawName)} is a symbolic link; .eln archives may only hold files and folders.`,
      );
    }
    const path = safeMemberPath(rawName);
    const directory = /[/\\]$/.test(rawName) || (path !== "" && (external & 0x10) !== 0 && size === 0);
    if (path === "") continue; // "./" or "/": the archive itself
    if (!directory && (flags & 0x1) !== 0) {
      throw new ElnError("encrypted", `The archive member ${JSON.stringify(rawName)} is encrypted; export the .eln without encryption.`);
    }
    if (size > limits.memberBytes) {
      throw new ElnError(
        "zip_bomb",
        `The archive member ${JSON.stringify(rawName)} would inflate to ${mb(size)}; one member may be at most ${mb(limits.memberBytes)}.`,
      );
    }
    total += size;
    if (total > limits.totalBytes) {
      throw new ElnError("zip_bomb", `The archive would inflate to more than ${mb(limits.totalBytes)}; split it into smaller archives.`);
    }
    const key = `${path}${directory ? "/" : ""}`;
    if (seen.has(key)) throw new ElnError("unsafe_path", `The archive lists ${JSON.stringify(path)} twice.`);
    seen.add(key);
    members.push({ rawName, path, directory, method, crc32, compressedSize, size, localOffset });
  }
  return members;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;

/** Bytes inflated so far by one reading of an archive, against its total cap. */
export interface InflateBudget {
  left: number;
}

export function inflateBudget(limits: Pick<ZipLimits, "totalBytes"> = DEFAULT_LIMITS): InflateBudget {
  return { left: limits.totalBytes };
}

/** Compressed bytes handed to the inflater at a time: its output per step is at most ~1,000 times this. */
const STEP = 8 * 1024;

/**
 * A member's bytes, inflated with its declared size as a hard cap (more output stops the inflater at once and
 * refuses the archive), its size and CRC-32 checked. Only "stored" and "deflate" members are read.
 */
export function readMember(bytes: Uint8Array, member: ZipMember, budget: InflateBudget = inflateBudget()): Uint8Array {
  const at = member.localOffset;
  if (at + 30 > bytes.byteLength || u32(bytes, at) !== SIG_LOCAL)
    throw new ElnError("not_zip", `The archive member ${JSON.stringify(member.rawName)} is damaged.`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + member.compressedSize;
  if (end > bytes.byteLength) throw new ElnError("not_zip", `The archive is truncated: ${JSON.stringify(member.rawName)} is cut off.`);
  if (member.size > budget.left)
    throw new ElnError("zip_bomb", "The archive inflates to more than its cap allows; split it into smaller archives.");
  const compressed = bytes.subarray(start, end);
  let out: Uint8Array;
  if (member.method === 0) {
    if (member.compressedSize !== member.size)
      throw new ElnError("not_zip", `The archive member ${JSON.stringify(member.rawName)} is damaged (sizes differ).`);
    out = compressed.slice();
  } else if (member.method === 8) {
    out = new Uint8Array(member.size);
    let written = 0;
    const inflater = new Inflate((chunk) => {
      if (written + chunk.byteLength > member.size) {
        throw new ElnError(
          "zip_bomb",
          `The archive member ${JSON.stringify(member.rawName)} inflates to more than the ${member.size.toLocaleString("en")} bytes it declares; the archive was refused.`,
        );
      }
      out.set(chunk, written);
      written += chunk.byteLength;
    });
    try {
      for (let offset = 0; offset < compressed.byteLength; offset += STEP) {
        const last = offset + STEP >= compressed.byteLength;
        inflater.push(compressed.subarray(offset, offset + STEP), last);
      }
      if (compressed.byteLength === 0) inflater.push(new Uint8Array(0), true);
    } catch (error) {
      if (error instanceof ElnError) throw error;
      throw new ElnError("not_zip", `The archive member ${JSON.stringify(member.rawName)} cannot be inflated: its data is damaged.`);
    }
    if (written !== member.size)
      throw new ElnError("not_zip", `The archive member ${JSON.stringify(member.rawName)} is damaged (shorter than declared).`);
  } else {
    throw new ElnError(
      "unsupported",
      `The archive member ${JSON.stringify(member.rawName)} uses compression method ${member.method}; only stored and deflated members are read.`,
    );
  }
  budget.left -= out.byteLength;
  if (crc32(out) !== member.crc32)
    throw new ElnError("not_zip", `The archive member ${JSON.stringify(member.rawName)} is damaged (its CRC-32 does not match).`);
  return out;
}

let crcTable: Uint32Array | null = null;

export function crc32(data: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Kinds of files that are already compressed: stored as they are rather than deflated again. */
const COMPRESSED = /\.(png|jpe?g|gif|webp|pdf|zip|gz|xz|bz2|7z|xlsx|docx|pptx|eln|tiff?)$/i;

/** A zip of the files, in the order given (paths as written: callers make them safe), dated `mtime`. */
export function writeZip(files: readonly { path: string; data: Uint8Array }[], mtime: Date = new Date()): Uint8Array {
  const tree: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const f of files) tree[f.path] = [f.data, { level: COMPRESSED.test(f.path) ? 0 : 6, mtime }];
  return zipSync(tree);
}
