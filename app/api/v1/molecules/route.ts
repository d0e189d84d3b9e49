import { requireActor } from "@/lib/auth/policy";
import { apiHandler, readJson } from "@/app/_lib/api";
import { listMolecules, registerMolecule } from "@/db/queries/molecules";
import { moleculeJson } from "./json";

/** `?campaign=&q=&status=&sort=&page=&perPage=` → a page of molecules with their best potency per assay. */
export const GET = apiHandler(async ({ db, origin, request }) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const result = await listMolecules(db, params);
  return Response.json({
    molecules: result.molecules.map((m) => moleculeJson(m, origin)),
    page: result.page,
    perPage: result.perPage,
    total: result.total,
    hasMore: result.hasMore,
  });
});

/** `{campaign, smiles | molfile, id?, name?, aliases?, compare?, ...}` → 201; 409 names the existing molecule. */
export const POST = apiHandler(async ({ db, origin, request, actor }) => {
  const who = await actor();
  requireActor(who); // before reading the body: anonymous writes are 401 whatever they send
  const { molecule, warnings } = await registerMolecule(db, who, await readJson(request));
  return Response.json(
    { ...moleculeJson(molecule, origin), warnings },
    { status: 201, headers: { Location: `${origin}/api/v1/molecules/${molecule.code}` } },
  );
});
