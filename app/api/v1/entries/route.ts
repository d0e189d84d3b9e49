import { apiRoute } from "@/app/_lib/api";
import { entryJson } from "@/app/_lib/json";
import { requireCampaign } from "@/db/queries/campaigns";
import { createEntry } from "@/db/queries/entries";
import { listEntries } from "@/db/queries/entry-lists";
import { routes } from "@/lib/contract/routes";

export const GET = apiRoute(routes.listEntries, async ({ db, origin }, { query }) => {
  const campaign = query.campaign ? await requireCampaign(db, query.campaign) : null;
  const result = await listEntries(db, { campaignId: campaign?.id, q: query.q || undefined, page: query.page ?? 1, perPage: query.perPage });
  return Response.json({
    entries: result.entries.map((e) => entryJson(e, origin)),
    page: result.page,
    perPage: result.perPage,
    hasMore: result.hasMore,
  });
});

export const POST = apiRoute(routes.createEntry, async ({ db, origin, actor }, { body }) => {
  const entry = await createEntry(db, await actor(), body);
  return Response.json(entryJson(entry, origin), { status: 201, headers: { Location: `${origin}/api/v1/entries/${entry.id}` } });
});
