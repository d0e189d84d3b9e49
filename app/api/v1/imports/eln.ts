import { readBytes } from "@/app/_lib/api";
import type { Db } from "@/db/index";
import { importEln } from "@/db/queries/eln-import";
import type { Actor } from "@/lib/auth/policy";
import { ELN_MEDIA_TYPE } from "@/lib/contract/eln";
import { ELN_LIMITS } from "@/lib/eln/model";
import { AppError, isAppError } from "@/lib/errors";

/** Content types that mean an .eln archive when no `format` is given. */
export const ELN_TYPES = new Set([ELN_MEDIA_TYPE, "application/zip", "application/x-zip-compressed"]);

/**
 * `POST /api/v1/imports?format=eln&campaign=<slug>` with the archive as the raw body: refused by its Content-Length
 * and again while it is read when over ELN_LIMITS.archiveBytes (413); read only once the caller's membership is
 * checked; read and mapped in the sandbox; imported in one transaction → ElnImportResult.
 */
export async function importElnRequest(db: Db, who: NonNullable<Actor>, slug: string, request: Request): Promise<Response> {
  const cap = ELN_LIMITS.archiveBytes;
  const declared = Number(request.headers.get("content-length") ?? 0);
  const tooLarge = `The archive is larger than ${cap / 1024 / 1024} MB; export fewer entries at a time.`;
  if (declared > cap) throw new AppError("payload_too_large", tooLarge, { fields: { file: tooLarge } });
  const body = async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(request, cap);
    } catch (error) {
      if (isAppError(error) && error.code === "payload_too_large")
        throw new AppError("payload_too_large", tooLarge, { fields: { file: tooLarge } });
      throw error;
    }
    if (bytes.byteLength === 0) {
      throw new AppError("validation_failed", "file: is empty; send the .eln archive as the request body", {
        fields: { file: "is empty" },
      });
    }
    return bytes;
  };
  return Response.json(await importEln(db, who, slug, body, { signal: request.signal }));
}
