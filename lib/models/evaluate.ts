import { mae, rmse, spearman, topKHits } from "../predictions/metrics";
import type { Bits } from "./forest";
import { nearest } from "./knn";

/**
 * Honest evaluation of a campaign's model: never on molecules it was trained on, and never on close analogues of
 * them that chance put in the training part. Two splits, each with the same two references computed on the same
 * molecules, so that a figure can be read against what a chemist gets for free:
 * - scaffold-grouped k-fold cross-validation (every molecule predicted once, by a model that saw no molecule of its
 *   scaffold), metrics over the pooled out-of-fold predictions;
 * - a time split: trained on the first ~80 % in order of registration, tested on the rest, as the model is used.
 * References: the training mean (no model at all) and the value of the most similar training molecule (1-NN by
 * Tanimoto, what a chemist does by eye).
 */

export interface EvaluationMolecule {
  positions: Bits;
  value: number;
  /** Scaffold key (lib/models/scaffold.ts). */
  scaffold: string;
  /** Registration order: smaller is earlier. */
  order: number;
}

/** A model fitted on training molecules, answering a value for a fingerprint. */
export type Learner = (positions: readonly Bits[], values: readonly number[]) => (query: Bits) => number;

export interface SplitMetrics {
  /** Molecules predicted. */
  n: number;
  rmse: number | null;
  mae: number | null;
  spearman: number | null;
  /** Of the k best-predicted molecules, how many are active (value ≥ activeThreshold); `actives` among all n. */
  topK: { k: number; hits: number; actives: number };
}

/** The model against the two references, on the same molecules. */
export interface Comparison {
  model: SplitMetrics;
  mean: SplitMetrics;
  nearest: SplitMetrics;
}

export interface EvaluationOptions {
  /** pIC50 at or above which a molecule counts as active (6: IC50 ≤ 1 µM). */
  activeThreshold: number;
  /** Default 20, OSM's first competition. */
  topK?: number;
  /** Default 5. */
  folds?: number;
  /** Share of molecules, earliest first, in the time split's training part. Default 0.8. */
  trainShare?: number;
}

export interface Evaluation {
  /** Null with fewer than two scaffolds. */
  cv: (Comparison & { folds: number }) | null;
  /** Null with fewer than two molecules. */
  timeSplit: (Comparison & { trainedOn: number }) | null;
}

/**
 * Fold of each molecule: scaffold groups, largest first (ties: the scaffold seen first), each into the fold with
 * the fewest molecules so far (ties: the lowest fold). Deterministic, and a scaffold is never split.
 */
export function scaffoldFolds(scaffolds: readonly string[], folds: number): number[] {
  const groups = new Map<string, number[]>();
  scaffolds.forEach((s, i) => (groups.get(s) ?? groups.set(s, []).get(s)!).push(i));
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const sizes = new Array<number>(folds).fill(0);
  const fold = new Array<number>(scaffolds.length);
  for (const group of ordered) {
    const target = sizes.indexOf(Math.min(...sizes));
    for (const i of group) fold[i] = target;
    sizes[target]! += group.length;
  }
  return fold;
}

/** The time split: the first ⌊share·n⌋ molecules by order (ties by position) to train, the rest to test. */
export function timeSplit(orders: readonly number[], share = 0.8): { train: number[]; test: number[] } {
  const byOrder = orders.map((_, i) => i).sort((a, b) => orders[a]! - orders[b]! || a - b);
  const cut = Math.min(byOrder.length - 1, Math.max(1, Math.floor(share * byOrder.length)));
  return { train: byOrder.slice(0, cut), test: byOrder.slice(cut) };
}

/**
 * MoleculeNet's deterministic scaffold split (DeepChem's ScaffoldSplitter): scaffold sets sorted by size, largest
 * first (ties: the set whose first molecule comes later first, as DeepChem's reverse sort), each to train while it
 * fits under 80 %, else to validation while under 90 %, else to test.
 */
export function moleculeNetScaffoldSplit(
  scaffolds: readonly string[],
  train = 0.8,
  valid = 0.1,
): { train: number[]; valid: number[]; test: number[] } {
  const groups = new Map<string, number[]>();
  scaffolds.forEach((s, i) => (groups.get(s) ?? groups.set(s, []).get(s)!).push(i));
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length || b[0]! - a[0]!);
  const out = { train: [] as number[], valid: [] as number[], test: [] as number[] };
  const trainCut = train * scaffolds.length;
  const validCut = (train + valid) * scaffolds.length;
  for (const group of ordered) {
    if (out.train.length + group.length <= trainCut) out.train.push(...group);
    else if (out.train.length + out.valid.length + group.length <= validCut) out.valid.push(...group);
    else out.test.push(...group);
  }
  return out;
}

/** The model and both references, by scaffold-grouped cross-validation and by time split. */
export function evaluate(molecules: readonly EvaluationMolecule[], learner: Learner, options: EvaluationOptions): Evaluation {
  const folds = Math.min(options.folds ?? 5, new Set(molecules.map((m) => m.scaffold)).size);
  let cv: Evaluation["cv"] = null;
  if (folds >= 2) {
    const fold = scaffoldFolds(
      molecules.map((m) => m.scaffold),
      folds,
    );
    const predicted = { model: [] as number[], mean: [] as number[], nearest: [] as number[] };
    for (let f = 0; f < folds; f++) {
      const train = molecules.flatMap((_, i) => (fold[i] === f ? [] : [i]));
      const test = molecules.flatMap((_, i) => (fold[i] === f ? [i] : []));
      const answers = predictSplit(molecules, train, test, learner);
      test.forEach((i, k) => {
        predicted.model[i] = answers.model[k]!;
        predicted.mean[i] = answers.mean[k]!;
        predicted.nearest[i] = answers.nearest[k]!;
      });
    }
    cv = {
      folds,
      ...compare(
        molecules.map((m) => m.value),
        predicted,
        options,
      ),
    };
  }
  let split: Evaluation["timeSplit"] = null;
  if (molecules.length >= 2) {
    const { train, test } = timeSplit(
      molecules.map((m) => m.order),
      options.trainShare,
    );
    const observed = test.map((i) => molecules[i]!.value);
    split = { trainedOn: train.length, ...compare(observed, predictSplit(molecules, train, test, learner), options) };
  }
  return { cv, timeSplit: split };
}

/**
 * The metrics of one set of predictions against observed values (same order). A constant prediction (the mean)
 * ranks nothing: its top k are the first k molecules as given.
 */
export function splitMetrics(
  observed: readonly number[],
  predicted: readonly number[],
  options: Pick<EvaluationOptions, "activeThreshold" | "topK">,
): SplitMetrics {
  const active = observed.map((v) => v >= options.activeThreshold);
  const { k, hits } = topKHits(predicted, active, options.topK ?? 20);
  return {
    n: observed.length,
    rmse: rmse(predicted, observed),
    mae: mae(predicted, observed),
    spearman: spearman(predicted, observed),
    topK: { k, hits, actives: active.filter(Boolean).length },
  };
}

function predictSplit(
  molecules: readonly EvaluationMolecule[],
  train: readonly number[],
  test: readonly number[],
  learner: Learner,
): Record<keyof Comparison, number[]> {
  const positions = train.map((i) => molecules[i]!.positions);
  const values = train.map((i) => molecules[i]!.value);
  const model = learner(positions, values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    model: test.map((i) => model(molecules[i]!.positions)),
    mean: test.map(() => mean),
    nearest: test.map((i) => values[nearest(molecules[i]!.positions, positions, 1)[0]!.index]!),
  };
}

/** The model and the references against the observed values (all three arrays in the order of `observed`). */
function compare(observed: readonly number[], predicted: Record<keyof Comparison, number[]>, options: EvaluationOptions): Comparison {
  return {
    model: splitMetrics(observed, predicted.model, options),
    mean: splitMetrics(observed, predicted.mean, options),
    nearest: splitMetrics(observed, predicted.nearest, options),
  };
}
