// Sitemaps (https://www.sitemaps.org/protocol.html): a sitemap index at /sitemap.xml naming sitemaps of at most
// 50,000 URLs each, so a registry of any size is listed whole.

/** The protocol's limit of URLs in one sitemap (and of sitemaps in one index). */
export const SITEMAP_MAX_URLS = 50_000;

export interface SitemapUrl {
  /** Absolute URL. */
  loc: string;
  lastmod?: Date;
}

/** What a sitemap lists, each kind in parts of at most SITEMAP_MAX_URLS: "entries-1", "molecules-3"... */
export const sitemapKinds = ["campaigns", "entries", "pages", "molecules"] as const;
export type SitemapKind = (typeof sitemapKinds)[number];

/** Pages listed per row of each kind: a campaign lists its page, its molecule table and its wiki. */
export const URLS_PER_ROW: Record<SitemapKind, number> = { campaigns: 3, entries: 1, pages: 1, molecules: 1 };

/** Pages of the whole notebook, listed first in the first part of campaigns (so the index is never empty). */
export const SITE_PATHS = ["/", "/campaigns"] as const;

/** Rows of a kind in one part, so that no part holds more than `size` URLs (the site's pages included). */
export function rowsPerPart(kind: SitemapKind, size = SITEMAP_MAX_URLS): number {
  return Math.max(1, Math.floor((size - (kind === "campaigns" ? SITE_PATHS.length : 0)) / URLS_PER_ROW[kind]));
}

/** The parts of the index, from the rows of each kind: "entries-1", "entries-2"... (none for a kind with no rows). */
export function sitemapParts(
  rows: Record<SitemapKind, number>,
  size = SITEMAP_MAX_URLS,
): { kind: SitemapKind; page: number; name: string }[] {
  return sitemapKinds.flatMap((kind) => {
    const parts = Math.max(kind === "campaigns" ? 1 : 0, Math.ceil(rows[kind] / rowsPerPart(kind, size)));
    return Array.from({ length: parts }, (_, i) => ({ kind, page: i + 1, name: `${kind}-${i + 1}` }));
  });
}

/** "entries-2" (or "entries-2.xml") → the kind and page it names; null for anything else. */
export function parseSitemapPart(name: string): { kind: SitemapKind; page: number } | null {
  const match = /^([a-z]+)-([1-9]\d{0,5})(?:\.xml)?$/.exec(name);
  if (!match || !(sitemapKinds as readonly string[]).includes(match[1]!)) return null;
  return { kind: match[1] as SitemapKind, page: Number(match[2]) };
}

/** XML text: the five characters XML gives a meaning escaped, and characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

const lastmod = (at: Date | undefined) => (at ? `<lastmod>${at.toISOString()}</lastmod>` : "");

export function toUrlset(urls: readonly SitemapUrl[]): string {
  if (urls.length > SITEMAP_MAX_URLS) throw new Error(`a sitemap holds at most ${SITEMAP_MAX_URLS} URLs`);
  const items = urls.map((u) => `<url><loc>${escapeXml(u.loc)}</loc>${lastmod(u.lastmod)}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join("\n")}\n</urlset>\n`;
}

export function toSitemapIndex(sitemaps: readonly SitemapUrl[]): string {
  const items = sitemaps.map((s) => `<sitemap><loc>${escapeXml(s.loc)}</loc>${lastmod(s.lastmod)}</sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join("\n")}\n</sitemapindex>\n`;
}
