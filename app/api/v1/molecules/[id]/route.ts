import { apiRoute } from "@/app/_lib/api";
import { entriesMentioning } from "@/db/queries/mentions";
import { requireMolecule } from "@/db/queries/molecules";
import { routes } from "@/lib/contract/routes";
import { mentioningEntryJson, moleculeJson } from "../json";

/** A molecule by its ID in any case (osm-s-123), its numeric key or a unique alias, with the entries mentioning it. */
export const GET = apiRoute(routes.getMolecule, async ({ db, origin }, { params }) => {
  const molecule = await requireMolecule(db, params.id);
  const entries = (await entriesMentioning(db, molecule.id)).filter((e) => e.kind === "entry");
  return Response.json({ ...moleculeJson(molecule, origin), mentionedIn: entries.map((e) => mentioningEntryJson(e, origin)) });
});
