import { and, asc, count, eq, isNotNull, isNull } from "drizzle-orm";
import { rowsPerPart, SITE_PATHS, SITEMAP_MAX_URLS, type SitemapKind } from "@/lib/sitemap";
import { wikiPath } from "@/lib/wiki/model";
import type { Queryable } from "../index";
import { campaigns, entries, molecules } from "../schema";
import { entryPath } from "./entries";
import { moleculePath } from "./molecules";

// What the sitemaps list: every public page with its own address. Live entries and wiki pages (deleted ones are a
// tombstone), every molecule (parked ones too: their page is the record), every campaign.

export interface SitemapPath {
  path: string;
  lastmod?: Date;
}

const liveDocuments = (kind: "entry" | "page") =>
  and(eq(entries.kind, kind), isNull(entries.deletedAt), kind === "page" ? isNotNull(entries.slug) : undefined);

/** How many rows of each kind there are to list. */
export async function sitemapCounts(db: Queryable): Promise<Record<SitemapKind, number>> {
  const [[c], [e], [p], [m]] = await Promise.all([
    db.select({ n: count() }).from(campaigns),
    db.select({ n: count() }).from(entries).where(liveDocuments("entry")),
    db.select({ n: count() }).from(entries).where(liveDocuments("page")),
    db.select({ n: count() }).from(molecules),
  ]);
  return { campaigns: c?.n ?? 0, entries: e?.n ?? 0, pages: p?.n ?? 0, molecules: m?.n ?? 0 };
}

/** One part (from 1) of a kind's pages, in a stable order (by key): at most `size` URLs. */
export async function sitemapPaths(db: Queryable, kind: SitemapKind, page: number, urls = SITEMAP_MAX_URLS): Promise<SitemapPath[]> {
  const size = rowsPerPart(kind, urls);
  const offset = (page - 1) * size;
  switch (kind) {
    case "campaigns": {
      const rows = await db.select({ slug: campaigns.slug }).from(campaigns).orderBy(asc(campaigns.id)).limit(size).offset(offset);
      return [
        ...(page === 1 ? SITE_PATHS.map((path) => ({ path })) : []),
        ...rows.flatMap((r) =>
          [`/campaigns/${r.slug}`, `/campaigns/${r.slug}/molecules`, `/campaigns/${r.slug}/wiki`].map((path) => ({ path })),
        ),
      ];
    }
    case "entries": {
      const rows = await db
        .select({ id: entries.id, updatedAt: entries.updatedAt })
        .from(entries)
        .where(liveDocuments("entry"))
        .orderBy(asc(entries.id))
        .limit(size)
        .offset(offset);
      return rows.map((r) => ({ path: entryPath(r.id), lastmod: r.updatedAt }));
    }
    case "pages": {
      const rows = await db
        .select({ slug: entries.slug, campaign: campaigns.slug, updatedAt: entries.updatedAt })
        .from(entries)
        .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
        .where(liveDocuments("page"))
        .orderBy(asc(entries.id))
        .limit(size)
        .offset(offset);
      return rows.map((r) => ({ path: wikiPath(r.campaign, r.slug!), lastmod: r.updatedAt }));
    }
    case "molecules": {
      const rows = await db.select({ code: molecules.campaignCode }).from(molecules).orderBy(asc(molecules.id)).limit(size).offset(offset);
      return rows.map((r) => ({ path: moleculePath(r.code) }));
    }
  }
}
