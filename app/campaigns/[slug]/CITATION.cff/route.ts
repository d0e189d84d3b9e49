import { apiHandler } from "@/app/_lib/api";
import { campaignCff } from "@/db/queries/citations";

/** The campaign's CITATION.cff (Citation File Format 1.2.0): title, members as authors, licence, address. */
export const GET = apiHandler<{ slug: string }>(async ({ db, origin }, params) => {
  const file = await campaignCff(db, params.slug, origin);
  return new Response(file.body, {
    headers: {
      // YAML's media type (RFC 9512); saved under the name GitHub, Zenodo and Zotero look for.
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-cache",
    },
  });
});
