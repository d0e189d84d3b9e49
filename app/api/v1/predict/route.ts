import { apiRoute } from "@/app/_lib/api";
import { structurePrediction } from "@/db/queries/prediction-models";
import { routes } from "@/lib/contract/routes";
import { modelAnswerJson } from "./json";

/** How long a drawn structure may take to be read in the sandbox before the answer gives up. */
const PARSE_MS = 10_000;

/** `POST /api/v1/predict {campaign, assay?, smiles}`: what the campaign's model expects of a structure not registered. */
export const POST = apiRoute(routes.predict, async ({ db, request }, { body }) =>
  Response.json(modelAnswerJson(await structurePrediction(db, body, { deadline: Date.now() + PARSE_MS, signal: request.signal }))),
);
