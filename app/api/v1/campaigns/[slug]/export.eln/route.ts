import { apiRoute } from "@/app/_lib/api";
import { exportCampaignEln } from "@/db/queries/eln-export";
import { routes } from "@/lib/contract/routes";
import { elnDownload } from "@/app/_lib/eln-download";

/** The campaign's notebook (or `?entries=1,2,3`) as an .eln archive, with its molecules, measurements and licence. */
export const GET = apiRoute(routes.exportCampaignEln, async ({ db, origin }, { params, query }) =>
  elnDownload(await exportCampaignEln(db, params.slug, { origin, entries: query.entries })),
);
