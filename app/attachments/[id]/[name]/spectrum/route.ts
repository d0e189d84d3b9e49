import { apiHandler, parseId } from "@/app/_lib/api";
import { getAttachment } from "@/db/queries/attachments";
import { AppError } from "@/lib/errors";
import { isJcamp } from "@/lib/spectra/model";
import { spectrumOf } from "@/lib/spectra/sandbox";
import { spectrumView } from "@/lib/spectra/view";
import { parseInput } from "@/lib/validation";
import { spectrumQuery } from "./schema";

/**
 * GET /attachments/{id}/{name}/spectrum[?from=&to=]: a JCAMP-DX attachment read as a spectrum for the plot
 * (lib/spectra/model.ts SpectrumView), the whole of it or the x window of a zoom, at most 4,000 points. Public like
 * the attachment itself (app/attachments/[id]/[name]); the file is parsed in the chemistry sandbox, once per content
 * hash and process. 404 for no such attachment or one that is not JCAMP-DX; 422 with the reason for a file that
 * cannot be drawn; 304 when the browser already has this answer (the ETag follows the file's sha256).
 */

/** Bump when the JSON changes shape or the reading changes, so browsers do not keep an answer in the old form. */
const FORMAT_VERSION = 1;

export const GET = apiHandler<{ id: string; name: string }>(async ({ request, db }, params) => {
  const window = parseInput(spectrumQuery, Object.fromEntries(new URL(request.url).searchParams));
  const attachment = await getAttachment(db, parseId(params.id, "attachment"));
  if (!attachment || attachment.entryDeleted) throw new AppError("not_found", `No attachment ${params.id}.`);
  if (!isJcamp(attachment.contentType)) {
    throw new AppError("not_found", `${attachment.filename} is not a JCAMP-DX spectrum (.jdx, .dx); only those are drawn.`);
  }
  const etag = `"spectrum-${FORMAT_VERSION}-${attachment.sha256}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    // Revalidated at every use: cheap (a 304), and a new reader's answer is never hidden behind an old one.
    "Cache-Control": "public, no-cache",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  };
  if (etagMatches(request, etag)) return new Response(null, { status: 304, headers });
  const spectrum = await spectrumOf(attachment.sha256, () => attachment.data);
  return new Response(JSON.stringify(spectrumView(spectrum, window)), { headers });
});

function etagMatches(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
