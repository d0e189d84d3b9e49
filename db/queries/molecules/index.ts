// About 400 lines: the registry's reads and the views built from them (registration is in writes.ts).
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { alias as aliasTable } from "drizzle-orm/pg-core";
import { type Actor, requireActor, requireMaintainer, requireMember } from "@/lib/auth/policy";
import { safeParseStructure } from "@/lib/sandbox/pool";
import { molfileFromIdcode } from "@/lib/chem/structure";
import { AppError } from "@/lib/errors";
import type { CompareMode } from "@/lib/molecules/input";
import type { ListMoleculesQuery, ParkInput, RegisterMoleculeInput } from "@/lib/contract/molecules";
import { bestPotency, type Potency } from "@/lib/molecules/potency";
import { pickProperties, propertyKeys, type PropertyValues } from "@/lib/molecules/properties";
import { canonicalCode } from "@/lib/molecules/campaign-id";
import type { LicenseId } from "@/lib/campaigns/licenses";
import { hasUnstorableText } from "@/lib/validation";
import type { Queryable } from "../../index";
import { campaigns, events, measurements, moleculeAliases, molecules, users, type Campaign, type Molecule } from "../../schema";
import { requireCampaign, roleIn } from "../campaigns";
import { findDuplicate, insertMolecule, isSameStructure, registryContext, type StructureIdentity } from "./writes";
import { lockCampaignRegistry } from "./registry";

export const moleculePath = (code: string) => `/molecules/${code}`;

/** The computed properties of a structure (lib/molecules/properties.ts), as lib/chem computes them. */
export type MoleculeProperties = PropertyValues;

/** The columns best-potency calculations read from a measurement. */
export const potencyColumns = {
  moleculeId: measurements.moleculeId,
  assay: measurements.assay,
  target: measurements.target,
  unit: measurements.unit,
  qualifier: measurements.qualifier,
  value: measurements.value,
};

/** A molecule as pages and the API show it. `code` is its public ID (OSM-S-123); `id` the database key. */
export interface MoleculeView {
  id: number;
  code: string;
  /** Its campaign, with the licence its data is published under (SPDX id). */
  campaign: { slug: string; name: string; license: LicenseId };
  name: string | null;
  series: string | null;
  aliases: string[];
  status: Molecule["status"];
  parkReason: string | null;
  /** The molecule this one is a batch or salt form of. */
  parentCode: string | null;
  inputSmiles: string | null;
  smiles: string;
  idcode: string;
  idcodeNoStereo: string;
  parentIdcode: string;
  formula: string;
  inchi: string | null;
  inchikey: string | null;
  properties: MoleculeProperties;
  /** Best value per assay and target (see lib/molecules/potency.ts). */
  potency: Potency[];
  registeredBy: string;
  createdAt: Date;
  path: string;
}

export interface MoleculeDetail extends MoleculeView {
  molfile: string;
  /** IDs of batches and salt forms registered as forms of this molecule. */
  forms: string[];
}

const parent = aliasTable(molecules, "parent_molecule");

const viewColumns = {
  molecule: molecules,
  campaign: { slug: campaigns.slug, name: campaigns.name, license: campaigns.license },
  registeredBy: users.login,
  parentCode: parent.campaignCode,
};

function baseQuery(db: Queryable) {
  return db
    .select(viewColumns)
    .from(molecules)
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .innerJoin(users, eq(users.id, molecules.registeredById))
    .leftJoin(parent, eq(parent.id, molecules.parentMoleculeId));
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

/** Rows (aliases, measurements) grouped by their molecule, in the order given. */
export function groupByMolecule<T extends { moleculeId: number }>(list: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of list) {
    const group = map.get(item.moleculeId);
    if (group) group.push(item);
    else map.set(item.moleculeId, [item]);
  }
  return map;
}

/** Aliases and best potencies of many molecules in two queries. */
async function decorate(db: Queryable, rows: Row[]): Promise<MoleculeView[]> {
  const ids = rows.map((r) => r.molecule.id);
  if (ids.length === 0) return [];
  const [aliasRows, valueRows] = await Promise.all([
    db
      .select({ moleculeId: moleculeAliases.moleculeId, alias: moleculeAliases.alias })
      .from(moleculeAliases)
      .where(inArray(moleculeAliases.moleculeId, ids))
      .orderBy(asc(moleculeAliases.id)),
    db.select(potencyColumns).from(measurements).where(inArray(measurements.moleculeId, ids)),
  ]);
  const aliases = groupByMolecule(aliasRows);
  const values = groupByMolecule(valueRows);
  return rows.map((row) =>
    toView(
      row,
      (aliases.get(row.molecule.id) ?? []).map((a) => a.alias),
      bestPotency(values.get(row.molecule.id) ?? []),
    ),
  );
}

function toView(row: Row, aliases: string[], potency: Potency[]): MoleculeView {
  const m = row.molecule;
  return {
    id: m.id,
    code: m.campaignCode,
    campaign: row.campaign,
    name: m.name,
    series: m.series,
    aliases,
    status: m.status,
    parkReason: m.parkReason,
    parentCode: row.parentCode,
    inputSmiles: m.inputSmiles,
    smiles: m.smiles,
    idcode: m.idcode,
    idcodeNoStereo: m.idcodeNoStereo,
    parentIdcode: m.parentIdcode,
    formula: m.formula,
    inchi: m.inchi,
    inchikey: m.inchikey,
    properties: pickProperties(m),
    potency,
    registeredBy: row.registeredBy,
    createdAt: m.createdAt,
    path: moleculePath(m.campaignCode),
  };
}

/**
 * The database key of a molecule named by its ID in any case ("osm-s-12"), its numeric key, or an alias
 * (when exactly one molecule has it).
 */
export async function findMoleculeId(db: Queryable, key: string | number): Promise<number | null> {
  const text = String(key).trim();
  if (/^\d{1,10}$/.test(text)) {
    const n = Number(text);
    if (n > 2_147_483_647) return null;
    const [row] = await db.select({ id: molecules.id }).from(molecules).where(eq(molecules.id, n));
    return row?.id ?? null;
  }
  if (text === "" || text.length > 100 || hasUnstorableText(text)) return null;
  const code = canonicalCode(text);
  if (code !== null) {
    const [row] = await db.select({ id: molecules.id }).from(molecules).where(eq(molecules.campaignCode, code));
    if (row) return row.id;
  }
  const byAlias = await db
    .selectDistinct({ id: moleculeAliases.moleculeId, code: molecules.campaignCode })
    .from(moleculeAliases)
    .innerJoin(molecules, eq(molecules.id, moleculeAliases.moleculeId))
    .where(sql`lower(${moleculeAliases.alias}) = lower(${text})`)
    .limit(100);
  if (byAlias.length === 1) return byAlias[0]!.id;
  // Campaigns that imported another's sheet keep its IDs as aliases (ids=foreign-as-aliases): an older ID of a
  // compound in its own campaign (OSM-S-218 of OSM-S-208) is the one it names. Otherwise an alias in several is none.
  const prefix = code === null ? null : code.slice(0, code.indexOf("-") + 1);
  const own = prefix === null ? [] : byAlias.filter((m) => m.code.startsWith(prefix));
  return own.length === 1 ? own[0]!.id : null;
}

export async function getMolecule(db: Queryable, key: string | number): Promise<MoleculeDetail | null> {
  const id = await findMoleculeId(db, key);
  if (id === null) return null;
  const rows = await baseQuery(db).where(eq(molecules.id, id));
  const [view] = await decorate(db, rows);
  if (!view) return null;
  const forms = await db
    .select({ code: molecules.campaignCode })
    .from(molecules)
    .where(eq(molecules.parentMoleculeId, id))
    .orderBy(asc(molecules.id));
  const { molfile, idcode } = rows[0]!.molecule;
  return { ...view, molfile: molfile ?? molfileFromIdcode(idcode), forms: forms.map((f) => f.code) };
}

export async function requireMolecule(db: Queryable, key: string | number): Promise<MoleculeDetail> {
  const molecule = await getMolecule(db, key);
  if (!molecule) throw new AppError("not_found", `No molecule ${JSON.stringify(String(key))}.`);
  return molecule;
}

export interface MoleculePage {
  molecules: MoleculeView[];
  page: number;
  perPage: number;
  total: number;
  hasMore: boolean;
}

const SORTS: Record<string, SQL | AnyColumn> = {
  name: sql`lower(${molecules.name})`,
  created: molecules.createdAt,
  ...Object.fromEntries(propertyKeys.map((key) => [key, molecules[key]])),
};

/**
 * A page of molecules, of one campaign or all. `q` matches IDs, names and aliases (any case, any part), or an
 * InChIKey exactly. `sort` is id (the campaign's numbering), name, created or a property's key, with a leading
 * "-" for descending.
 */
export async function listMolecules(db: Queryable, query: ListMoleculesQuery): Promise<MoleculePage> {
  const campaign = query.campaign ? await requireCampaign(db, query.campaign) : null;
  const filters: (SQL | undefined)[] = [];
  if (campaign) filters.push(eq(molecules.campaignId, campaign.id));
  if (query.status) filters.push(eq(molecules.status, query.status));
  if (query.q) {
    const q = query.q;
    if (/^[A-Z]{14}-[A-Z]{10}-[A-Z]$/i.test(q)) filters.push(eq(molecules.inchikey, q.toUpperCase()));
    else {
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const aliasMatch = db
        .select({ one: sql`1` })
        .from(moleculeAliases)
        .where(and(eq(moleculeAliases.moleculeId, molecules.id), ilike(moleculeAliases.alias, pattern)));
      filters.push(or(ilike(molecules.campaignCode, pattern), ilike(molecules.name, pattern), sql`exists (${aliasMatch})`));
    }
  }
  const where = and(...filters);
  const descending = query.sort.startsWith("-");
  const field = query.sort.replace(/^-/, "");
  const direction = (column: SQL | AnyColumn) => (descending ? desc(column) : asc(column));
  const order =
    field === "id"
      ? [direction(molecules.campaignId), direction(molecules.site), direction(molecules.number)]
      : [field === "name" ? sql`${SORTS[field]!} ${sql.raw(descending ? "desc" : "asc")} nulls last` : direction(SORTS[field]!)];
  const [rows, [total]] = await Promise.all([
    baseQuery(db)
      .where(where)
      .orderBy(...order, direction(molecules.id))
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage),
    db.select({ n: count() }).from(molecules).where(where),
  ]);
  const n = Number(total?.n ?? 0);
  return {
    molecules: await decorate(db, rows),
    page: query.page,
    perPage: query.perPage,
    total: n,
    hasMore: query.page * query.perPage < n,
  };
}

export interface RegisterResult {
  molecule: MoleculeDetail;
  /** Things the chemist should know, e.g. that no InChI could be computed. */
  warnings: string[];
}

/**
 * A member registers a molecule from a SMILES or molfile. The structure is parsed in the time-limited worker pool
 * before any lock is taken. The same structure already in the campaign is a 409 carrying the existing ID; `compare`
 * chooses what "the same" means: exact (stereo and charges count), no-stereo, or parent (salts and charges
 * stripped). A maintainer registers a batch or salt form by naming its parent (`parentId`, or `allowDuplicateOf`
 * for the molecule the duplicate check found); the form must share the parent's charge-parent structure.
 */
export async function registerMolecule(db: Queryable, actor: Actor, data: RegisterMoleculeInput): Promise<RegisterResult> {
  requireActor(actor);
  if (data.parentId && data.allowDuplicateOf && data.parentId !== data.allowDuplicateOf) {
    throw new AppError("validation_failed", "parentId: must be the same molecule as allowDuplicateOf", {
      fields: { parentId: "must be the same molecule as allowDuplicateOf" },
    });
  }
  const parentCode = data.allowDuplicateOf ?? data.parentId;
  const campaign = await requireCampaign(db, data.campaign);
  const role = await roleIn(db, campaign.id, actor.id);
  requireMember(role, campaign.name);
  if (parentCode) requireMaintainer(role, campaign.name);
  const parsed = await safeParseStructure({ smiles: data.smiles, molfile: data.molfile });
  const warnings = parsed.inchi
    ? []
    : [`No standard InChI could be computed, so the molecule has no InChIKey: ${parsed.inchiError ?? "unknown reason"}`];

  const id = await db.transaction(async (tx) => {
    await lockCampaignRegistry(tx, campaign.id);
    const ctx = await registryContext(tx, campaign, actor.id);
    let parentMoleculeId: number | null = null;
    if (parentCode) {
      parentMoleculeId = await requireForm(tx, campaign, parentCode, parsed);
    } else {
      const existing = await findDuplicate(tx, campaign.id, parsed, data.compare);
      if (existing) throw duplicateError(existing, data.compare);
    }
    const molecule = await insertMolecule(tx, ctx, {
      code: data.id,
      site: data.site,
      name: data.name || null,
      series: data.series || null,
      inputSmiles: data.smiles?.trim() || null,
      structure: parsed.structure,
      inchi: parsed.inchi,
      searchRecord: parsed.searchRecord,
      keys: parsed.keys,
      aliases: data.aliases,
      parentMoleculeId,
    });
    await tx.insert(events).values({
      kind: "molecule.registered",
      campaignId: campaign.id,
      actorId: actor.id,
      title: `${molecule.campaignCode} registered`,
      summary: [molecule.name, molecule.formula, molecule.smiles].filter(Boolean).join(" · ").slice(0, 400),
    });
    return molecule.id;
  });
  return { molecule: await requireMolecule(db, id), warnings };
}

async function requireForm(tx: Queryable, campaign: Campaign, code: string, identity: StructureIdentity): Promise<number> {
  const [parentRow] = await tx
    .select()
    .from(molecules)
    .where(and(eq(molecules.campaignCode, code), eq(molecules.campaignId, campaign.id)));
  if (!parentRow)
    throw new AppError("validation_failed", `parentId: ${code} is not a molecule of ${campaign.name}`, {
      fields: { parentId: `${code} is not a molecule of ${campaign.name}` },
    });
  if (!isSameStructure(parentRow, identity, "parent")) {
    const message = `this structure is not a batch or salt form of ${code}: their parent structures (without salts and charges) differ`;
    throw new AppError("validation_failed", `parentId: ${message}`, { fields: { parentId: message } });
  }
  return parentRow.id;
}

const COMPARED: Record<CompareMode, string> = {
  exact: "This structure",
  "no-stereo": "This structure, or a stereoisomer of it,",
  parent: "This structure's parent (without salts and charges)",
};

export function duplicateError(existing: { campaignCode: string; name: string | null }, compare: CompareMode): AppError {
  return new AppError("conflict", `${COMPARED[compare]} is already registered as ${existing.campaignCode}.`, {
    existing: { id: existing.campaignCode, name: existing.name, path: moleculePath(existing.campaignCode) },
    compare,
  });
}

/** Maintainers park a molecule that does not look promising; it and its data stay public, its ID stays taken. */
export async function parkMolecule(db: Queryable, actor: Actor, key: string, { reason }: ParkInput): Promise<MoleculeDetail> {
  requireActor(actor);
  return setStatus(db, actor, key, "parked", reason);
}

export async function activateMolecule(db: Queryable, actor: Actor, key: string): Promise<MoleculeDetail> {
  return setStatus(db, actor, key, "active", null);
}

async function setStatus(
  db: Queryable,
  actor: Actor,
  key: string,
  status: Molecule["status"],
  reason: string | null,
): Promise<MoleculeDetail> {
  requireActor(actor);
  const id = await findMoleculeId(db, key);
  if (id === null) throw new AppError("not_found", `No molecule ${JSON.stringify(key)}.`);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ campaignId: molecules.campaignId, name: campaigns.name })
      .from(molecules)
      .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
      .where(eq(molecules.id, id))
      .for("update", { of: molecules });
    requireMaintainer(await roleIn(tx, row!.campaignId, actor.id), row!.name);
    await tx
      .update(molecules)
      .set({ status, parkReason: reason, parkedAt: status === "parked" ? sql`now()` : null })
      .where(eq(molecules.id, id));
  });
  return requireMolecule(db, id);
}
