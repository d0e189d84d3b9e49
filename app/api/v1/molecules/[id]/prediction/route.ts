import { apiRoute } from "@/app/_lib/api";
import { moleculePrediction } from "@/db/queries/prediction-models";
import { routes } from "@/lib/contract/routes";
import { modelAnswerJson } from "../../../predict/json";

export const GET = apiRoute(routes.getMoleculePrediction, async ({ db }, { params, query }) =>
  Response.json(modelAnswerJson(await moleculePrediction(db, params.id, query.assay))),
);
