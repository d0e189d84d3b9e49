import { apiRoute } from "@/app/_lib/api";
import { addMeasurement, listMeasurements } from "@/db/queries/measurements";
import { routes } from "@/lib/contract/routes";
import { measurementJson } from "../../json";

export const GET = apiRoute(routes.listMeasurements, async ({ db, origin }, { params }) => {
  const list = await listMeasurements(db, params.id);
  return Response.json({ measurements: list.map((m) => measurementJson(m, origin)) });
});

/** `{assay, value, unit?, qualifier?, target?, lab?, measuredOn?, entryId?}` → 201 (members of the campaign). */
export const POST = apiRoute(routes.addMeasurement, async ({ db, origin, actor }, { params, body }) => {
  const measurement = await addMeasurement(db, await actor(), params.id, body);
  return Response.json(measurementJson(measurement, origin), { status: 201 });
});
