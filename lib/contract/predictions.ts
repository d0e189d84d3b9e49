import { z } from "zod";
import { compareModes } from "../molecules/input";
import { submitPredictionsJson } from "../predictions/input";
import { isoDateTime, url } from "./common";
import { defineRoute, recordId, textParam } from "./route";

// Predictions (issue 17): sealed forecasts, their scores, the scoreboard, and the campaign's own model. Spread into
// routes.ts.

const pic50 = z.number().meta({ description: "on the pIC50 scale (−log10 of the molar value): 6 is 1 µM" });
const interval = z.tuple([z.number(), z.number()]).nullable();

export const Scores = z
  .object({
    n: z.int().meta({ description: "predicted molecules with a result recorded after the submission (bounds included)" }),
    nExact: z.int().meta({ description: "of those, results measured with “=” (RMSE and MAE use only these)" }),
    rmse: z.number().nullable().meta({ description: "root-mean-square error on pIC50, “=” results only" }),
    mae: z.number().nullable().meta({ description: "mean absolute error on pIC50, “=” results only" }),
    spearman: z.number().nullable().meta({ description: "Spearman's ρ; a bound counts as correct when the prediction is on its side" }),
    kendall: z.number().nullable().meta({ description: "Kendall's τ-b, bounds treated as for ρ" }),
    topK: z
      .object({ k: z.int(), hits: z.int() })
      .meta({ description: "of the k best-ranked scored molecules, how many are active at the campaign's threshold" }),
    intervals: z
      .object({ rmse: interval, mae: interval, spearman: interval, kendall: interval })
      .nullable()
      .meta({ description: "bootstrap 95 % intervals, when n ≥ 10" }),
  })
  .meta({ id: "PredictionScores" });

const Observed = z.object({
  pic50,
  qualifier: z.enum(["=", "<", ">"]),
  measuredAt: isoDateTime.meta({ description: "when the first result counted for this molecule was recorded" }),
});

const SubmissionSummary = z.object({
  id: z.int(),
  name: z.string(),
  submitter: z.string().nullable().meta({ description: "login of who submitted it; null for the campaign's model" }),
  model: z.object({ id: z.int(), algorithm: z.string() }).nullable().meta({ description: "the campaign's model that made it" }),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .meta({ description: "SHA-256 of the set as submitted (its canonical JSON)" }),
  submittedAt: isoDateTime,
  rows: z.int(),
  scores: Scores,
  url,
});

export const Scoreboard = z
  .object({
    campaign: z.string(),
    assay: z.string(),
    activeThreshold: pic50.meta({ description: "pIC50 at or above which a molecule counts as active for the top-k rate" }),
    k: z.int(),
    submissions: z.array(SubmissionSummary).meta({ description: "ranked: Spearman's ρ, then top-k hits, then RMSE; unscored last" }),
  })
  .meta({ id: "Scoreboard" });

export const PredictionSet = z
  .object({
    ...SubmissionSummary.shape,
    campaign: z.string(),
    assay: z.string(),
    description: z.string().nullable(),
    method: z.string().nullable(),
    unit: z.string().meta({ description: "the unit the values were given in" }),
    predictions: z.array(
      z.object({
        row: z.int(),
        molecule: z.string().nullable().meta({ description: "the campaign ID given, or of the molecule later registered with the SMILES" }),
        smiles: z.string().nullable(),
        value: z.number(),
        pic50,
        uncertainty: z.number().nullable(),
        rank: z.int().nullable(),
        observed: Observed.nullable().meta({ description: "the result, once one is recorded after the submission" }),
      }),
    ),
  })
  .meta({ id: "PredictionSet" });

export const PredictionSubmitted = z
  .object({
    id: z.int(),
    hash: z.string(),
    submittedAt: isoDateTime,
    rows: z.int().meta({ description: "predictions stored" }),
    skipped: z
      .array(z.object({ row: z.int(), field: z.string(), message: z.string() }))
      .meta({ description: "rows left out because the submitter confirmed (confirm=true) despite their errors" }),
    url,
  })
  .meta({ id: "PredictionSubmitted" });

const Neighbour = z.object({
  molecule: z.string(),
  similarity: z.number().meta({ description: "Tanimoto on Morgan fingerprints (radius 2, 2048 bits)" }),
  pic50,
});

export const ModelPrediction = z
  .object({
    campaign: z.string(),
    assay: z.string(),
    molecule: z.string().nullable(),
    model: z.object({ id: z.int(), algorithm: z.string(), trainedAt: isoDateTime, trainedOn: z.int() }),
    pic50,
    uncertainty: z.number().meta({ description: "spread of the model's trees (or neighbours), in pIC50" }),
    value: z.number().nullable().meta({ description: "the prediction in the assay's unit, when it is molar" }),
    unit: z.string().nullable(),
    similarity: z.number().meta({ description: "to the nearest measured molecule" }),
    inDomain: z.boolean().meta({ description: "false: the nearest measured molecule is too far — outside what the model knows" }),
    neighbours: z.array(Neighbour),
  })
  .meta({ id: "ModelPrediction" });

export const predictionsQuery = z.object({
  campaign: z.string({ error: "is required (a campaign slug)" }).min(1, "is required (a campaign slug)").max(100),
  assay: z
    .string({ error: "is required, as the pages label it, e.g. Pfal IC50" })
    .min(1, "is required, as the pages label it, e.g. Pfal IC50")
    .max(300),
  name: z.string().max(200).optional().meta({ description: "CSV bodies: the set's name" }),
  description: z.string().max(5000).optional().meta({ description: "CSV bodies: how the predictions were made" }),
  method: z.string().max(500).optional().meta({ description: "CSV bodies: a link to the code" }),
  unit: z.string().max(20).optional().meta({ description: "CSV bodies: pIC50 or the assay's unit" }),
  confirm: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .meta({ description: "true: store the valid rows even though some rows have errors (they are listed in skipped)" }),
});

export const scoreboardQuery = z.object({
  assay: z.string().min(1).max(300).optional().meta({ description: "the assay (default: the campaign's most measured one)" }),
});

export const assayQuery = z.object({
  assay: z.string().min(1).max(300).optional().meta({ description: "the assay (default: the campaign's most measured one)" }),
});

export const predictInput = z.strictObject({
  campaign: z.string().min(1).max(100),
  assay: z.string().min(1).max(300).optional(),
  smiles: z.string().min(1, "is required").max(2000, "must be at most 2,000 characters"),
});

export const scoringSettingsInput = z.strictObject({
  activeThreshold: z
    .number({ error: "must be a number (pIC50)" })
    .min(2, "must be a pIC50 from 2 to 12")
    .max(12, "must be a pIC50 from 2 to 12")
    .optional()
    .meta({ description: "pIC50 at or above which a molecule counts as active (6 = 1 µM)" }),
  topK: z.int({ error: "must be a whole number" }).min(1, "must be from 1 to 1000").max(1000, "must be from 1 to 1000").optional(),
  compare: z
    .enum(compareModes, { error: `must be one of ${compareModes.join(", ")}` })
    .optional()
    .meta({ description: "how a predicted SMILES is matched to a molecule registered later (as the duplicate check)" }),
});

export const ScoringSettings = z
  .object({ activeThreshold: z.number(), topK: z.int(), compare: z.enum(compareModes) })
  .meta({ id: "ScoringSettings" });

const slug = { slug: textParam("campaign slug") };
const moleculeId = { id: textParam("the molecule's campaign ID, numeric key or alias", { decode: true }) };
const WRITE_ERRORS = [400, 401, 403, 404, 413, 415, 422, 429] as const;

/** A sealed set refuses every change, to everyone: documented, so that a client reads why instead of guessing. */
const sealedSet = {
  path: "/api/v1/predictions/{id}",
  summary: "Refused (405): a prediction set is sealed when submitted; submit a new version instead",
  params: { id: recordId("prediction set") },
  responses: {},
  errors: [405],
} as const;

export const predictionRoutes = {
  submitPredictions: defineRoute({
    operationId: "submitPredictions",
    method: "POST",
    path: "/api/v1/predictions",
    summary:
      "Submit a prediction set for one assay (anyone signed in): sealed at once with its SHA-256 and the server's time, never changed afterwards (a new version is a new submission)",
    description:
      "The body is CSV (columns molecule or smiles, value, optional uncertainty and rank; name, unit, description and method as query parameters) or JSON. A row with an error refuses the whole set (422 listing each row) unless confirm=true, which stores the valid rows and lists the others in skipped. PATCH, PUT and DELETE on a set answer 405.",
    auth: true,
    query: predictionsQuery,
    rawBody: {
      required: true,
      content: {
        "application/json": { schema: z.toJSONSchema(submitPredictionsJson, { io: "input" }) },
        "text/csv": { schema: { type: "string" } },
      },
    },
    responses: { 201: json("Sealed", PredictionSubmitted) },
    errors: WRITE_ERRORS,
  }),
  getPredictionSet: defineRoute({
    operationId: "getPredictionSet",
    method: "GET",
    path: "/api/v1/predictions/{id}",
    summary: "A prediction set as sealed, each prediction with its result once recorded, and its scores",
    params: { id: recordId("prediction set") },
    responses: { 200: json("The set", PredictionSet) },
    errors: [404],
  }),
  amendPredictionSet: defineRoute({ ...sealedSet, operationId: "amendPredictionSet", method: "PATCH" }),
  replacePredictionSet: defineRoute({ ...sealedSet, operationId: "replacePredictionSet", method: "PUT" }),
  deletePredictionSet: defineRoute({ ...sealedSet, operationId: "deletePredictionSet", method: "DELETE" }),
  getScoreboard: defineRoute({
    operationId: "getScoreboard",
    method: "GET",
    path: "/api/v1/campaigns/{slug}/scoreboard",
    summary: "Every prediction set of an assay, scored against the results recorded after it was submitted, ranked",
    params: slug,
    query: scoreboardQuery,
    responses: { 200: json("The scoreboard", Scoreboard) },
    errors: [404, 422],
  }),
  setScoringSettings: defineRoute({
    operationId: "setScoringSettings",
    method: "PATCH",
    path: "/api/v1/campaigns/{slug}/scoreboard",
    summary:
      "How the campaign's predictions are scored (maintainers): the active threshold, k, and the structure comparison; every score follows at once",
    auth: true,
    params: slug,
    body: scoringSettingsInput,
    responses: { 200: json("The settings now", ScoringSettings) },
    errors: WRITE_ERRORS,
  }),
  getMoleculePrediction: defineRoute({
    operationId: "getMoleculePrediction",
    method: "GET",
    path: "/api/v1/molecules/{id}/prediction",
    summary: "The campaign model's prediction for a molecule, with its nearest measured neighbours",
    params: moleculeId,
    query: assayQuery,
    responses: { 200: json("The prediction", ModelPrediction) },
    errors: [404, 422],
  }),
  predict: defineRoute({
    operationId: "predict",
    method: "POST",
    path: "/api/v1/predict",
    summary: "The campaign model's prediction for a structure not registered (yet), with its nearest measured neighbours",
    body: predictInput,
    responses: { 200: json("The prediction", ModelPrediction) },
    errors: [400, 404, 413, 415, 422, 429],
  }),
} as const;

function json(description: string, schema: z.ZodType) {
  return { description, schema };
}
