import { ATTACHMENT_MAX_BYTES } from "@/lib/entries/attachments";

/**
 * Uploading a file to an entry from the browser, shared by the attachment panel and the editor's paste and drop
 * (use-image-paste.ts): one request shape, one size check, one way to write the markdown that shows the file.
 */

/** What POST /api/v1/entries/{id}/attachments answers (lib/contract/entries.ts `Attachment`), as far as the UI reads it. */
export interface AttachmentJson {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

/** The react-query key of an entry's attachment list: invalidated after every upload, whoever made it. */
export function attachmentsQueryKey(entryId: number): readonly ["attachments", number] {
  return ["attachments", entryId];
}

export async function readError(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `Upload failed (${res.status}).`;
}

/** Uploads one file (its size checked before sending, and again on the server); rejects with a message to show. */
export async function uploadAttachment(entryId: number, file: File): Promise<AttachmentJson> {
  if (file.size > ATTACHMENT_MAX_BYTES) throw new Error(`${file.name} is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB.`);
  const form = new FormData();
  form.set("file", file);
  const res = await fetch(`/api/v1/entries/${entryId}/attachments`, { method: "POST", body: form });
  if (!res.ok) throw new Error(await readError(res));
  return (await res.json()) as AttachmentJson;
}

/**
 * The markdown that shows an attachment: an image on its own line (SVG excepted: it is served as a download), any
 * other file as a link. Brackets and parentheses that would end the link early are escaped.
 */
export function attachmentMarkdown(a: Pick<AttachmentJson, "filename" | "contentType" | "url">): string {
  const path = new URL(a.url, "http://notebook.invalid").pathname.replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29"));
  const label = a.filename.replace(/[\\[\]]/g, (c) => `\\${c}`);
  return a.contentType.startsWith("image/") && a.contentType !== "image/svg+xml" ? `\n![${label}](${path})\n` : `[${label}](${path})`;
}
