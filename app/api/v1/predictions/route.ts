import { apiRoute, readBytes, readJson } from "@/app/_lib/api";
import { submitPredictions } from "@/db/queries/predictions";
import { routes } from "@/lib/contract/routes";
import { AppError } from "@/lib/errors";
import { PREDICTION_LIMITS, predictionSetDetails, submitPredictionsJson } from "@/lib/predictions/input";
import { parseInput } from "@/lib/validation";

/** A JSON body of 10,000 rows with SMILES fits in this; a larger one is refused before it is read. */
const JSON_MAX_BYTES = 4_000_000;

/**
 * `POST /api/v1/predictions?campaign=&assay=` with a CSV body (name, unit, description, method in the query) or a
 * JSON body → 201 `{id, hash, submittedAt, rows, skipped, url}`. A set is sealed when stored: there is no way to
 * change it (see [id]/route.ts).
 */
export const POST = apiRoute(routes.submitPredictions, async ({ db, request, actor, origin }, { query }) => {
  const who = await actor();
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let details;
  let source: { csv: string } | { rows: typeof submitPredictionsJson._output.rows };
  if (type === "application/json") {
    const body = parseInput(submitPredictionsJson, await readJson(request, JSON_MAX_BYTES));
    const { rows, ...rest } = body;
    details = rest;
    source = { rows };
  } else if (type === "text/csv" || type === "text/plain" || type === "text/tab-separated-values") {
    details = parseInput(predictionSetDetails, {
      name: query.name,
      unit: query.unit,
      ...(query.description ? { description: query.description } : {}),
      ...(query.method ? { method: query.method } : {}),
      confirm: query.confirm,
    });
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > PREDICTION_LIMITS.csvBytes) throw tooLarge();
    const bytes = await readBytes(request, PREDICTION_LIMITS.csvBytes).catch((error: unknown) => {
      throw (error as { code?: string }).code === "payload_too_large" ? tooLarge() : error;
    });
    let csv: string;
    try {
      csv = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new AppError("validation_failed", "file: is not UTF-8 text; save the predictions as CSV in UTF-8", {
        fields: { file: "is not UTF-8 text" },
      });
    }
    if (csv.includes("\u0000"))
      throw new AppError("validation_failed", "file: is binary, not a CSV file", { fields: { file: "is binary" } });
    source = { csv };
  } else {
    throw new AppError("unsupported_media_type", "Send the predictions as text/csv (details in the query) or as application/json.");
  }
  const { set, skipped } = await submitPredictions(db, who, { campaign: query.campaign, assay: query.assay, details, source });
  return Response.json(
    {
      id: set.id,
      hash: set.hash,
      submittedAt: set.submittedAt.toISOString(),
      rows: set.rowCount,
      skipped,
      url: `${origin}/predictions/${set.id}`,
    },
    { status: 201, headers: { Location: `${origin}/api/v1/predictions/${set.id}` } },
  );
});

function tooLarge(): AppError {
  return new AppError(
    "payload_too_large",
    `A prediction CSV is at most ${PREDICTION_LIMITS.csvBytes / 1_000_000} MB (${PREDICTION_LIMITS.rows.toLocaleString("en")} rows); split it into several sets.`,
  );
}
