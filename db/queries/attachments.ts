import crypto from "node:crypto";
import { and, asc, count, eq } from "drizzle-orm";
import { type Actor, canEditEntry, requireActor } from "@/lib/auth/policy";
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_ENTRY, cleanFilename, contentTypeFor } from "@/lib/entries/attachments";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { attachments, entries, type Attachment } from "../schema";
import { roleIn } from "./campaigns";

export type AttachmentView = Omit<Attachment, "data" | "uploaderId"> & { path: string };

const viewColumns = {
  id: attachments.id,
  entryId: attachments.entryId,
  filename: attachments.filename,
  contentType: attachments.contentType,
  size: attachments.size,
  sha256: attachments.sha256,
  createdAt: attachments.createdAt,
};

export const attachmentPath = (a: { id: number; filename: string }) => `/attachments/${a.id}/${encodeURIComponent(a.filename)}`;

/** Files live in the database, so every app process serves the same ones. */
export async function addAttachment(
  db: Queryable,
  actor: Actor,
  entryId: number,
  file: { name: string; type?: string; data: Uint8Array },
): Promise<AttachmentView> {
  requireActor(actor);
  if (file.data.byteLength === 0) throw new AppError("validation_failed", "file: is empty");
  if (file.data.byteLength > ATTACHMENT_MAX_BYTES) {
    throw new AppError("payload_too_large", `file: is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  }
  return db.transaction(async (tx) => {
    const [entry] = await tx
      .select({ authorId: entries.authorId, campaignId: entries.campaignId, deletedAt: entries.deletedAt })
      .from(entries)
      .where(eq(entries.id, entryId))
      .for("update");
    if (!entry || entry.deletedAt) throw new AppError("not_found", `No entry with id ${entryId}.`);
    if (!canEditEntry(actor.id, entry.authorId, await roleIn(tx, entry.campaignId, actor.id))) {
      throw new AppError("forbidden", "Only the author of this entry or a maintainer of its campaign can attach files to it.");
    }
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(attachments).where(eq(attachments.entryId, entryId));
    if (Number(n) >= ATTACHMENTS_PER_ENTRY) throw new AppError("conflict", `An entry holds at most ${ATTACHMENTS_PER_ENTRY} attachments.`);
    const filename = cleanFilename(file.name);
    const [row] = await tx
      .insert(attachments)
      .values({
        entryId,
        uploaderId: actor.id,
        filename,
        contentType: contentTypeFor(filename, file.type),
        size: file.data.byteLength,
        sha256: crypto.createHash("sha256").update(file.data).digest("hex"),
        data: file.data,
      })
      .returning(viewColumns);
    return { ...row!, path: attachmentPath(row!) };
  });
}

export async function listAttachments(db: Queryable, entryId: number): Promise<AttachmentView[]> {
  const rows = await db.select(viewColumns).from(attachments).where(eq(attachments.entryId, entryId)).orderBy(asc(attachments.id));
  return rows.map((r) => ({ ...r, path: attachmentPath(r) }));
}

export async function getAttachment(db: Queryable, id: number): Promise<(Attachment & { entryDeleted: boolean }) | null> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return null;
  const [row] = await db
    .select({ attachment: attachments, deletedAt: entries.deletedAt })
    .from(attachments)
    .innerJoin(entries, and(eq(entries.id, attachments.entryId)))
    .where(eq(attachments.id, id));
  return row ? { ...row.attachment, entryDeleted: Boolean(row.deletedAt) } : null;
}
