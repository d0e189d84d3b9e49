import { requireActor } from "@/lib/auth/policy";
import { apiHandler, readJson } from "@/app/_lib/api";
import { addMeasurement, listMeasurements } from "@/db/queries/measurements";
import { measurementJson } from "../../json";

export const GET = apiHandler<{ id: string }>(async ({ db, origin }, { id }) => {
  const list = await listMeasurements(db, decodeURIComponent(id));
  return Response.json({ measurements: list.map((m) => measurementJson(m, origin)) });
});

/** `{assay, value, unit?, qualifier?, target?, lab?, measuredOn?, entryId?}` → 201 (members of the campaign). */
export const POST = apiHandler<{ id: string }>(async ({ db, origin, request, actor }, { id }) => {
  const who = await actor();
  requireActor(who); // before reading the body: anonymous writes are 401 whatever they send
  const measurement = await addMeasurement(db, who, decodeURIComponent(id), await readJson(request));
  return Response.json(measurementJson(measurement, origin), { status: 201 });
});
