import { errorResponse, parseId } from "@/app/_lib/api";
import { getDb } from "@/db/index";
import { getAttachment } from "@/db/queries/attachments";
import { isInline } from "@/lib/entries/attachments";
import { AppError } from "@/lib/errors";

/** Attachments are public like their entries. Anything that could run script in our origin is a download. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string; name: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const attachment = await getAttachment(await getDb(), parseId(id, "attachment"));
    if (!attachment || attachment.entryDeleted) throw new AppError("not_found", `No attachment ${id}.`);
    const disposition = isInline(attachment.contentType) ? "inline" : "attachment";
    return new Response(Buffer.from(attachment.data), {
      headers: {
        "Content-Type": attachment.contentType,
        "Content-Length": String(attachment.size),
        "Content-Disposition": `${disposition}; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "public, max-age=31536000, immutable",
        ETag: `"${attachment.sha256}"`,
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
