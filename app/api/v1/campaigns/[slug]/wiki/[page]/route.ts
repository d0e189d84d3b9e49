import { apiRoute } from "@/app/_lib/api";
import { deletePage, pageBacklinks, requirePage, updatePage } from "@/db/queries/wiki";
import { routes } from "@/lib/contract/routes";
import { pageJson } from "../json";

export const GET = apiRoute(routes.getWikiPage, async ({ db, origin }, { params }) => {
  const page = await requirePage(db, params.slug, params.page);
  return Response.json(pageJson(page, origin, await pageBacklinks(db, params.slug, page.slug!)));
});

/** `{title?, body?, message?, baseRevision}` → 200 with the page, or 409 when baseRevision is stale. */
export const PATCH = apiRoute(routes.updateWikiPage, async ({ db, origin, actor }, { params, body }) => {
  const { entry, changed } = await updatePage(db, await actor(), params.slug, params.page, body);
  return Response.json({ ...pageJson(entry, origin), changed });
});

/** Soft delete: the page and its history stay; a maintainer can restore it. */
export const DELETE = apiRoute(routes.deleteWikiPage, async ({ db, origin, actor }, { params }) => {
  return Response.json(pageJson(await deletePage(db, await actor(), params.slug, params.page), origin));
});
