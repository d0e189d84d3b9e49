import { apiRoute } from "@/app/_lib/api";
import { exportEntryEln } from "@/db/queries/eln-export";
import { routes } from "@/lib/contract/routes";
import { elnDownload } from "@/app/_lib/eln-download";

/** One entry as an .eln archive (public, like the other exports). */
export const GET = apiRoute(routes.exportEntryEln, async ({ db, origin }, { params }) =>
  elnDownload(await exportEntryEln(db, params.id, origin)),
);
