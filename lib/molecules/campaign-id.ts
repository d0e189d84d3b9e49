import { ChemError } from "../chem/errors";

/**
 * Campaign IDs in the Open Source Malaria style: `<PREFIX>-<site>-<n>`, e.g. OSM-S-123 (OSM campaign, site S,
 * compound 123). PREFIX is 1-12 capital letters or digits starting with a letter, site one capital letter, n a
 * positive integer written without leading zeros (so each compound has exactly one spelling).
 */
export interface CampaignId {
  prefix: string;
  site: string;
  number: number;
}

const PREFIX = "[A-Z][A-Z0-9]{0,11}";
const SITE = "[A-Z]";
const NUMBER = "[1-9][0-9]{0,8}";
const EXACT = new RegExp(`^(${PREFIX})-(${SITE})-(${NUMBER})$`);

export function tryParseCampaignId(text: string): CampaignId | null {
  if (typeof text !== "string") return null;
  const match = EXACT.exec(text.trim());
  if (!match) return null;
  const [, prefix, site, number] = match;
  if (prefix === undefined || site === undefined || number === undefined) return null;
  return { prefix, site, number: Number(number) };
}

export function parseCampaignId(text: string): CampaignId {
  const id = tryParseCampaignId(text);
  if (id === null) {
    const shown = typeof text === "string" ? `"${text.trim().slice(0, 40)}"` : "This value";
    throw new ChemError(
      "invalid_campaign_id",
      `${shown} is not a campaign ID: expected a prefix, a site letter and a number, like OSM-S-123.`,
      { field: "id" },
    );
  }
  return id;
}

export function isCampaignId(text: string): boolean {
  return tryParseCampaignId(text) !== null;
}

export function formatCampaignId(id: CampaignId): string {
  const text = `${id.prefix}-${id.site}-${id.number}`;
  if (!Number.isSafeInteger(id.number) || tryParseCampaignId(text) === null) {
    throw new ChemError(
      "invalid_campaign_id",
      `Cannot make a campaign ID from prefix "${id.prefix}", site "${id.site}" and number ${id.number}.`,
      { field: "id" },
    );
  }
  return text;
}

/**
 * A campaign ID typed in any case ("osm-s-12") in its one spelling (OSM-S-12), or null: the canonicalizer every
 * lookup, mention and import uses.
 */
export function canonicalCode(text: string): string | null {
  const id = tryParseCampaignId(text.trim().toUpperCase());
  return id === null ? null : `${id.prefix}-${id.site}-${id.number}`;
}

/** Normalizes spelling (surrounding space) and validates, in the exact form (capitals); returns the ID text. */
export function normalizeCampaignId(text: string): string {
  return formatCampaignId(parseCampaignId(text));
}

/**
 * Splits a sheet cell that may name several IDs for one compound ("OSM-S-208;OSM-S-218; OSM-S-416"). Separators are
 * `;`, `,` and line breaks. Entries that are not campaign IDs are returned apart, for a per-row import error.
 */
export function splitCampaignIds(cell: string): { ids: string[]; invalid: string[] } {
  const ids: string[] = [];
  const invalid: string[] = [];
  for (const part of cell.split(/[;,\n\r]+/)) {
    const text = part.trim();
    if (text === "") continue;
    const id = tryParseCampaignId(text);
    if (id === null) invalid.push(text);
    else if (!ids.includes(formatCampaignId(id))) ids.push(formatCampaignId(id));
  }
  return { ids, invalid };
}

export interface FindMentionsOptions {
  /** Only these campaign prefixes count (e.g. ["OSM"]); by default any well-formed prefix does. */
  prefixes?: readonly string[];
}

/**
 * The distinct campaign IDs a markdown text mentions, in order of first appearance.
 *
 * A mention is a whole word: "OSM-S-12" in "XOSM-S-12", "OSM-S-12a", "OSM-S-12-3" or "OSM-S-1.5" is not one. IDs
 * inside link targets, URLs, HTML href/src attributes and absolute paths do not count: in
 * `[OSM-S-1](/molecules/OSM-S-1)` the link text is the mention, and a URL that happens to contain an ID (a file
 * name, a query string) is an address, not a reference the author typed. IDs in code spans and blocks do count:
 * chemists often write IDs in backticks.
 */
export function findMentions(text: string, options: FindMentionsOptions = {}): string[] {
  if (typeof text !== "string" || text === "") return [];
  const prefixes = options.prefixes;
  let prefixPattern = PREFIX;
  if (prefixes !== undefined) {
    const valid = prefixes.filter((p) => new RegExp(`^${PREFIX}$`).test(p));
    if (valid.length === 0) return [];
    prefixPattern = valid.join("|"); // valid prefixes hold only [A-Z0-9]: nothing to escape
  }
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_-])(?:${prefixPattern})-${SITE}-${NUMBER}(?![A-Za-z0-9_]|-[A-Za-z0-9]|\\.[0-9])`,
    "g",
  );
  const found: string[] = [];
  for (const match of maskAddresses(text).matchAll(pattern)) {
    if (!found.includes(match[0])) found.push(match[0]);
  }
  return found;
}

const ADDRESS_PATTERNS: readonly RegExp[] = [
  /\]\([^)]*\)/g, // inline link or image destination: ](target "title")
  /^ {0,3}\[[^\]\n]+\]:[^\n]*/gm, // reference definition: [label]: target
  /<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>/g, // autolink: <https://...>
  /\b(?:[A-Za-z][A-Za-z0-9+.-]*):\/\/[^\s<>"']+/g, // bare URL with a scheme
  /\bwww\.[^\s<>"']+/g,
  /\b(?:href|src)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, // HTML attributes
  /(?<![\w)\]])\/[\w.~%-]+(?:\/[\w.~%?=&#-]*)*/g, // absolute path: /molecules/OSM-S-1, /OSM-S-1
];

/** Blanks out addresses, keeping every other character where it was. */
function maskAddresses(text: string): string {
  let masked = text;
  for (const pattern of ADDRESS_PATTERNS) {
    masked = masked.replace(pattern, (address) => " ".repeat(address.length));
  }
  return masked;
}
