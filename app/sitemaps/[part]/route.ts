import { apiHandler } from "@/app/_lib/api";
import { sitemapPartResponse } from "@/app/_lib/sitemap";

/** One sitemap of the index: /sitemaps/entries-1.xml, /sitemaps/molecules-2.xml... */
export const GET = apiHandler<{ part: string }>(async ({ db, origin }, params) => sitemapPartResponse(db, origin, params.part));
