// CSL-JSON (Citation Style Language input data, as citeproc, Zotero, Pandoc and Manubot read it): an array of items.
// Only variables of the CSL data schema are written (it allows no others); the licence goes in `note` and, as key and
// value, in `custom`.
import { dateParts, splitName, type Citation, type CitedKind } from "./model";

export type CslName = { family: string; given: string } | { literal: string };

export interface CslItem {
  id: string;
  type: "webpage" | "dataset";
  title: string;
  author: CslName[];
  issued: { "date-parts": [[number, number, number]] };
  accessed: { "date-parts": [[number, number, number]] };
  URL: string;
  "container-title": string;
  publisher: string;
  genre: string;
  version?: string;
  note: string;
  custom: { license: string; licenseUrl: string; latestUrl?: string };
}

const TYPES: Record<CitedKind, CslItem["type"]> = { entry: "webpage", page: "webpage", molecule: "dataset", campaign: "dataset" };

export function toCslItem(c: Citation): CslItem {
  return {
    id: c.key,
    type: TYPES[c.kind],
    title: c.title,
    author: c.authors.map(splitName),
    issued: { "date-parts": [dateParts(c.issued)] },
    accessed: { "date-parts": [dateParts(c.accessed)] },
    URL: c.url,
    "container-title": c.container.title,
    publisher: c.publisher,
    genre: c.genre,
    ...(c.revision !== undefined ? { version: String(c.revision) } : {}),
    note: `Data licence: ${c.license.short} (${c.license.url})`,
    custom: { license: c.license.id, licenseUrl: c.license.url, ...(c.latestUrl ? { latestUrl: c.latestUrl } : {}) },
  };
}

/** The file: a JSON array with the one item, as CSL-JSON files hold. */
export function toCslJson(c: Citation): string {
  return `${JSON.stringify([toCslItem(c)], null, 2)}\n`;
}
