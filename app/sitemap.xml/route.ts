import { apiHandler } from "@/app/_lib/api";
import { sitemapIndexResponse } from "@/app/_lib/sitemap";

// Read from the live database on every request, never prerendered at build time.
export const dynamic = "force-dynamic";

/** The sitemap index: every public page, in sitemaps of at most 50,000 URLs. */
export const GET = apiHandler(async ({ db, origin }) => sitemapIndexResponse(db, origin));
