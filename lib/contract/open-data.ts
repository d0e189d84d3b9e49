// Open data that travels (issue 16): citations, machine-readable exports (PubChem), licences. Spread into routes.ts.
// Citation files, CITATION.cff and the sitemap are pages' downloads outside /api/v1 (app/entries/[id]/cite, ...).
import { z } from "zod";
import { licenses } from "../campaigns/licenses";
import { Campaign, updateCampaignInput } from "./campaigns";
import { defineRoute, textParam } from "./route";

const slug = { slug: textParam("campaign slug") };

/** `GET /api/v1/campaigns/{slug}/pubchem-assay.csv` (a bad parameter is a 422). */
export const pubchemAssayQuery = z.object({
  assay: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(200, "must be at most 200 characters")
    .optional()
    .meta({ description: 'only this assay\'s rows, by its label in the molecule table ("Pfal IC50"), as one PubChem assay holds one' }),
  threshold: z.coerce
    .number({ error: "must be a number of µM" })
    .positive("must be a positive number of µM")
    .max(1e6, "must be at most 1,000,000 µM")
    .default(1)
    .meta({ description: "µM: a best value at least this potent is active (default 1 µM; pIC50-like endpoints compare 6 − log10 of it)" }),
});
export type PubchemAssayQuery = z.infer<typeof pubchemAssayQuery>;

export const openDataRoutes = {
  updateCampaign: defineRoute({
    operationId: "updateCampaign",
    method: "PATCH",
    path: "/api/v1/campaigns/{slug}",
    summary: "Change the licence of a campaign's data (maintainers)",
    description:
      `\`license\` is an SPDX identifier: ${licenses.map((l) => `${l.id} (${l.name})`).join(", ")}. ` +
      "The new licence applies from now on to everything the campaign publishes: its pages, feeds, API answers and exports.",
    auth: true,
    params: slug,
    body: updateCampaignInput,
    responses: { 200: { description: "The campaign as it is now", schema: Campaign } },
    errors: [400, 401, 403, 404, 413, 415, 422, 429],
  }),
  pubchemSubstances: defineRoute({
    operationId: "pubchemSubstances",
    method: "GET",
    path: "/api/v1/campaigns/{slug}/pubchem.sdf",
    summary: "The campaign's molecules as a PubChem Substance deposition (SD file)",
    description:
      "One record per molecule, titled with its campaign ID, with PubChem's Substance tags: PUBCHEM_EXT_DATASOURCE_REGID (the campaign ID), " +
      "PUBCHEM_SUBSTANCE_SYNONYM (the ID, name and aliases, one a line), PUBCHEM_EXT_SUBSTANCE_URL (the molecule's page), " +
      "PUBCHEM_EXT_DATASOURCE_URL (the campaign's page) and PUBCHEM_SUBSTANCE_COMMENT (campaign, form, status, licence), in printable ASCII.",
    params: slug,
    responses: { 200: { description: "SD file", contentType: "chemical/x-mdl-sdfile" } },
    errors: [404],
  }),
  pubchemAssay: defineRoute({
    operationId: "pubchemAssay",
    method: "GET",
    path: "/api/v1/campaigns/{slug}/pubchem-assay.csv",
    summary: "The campaign's results as a PubChem assay data table (CSV), substances named by PUBCHEM_EXT_DATASOURCE_REGID",
    description:
      "One row per molecule and assay: its best value (labs pooled; IC50-like values in µM), PUBCHEM_ACTIVITY_OUTCOME (1 inactive, 2 active, " +
      "3 inconclusive: a bound that says too little, 4 unspecified: not a concentration, pIC50-like or % inhibition value) and " +
      "PUBCHEM_ACTIVITY_SCORE (0–100: pIC50 3 is 0 and pIC50 9 is 100; % inhibition as it is; 0 when inactive).",
    params: slug,
    query: pubchemAssayQuery,
    queryStatus: 422,
    responses: { 200: { description: "CSV", contentType: "text/csv" } },
    errors: [404, 422],
  }),
} as const;
