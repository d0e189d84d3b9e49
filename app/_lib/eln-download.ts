import type { ElnDownload } from "@/db/queries/eln-export";
import { ELN_MEDIA_TYPE } from "@/lib/contract/eln";

/** An .eln archive as a download. Never cached: the notebook changes with every write. */
export function elnDownload(file: ElnDownload): Response {
  return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": ELN_MEDIA_TYPE,
      "Content-Disposition": `attachment; filename="${file.filename.replace(/[^\w.-]/g, "_")}"`,
      "Content-Length": String(file.bytes.byteLength),
      "Cache-Control": "no-cache",
    },
  });
}
