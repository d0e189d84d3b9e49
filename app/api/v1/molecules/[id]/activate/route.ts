import { apiRoute } from "@/app/_lib/api";
import { activateMolecule } from "@/db/queries/molecules";
import { routes } from "@/lib/contract/routes";
import { moleculeJson } from "../../json";

/** Undo parking (maintainers). */
export const POST = apiRoute(routes.activateMolecule, async ({ db, origin, actor }, { params }) => {
  return Response.json(moleculeJson(await activateMolecule(db, await actor(), params.id), origin));
});
