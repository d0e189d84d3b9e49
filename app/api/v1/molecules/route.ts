import { apiRoute } from "@/app/_lib/api";
import { listMolecules, registerMolecule } from "@/db/queries/molecules";
import { routes } from "@/lib/contract/routes";
import { moleculeJson } from "./json";

/** `?campaign=&q=&status=&sort=&page=&perPage=` → a page of molecules with their best potency per assay. */
export const GET = apiRoute(routes.listMolecules, async ({ db, origin }, { query }) => {
  const result = await listMolecules(db, query);
  return Response.json({
    molecules: result.molecules.map((m) => moleculeJson(m, origin)),
    page: result.page,
    perPage: result.perPage,
    total: result.total,
    hasMore: result.hasMore,
  });
});

/** `{campaign, smiles | molfile, id?, name?, aliases?, compare?, ...}` → 201; 409 names the existing molecule. */
export const POST = apiRoute(routes.registerMolecule, async ({ db, origin, actor }, { body }) => {
  const { molecule, warnings } = await registerMolecule(db, await actor(), body);
  return Response.json(
    { ...moleculeJson(molecule, origin), warnings },
    { status: 201, headers: { Location: `${origin}/api/v1/molecules/${molecule.code}` } },
  );
});
