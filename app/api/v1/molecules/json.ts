import type { MeasurementView } from "@/db/queries/measurements";
import type { MentioningEntry } from "@/db/queries/mentions";
import type { RegistrySettings } from "@/db/queries/molecules/registry";
import type { MoleculeDetail, MoleculeView } from "@/db/queries/molecules";
import type { MeasurementBody, MentioningEntryBody, MoleculeBody, RegistryBody } from "@/lib/contract/molecules";
import type { SearchResultBody } from "@/lib/contract/search";
import type { MoleculeSearchHit } from "@/db/queries/molecules/search";
import { licenseJson } from "@/app/_lib/json";
import { databaseLinks } from "@/lib/molecules/links";
import { pickSearchProperties } from "@/lib/molecules/properties";

/**
 * The API's molecule shapes, typed by their schemas in lib/contract. `id` is the public campaign ID (OSM-S-123);
 * dates are ISO strings.
 */
export function moleculeJson(m: MoleculeView | MoleculeDetail, origin: string): MoleculeBody {
  const detail = "molfile" in m ? { molfile: m.molfile, forms: m.forms } : {};
  return {
    id: m.code,
    campaign: m.campaign.slug,
    name: m.name,
    aliases: m.aliases,
    series: m.series,
    status: m.status,
    parkReason: m.parkReason,
    parent: m.parentCode,
    smiles: m.smiles,
    inputSmiles: m.inputSmiles,
    idcode: m.idcode,
    inchi: m.inchi,
    inchikey: m.inchikey,
    formula: m.formula,
    properties: m.properties,
    potency: m.potency,
    registeredBy: m.registeredBy,
    createdAt: m.createdAt.toISOString(),
    ...licenseJson(m.campaign.license),
    url: `${origin}${m.path}`,
    links: m.inchikey ? databaseLinks(m.inchikey) : null,
    ...detail,
  };
}

export function measurementJson(m: MeasurementView, origin: string): MeasurementBody {
  return {
    id: m.id,
    molecule: m.molecule,
    assay: m.assay,
    target: m.target,
    lab: m.lab,
    value: m.value,
    unit: m.unit,
    qualifier: m.qualifier,
    measuredOn: m.measuredOn,
    entry: m.entry ? { id: m.entry.id, url: `${origin}${m.entry.path}` } : null,
    addedBy: m.addedBy,
    createdAt: m.createdAt.toISOString(),
  };
}

export function mentioningEntryJson(e: MentioningEntry, origin: string): MentioningEntryBody {
  return { id: e.id, title: e.title, date: e.date, campaign: e.campaign.slug, author: e.author, url: `${origin}${e.path}` };
}

export function registryJson(slug: string, s: RegistrySettings): RegistryBody {
  return { campaign: slug, prefix: s.prefix, defaultSite: s.defaultSite, saved: s.saved, counters: s.counters };
}

export function searchHitJson(h: MoleculeSearchHit, origin: string): SearchResultBody["hits"][number] {
  return {
    id: h.id,
    campaign: h.campaign,
    name: h.name,
    smiles: h.smiles,
    status: h.status,
    ...pickSearchProperties(h),
    potency: h.potency,
    ...(h.similarity !== undefined ? { similarity: h.similarity } : {}),
    ...(h.atoms !== undefined ? { atoms: h.atoms } : {}),
    url: `${origin}/molecules/${h.id}`,
    depiction: `${origin}/molecules/${h.id}.svg`,
  };
}
