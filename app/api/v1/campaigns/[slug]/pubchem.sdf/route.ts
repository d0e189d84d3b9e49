import { apiRoute, downloadResponse } from "@/app/_lib/api";
import { pubchemSubstances } from "@/db/queries/molecules/pubchem";
import { routes } from "@/lib/contract/routes";
import { env } from "@/lib/env.js";

/** The campaign's molecules as a PubChem Substance deposition (SD file). */
export const GET = apiRoute(routes.pubchemSubstances, async ({ db, origin }, { params }) =>
  downloadResponse(await pubchemSubstances(db, params.slug, origin, env().NOTEBOOK_SITE_NAME)),
);
