import { apiRoute } from "@/app/_lib/api";
import { verifyCampaign } from "@/db/queries/integrity";
import { routes } from "@/lib/contract/routes";

export const dynamic = "force-dynamic";

/** Seals what is new, then checks the whole chain: 200 either way, `ok` and `failure` say what was found. */
export const GET = apiRoute(routes.getIntegrity, async ({ db }, { params }) => {
  const report = await verifyCampaign(db, params.slug);
  return Response.json({ ...report, sealedAt: report.sealedAt?.toISOString() ?? null });
});
