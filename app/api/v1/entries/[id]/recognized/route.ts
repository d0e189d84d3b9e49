import { apiRoute } from "@/app/_lib/api";
import { entryRecognized } from "@/db/queries/attachment-scans";
import { requireEntry } from "@/db/queries/entries";
import type { EntryRecognitionBody } from "@/lib/contract/ocsr";
import { routes } from "@/lib/contract/routes";

/** `GET /api/v1/entries/{id}/recognized`: the entry's pictures, their scans, and the structures OSRA found in them. */
export const GET = apiRoute(routes.entryRecognized, async ({ db, origin }, { params }) => {
  const entry = await requireEntry(db, params.id);
  const found = await entryRecognized(db, entry.id);
  const ref = (a: { id: number; filename: string; path: string }) => ({ id: a.id, filename: a.filename, url: `${origin}${a.path}` });
  return Response.json({
    pictures: found.pictures.map((p) => ({ ...p, attachment: ref(p.attachment), scannedAt: p.scannedAt?.toISOString() ?? null })),
    structures: found.structures.map(({ id: _id, idcode: _idcode, attachment, ...s }) => ({ ...s, attachment: ref(attachment) })),
  } satisfies EntryRecognitionBody);
});
