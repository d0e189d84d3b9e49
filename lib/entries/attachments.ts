/** What may be attached to an entry, and how it is served back. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_ENTRY = 100;

/** Types shown inline in the page; everything else is served as a download. SVG can carry script, so it downloads. */
const INLINE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv"]);

const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
  sdf: "chemical/x-mdl-sdfile",
  mol: "chemical/x-mdl-molfile",
  jdx: "chemical/x-jcamp-dx",
  dx: "chemical/x-jcamp-dx",
  zip: "application/zip",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function contentTypeFor(filename: string, declared: string | undefined): string {
  const ext = filename.split(".").pop()?.toLowerCase() ?? "";
  const fromName = BY_EXTENSION[ext];
  if (fromName) return fromName;
  return declared && /^[\w.+-]+\/[\w.+-]+$/.test(declared) ? declared.toLowerCase() : "application/octet-stream";
}

export function isInline(contentType: string): boolean {
  return INLINE.has(contentType);
}

export function isImage(contentType: string): boolean {
  return contentType.startsWith("image/") && contentType !== "image/svg+xml";
}

/** A file name safe to show and to put in a URL path and a Content-Disposition header. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[^\w.\- ()+]/g, "_").replace(/^\.+/, "").slice(0, 120).trim();
  return cleaned || "attachment";
}
