import type { MetadataRoute } from "next";
import { pageOrigin } from "@/app/_lib/page-origin";

/** Everything public may be crawled (as without a robots.txt); the sitemap index says where every page is. */
export default async function robots(): Promise<MetadataRoute.Robots> {
  return { rules: { userAgent: "*", allow: "/" }, sitemap: `${await pageOrigin()}/sitemap.xml` };
}
