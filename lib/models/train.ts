import { predictForest, trainForest, type Bits, type ForestOptions } from "./forest";
import { evaluate, type Evaluation, type EvaluationMolecule, type Learner } from "./evaluate";
import { KNN_K, knnPredict } from "./knn";
import { toBits, type TrainedModel } from "./predict";
import { scaffoldKeyOfIdcode } from "./scaffold";

/**
 * Trains an assay's baseline model from its measured molecules and evaluates it honestly (evaluate.ts). Runs in a
 * sandbox worker as the job "train-model" (lib/sandbox/jobs.ts; it reads idcodes with OpenChemLib for the
 * scaffolds), off the server's thread and under the pool's time limit.
 *
 * Which model: with fewer than MIN_FOREST_MOLECULES measured molecules, kNN (k = 5, similarity-weighted): a forest
 * on a few dozen molecules mostly memorizes them, and five folds of ten molecules cannot tell the two apart. From
 * there, both are cross-validated on the same scaffold-grouped folds and the forest is kept unless kNN's RMSE is
 * lower (on the time split when there are too few scaffolds for folds). The evaluation returned is the kept model's.
 */

export const MIN_FOREST_MOLECULES = 50;

/** The forest a campaign gets (the choice and the figures are in forest.ts and the report of issue 17). */
export const CAMPAIGN_FOREST: ForestOptions = { trees: 150, maxFeatures: "third", minLeaf: 2 };

export interface TrainingMolecule {
  /** Morgan bit positions (lib/search/record.ts recordParts). */
  positions: readonly number[];
  idcode: string;
  /** pIC50. */
  value: number;
  /** Order of registration: smaller is earlier (the time split trains on the earliest 80 %). */
  order: number;
  /** Kept in the model so that neighbours can be named. */
  id?: number;
}

export interface TrainOptions {
  /** Default 1. */
  seed?: number;
  /** pIC50 at or above which a molecule is active, for the top-20 hit rate. Default 6 (IC50 ≤ 1 µM). */
  activeThreshold?: number;
}

export interface TrainInput {
  molecules: TrainingMolecule[];
  options?: TrainOptions;
}

export interface ModelEvaluation extends Evaluation {
  /** Why this algorithm: the rule and the figures it compared (null where not computed). */
  selection: { reason: string; forestRmse: number | null; knnRmse: number | null };
}

export interface TrainOutput {
  algorithm: TrainedModel["algorithm"];
  model: TrainedModel;
  evaluation: ModelEvaluation;
  /** Molecules the model was trained on (those with a fingerprint and a finite value). */
  trainedOn: number;
}

export function forestLearner(seed: number): Learner {
  return (positions, values) => {
    const forest = trainForest(positions, values, { ...CAMPAIGN_FOREST, seed });
    return (query) => predictForest(forest, query).value;
  };
}

export const knnLearner: Learner = (positions, values) => (query) => knnPredict(query, positions, values, KNN_K).value;

export function trainModel(input: TrainInput): TrainOutput {
  const seed = input.options?.seed ?? 1;
  const options = { activeThreshold: input.options?.activeThreshold ?? 6 };
  const kept = input.molecules.flatMap((m) => {
    const positions = toBits(m.positions);
    return positions.length > 0 && Number.isFinite(m.value) ? [{ ...m, positions }] : [];
  });
  if (kept.length === 0) throw new Error("no molecule with a fingerprint and a value to train on");
  const molecules: EvaluationMolecule[] = kept.map((m) => ({
    positions: m.positions,
    value: m.value,
    scaffold: scaffoldOrSelf(m.idcode),
    order: m.order,
  }));

  const knn = evaluate(molecules, knnLearner, options);
  let algorithm: TrainedModel["algorithm"] = "knn";
  let evaluation = knn;
  let selection: ModelEvaluation["selection"] = {
    reason: `fewer than ${MIN_FOREST_MOLECULES} measured molecules: kNN`,
    forestRmse: null,
    knnRmse: headline(knn),
  };
  if (kept.length >= MIN_FOREST_MOLECULES) {
    const forest = evaluate(molecules, forestLearner(seed), options);
    const [forestRmse, knnRmse] = [headline(forest), headline(knn)];
    const kNNBetter = forestRmse !== null && knnRmse !== null && knnRmse < forestRmse;
    if (!kNNBetter) {
      algorithm = "random-forest";
      evaluation = forest;
    }
    const on = knn.cv ? "scaffold-grouped cross-validation" : "the time split";
    selection = {
      reason: kNNBetter ? `kNN had the lower RMSE in ${on}` : `the forest's RMSE in ${on} was not above kNN's`,
      forestRmse,
      knnRmse,
    };
  }

  const positions: Bits[] = kept.map((m) => m.positions);
  const values = kept.map((m) => m.value);
  const model: TrainedModel = {
    version: 1,
    algorithm,
    forest: algorithm === "random-forest" ? trainForest(positions, values, { ...CAMPAIGN_FOREST, seed }) : null,
    k: KNN_K,
    training: { positions: positions.map((p) => Array.from(p)), values, ids: kept.map((m) => m.id ?? null) },
  };
  return { algorithm, model, evaluation: { ...evaluation, selection }, trainedOn: kept.length };
}

/** The figure the choice is made on: RMSE in cross-validation, or in the time split when there were no folds. */
function headline(evaluation: Evaluation): number | null {
  return evaluation.cv?.model.rmse ?? evaluation.timeSplit?.model.rmse ?? null;
}

/** A molecule whose idcode OpenChemLib cannot read (none should be stored) is a scaffold of its own. */
function scaffoldOrSelf(idcode: string): string {
  try {
    return scaffoldKeyOfIdcode(idcode);
  } catch {
    return `unreadable:${idcode}`;
  }
}
