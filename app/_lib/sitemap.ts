import { parseSitemapPart, sitemapParts, toSitemapIndex, toUrlset } from "@/lib/sitemap";
import { sitemapCounts, sitemapPaths } from "@/db/queries/sitemap";
import { AppError } from "@/lib/errors";
import type { Db } from "@/db/index";

// Sitemaps for crawlers: /sitemap.xml is an index of /sitemaps/<kind>-<n>.xml, each at most 50,000 URLs.

const xml = (body: string) =>
  new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=300" } });

export async function sitemapIndexResponse(db: Db, origin: string): Promise<Response> {
  const parts = sitemapParts(await sitemapCounts(db));
  return xml(toSitemapIndex(parts.map((p) => ({ loc: `${origin}/sitemaps/${p.name}.xml` }))));
}

export async function sitemapPartResponse(db: Db, origin: string, name: string): Promise<Response> {
  const part = parseSitemapPart(name);
  if (!part) throw new AppError("not_found", `No sitemap ${JSON.stringify(name)}.`);
  const paths = await sitemapPaths(db, part.kind, part.page);
  if (paths.length === 0) throw new AppError("not_found", `No sitemap ${JSON.stringify(name)}.`);
  return xml(toUrlset(paths.map((p) => ({ loc: `${origin}${p.path}`, lastmod: p.lastmod }))));
}
