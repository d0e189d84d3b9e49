import { apiRoute, errorResponse } from "@/app/_lib/api";
import { getPredictionSet } from "@/db/queries/predictions";
import { routes } from "@/lib/contract/routes";
import { AppError } from "@/lib/errors";
import { predictionSetJson } from "../json";

export const GET = apiRoute(routes.getPredictionSet, async ({ db, origin }, { params }) =>
  Response.json(predictionSetJson(await getPredictionSet(db, params.id), origin)),
);

/** A set is sealed at submission: it is never changed or removed. A new version is a new submission. */
function sealed(): Response {
  const response = errorResponse(
    new AppError(
      "method_not_allowed",
      "A prediction set is sealed when it is submitted and cannot be changed or deleted; submit a new version instead.",
    ),
  );
  response.headers.set("Allow", "GET, HEAD");
  return response;
}

export const PATCH = async () => sealed();
export const PUT = async () => sealed();
export const DELETE = async () => sealed();
