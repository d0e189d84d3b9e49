// schema.org / Bioschemas JSON-LD for the pages, so that search engines and data aggregators read a molecule page as a
// MolecularEntity and an entry or wiki page as a CreativeWork of its campaign's Dataset, under the campaign's licence.
import { licenseOf } from "../campaigns/licenses";
import type { Person } from "./model";

export type JsonLd = Record<string, unknown>;

/** Bioschemas' MolecularEntity profile (https://bioschemas.org/profiles/MolecularEntity/0.5-RELEASE). */
export const MOLECULAR_ENTITY_PROFILE = "https://bioschemas.org/profiles/MolecularEntity/0.5-RELEASE";

interface CampaignRef {
  name: string;
  url: string;
  license: string;
}

const dataset = (c: CampaignRef): JsonLd => ({ "@type": "Dataset", name: c.name, url: c.url, license: licenseOf(c.license).url });

const person = (p: Person): JsonLd => ({ "@type": "Person", name: p.name?.trim() || p.login, alternateName: p.login });

export interface MoleculeLdInput {
  code: string;
  name: string | null;
  aliases: string[];
  smiles: string;
  inchi: string | null;
  inchikey: string | null;
  formula: string;
  averageMass: number;
  monoisotopicMass: number;
  url: string;
  /** The depiction (PNG) by absolute URL. */
  image: string;
  createdAt: Date;
  campaign: CampaignRef;
}

/** A molecule as a Bioschemas MolecularEntity: identifier = its campaign ID, with its structure's identifiers. */
export function moleculeJsonLd(m: MoleculeLdInput): JsonLd {
  return {
    "@context": "https://schema.org",
    "@type": "MolecularEntity",
    "@id": m.url,
    "http://purl.org/dc/terms/conformsTo": { "@id": MOLECULAR_ENTITY_PROFILE, "@type": "CreativeWork" },
    identifier: m.code,
    name: m.name ?? m.code,
    ...(m.name || m.aliases.length ? { alternateName: [...(m.name ? [m.code] : []), ...m.aliases] } : {}),
    url: m.url,
    image: m.image,
    smiles: m.smiles,
    ...(m.inchi ? { inChI: m.inchi } : {}),
    ...(m.inchikey ? { inChIKey: m.inchikey } : {}),
    molecularFormula: m.formula,
    molecularWeight: { "@type": "QuantitativeValue", value: round(m.averageMass, 4), unitText: "g/mol" },
    monoisotopicMolecularWeight: { "@type": "QuantitativeValue", value: round(m.monoisotopicMass, 6), unitText: "g/mol" },
    dateCreated: m.createdAt.toISOString(),
    license: licenseOf(m.campaign.license).url,
    isPartOf: dataset(m.campaign),
  };
}

export interface DocumentLdInput {
  kind: "entry" | "page";
  title: string;
  description: string;
  /** The page that always shows the newest revision. */
  url: string;
  /** The stable page of the current revision. */
  revisionUrl: string;
  revision: number;
  /** The date of the work (entries). */
  workDate: string | null;
  authors: Person[];
  createdAt: Date;
  updatedAt: Date;
  campaign: CampaignRef;
  /** Molecules it mentions, by campaign ID and page URL. */
  mentions: { code: string; url: string }[];
}

/** An entry (the record of a day's work) or a wiki page as a schema.org CreativeWork, part of the campaign's Dataset. */
export function documentJsonLd(d: DocumentLdInput): JsonLd {
  return {
    "@context": "https://schema.org",
    "@type": "CreativeWork",
    "@id": d.url,
    genre: d.kind === "page" ? "Campaign wiki page" : "Lab notebook entry",
    name: d.title,
    headline: d.title.slice(0, 110),
    ...(d.description ? { description: d.description } : {}),
    url: d.url,
    version: String(d.revision),
    // The revision's own page never changes: the archived copy of what this version says.
    archivedAt: d.revisionUrl,
    author: d.authors.map(person),
    ...(d.workDate ? { temporalCoverage: d.workDate } : {}),
    dateCreated: d.createdAt.toISOString(),
    dateModified: d.updatedAt.toISOString(),
    inLanguage: "en",
    isAccessibleForFree: true,
    license: licenseOf(d.campaign.license).url,
    isPartOf: dataset(d.campaign),
    ...(d.mentions.length ? { mentions: d.mentions.map((m) => ({ "@type": "MolecularEntity", identifier: m.code, url: m.url })) } : {}),
  };
}

/**
 * The text of a <script type="application/ld+json"> element. The HTML parser ends the element at the first "</script"
 * and treats "<!--" specially, whatever JSON string they are in: every "<" is written as \u003c (JSON reads it back
 * the same), and U+2028/U+2029 as escapes too, so user text (a title, a molecule's name) can never leave the element.
 */
export function jsonLdText(data: JsonLd): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}
