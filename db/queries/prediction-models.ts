import { createHash } from "node:crypto";
import { and, asc, desc, eq, getTableColumns, inArray, notInArray } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { AppError } from "@/lib/errors";
import { neighbours, predict, type TrainedModel } from "@/lib/models/predict";
import type { TrainInput, TrainOutput } from "@/lib/models/train";
import { observedValue } from "@/lib/predictions/observed";
import { sealHash } from "@/lib/predictions/seal";
import { fromPic50 } from "@/lib/predictions/units";
import { callSandbox, type SandboxControl } from "@/lib/sandbox/call";
import type { SafeParseResult } from "@/lib/sandbox/jobs";
import { sharedChemPool, toChemError, type WorkerOutcome } from "@/lib/sandbox/pool";
import { recordParts } from "@/lib/search/record";
import type { Queryable } from "../index";
import { campaigns, molecules, predictionModels, predictionSets, type Campaign, type PredictionModel } from "../schema";
import { requireCampaign } from "./campaigns";
import { findMoleculeId } from "./molecules";
import { assayAmong, assayResults, predictableAssays, resolveAssay, scoringSettings, type CampaignAssay } from "./prediction-data";
import { insertRows, type KeyedRow } from "./predictions";
import { runOnce } from "./scheduled";

// The campaign's own models (issue 17): one per assay with enough measured molecules, trained in the background on
// the results as they are (server/model-runner.ts), evaluated honestly (lib/models/evaluate.ts), entered on the
// scoreboard with a sealed set of its predictions for the molecules not tested yet, and asked on molecule pages,
// while a structure is drawn, and for the next compounds to make.

/** An assay needs this many molecules with an exact result before the campaign gets a model of it. */
export const MIN_TRAINING_MOLECULES = 20;
/** Bumped when the features, the learner or its options change: every model is trained again. */
const MODEL_VERSION = "1";
/** A training that has not finished after this long is taken over by the next process to look (its process died). */
const TRAINING_STALE_MS = 10 * 60_000;
const TRAINING_TIMEOUT_MS = 10 * 60_000;

interface TrainingMolecule {
  id: number;
  idcode: string;
  positions: number[];
  value: number;
}

/** The molecules of an assay a model learns from: an exact result (replicates averaged on pIC50) and a fingerprint. */
async function trainingData(db: Queryable, campaignId: number, label: string): Promise<TrainingMolecule[]> {
  const results = await assayResults(db, campaignId, label, null);
  const ids = [...results.keys()];
  const found: TrainingMolecule[] = [];
  for (let i = 0; i < ids.length; i += 1_000) {
    const rows = await db
      .select({ id: molecules.id, idcode: molecules.idcode, record: molecules.searchRecord })
      .from(molecules)
      .where(inArray(molecules.id, ids.slice(i, i + 1_000)));
    for (const r of rows) {
      const exact = (results.get(r.id) ?? []).filter((m) => m.qualifier === "=");
      const observed = exact.length ? observedValue(label, exact) : null;
      const morgan = recordParts(r.record)?.morgan;
      if (observed === null || !morgan || morgan.length === 0) continue;
      found.push({ id: r.id, idcode: r.idcode, positions: [...morgan], value: observed.pic50 });
    }
  }
  return found.sort((a, b) => a.id - b.id);
}

/** Names the training data: a model is trained once per version of it. */
function dataVersion(data: readonly TrainingMolecule[]): string {
  const hash = createHash("sha256").update(`model ${MODEL_VERSION}\n`);
  for (const m of data) hash.update(`${m.id} ${m.value.toFixed(6)}\n`);
  return hash.digest("hex").slice(0, 32);
}

/**
 * Trains every model whose data changed since it was trained, once across processes: the claim is a scheduled run
 * named by campaign and assay for the data's version; the unique index on the version refuses a second model.
 * Answers the models trained by this call.
 */
export async function trainStaleModels(db: Queryable): Promise<PredictionModel[]> {
  const trained: PredictionModel[] = [];
  const all = await db.select().from(campaigns).orderBy(asc(campaigns.id));
  for (const campaign of all) {
    for (const assay of await predictableAssays(db, campaign.id)) {
      if (assay.molecules < MIN_TRAINING_MOLECULES) continue;
      const model = await trainIfStale(db, campaign, assay);
      if (model) trained.push(model);
    }
  }
  return trained;
}

async function trainIfStale(db: Queryable, campaign: Campaign, assay: CampaignAssay): Promise<PredictionModel | null> {
  const data = await trainingData(db, campaign.id, assay.label);
  if (data.length < MIN_TRAINING_MOLECULES) return null;
  const version = dataVersion(data);
  const [existing] = await db
    .select({ id: predictionModels.id })
    .from(predictionModels)
    .where(
      and(
        eq(predictionModels.campaignId, campaign.id),
        eq(predictionModels.assayLabel, assay.label),
        eq(predictionModels.dataVersion, version),
      ),
    );
  if (existing) return null;
  const outcome = await runOnce(
    db,
    `model:${campaign.id}:${assay.label}`,
    version,
    async () => {
      const settings = await scoringSettings(db, campaign.id);
      const input: TrainInput = {
        molecules: data.map((m) => ({ id: m.id, idcode: m.idcode, positions: m.positions, value: m.value, order: m.id })),
        options: { seed: 1, activeThreshold: settings.activeThreshold },
      };
      const [result] = (await sharedChemPool().call<TrainOutput>("train-model", [input], {
        timeoutMs: TRAINING_TIMEOUT_MS,
        priority: "bulk",
      })) as [WorkerOutcome<TrainOutput>];
      if (!result.ok) throw toChemError(result.error);
      return storeModel(db, campaign, assay.label, version, result.result);
    },
    { staleAfterMs: TRAINING_STALE_MS },
  );
  return outcome.ran ? outcome.result : null;
}

/**
 * Stores a trained model and, in the same transaction, its sealed predictions for the campaign's molecules that have
 * no result of the assay yet: the model enters the scoreboard like anyone, before the results come.
 */
async function storeModel(
  db: Queryable,
  campaign: Campaign,
  label: string,
  version: string,
  trained: TrainOutput,
): Promise<PredictionModel | null> {
  return db.transaction(async (tx) => {
    const [model] = await tx
      .insert(predictionModels)
      .values({
        campaignId: campaign.id,
        assayLabel: label,
        dataVersion: version,
        algorithm: trained.algorithm,
        trainedOn: trained.trainedOn,
        evaluation: trained.evaluation,
        model: trained.model,
      })
      .onConflictDoNothing()
      .returning();
    if (!model) return null;
    const untested = await untestedMolecules(tx, campaign.id, label);
    const rows: KeyedRow[] = untested
      .map((m) => ({ m, p: predict(trained.model, m.positions) }))
      .sort((a, b) => b.p.value - a.p.value || a.m.id - b.m.id)
      .map(({ m, p }, i) => {
        const value = round(p.value, 3);
        return {
          row: { row: i + 1, molecule: m.code, smiles: null, value, pic50: value, uncertainty: round(p.uncertainty, 3), rank: i + 1 },
          moleculeId: m.id,
          smiles: null,
          idcode: null,
          idcodeNoStereo: null,
          parentIdcode: null,
          key: null,
        };
      });
    if (rows.length === 0) return model;
    const name = `${campaign.name} model (${trained.algorithm === "knn" ? "nearest neighbours" : "random forest"}, ${trained.trainedOn} molecules)`;
    const description =
      "The campaign's own baseline, trained in the background on every molecule with an exact result of this assay " +
      "(Morgan fingerprints, radius 2, 2048 bits); its predictions for the molecules not tested yet, sealed when it was trained.";
    const hash = sealHash({
      campaign: campaign.slug,
      assay: label,
      name,
      description,
      method: null,
      unit: "pIC50",
      rows: rows.map((r) => r.row),
    });
    const [set] = await tx
      .insert(predictionSets)
      .values({
        campaignId: campaign.id,
        assayLabel: label,
        name,
        description,
        unit: "pIC50",
        modelId: model.id,
        rowCount: rows.length,
        hash,
      })
      .returning();
    await insertRows(tx, set!.id, rows);
    return model;
  });
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Active molecules of the campaign with no result of the assay, with their fingerprints. */
async function untestedMolecules(db: Queryable, campaignId: number, label: string) {
  const tested = [...(await assayResults(db, campaignId, label, null)).keys()];
  const rows = await db
    .select({ id: molecules.id, code: molecules.campaignCode, record: molecules.searchRecord })
    .from(molecules)
    .where(
      and(
        eq(molecules.campaignId, campaignId),
        eq(molecules.status, "active"),
        tested.length ? notInArray(molecules.id, tested) : undefined,
      ),
    )
    .orderBy(asc(molecules.id));
  return rows.flatMap((r) => {
    const morgan = recordParts(r.record)?.morgan;
    return morgan && morgan.length > 0 ? [{ id: r.id, code: r.code, positions: morgan }] : [];
  });
}

export type ModelSummary = Omit<PredictionModel, "model">;
const { model: _fitted, ...summaryColumns } = getTableColumns(predictionModels);

/** Fitted models by id: a model never changes once stored, and reading its JSON (a few MB) for every page would show. */
const fitted = new LRUCache<number, TrainedModel>({ max: 8 });

async function trainedModel(db: Queryable, id: number): Promise<TrainedModel> {
  const cached = fitted.get(id);
  if (cached) return cached;
  const [row] = await db.select({ model: predictionModels.model }).from(predictionModels).where(eq(predictionModels.id, id));
  const model = row!.model as TrainedModel;
  fitted.set(id, model);
  return model;
}

/** The newest model of an assay, or null while it has none. */
export async function latestModel(db: Queryable, campaignId: number, label: string): Promise<ModelSummary | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(predictionModels)
    .where(and(eq(predictionModels.campaignId, campaignId), eq(predictionModels.assayLabel, label)))
    .orderBy(desc(predictionModels.trainedAt), desc(predictionModels.id))
    .limit(1);
  return row ?? null;
}

/** Why an assay has no model yet (pages say it where a prediction would be). */
export function noModelReason(assay: { label: string; molecules: number }): string {
  return assay.molecules < MIN_TRAINING_MOLECULES
    ? `${assay.label} has results for ${assay.molecules} ${assay.molecules === 1 ? "molecule" : "molecules"}; the campaign's model needs ${MIN_TRAINING_MOLECULES}`
    : `the model of ${assay.label} is being trained; it appears within a few minutes`;
}

async function requireModel(db: Queryable, campaign: Campaign, assay: CampaignAssay): Promise<ModelSummary> {
  const model = await latestModel(db, campaign.id, assay.label);
  if (model) return model;
  throw new AppError("not_found", `No model yet: ${noModelReason(assay)}.`);
}

export interface ModelAnswer {
  campaign: string;
  assay: string;
  molecule: string | null;
  model: { id: number; algorithm: string; trainedAt: Date; trainedOn: number };
  pic50: number;
  uncertainty: number;
  value: number | null;
  unit: string | null;
  similarity: number;
  inDomain: boolean;
  neighbours: { molecule: string; similarity: number; pic50: number }[];
}

async function answer(
  db: Queryable,
  campaign: Campaign,
  assay: CampaignAssay,
  model: ModelSummary,
  positions: Uint16Array,
  molecule: string | null,
): Promise<ModelAnswer> {
  const trained = await trainedModel(db, model.id);
  const p = predict(trained, positions);
  const near = neighbours(trained, positions, 5);
  const ids = near.flatMap((n) => (n.id === null ? [] : [n.id]));
  const codes = ids.length
    ? new Map(
        (await db.select({ id: molecules.id, code: molecules.campaignCode }).from(molecules).where(inArray(molecules.id, ids))).map((r) => [
          r.id,
          r.code,
        ]),
      )
    : new Map<number, string>();
  const unit = assay.units.find((u) => fromPic50(1, u) !== null) ?? null;
  const similarity = p.similarity;
  return {
    campaign: campaign.slug,
    assay: assay.label,
    molecule,
    model: { id: model.id, algorithm: model.algorithm, trainedAt: model.trainedAt, trainedOn: model.trainedOn },
    pic50: round(p.value, 3),
    uncertainty: round(p.uncertainty, 3),
    value: unit === null ? null : Number(fromPic50(p.value, unit)!.toPrecision(3)),
    unit,
    similarity: round(similarity, 3),
    inDomain: !p.outside,
    neighbours: near.flatMap((n) =>
      n.id !== null && codes.has(n.id)
        ? [{ molecule: codes.get(n.id)!, similarity: round(n.similarity, 3), pic50: round(n.value, 3) }]
        : [],
    ),
  };
}

/** The model's prediction for a registered molecule (its own campaign's model of the assay). */
export async function moleculePrediction(db: Queryable, key: string, asked: string | undefined): Promise<ModelAnswer> {
  const id = await findMoleculeId(db, key);
  if (id === null) throw new AppError("not_found", `No molecule ${key}.`);
  const [m] = await db
    .select({ code: molecules.campaignCode, record: molecules.searchRecord, slug: campaigns.slug })
    .from(molecules)
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(eq(molecules.id, id));
  const campaign = await requireCampaign(db, m!.slug);
  const assay = await resolveAssay(db, campaign.id, asked);
  const model = await requireModel(db, campaign, assay);
  const morgan = recordParts(m!.record)?.morgan;
  if (!morgan || morgan.length === 0) throw new AppError("validation_failed", `${m!.code} has no fingerprint the model can read.`);
  return answer(db, campaign, assay, model, morgan, m!.code);
}

/** The model's prediction for a structure (a SMILES drawn or pasted), read in the sandbox like any untrusted one. */
export async function structurePrediction(
  db: Queryable,
  input: { campaign: string; assay?: string; smiles: string },
  control: SandboxControl,
): Promise<ModelAnswer> {
  const campaign = await requireCampaign(db, input.campaign);
  const assay = await resolveAssay(db, campaign.id, input.assay);
  const model = await requireModel(db, campaign, assay);
  const parsed = await callSandbox<SafeParseResult>("parse", { smiles: input.smiles }, control).catch((error: unknown) => {
    const message = (error as { message?: string }).message ?? "cannot be read";
    throw new AppError("validation_failed", `smiles: ${message}`, { fields: { smiles: message } });
  });
  const morgan = recordParts(parsed.searchRecord)?.morgan;
  if (!morgan || morgan.length === 0)
    throw new AppError("validation_failed", "smiles: RDKit cannot read this structure, so the model cannot either");
  return answer(db, campaign, assay, model, morgan, null);
}

export interface NextCompound {
  molecule: { id: number; code: string } | null;
  smiles: string | null;
  pic50: number;
  uncertainty: number;
  similarity: number;
}

/**
 * What to make or test next: the campaign's active molecules without a result of the assay, ranked by predicted
 * potency (the uncertainty beside it), and any pasted structures among them.
 */
export async function nextCompounds(db: Queryable, slug: string, asked: string | undefined, limit = 50) {
  const campaign = await requireCampaign(db, slug);
  const all = await predictableAssays(db, campaign.id);
  const assay = assayAmong(all, asked);
  const assays = all.map((a) => a.label);
  const model = await latestModel(db, campaign.id, assay.label);
  if (!model) return { campaign, assay, assays, model: null, compounds: [] as NextCompound[], untested: 0 };
  const trained = await trainedModel(db, model.id);
  const untested = await untestedMolecules(db, campaign.id, assay.label);
  const compounds = untested
    .map((m): NextCompound => {
      const p = predict(trained, m.positions);
      return {
        molecule: { id: m.id, code: m.code },
        smiles: null,
        pic50: round(p.value, 3),
        uncertainty: round(p.uncertainty, 3),
        similarity: round(p.similarity, 3),
      };
    })
    .sort((a, b) => b.pic50 - a.pic50 || a.uncertainty - b.uncertainty)
    .slice(0, limit);
  return { campaign, assay, assays, model, compounds, untested: untested.length };
}

/** The models of a campaign, newest first per assay, for the model page. */
export async function campaignModels(db: Queryable, slug: string, asked?: string) {
  const campaign = await requireCampaign(db, slug);
  const all = await predictableAssays(db, campaign.id);
  const assay = assayAmong(all, asked);
  const models = await db
    .select(summaryColumns)
    .from(predictionModels)
    .where(and(eq(predictionModels.campaignId, campaign.id), eq(predictionModels.assayLabel, assay.label)))
    .orderBy(desc(predictionModels.trainedAt), desc(predictionModels.id))
    .limit(20);
  return { campaign, assay, assays: all.map((a) => a.label), models, minimum: MIN_TRAINING_MOLECULES };
}
