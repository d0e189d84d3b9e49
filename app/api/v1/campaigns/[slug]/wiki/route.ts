import { apiRoute } from "@/app/_lib/api";
import { createPage, listPages } from "@/db/queries/wiki";
import { routes } from "@/lib/contract/routes";
import { pageJson } from "./json";

export const GET = apiRoute(routes.listWikiPages, async ({ db, origin }, { params }) => {
  const pages = await listPages(db, params.slug);
  return Response.json({
    pages: pages.map((p) => ({
      slug: p.slug,
      title: p.title,
      author: p.author,
      revisionNumber: p.revisionNumber,
      updatedAt: p.updatedAt.toISOString(),
      url: `${origin}${p.path}`,
    })),
  });
});

/** `{title, body?, message?}` → 201 with the page; 409 when a live page of the campaign has the title's slug. */
export const POST = apiRoute(routes.createWikiPage, async ({ db, origin, actor }, { params, body }) => {
  const page = await createPage(db, await actor(), params.slug, body);
  return Response.json(pageJson(page, origin), {
    status: 201,
    headers: { Location: `${origin}/api/v1/campaigns/${params.slug}/wiki/${page.slug}` },
  });
});
