/** Campaign ID prefixes: 1-12 capital letters or digits, starting with a letter (campaign-id.ts). */
export const PREFIX_PATTERN = /^[A-Z][A-Z0-9]{0,11}$/;
export const SITE_PATTERN = /^[A-Z]$/;
export const DEFAULT_SITE = "A";

/**
 * Prefixes to try, in order, for a campaign that has not chosen one: its slug's letters and digits uppercased
 * ("osm" → OSM, "series-4" → SERIES4), then numbered variants when another campaign already holds it.
 */
export function defaultPrefixes(slug: string): string[] {
  let base = slug
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .replace(/^[0-9]+/, "");
  if (base === "") base = "C";
  const short = base.slice(0, 10);
  return [base.slice(0, 12), ...Array.from({ length: 98 }, (_, i) => `${short}${i + 2}`)];
}
