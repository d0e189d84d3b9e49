import { apiHandler } from "@/app/_lib/api";
import { entriesMentioning } from "@/db/queries/mentions";
import { requireMolecule } from "@/db/queries/molecules";
import { mentioningEntryJson, moleculeJson } from "../json";

/** A molecule by its ID in any case (osm-s-123), its numeric key or a unique alias, with the entries mentioning it. */
export const GET = apiHandler<{ id: string }>(async ({ db, origin }, { id }) => {
  const molecule = await requireMolecule(db, decodeURIComponent(id));
  const entries = await entriesMentioning(db, molecule.id);
  return Response.json({ ...moleculeJson(molecule, origin), mentionedIn: entries.map((e) => mentioningEntryJson(e, origin)) });
});
