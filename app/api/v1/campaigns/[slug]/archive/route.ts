import { apiRoute } from "@/app/_lib/api";
import { requireCampaign, roleIn } from "@/db/queries/campaigns";
import { exportArchive } from "@/db/queries/archive";
import { requireActor, requireMaintainer } from "@/lib/auth/policy";
import { routes } from "@/lib/contract/routes";

export const dynamic = "force-dynamic";

/**
 * The complete archive is a maintainer's backup (it carries hidden comments and the whole history); what any reader
 * may take away is the public export (.eln, CSV, SDF).
 */
export const GET = apiRoute(routes.getCampaignArchive, async ({ db, actor }, { params }) => {
  const who = await actor();
  requireActor(who);
  const campaign = await requireCampaign(db, params.slug);
  requireMaintainer(await roleIn(db, campaign.id, who.id), campaign.name);
  const { filename, bytes } = await exportArchive(db, params.slug);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
