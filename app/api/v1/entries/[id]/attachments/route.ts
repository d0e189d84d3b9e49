import { apiRoute, readBytes } from "@/app/_lib/api";
import { attachmentJson } from "@/app/_lib/json";
import { addAttachment, listAttachments } from "@/db/queries/attachments";
import { requireEntry } from "@/db/queries/entries";
import { requireActor } from "@/lib/auth/policy";
import { ATTACHMENT_MAX_BYTES } from "@/lib/entries/attachments";
import { routes } from "@/lib/contract/routes";
import { AppError } from "@/lib/errors";

export const GET = apiRoute(routes.listAttachments, async ({ db, origin }, { params }) => {
  const entry = await requireEntry(db, params.id);
  return Response.json({ attachments: (await listAttachments(db, entry.id)).map((a) => attachmentJson(a, origin)) });
});

/**
 * Upload one file: either multipart/form-data with a `file` field (the browser), or the raw bytes
 * with `?filename=` (scripts). The size is capped while reading, before anything is parsed.
 */
export const POST = apiRoute(routes.addAttachment, async ({ db, origin, request, actor }, { params, query }) => {
  const who = await actor();
  requireActor(who);
  const type = request.headers.get("content-type") ?? "";
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > ATTACHMENT_MAX_BYTES + 64 * 1024) throw new AppError("payload_too_large", `file: is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  let file: { name: string; type?: string; data: Uint8Array };
  if (type.startsWith("multipart/form-data")) {
    const bytes = await readBytes(request, ATTACHMENT_MAX_BYTES + 64 * 1024);
    const form = await new Response(Buffer.from(bytes), { headers: { "content-type": type } }).formData().catch(() => {
      throw new AppError("bad_request", "The multipart body could not be read.");
    });
    const part = form.get("file");
    if (!(part instanceof File)) throw new AppError("validation_failed", "file: is required (a multipart field named `file`)");
    file = { name: part.name, type: part.type, data: new Uint8Array(await part.arrayBuffer()) };
  } else {
    const name = query.filename;
    if (!name) throw new AppError("validation_failed", "filename: is required as a query parameter when the body is the raw file");
    file = { name, type: type || undefined, data: await readBytes(request, ATTACHMENT_MAX_BYTES) };
  }
  const attachment = await addAttachment(db, who, params.id, file);
  return Response.json(attachmentJson(attachment, origin), { status: 201 });
});
