import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { requireActor, type Actor } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import type { CompareMode } from "@/lib/molecules/input";
import {
  duplicateKeys,
  readPredictions,
  type PredictionRow,
  type PredictionRowError,
  type PredictionSetDetails,
  type PredictionRowInput,
} from "@/lib/predictions/input";
import { observedValue, type ObservedValue } from "@/lib/predictions/observed";
import { rankSubmissions, scoreSet, type SetScores } from "@/lib/predictions/score";
import { sealHash } from "@/lib/predictions/seal";
import { predictionUnit } from "@/lib/predictions/units";
import { safeParseMany } from "@/lib/sandbox/pool";
import type { Queryable } from "../index";
import {
  campaigns,
  molecules,
  predictionModels,
  predictionRows,
  predictionSets,
  users,
  type Campaign,
  type PredictionSet,
} from "../schema";
import { requireCampaign } from "./campaigns";
import { assayAmong, assayResults, moleculesByKey, predictableAssays, resolveAssay, scoringSettings, type Result } from "./prediction-data";

// Prediction sets (issue 17): submitted and sealed once, scored on every read against the results recorded after
// the submission — so a scoreboard is never stale and nobody can forecast what was already measured.

export interface Submission {
  campaign: string;
  assay: string | undefined;
  details: PredictionSetDetails;
  source: { csv: string } | { rows: readonly PredictionRowInput[] };
}

export interface Submitted {
  set: PredictionSet;
  skipped: PredictionRowError[];
}

/** Time for the chemistry sandbox to read a set's SMILES (10,000 at most). */
const PARSE_TIMEOUT_MS = 120_000;

/**
 * Reads, checks, seals and stores a prediction set (anyone signed in). Any row with an error refuses the whole set
 * with a 422 listing every row, unless the submitter confirmed, in which case the good rows are stored and the others
 * answered in `skipped`. Nothing is stored when nothing is good.
 */
export async function submitPredictions(db: Queryable, actor: Actor, submission: Submission): Promise<Submitted> {
  requireActor(actor);
  const campaign = await requireCampaign(db, submission.campaign);
  const assay = await resolveAssay(db, campaign.id, submission.assay);
  const unit = predictionUnit(submission.details.unit, assay.label);
  if ("message" in unit) throw new AppError("validation_failed", `unit: ${unit.message}`, { fields: { unit: unit.message } });
  const read = readPredictions(submission.source, unit.unit);
  const errors = [...read.errors];
  const settings = await scoringSettings(db, campaign.id);
  const keyed = await structureKeys(db, campaign, read.rows, settings.compare, errors);
  // Two IDs of one molecule are already an error of the reader's; the same structure as an ID and a SMILES, or as
  // two SMILES, is found here.
  const reported = new Set(errors.map((e) => `${e.row}:${e.field}`));
  const sameStructure = duplicateKeys(
    keyed.flatMap((k) => (k.key === null ? [] : [{ row: k.row.row, key: k.key, field: k.moleculeId === null ? "smiles" : "molecule" }])),
  );
  errors.push(...sameStructure.filter((e) => !reported.has(`${e.row}:${e.field}`)));
  const bad = new Set(errors.map((e) => e.row));
  const good = keyed.filter((k) => !bad.has(k.row.row));
  errors.sort((a, b) => a.row - b.row);
  if (errors.length > 0 && (!submission.details.confirm || good.length === 0)) {
    const shown = errors.slice(0, 200);
    throw new AppError(
      "validation_failed",
      good.length === 0
        ? `rows: no row can be accepted (${errors.length} ${errors.length === 1 ? "error" : "errors"}); nothing was stored`
        : `rows: ${bad.size} of ${bad.size + good.length} rows have errors; nothing was stored. Fix them, or submit again with confirm to store the ${good.length} good ${good.length === 1 ? "row" : "rows"}`,
      {
        fields: Object.fromEntries(shown.map((e) => [`rows.${e.row}.${e.field}`, e.message])),
      },
    );
  }
  const details = submission.details;
  const rows = good.map((k) => k.row);
  const hash = sealHash({
    campaign: campaign.slug,
    assay: assay.label,
    name: details.name,
    description: details.description ?? null,
    method: details.method ?? null,
    unit: unit.unit,
    rows,
  });
  const set = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(predictionSets)
      .values({
        campaignId: campaign.id,
        assayLabel: assay.label,
        name: details.name,
        description: details.description ?? null,
        method: details.method ?? null,
        unit: unit.unit,
        submittedById: actor.id,
        rowCount: rows.length,
        hash,
      })
      .returning();
    await insertRows(tx, inserted!.id, good);
    return inserted!;
  });
  return { set, skipped: errors };
}

export interface KeyedRow {
  row: PredictionRow;
  moleculeId: number | null;
  smiles: string | null;
  idcode: string | null;
  idcodeNoStereo: string | null;
  parentIdcode: string | null;
  /** The structure key under the campaign's comparison (null when it cannot be had). */
  key: string | null;
}

export async function insertRows(tx: Queryable, setId: number, rows: readonly KeyedRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) {
    await tx.insert(predictionRows).values(
      rows.slice(i, i + 1_000).map((k) => ({
        setId,
        row: k.row.row,
        moleculeId: k.moleculeId,
        smiles: k.smiles,
        idcode: k.idcode,
        idcodeNoStereo: k.idcodeNoStereo,
        parentIdcode: k.parentIdcode,
        value: k.row.value,
        pic50: k.row.pic50,
        uncertainty: k.row.uncertainty,
        rank: k.row.rank,
      })),
    );
  }
}

const KEY_OF = { exact: "idcode", "no-stereo": "idcodeNoStereo", parent: "parentIdcode" } as const;

/**
 * Each row's molecule (an ID of this campaign, or an alias of it) or structure (a SMILES read by the sandbox): an
 * unknown ID or an unreadable SMILES is a row error. Rows get the key that finds the same structure twice in a set.
 */
async function structureKeys(
  db: Queryable,
  campaign: Campaign,
  rows: readonly PredictionRow[],
  compare: CompareMode,
  errors: PredictionRowError[],
): Promise<KeyedRow[]> {
  const codes = [...new Set(rows.flatMap((r) => (r.molecule ? [r.molecule] : [])))];
  const known = new Map<string, { id: number; idcode: string; idcodeNoStereo: string; parentIdcode: string }>();
  for (let i = 0; i < codes.length; i += 1_000) {
    const found = await db
      .select({
        code: molecules.campaignCode,
        id: molecules.id,
        idcode: molecules.idcode,
        idcodeNoStereo: molecules.idcodeNoStereo,
        parentIdcode: molecules.parentIdcode,
      })
      .from(molecules)
      .where(and(eq(molecules.campaignId, campaign.id), inArray(molecules.campaignCode, codes.slice(i, i + 1_000))));
    for (const m of found) known.set(m.code, m);
  }
  const smilesRows = rows.filter((r) => r.smiles !== null);
  const parsed = smilesRows.length
    ? await safeParseMany(
        smilesRows.map((r) => ({ smiles: r.smiles! })),
        { timeoutMs: PARSE_TIMEOUT_MS, inchi: false },
      )
    : [];
  const structures = new Map(smilesRows.map((r, i) => [r.row, parsed[i]!]));
  const keyed: KeyedRow[] = [];
  for (const row of rows) {
    if (row.molecule !== null) {
      const m = known.get(row.molecule);
      if (!m) {
        errors.push({ row: row.row, field: "molecule", message: `${row.molecule} is not a molecule of ${campaign.name}` });
        continue;
      }
      keyed.push({ row, moleculeId: m.id, smiles: null, idcode: null, idcodeNoStereo: null, parentIdcode: null, key: m[KEY_OF[compare]] });
      continue;
    }
    const outcome = structures.get(row.row)!;
    if (!outcome.ok) {
      errors.push({ row: row.row, field: "smiles", message: `cannot be read: ${outcome.error.message}` });
      continue;
    }
    const s = outcome.result.structure;
    keyed.push({
      row,
      moleculeId: null,
      smiles: row.smiles,
      idcode: s.idcode,
      idcodeNoStereo: s.idcodeNoStereo,
      parentIdcode: s.parentIdcode,
      key: s[KEY_OF[compare]],
    });
  }
  return keyed;
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring on read

export interface ScoredPrediction {
  row: number;
  molecule: { id: number; code: string } | null;
  smiles: string | null;
  value: number;
  pic50: number;
  uncertainty: number | null;
  rank: number | null;
  observed: ObservedValue | null;
}

export interface ScoredSet {
  set: PredictionSet;
  submitter: string | null;
  model: { id: number; algorithm: string } | null;
  campaign: string;
  scores: SetScores;
  predictions: ScoredPrediction[];
}

/**
 * Scores by set and what was observed: the bootstrap intervals of a large set take a second or two, and a set's
 * scores only change when one of its results (or the campaign's settings) does — which changes the key.
 */
const scoreCache = new LRUCache<string, SetScores>({ max: 500 });

/** Scores sets of one campaign and assay against the results recorded after each was submitted. */
async function scoreSets(
  db: Queryable,
  campaignId: number,
  label: string,
  sets: PredictionSet[],
): Promise<Omit<ScoredSet, "submitter" | "model" | "campaign">[]> {
  if (sets.length === 0) return [];
  const settings = await scoringSettings(db, campaignId);
  const rows = await db
    .select()
    .from(predictionRows)
    .where(
      inArray(
        predictionRows.setId,
        sets.map((s) => s.id),
      ),
    )
    .orderBy(asc(predictionRows.setId), asc(predictionRows.row));
  // Structures predicted before they were registered: matched now, by the campaign's comparison.
  const column = KEY_OF[settings.compare];
  const keys = rows.flatMap((r) => (r.moleculeId === null && r[column] !== null ? [r[column]] : []));
  const byKey = await moleculesByKey(db, campaignId, settings.compare, keys);
  const moleculeOf = (r: (typeof rows)[number]) => r.moleculeId ?? (r[column] === null ? null : (byKey.get(r[column]) ?? null));
  const ids = [...new Set(rows.map(moleculeOf).filter((id): id is number => id !== null))];
  const [results, codes] = await Promise.all([
    assayResults(db, campaignId, label, ids),
    ids.length
      ? db.select({ id: molecules.id, code: molecules.campaignCode }).from(molecules).where(inArray(molecules.id, ids))
      : Promise.resolve([]),
  ]);
  const codeOf = new Map(codes.map((c) => [c.id, c.code]));
  const bySet = new Map<number, typeof rows>();
  for (const r of rows) bySet.set(r.setId, [...(bySet.get(r.setId) ?? []), r]);
  return sets.map((set) => {
    const predictions = (bySet.get(set.id) ?? []).map((r): ScoredPrediction => {
      const id = moleculeOf(r);
      const after = (results.get(id ?? -1) ?? []).filter((m: Result) => m.createdAt > set.submittedAt);
      return {
        row: r.row,
        molecule: id === null ? null : { id, code: codeOf.get(id)! },
        smiles: r.smiles,
        value: r.value,
        pic50: r.pic50,
        uncertainty: r.uncertainty,
        rank: r.rank,
        observed: after.length ? observedValue(label, after) : null,
      };
    });
    const scoring = predictions.map((p) => ({ predicted: p.pic50, rank: p.rank, observed: p.observed }));
    const key = `${set.id}|${settings.activeThreshold}|${settings.topK}|${scoring.map((r) => (r.observed ? `${r.observed.pic50}${r.observed.qualifier}` : "")).join(",")}`;
    let scores = scoreCache.get(key);
    if (!scores) {
      scores = scoreSet(scoring, {
        activeThreshold: settings.activeThreshold,
        topK: settings.topK,
        bootstrap: { samples: 1000, seed: set.id },
      });
      scoreCache.set(key, scores);
    }
    return { set, scores, predictions };
  });
}

async function decorate(
  db: Queryable,
  campaign: string,
  scored: Omit<ScoredSet, "submitter" | "model" | "campaign">[],
): Promise<ScoredSet[]> {
  const userIds = [...new Set(scored.flatMap((s) => (s.set.submittedById === null ? [] : [s.set.submittedById])))];
  const modelIds = [...new Set(scored.flatMap((s) => (s.set.modelId === null ? [] : [s.set.modelId])))];
  const [people, models] = await Promise.all([
    userIds.length ? db.select({ id: users.id, login: users.login }).from(users).where(inArray(users.id, userIds)) : Promise.resolve([]),
    modelIds.length
      ? db
          .select({ id: predictionModels.id, algorithm: predictionModels.algorithm })
          .from(predictionModels)
          .where(inArray(predictionModels.id, modelIds))
      : Promise.resolve([]),
  ]);
  const login = new Map(people.map((p) => [p.id, p.login]));
  const model = new Map(models.map((m) => [m.id, m]));
  return scored.map((s) => ({
    ...s,
    campaign,
    submitter: s.set.submittedById === null ? null : (login.get(s.set.submittedById) ?? null),
    model: s.set.modelId === null ? null : (model.get(s.set.modelId) ?? null),
  }));
}

export interface ScoreboardView {
  campaign: Campaign;
  assay: string;
  /** Every assay predictions can be made for, for the page's choice. */
  assays: string[];
  activeThreshold: number;
  topK: number;
  submissions: ScoredSet[];
}

/** The scoreboard of one assay: every set, scored, ranked (lib/predictions/score.ts rankSubmissions). */
export async function scoreboard(db: Queryable, slug: string, asked?: string): Promise<ScoreboardView> {
  const campaign = await requireCampaign(db, slug);
  const assays = await predictableAssays(db, campaign.id);
  const assay = assayAmong(assays, asked);
  const [sets, settings] = await Promise.all([
    db
      .select()
      .from(predictionSets)
      .where(and(eq(predictionSets.campaignId, campaign.id), eq(predictionSets.assayLabel, assay.label)))
      .orderBy(asc(predictionSets.submittedAt)),
    scoringSettings(db, campaign.id),
  ]);
  const scored = await decorate(db, campaign.slug, await scoreSets(db, campaign.id, assay.label, sets));
  const ranked = rankSubmissions(scored.map((s) => ({ ...s, submittedAt: s.set.submittedAt })));
  return {
    campaign,
    assay: assay.label,
    assays: assays.map((a) => a.label),
    activeThreshold: settings.activeThreshold,
    topK: settings.topK,
    submissions: ranked,
  };
}

/** One set with every prediction and its result; 404 when there is no such set. */
export async function getPredictionSet(db: Queryable, id: number): Promise<ScoredSet> {
  const [row] = await db
    .select({ set: predictionSets, slug: campaigns.slug })
    .from(predictionSets)
    .innerJoin(campaigns, eq(campaigns.id, predictionSets.campaignId))
    .where(eq(predictionSets.id, id));
  if (!row) throw new AppError("not_found", `No prediction set ${id}.`);
  const [scored] = await decorate(db, row.slug, await scoreSets(db, row.set.campaignId, row.set.assayLabel, [row.set]));
  return scored!;
}

/** The newest sets of a campaign (any assay), for its page and feed. */
export async function recentSets(db: Queryable, campaignId: number, limit = 10): Promise<PredictionSet[]> {
  return db
    .select()
    .from(predictionSets)
    .where(and(eq(predictionSets.campaignId, campaignId), isNotNull(predictionSets.submittedById)))
    .orderBy(desc(predictionSets.submittedAt))
    .limit(limit);
}

export const predictionSetPath = (id: number) => `/predictions/${id}`;
