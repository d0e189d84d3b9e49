// The wiki's vocabulary. A wiki page is a notebook document like an entry (same table, revisions, diff, conflicts,
// mentions, search, comments): `kind` tells them apart, and a page is addressed by its campaign and a slug made from
// its title, as `[[Page title]]` links name it.

/** What a row of `entries` is: a dated lab entry, or a page of the campaign's wiki. */
export const documentKinds = ["entry", "page"] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** The slug of a campaign's home page: its overview, shown on the campaign page. */
export const HOME_SLUG = "home";
export const HOME_TITLE = "Home";
export const SLUG_MAX = 80;

/**
 * The URL key of a page title, and what `[[…]]` links are compared by: lower case, accents dropped, every run of
 * other characters one hyphen ("Series 4: Ether side chains" → "series-4-ether-side-chains"). Empty when the title has
 * no letter or digit.
 */
export function pageSlug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}

export function wikiPath(campaign: string, slug: string): string {
  return `/campaigns/${campaign}/wiki/${encodeURIComponent(slug)}`;
}

/** `[[Page title]]` or `[[Page title|shown text]]`, on one line, at most 200 characters inside. */
const WIKI_LINK = /\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]/g;

export interface WikiLink {
  /** The page title as written. */
  title: string;
  slug: string;
  /** The text shown: after the `|`, or the title. */
  text: string;
  index: number;
  length: number;
}

/** The wiki links of a text, in order (links whose title has no letter or digit are left out). */
export function findWikiLinks(text: string): WikiLink[] {
  const links: WikiLink[] = [];
  for (const m of text.matchAll(WIKI_LINK)) {
    const title = m[1]!.trim();
    const slug = pageSlug(title);
    if (slug) links.push({ title, slug, text: (m[2] ?? title).trim() || title, index: m.index, length: m[0].length });
  }
  return links;
}

/** The distinct page slugs a text links to. */
export function linkedSlugs(text: string): string[] {
  return [...new Set(findWikiLinks(text).map((l) => l.slug))];
}
