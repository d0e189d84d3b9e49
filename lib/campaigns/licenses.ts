// The licences a campaign's data can be published under: each campaign has one (CC BY 4.0 unless its maintainers
// choose another), shown on its pages, in its feeds (Atom <rights>), in API answers and in every export and archive.
// Identifiers are SPDX's, so other tools read them as they are.

export interface License {
  /** SPDX identifier. */
  id: string;
  name: string;
  /** Its usual short name, for a line under a page: "CC BY 4.0". */
  short: string;
  url: string;
  /** What a reader may do, in one line for the page footer. */
  summary: string;
}

export const licenses = [
  {
    id: "CC-BY-4.0",
    name: "Creative Commons Attribution 4.0 International",
    short: "CC BY 4.0",
    url: "https://creativecommons.org/licenses/by/4.0/",
    summary: "Reuse freely, with credit to the campaign.",
  },
  {
    id: "CC0-1.0",
    name: "CC0 1.0 Universal (public domain dedication)",
    short: "CC0 1.0",
    url: "https://creativecommons.org/publicdomain/zero/1.0/",
    summary: "No rights reserved: reuse for any purpose, no credit required.",
  },
  {
    id: "CC-BY-SA-4.0",
    name: "Creative Commons Attribution-ShareAlike 4.0 International",
    short: "CC BY-SA 4.0",
    url: "https://creativecommons.org/licenses/by-sa/4.0/",
    summary: "Reuse with credit; share adaptations under the same licence.",
  },
  {
    id: "ODbL-1.0",
    name: "Open Data Commons Open Database License 1.0",
    short: "ODbL 1.0",
    url: "https://opendatacommons.org/licenses/odbl/1-0/",
    summary: "Reuse the database with credit; share adapted databases alike.",
  },
] as const satisfies readonly License[];

export type LicenseId = (typeof licenses)[number]["id"];
export const licenseIds = licenses.map((l) => l.id) as [LicenseId, ...LicenseId[]];
export const DEFAULT_LICENSE: LicenseId = "CC-BY-4.0";

export function licenseOf(id: string): License {
  return licenses.find((l) => l.id === id) ?? licenses[0];
}
