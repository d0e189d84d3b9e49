import { requireActor } from "@/lib/auth/policy";
import { apiHandler, readJson } from "@/app/_lib/api";
import { parkMolecule } from "@/db/queries/molecules";
import { moleculeJson } from "../../json";

/** `{reason}` → the molecule, parked (maintainers). Its data stays public and its ID is never given again. */
export const POST = apiHandler<{ id: string }>(async ({ db, origin, request, actor }, { id }) => {
  const who = await actor();
  requireActor(who); // before reading the body: anonymous writes are 401 whatever they send
  return Response.json(moleculeJson(await parkMolecule(db, who, decodeURIComponent(id), await readJson(request)), origin));
});
