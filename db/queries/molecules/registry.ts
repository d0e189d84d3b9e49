import { and, eq, ne, sql } from "drizzle-orm";
import { type Actor, requireActor, requireMaintainer } from "@/lib/auth/policy";
import { tryParseCampaignId } from "@/lib/molecules/campaign-id";
import { AppError } from "@/lib/errors";
import type { RegistrySettingsInput } from "@/lib/contract/molecules";
import { DEFAULT_SITE, defaultPrefixes } from "@/lib/molecules/registry-prefix";
import type { Queryable } from "../../index";
import { campaignIdCounters, campaignRegistrySettings, campaigns, moleculeAliases, molecules, type Campaign } from "../../schema";
import { requireCampaign, roleIn } from "../campaigns";

/** How a campaign numbers its molecules; `saved` is false while the campaign still uses the default. */
export interface RegistrySettings {
  prefix: string;
  defaultSite: string;
  saved: boolean;
  /** The next number per prefix and site, for IDs handed out so far. */
  counters: { prefix: string; site: string; next: number }[];
}

/**
 * Registrations in one campaign run one at a time: the duplicate check and the alias checks read before they write,
 * and two concurrent registrations of the same structure must not both pass. A transaction-scoped advisory lock
 * (released at commit) is cheap, works on PGlite and PostgreSQL, and never blocks readers.
 */
const REGISTRY_LOCK = 7_270_703;
export async function lockCampaignRegistry(tx: Queryable, campaignId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REGISTRY_LOCK}, ${campaignId})`);
}

/** True when another campaign uses this prefix: as its setting, or for IDs it has handed out. */
async function prefixTaken(db: Queryable, campaignId: number, prefix: string): Promise<boolean> {
  const [setting] = await db
    .select({ id: campaignRegistrySettings.campaignId })
    .from(campaignRegistrySettings)
    .where(and(eq(campaignRegistrySettings.prefix, prefix), ne(campaignRegistrySettings.campaignId, campaignId)));
  if (setting) return true;
  const [counter] = await db
    .select({ id: campaignIdCounters.campaignId })
    .from(campaignIdCounters)
    .where(and(eq(campaignIdCounters.prefix, prefix), ne(campaignIdCounters.campaignId, campaignId)))
    .limit(1);
  return Boolean(counter);
}

async function savedSettings(db: Queryable, campaignId: number) {
  const [row] = await db.select().from(campaignRegistrySettings).where(eq(campaignRegistrySettings.campaignId, campaignId));
  return row ?? null;
}

async function defaultPrefix(db: Queryable, campaign: Campaign): Promise<string> {
  for (const prefix of defaultPrefixes(campaign.slug)) if (!(await prefixTaken(db, campaign.id, prefix))) return prefix;
  throw new AppError("conflict", `No free ID prefix for ${campaign.name}; a maintainer must choose one.`);
}

export async function registrySettings(db: Queryable, campaign: Campaign): Promise<RegistrySettings> {
  const saved = await savedSettings(db, campaign.id);
  const counters = await db
    .select({ prefix: campaignIdCounters.prefix, site: campaignIdCounters.site, next: campaignIdCounters.nextNumber })
    .from(campaignIdCounters)
    .where(eq(campaignIdCounters.campaignId, campaign.id))
    .orderBy(campaignIdCounters.prefix, campaignIdCounters.site);
  if (saved) return { prefix: saved.prefix, defaultSite: saved.defaultSite, saved: true, counters };
  return { prefix: await defaultPrefix(db, campaign), defaultSite: DEFAULT_SITE, saved: false, counters };
}

/** The campaign's settings, saved with the default prefix on first use. Call with the registry lock held. */
export async function ensureRegistrySettings(tx: Queryable, campaign: Campaign): Promise<{ prefix: string; defaultSite: string }> {
  const saved = await savedSettings(tx, campaign.id);
  if (saved) return saved;
  for (const prefix of defaultPrefixes(campaign.slug)) {
    if (await prefixTaken(tx, campaign.id, prefix)) continue;
    // No conflict target: a prefix taken meanwhile by another campaign is skipped, not an aborted transaction.
    const [row] = await tx.insert(campaignRegistrySettings).values({ campaignId: campaign.id, prefix }).onConflictDoNothing().returning();
    if (row) return row;
    const now = await savedSettings(tx, campaign.id);
    if (now) return now;
  }
  throw new AppError("conflict", `No free ID prefix for ${campaign.name}; a maintainer must choose one.`);
}

/**
 * Maintainers choose the prefix and default site letter. A new prefix applies to molecules registered from then
 * on; existing IDs never change. A prefix used by another campaign is refused, so an ID names one molecule.
 */
export async function setRegistrySettings(
  db: Queryable,
  actor: Actor,
  slug: string,
  data: RegistrySettingsInput,
): Promise<RegistrySettings> {
  requireActor(actor);
  return db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, slug);
    requireMaintainer(await roleIn(tx, campaign.id, actor.id), campaign.name);
    await lockCampaignRegistry(tx, campaign.id);
    const current = await ensureRegistrySettings(tx, campaign);
    const prefix = data.prefix ?? current.prefix;
    if (prefix !== current.prefix && (await prefixTaken(tx, campaign.id, prefix))) {
      throw new AppError("conflict", `prefix: ${prefix} is used by another campaign`, {
        fields: { prefix: `${prefix} is used by another campaign` },
      });
    }
    const [row] = await tx
      .insert(campaignRegistrySettings)
      .values({ campaignId: campaign.id, prefix, defaultSite: data.defaultSite ?? current.defaultSite })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      await tx
        .update(campaignRegistrySettings)
        .set({ prefix, defaultSite: data.defaultSite ?? current.defaultSite })
        .where(eq(campaignRegistrySettings.campaignId, campaign.id));
    }
    return registrySettings(tx, campaign);
  });
}

/** The name of the other campaign that uses this prefix (as its setting, or for IDs it handed out), if any. */
async function prefixOwner(db: Queryable, campaignId: number, prefix: string): Promise<string | null> {
  const [setting] = await db
    .select({ name: campaigns.name })
    .from(campaignRegistrySettings)
    .innerJoin(campaigns, eq(campaigns.id, campaignRegistrySettings.campaignId))
    .where(and(eq(campaignRegistrySettings.prefix, prefix), ne(campaignRegistrySettings.campaignId, campaignId)));
  if (setting) return setting.name;
  const [counter] = await db
    .select({ name: campaigns.name })
    .from(campaignIdCounters)
    .innerJoin(campaigns, eq(campaigns.id, campaignIdCounters.campaignId))
    .where(and(eq(campaignIdCounters.prefix, prefix), ne(campaignIdCounters.campaignId, campaignId)))
    .limit(1);
  return counter?.name ?? null;
}

/**
 * Makes a file's prefix the campaign's own, for an import with ids=adopt-prefix; call with the registry lock held.
 * Nothing to do when it already is (a second chunk of the same file, or importing it again). Otherwise only a
 * maintainer may (the prefix is a maintainer's setting), only while the campaign has no molecules (their IDs would
 * keep the old prefix), and only a prefix no other campaign uses (an ID names one molecule). A refusal throws.
 */
export async function adoptPrefix(tx: Queryable, actor: Actor, campaign: Campaign, prefix: string): Promise<void> {
  requireActor(actor);
  const current = await ensureRegistrySettings(tx, campaign);
  if (current.prefix === prefix) return;
  requireMaintainer(await roleIn(tx, campaign.id, actor.id), campaign.name);
  const refuse = (message: string): never => {
    throw new AppError("conflict", `ids: ${message}`, { fields: { ids: message } });
  };
  const [registered] = await tx.select({ id: molecules.id }).from(molecules).where(eq(molecules.campaignId, campaign.id)).limit(1);
  if (registered) {
    refuse(
      `adopt-prefix only works in a campaign without molecules, and ${campaign.name} has molecules numbered ${current.prefix}-; ` +
        `import with ids=foreign-as-aliases to keep the file's ${prefix}- IDs as aliases`,
    );
  }
  const owner = await prefixOwner(tx, campaign.id, prefix);
  if (owner !== null) {
    refuse(`the prefix ${prefix} belongs to another campaign (${owner}); import with ids=foreign-as-aliases to keep its IDs as aliases`);
  }
  await tx.update(campaignRegistrySettings).set({ prefix }).where(eq(campaignRegistrySettings.campaignId, campaign.id));
}

/** Prefixes whose IDs belong to this campaign: the current one and any it handed out IDs under before. */
export async function ownedPrefixes(tx: Queryable, campaignId: number, current: string): Promise<Set<string>> {
  const rows = await tx
    .selectDistinct({ prefix: campaignIdCounters.prefix })
    .from(campaignIdCounters)
    .where(eq(campaignIdCounters.campaignId, campaignId));
  return new Set([current, ...rows.map((r) => r.prefix)]);
}

/** Hands out `count` consecutive numbers (the first is returned) for a prefix and site. */
export async function allocateNumbers(tx: Queryable, campaignId: number, prefix: string, site: string, count = 1): Promise<number> {
  const [row] = await tx
    .insert(campaignIdCounters)
    .values({ campaignId, prefix, site, nextNumber: 1 + count })
    .onConflictDoUpdate({
      target: [campaignIdCounters.campaignId, campaignIdCounters.prefix, campaignIdCounters.site],
      set: { nextNumber: sql`${campaignIdCounters.nextNumber} + ${count}` },
    })
    .returning({ next: campaignIdCounters.nextNumber });
  return row!.next - count;
}

/** Marks a given ID's number as used: the counter moves past it (and never back). */
export async function reserveNumber(tx: Queryable, campaignId: number, prefix: string, site: string, number: number): Promise<void> {
  await tx
    .insert(campaignIdCounters)
    .values({ campaignId, prefix, site, nextNumber: number + 1 })
    .onConflictDoUpdate({
      target: [campaignIdCounters.campaignId, campaignIdCounters.prefix, campaignIdCounters.site],
      set: { nextNumber: sql`greatest(${campaignIdCounters.nextNumber}, excluded.next_number)` },
    });
}

/** Reserves the number of an alias that is one of this campaign's IDs (an older ID of the same compound). */
export async function reserveAliasNumber(tx: Queryable, campaignId: number, owned: Set<string>, alias: string): Promise<void> {
  const id = tryParseCampaignId(alias.toUpperCase());
  if (id && owned.has(id.prefix)) await reserveNumber(tx, campaignId, id.prefix, id.site, id.number);
}

/** The molecule of the campaign that already goes by this ID or alias, if any. */
export async function codeInUse(tx: Queryable, campaignId: number, code: string): Promise<string | null> {
  // Only this campaign's molecules: another campaign's ID may be an alias here (an import with ids=foreign-as-aliases).
  const [byCode] = await tx
    .select({ code: molecules.campaignCode })
    .from(molecules)
    .where(and(eq(molecules.campaignId, campaignId), eq(molecules.campaignCode, code)));
  if (byCode) return byCode.code;
  const [byAlias] = await tx
    .select({ code: molecules.campaignCode })
    .from(moleculeAliases)
    .innerJoin(molecules, eq(molecules.id, moleculeAliases.moleculeId))
    .where(and(eq(moleculeAliases.campaignId, campaignId), sql`lower(${moleculeAliases.alias}) = lower(${code})`));
  return byAlias?.code ?? null;
}
