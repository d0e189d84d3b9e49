import { apiHandler } from "@/app/_lib/api";
import { exportCampaign } from "@/db/queries/molecule-exports";

/** The campaign's molecules and measurements as an SD file, one record per measurement (see EXPORT_COLUMNS). */
export const GET = apiHandler<{ slug: string }>(async ({ db }, { slug }) => {
  const file = await exportCampaign(db, slug, "sdf");
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-cache",
    },
  });
});
