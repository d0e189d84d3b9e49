import { and, asc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { formatCampaignId, parseCampaignId } from "@/lib/molecules/campaign-id";
import type { InchiResult } from "@/lib/chem/inchi";
import type { RegistryKeys } from "@/lib/chem/keys";
import type { ParsedStructure } from "@/lib/chem/structure";
import { AppError } from "@/lib/errors";
import type { CompareMode } from "@/lib/molecules/input";
import { pickProperties } from "@/lib/molecules/properties";
import type { Queryable } from "../../index";
import { moleculeAliases, molecules, type Campaign, type Molecule } from "../../schema";
import { allocateNumbers, codeInUse, ensureRegistrySettings, ownedPrefixes, reserveAliasNumber, reserveNumber } from "./registry";

// Writes shared by single registration (molecules.ts) and import (molecule-imports.ts). Callers hold the campaign's
// registry lock (lockCampaignRegistry), so the checks here cannot race with another registration.

export interface RegistryContext {
  campaign: Campaign;
  prefix: string;
  defaultSite: string;
  /** Prefixes under which this campaign has handed out IDs; a given ID must use one of them. */
  owned: Set<string>;
  actorId: number;
}

export async function registryContext(tx: Queryable, campaign: Campaign, actorId: number): Promise<RegistryContext> {
  const settings = await ensureRegistrySettings(tx, campaign);
  return {
    campaign,
    prefix: settings.prefix,
    defaultSite: settings.defaultSite,
    owned: await ownedPrefixes(tx, campaign.id, settings.prefix),
    actorId,
  };
}

/** What the registry knows a structure by: its RDKit keys (lib/chem/keys.ts), and OpenChemLib's idcodes. */
export interface StructureIdentity {
  structure: Pick<ParsedStructure, "idcode" | "idcodeNoStereo" | "parentIdcode">;
  /** Null when RDKit cannot read the structure: then the idcodes alone identify it. */
  keys: RegistryKeys | null;
}

/** A stored molecule's identity columns, as selected. */
export type StoredIdentity = Pick<Molecule, "idcode" | "idcodeNoStereo" | "parentIdcode" | "registryKey" | "registryKeyNoStereo" | "parentRegistryKey">;

type Compared = StructureIdentity["structure"];

/** Per compare mode: the key and idcode columns, and where each value is in a parsed or a stored structure. */
const COMPARED = {
  exact: {
    key: molecules.registryKey,
    idcode: molecules.idcode,
    of: (k: RegistryKeys | null, s: Compared) => [k?.key ?? null, s.idcode] as const,
    stored: (m: StoredIdentity) => [m.registryKey, m.idcode] as const,
  },
  "no-stereo": {
    key: molecules.registryKeyNoStereo,
    idcode: molecules.idcodeNoStereo,
    of: (k: RegistryKeys | null, s: Compared) => [k?.keyNoStereo ?? null, s.idcodeNoStereo] as const,
    stored: (m: StoredIdentity) => [m.registryKeyNoStereo, m.idcodeNoStereo] as const,
  },
  parent: {
    key: molecules.parentRegistryKey,
    idcode: molecules.parentIdcode,
    of: (k: RegistryKeys | null, s: Compared) => [k?.parentKey ?? null, s.parentIdcode] as const,
    stored: (m: StoredIdentity) => [m.parentRegistryKey, m.parentIdcode] as const,
  },
} as const;

/**
 * The condition "a stored molecule is this structure under `compare`": equal RDKit keys; a molecule stored without
 * keys (one RDKit cannot read, or one registered before the keys whose data repair has not run yet) by its idcode.
 */
export function sameStructureAs(identity: StructureIdentity, compare: CompareMode): SQL {
  const { key, idcode, of } = COMPARED[compare];
  const [keyValue, idcodeValue] = of(identity.keys, identity.structure);
  const byIdcode = eq(idcode, idcodeValue);
  return keyValue === null ? byIdcode : or(eq(key, keyValue), and(isNull(key), byIdcode))!;
}

/** The same test on a stored molecule already read. */
export function isSameStructure(stored: StoredIdentity, identity: StructureIdentity, compare: CompareMode): boolean {
  const [storedKey, storedIdcode] = COMPARED[compare].stored(stored);
  const [key, idcode] = COMPARED[compare].of(identity.keys, identity.structure);
  return storedKey !== null && key !== null ? storedKey === key : storedIdcode === idcode;
}

/** The first-registered molecule of the campaign that is the same structure under `compare`, if any. */
export async function findDuplicate(tx: Queryable, campaignId: number, identity: StructureIdentity, compare: CompareMode): Promise<Molecule | null> {
  const [row] = await tx
    .select()
    .from(molecules)
    .where(and(sameStructureAs(identity, compare), eq(molecules.campaignId, campaignId)))
    .orderBy(asc(molecules.id))
    .limit(1);
  return row ?? null;
}

/** A molecule's identity columns, to select. */
export const identityColumns = {
  idcode: molecules.idcode,
  idcodeNoStereo: molecules.idcodeNoStereo,
  parentIdcode: molecules.parentIdcode,
  registryKey: molecules.registryKey,
  registryKeyNoStereo: molecules.registryKeyNoStereo,
  parentRegistryKey: molecules.parentRegistryKey,
};

/**
 * Which of a batch's structures the campaign has registered (compared exactly, as sameStructureAs does), in one
 * query: `find` gives the first-registered molecule's id; `add` records one the batch has just inserted.
 */
export async function registeredStructures(tx: Queryable, campaignId: number, identities: readonly StructureIdentity[]) {
  const keys = [...new Set(identities.flatMap((i) => (i.keys ? [i.keys.key] : [])))];
  const idcodes = [...new Set(identities.map((i) => i.structure.idcode))];
  const byIdcode = inArray(molecules.idcode, idcodes);
  const stored = await tx
    .select({ id: molecules.id, idcode: molecules.idcode, key: molecules.registryKey })
    .from(molecules)
    .where(and(eq(molecules.campaignId, campaignId), keys.length > 0 ? or(inArray(molecules.registryKey, keys), byIdcode) : byIdcode))
    .orderBy(asc(molecules.id));
  const byKey = new Map<string, number>();
  const anyByIdcode = new Map<string, number>();
  const keylessByIdcode = new Map<string, number>();
  const first = (map: Map<string, number>, value: string, id: number) => void (map.has(value) || map.set(value, id));
  const add = (m: { id: number; idcode: string; key: string | null }) => {
    if (m.key !== null) first(byKey, m.key, m.id);
    else first(keylessByIdcode, m.idcode, m.id);
    first(anyByIdcode, m.idcode, m.id);
  };
  stored.forEach(add);
  const find = (identity: StructureIdentity): number | undefined =>
    identity.keys
      ? (byKey.get(identity.keys.key) ?? keylessByIdcode.get(identity.structure.idcode))
      : anyByIdcode.get(identity.structure.idcode);
  return { find, add };
}

/**
 * Molecules of the campaign that the two toolkits group differently: the registry's keys (RDKit) take a group for one
 * structure though its idcodes (OpenChemLib, the identity before the keys) differ — what comparing by keys would have
 * refused as duplicates — or one idcode covers molecules whose keys differ — what comparing by keys let in though the
 * idcodes took them for one. Nothing is merged; maintainers are shown the groups (the molecules page) to decide.
 * Batches registered on purpose share both and are never a group of their own. Empty on every molecule of the shared
 * data sets, where the keys and the idcodes group alike.
 */
export interface KeyConflict {
  /** "rdkit": one key, several idcodes; "openchemlib": one idcode, several keys. */
  oneFor: "rdkit" | "openchemlib";
  /** What the group shares: the key, or the stored SMILES of the idcode. */
  smiles: string;
  codes: string[];
}

export async function keyConflicts(db: Queryable, campaignId: number): Promise<KeyConflict[]> {
  const codes = sql<string[]>`array_agg(${molecules.campaignCode} order by ${molecules.id})`;
  const keyed = and(eq(molecules.campaignId, campaignId), isNotNull(molecules.registryKey));
  const [byKey, byIdcode] = await Promise.all([
    db
      .select({ smiles: sql<string>`${molecules.registryKey}`, codes, first: sql<number>`min(${molecules.id})` })
      .from(molecules)
      .where(keyed)
      .groupBy(molecules.registryKey)
      .having(sql`count(distinct ${molecules.idcode}) > 1`),
    db
      .select({ smiles: sql<string>`min(${molecules.smiles})`, codes, first: sql<number>`min(${molecules.id})` })
      .from(molecules)
      .where(keyed)
      .groupBy(molecules.idcode)
      .having(sql`count(distinct ${molecules.registryKey}) > 1`),
  ]);
  return [
    ...byKey.map((row) => ({ oneFor: "rdkit" as const, ...row })),
    ...byIdcode.map((row) => ({ oneFor: "openchemlib" as const, ...row })),
  ]
    .sort((a, b) => Number(a.first) - Number(b.first) || a.oneFor.localeCompare(b.oneFor))
    .map(({ first: _first, ...group }) => group);
}

export interface NewMolecule {
  /** A given campaign ID (already in its one spelling); otherwise the next number is allocated. */
  code?: string | null;
  site?: string | null;
  name: string | null;
  series: string | null;
  inputSmiles: string | null;
  structure: ParsedStructure;
  inchi: InchiResult | null;
  /** The structure-search record made with the structure (SafeParseResult.searchRecord); null: search makes it. */
  searchRecord?: Uint8Array | null;
  /** RDKit's keys of the structure (SafeParseResult.keys); null when RDKit cannot read it. */
  keys: RegistryKeys | null;
  aliases: readonly string[];
  parentMoleculeId?: number | null;
}

function fieldError(
  field: string,
  message: string,
  code: "validation_failed" | "conflict" = "validation_failed",
  extra: Record<string, unknown> = {},
): AppError {
  return new AppError(code, `${field}: ${message}`, { fields: { [field]: message }, ...extra });
}

export async function insertMolecule(tx: Queryable, ctx: RegistryContext, m: NewMolecule): Promise<Molecule> {
  let code: string;
  let site: string;
  let number: number;
  if (m.code) {
    const id = parseCampaignId(m.code);
    if (!ctx.owned.has(id.prefix)) {
      throw fieldError("id", `${m.code} is not an ID of ${ctx.campaign.name}, whose IDs start with ${ctx.prefix}-`);
    }
    const used = await codeInUse(tx, ctx.campaign.id, m.code);
    if (used !== null) {
      const message = used === m.code ? `${m.code} is already taken` : `${m.code} is already taken, as an alias of ${used}`;
      throw fieldError("id", message, "conflict", { existing: { id: used } });
    }
    ({ site, number } = id);
    code = m.code;
    await reserveNumber(tx, ctx.campaign.id, id.prefix, site, number);
  } else {
    site = m.site ?? ctx.defaultSite;
    number = await allocateNumbers(tx, ctx.campaign.id, ctx.prefix, site);
    code = formatCampaignId({ prefix: ctx.prefix, site, number });
  }
  const [row] = await tx
    .insert(molecules)
    .values(moleculeValues(ctx, { code, site, number }, m))
    .returning();
  await addAliases(tx, ctx, row!, m.aliases);
  return row!;
}

/** The row of a new molecule, its ID already decided. */
export function moleculeValues(
  ctx: RegistryContext,
  id: { code: string; site: string; number: number },
  m: NewMolecule,
): typeof molecules.$inferInsert {
  const s = m.structure;
  return {
    campaignId: ctx.campaign.id,
    campaignCode: id.code,
    site: id.site,
    number: id.number,
    name: m.name,
    series: m.series,
    inputSmiles: m.inputSmiles,
    smiles: s.smiles,
    idcode: s.idcode,
    idcodeNoStereo: s.idcodeNoStereo,
    parentIdcode: s.parentIdcode,
    registryKey: m.keys?.key ?? null,
    registryKeyNoStereo: m.keys?.keyNoStereo ?? null,
    parentRegistryKey: m.keys?.parentKey ?? null,
    molfile: s.molfile,
    formula: s.formula,
    ...pickProperties(s),
    inchi: m.inchi?.inchi ?? null,
    inchikey: m.inchi?.inchiKey ?? null,
    searchRecord: m.searchRecord ?? null,
    parentMoleculeId: m.parentMoleculeId ?? null,
    registeredById: ctx.actorId,
  };
}

/**
 * Adds aliases a molecule does not have yet (any case counts as the same alias). An alias that names another
 * molecule of the campaign (as its ID or alias) is a conflict. An alias that is one of the campaign's own IDs (an
 * older ID of the compound) reserves that number. Returns how many were added.
 */
export async function addAliases(
  tx: Queryable,
  ctx: RegistryContext,
  molecule: Pick<Molecule, "id" | "campaignCode">,
  aliases: readonly string[],
): Promise<number> {
  let added = 0;
  const seen = new Set([molecule.campaignCode.toLowerCase()]);
  for (const raw of aliases) {
    const alias = raw.trim();
    if (alias === "" || seen.has(alias.toLowerCase())) continue;
    seen.add(alias.toLowerCase());
    const [existing] = await tx
      .select({ moleculeId: moleculeAliases.moleculeId })
      .from(moleculeAliases)
      .where(and(eq(moleculeAliases.campaignId, ctx.campaign.id), sql`lower(${moleculeAliases.alias}) = lower(${alias})`));
    if (existing?.moleculeId === molecule.id) continue;
    const owner = existing ? await codeOf(tx, existing.moleculeId) : await codeInUse(tx, ctx.campaign.id, alias.toUpperCase());
    if (owner !== null) throw fieldError("aliases", `${alias} already names ${owner}`, "conflict", { existing: { id: owner } });
    await tx.insert(moleculeAliases).values({ moleculeId: molecule.id, campaignId: ctx.campaign.id, alias });
    await reserveAliasNumber(tx, ctx.campaign.id, ctx.owned, alias);
    added++;
  }
  return added;
}

async function codeOf(tx: Queryable, moleculeId: number): Promise<string> {
  const [row] = await tx.select({ code: molecules.campaignCode }).from(molecules).where(eq(molecules.id, moleculeId));
  return row!.code;
}
