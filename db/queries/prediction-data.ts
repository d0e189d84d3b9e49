import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { describeAssay, MOLAR_FACTORS } from "@/lib/molecules/assay";
import type { CompareMode } from "@/lib/molecules/input";
import type { Qualifier } from "@/lib/molecules/model";
import { requireActor, requireMaintainer, type Actor } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { unitsFor } from "@/lib/predictions/units";
import type { Queryable } from "../index";
import { requireCampaign, roleIn } from "./campaigns";
import { measurements, molecules, predictionSettings, type PredictionSettings } from "../schema";

// What predictions read of the registry: a campaign's assays as the pages label them, the results of an assay per
// molecule, and the molecules a predicted structure turned out to be. Shared by the scoring (predictions.ts) and the
// campaign's models (prediction-models.ts).

export interface CampaignAssay {
  /** "Pfal IC50": target and endpoint, labs pooled, as the molecule table labels its columns. */
  label: string;
  endpoint: string;
  /** The units its results were recorded in. */
  units: string[];
  /** Molecules with a result. */
  molecules: number;
}

/** The label of a measurement's assay, in SQL: target and endpoint ("Pfal IC50"), as lib/molecules/potency.ts labels it. */
export const assayLabelSql = sql<string>`concat_ws(' ', ${measurements.target}, ${measurements.assay})`;

/** The campaign's assays that predictions can be scored on (results convertible to pIC50), most measured first. */
export async function predictableAssays(db: Queryable, campaignId: number): Promise<CampaignAssay[]> {
  const rows = await db
    .select({
      label: assayLabelSql,
      endpoint: measurements.assay,
      unit: measurements.unit,
      molecules: sql<number>`count(distinct ${measurements.moleculeId})::int`,
    })
    .from(measurements)
    .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
    .where(eq(molecules.campaignId, campaignId))
    .groupBy(assayLabelSql, measurements.assay, measurements.unit);
  const byLabel = new Map<string, CampaignAssay>();
  for (const r of rows) {
    if (!scorable(r.endpoint, r.unit)) continue;
    const assay = byLabel.get(r.label) ?? { label: r.label, endpoint: r.endpoint, units: [], molecules: 0 };
    if (r.unit !== null && !assay.units.includes(r.unit)) assay.units.push(r.unit);
    assay.molecules = Math.max(assay.molecules, r.molecules);
    byLabel.set(r.label, assay);
  }
  return [...byLabel.values()].sort((a, b) => b.molecules - a.molecules || a.label.localeCompare(b.label));
}

/** A result that converts to pIC50: a molar value of a concentration endpoint, or a p-value. */
function scorable(endpoint: string, unit: string | null): boolean {
  if (/^p[A-Z]/.test(endpoint)) return unit === null || unit === "" || unit === "log units";
  return unit !== null && MOLAR_FACTORS[unit] !== undefined && unitsFor(endpoint).ok;
}

/**
 * The assay a request names ("Pfal IC50", any case; "Pfal IC50 (µM)" too), or the campaign's most measured one when
 * none is named. An unknown one is a 422 that lists those there are.
 */
export async function resolveAssay(db: Queryable, campaignId: number, asked: string | undefined): Promise<CampaignAssay> {
  return assayAmong(await predictableAssays(db, campaignId), asked);
}

/** resolveAssay on the campaign's assays already read (a page that also lists them reads them once). */
export function assayAmong(assays: readonly CampaignAssay[], asked: string | undefined): CampaignAssay {
  if (asked === undefined || asked.trim() === "") {
    const first = assays[0];
    if (!first)
      throw new AppError("validation_failed", "assay: no molecule of this campaign has a result in a molar unit yet", { assays: [] });
    return first;
  }
  const wanted = asked.trim().replace(/\s+/g, " ").toLowerCase();
  const found = assays.find((a) => a.label.toLowerCase() === wanted || a.units.some((u) => `${a.label} (${u})`.toLowerCase() === wanted));
  if (found) return found;
  const known = assays.map((a) => a.label);
  const endpoint = describeAssay(asked).assay;
  const message = !unitsFor(endpoint).ok
    ? `${asked} cannot be scored on pIC50; predictions are for assays with results in a molar unit (${known.join(", ") || "none here yet"})`
    : known.length === 0
      ? "no molecule of this campaign has a result in a molar unit yet"
      : `no results of "${asked}" here; the assays are ${known.join(", ")}`;
  throw new AppError("validation_failed", `assay: ${message}`, { fields: { assay: message }, assays: known });
}

export interface Result {
  moleculeId: number;
  value: number;
  unit: string | null;
  qualifier: Qualifier;
  createdAt: Date;
}

/** Every result of an assay for the given molecules (all the campaign's when `moleculeIds` is null), oldest first. */
export async function assayResults(
  db: Queryable,
  campaignId: number,
  label: string,
  moleculeIds: number[] | null,
): Promise<Map<number, Result[]>> {
  if (moleculeIds !== null && moleculeIds.length === 0) return new Map();
  const rows = await db
    .select({
      moleculeId: measurements.moleculeId,
      value: measurements.value,
      unit: measurements.unit,
      qualifier: measurements.qualifier,
      createdAt: measurements.createdAt,
    })
    .from(measurements)
    .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
    .where(
      and(
        eq(molecules.campaignId, campaignId),
        sql`${assayLabelSql} = ${label}`,
        moleculeIds === null ? undefined : inArray(measurements.moleculeId, moleculeIds),
      ),
    )
    .orderBy(asc(measurements.createdAt), asc(measurements.id));
  const map = new Map<number, Result[]>();
  for (const r of rows) {
    const list = map.get(r.moleculeId);
    if (list) list.push(r);
    else map.set(r.moleculeId, [r]);
  }
  return map;
}

const KEY_COLUMN = {
  exact: molecules.idcode,
  "no-stereo": molecules.idcodeNoStereo,
  parent: molecules.parentIdcode,
} as const;

/** The first-registered molecule of the campaign with each structure key (the duplicate check's comparison). */
export async function moleculesByKey(
  db: Queryable,
  campaignId: number,
  compare: CompareMode,
  keys: string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(keys)];
  const found = new Map<string, number>();
  const column = KEY_COLUMN[compare];
  for (let i = 0; i < unique.length; i += 1_000) {
    const rows = await db
      .select({ key: column, id: molecules.id })
      .from(molecules)
      .where(and(eq(molecules.campaignId, campaignId), inArray(column, unique.slice(i, i + 1_000))))
      .orderBy(asc(molecules.id));
    for (const r of rows) if (!found.has(r.key)) found.set(r.key, r.id);
  }
  return found;
}

export const DEFAULT_SETTINGS = { activeThreshold: 6, topK: 20, compare: "exact" as CompareMode };

/** How the campaign scores predictions (its maintainers' settings, or the defaults). */
export async function scoringSettings(
  db: Queryable,
  campaignId: number,
): Promise<Pick<PredictionSettings, "activeThreshold" | "topK" | "compare">> {
  const [row] = await db.select().from(predictionSettings).where(eq(predictionSettings.campaignId, campaignId));
  return row ?? DEFAULT_SETTINGS;
}

export interface ScoringSettingsInput {
  activeThreshold?: number;
  topK?: number;
  compare?: CompareMode;
}

/** Maintainers set how their campaign's predictions are scored; every score follows at once (scores are computed on read). */
export async function setScoringSettings(db: Queryable, actor: Actor, slug: string, input: ScoringSettingsInput) {
  requireActor(actor);
  return db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, slug);
    requireMaintainer(await roleIn(tx, campaign.id, actor.id), campaign.name);
    const current = await scoringSettings(tx, campaign.id);
    const next = { ...current, ...input };
    await tx
      .insert(predictionSettings)
      .values({ campaignId: campaign.id, ...next })
      .onConflictDoUpdate({ target: predictionSettings.campaignId, set: next });
    return next;
  });
}
