import { apiHandler } from "@/app/_lib/api";
import { activateMolecule } from "@/db/queries/molecules";
import { moleculeJson } from "../../json";

/** Undo parking (maintainers). */
export const POST = apiHandler<{ id: string }>(async ({ db, origin, actor }, { id }) => {
  const who = await actor();
  return Response.json(moleculeJson(await activateMolecule(db, who, decodeURIComponent(id)), origin));
});
