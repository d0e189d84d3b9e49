import { apiRoute, downloadResponse } from "@/app/_lib/api";
import { pubchemAssayTable } from "@/db/queries/molecules/pubchem";
import { routes } from "@/lib/contract/routes";

/** The campaign's results as a PubChem assay data table (`?assay=` one assay, `?threshold=` µM for "active"). */
export const GET = apiRoute(routes.pubchemAssay, async ({ db, origin }, { params, query }) =>
  downloadResponse(await pubchemAssayTable(db, params.slug, origin, { thresholdUm: query.threshold, assay: query.assay })),
);
