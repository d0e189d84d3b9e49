import { apiHandler, parsePage, readJson } from "@/app/_lib/api";
import { entryJson } from "@/app/_lib/json";
import { requireCampaign } from "@/db/queries/campaigns";
import { createEntry } from "@/db/queries/entries";
import { listEntries } from "@/db/queries/entry-lists";
import { AppError } from "@/lib/errors";

export const GET = apiHandler(async ({ db, origin, request }) => {
  const params = new URL(request.url).searchParams;
  const slug = params.get("campaign");
  const q = params.get("q") ?? undefined;
  if (q && q.length > 200) throw new AppError("bad_request", "q: must be at most 200 characters");
  const page = parsePage(params.get("page"));
  const perPage = params.get("perPage") ? Number(params.get("perPage")) : 20;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new AppError("bad_request", "perPage: must be an integer from 1 to 100");
  const campaign = slug ? await requireCampaign(db, slug) : null;
  const result = await listEntries(db, { campaignId: campaign?.id, q, page, perPage });
  return Response.json({
    entries: result.entries.map((e) => entryJson(e, origin)),
    page: result.page,
    perPage: result.perPage,
    hasMore: result.hasMore,
  });
});

export const POST = apiHandler(async ({ db, origin, request, actor }) => {
  const entry = await createEntry(db, await actor(), await readJson(request));
  return Response.json(entryJson(entry, origin), { status: 201, headers: { Location: `${origin}/api/v1/entries/${entry.id}` } });
});
