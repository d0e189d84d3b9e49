import { apiRoute } from "@/app/_lib/api";
import { parkMolecule } from "@/db/queries/molecules";
import { routes } from "@/lib/contract/routes";
import { moleculeJson } from "../../json";

/** `{reason}` → the molecule, parked (maintainers). Its data stays public and its ID is never given again. */
export const POST = apiRoute(routes.parkMolecule, async ({ db, origin, actor }, { params, body }) => {
  return Response.json(moleculeJson(await parkMolecule(db, await actor(), params.id, body), origin));
});
