import { apiRoute, readBytes } from "@/app/_lib/api";
import { recognizeUpload } from "@/db/queries/recognize";
import type { RecognitionBody } from "@/lib/contract/ocsr";
import { routes } from "@/lib/contract/routes";
import { AppError, isAppError } from "@/lib/errors";
import { OCSR_LIMITS } from "@/lib/ocsr/sniff";

/** Room for multipart's boundaries and part headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** A request's whole recognition: OSRA on a few variants of a picture, or on up to 20 pages of a PDF. */
const RECOGNIZE_TIME_LIMIT_MS = 90_000;

/**
 * `POST /api/v1/recognize` with a picture or PDF as the raw body, or multipart with a `file` field (the browser) →
 * `{structures, message?, warnings}`. Signed in only (each request costs seconds of CPU) and rate-limited like
 * every write by apiRoute. The size is capped by Content-Length and again while reading; everything else (type,
 * pixels, pages) is judged from the bytes by lib/ocsr.
 */
export const POST = apiRoute(routes.recognizeStructures, async ({ db, request }) => {
  const type = request.headers.get("content-type") ?? "";
  const multipart = type.toLowerCase().startsWith("multipart/form-data");
  const cap = OCSR_LIMITS.maxBytes + (multipart ? MULTIPART_OVERHEAD : 0);
  const tooLarge = `file: is larger than ${OCSR_LIMITS.maxBytes / 1024 / 1024} MB; send a smaller picture or fewer pages.`;
  if (Number(request.headers.get("content-length") ?? 0) > cap) throw new AppError("payload_too_large", tooLarge);
  const body = await readBytes(request, cap).catch((error: unknown) => {
    throw isAppError(error) && error.code === "payload_too_large" ? new AppError("payload_too_large", tooLarge) : error;
  });
  let file: { bytes: Uint8Array; type: string | null };
  if (multipart) {
    const form = await new Response(Buffer.from(body), { headers: { "content-type": type } }).formData().catch(() => {
      throw new AppError("bad_request", "The multipart body could not be read.");
    });
    const part = form.get("file");
    if (!(part instanceof File)) throw new AppError("validation_failed", "file: is required (a multipart field named `file`)");
    file = { bytes: new Uint8Array(await part.arrayBuffer()), type: part.type || null };
  } else {
    file = { bytes: body, type: type || null };
  }
  const answer = await recognizeUpload(db, file.bytes, file.type, {
    deadline: Date.now() + RECOGNIZE_TIME_LIMIT_MS,
    signal: request.signal,
  });
  return Response.json(answer satisfies RecognitionBody);
});
