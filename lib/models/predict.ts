import type { ModelAlgorithm } from "./algorithms";
import { FINGERPRINT_BITS, predictForest, type Bits, type Forest } from "./forest";
import { knnPredict, nearest } from "./knn";

/**
 * What a trained model answers for a structure: its predicted value with an uncertainty, how close the structure is
 * to anything the model was trained on, and the nearest measured molecules. Pure and fast (a forest of 150 trees
 * and a scan of the training set take well under a millisecond for hundreds of training molecules), so it runs in
 * the server on the stored model; only reading a structure needs the sandbox.
 */

/**
 * Below this Tanimoto similarity (Morgan radius 2, 2048 bits) to the nearest training molecule, a prediction is
 * "outside what the model knows". Unrelated molecules sit well below it: of 200,000 random pairs of MoleculeNet HIV
 * molecules the median is 0.09, the 99th percentile 0.22, and 0.07 % reach 0.35. Within a campaign's series nearly
 * everything is above it (OSM Series 4 under scaffold-grouped CV: 3 of 167 below), and errors grow as the nearest
 * neighbour gets further (Series 4's forest, CV RMSE 0.93 between 0.35 and 0.5, about 0.7 above; npm run
 * bench:models prints these), so a structure below it is unlike anything measured, not merely a new analogue.
 */
export const OUTSIDE_SIMILARITY = 0.35;

/** The training molecules a model keeps: their Morgan bit positions, values (pIC50) and ids (null when not given). */
export interface TrainingSet {
  positions: number[][];
  values: number[];
  ids: (number | null)[];
}

/** A trained model as stored: plain JSON. */
export interface TrainedModel {
  version: 1;
  algorithm: ModelAlgorithm;
  /** Null for kNN. */
  forest: Forest | null;
  /** The k of the kNN model, and of `neighbours` by default. */
  k: number;
  training: TrainingSet;
}

export interface Prediction {
  value: number;
  /** The forest: standard deviation across its trees; kNN: the similarity-weighted spread of the neighbours. */
  uncertainty: number;
  /** Tanimoto similarity to the nearest training molecule. */
  similarity: number;
  /** similarity < OUTSIDE_SIMILARITY: the structure is unlike anything the model was trained on. */
  outside: boolean;
}

export interface NeighbourMolecule {
  /** The id given with the molecule at training, or null. */
  id: number | null;
  /** Position in the training set. */
  index: number;
  similarity: number;
  value: number;
}

/** Typed fingerprints of a training set, made once per stored model object. */
const prepared = new WeakMap<TrainingSet, Bits[]>();

function trainingBits(training: TrainingSet): Bits[] {
  let bits = prepared.get(training);
  if (!bits) {
    bits = training.positions.map((p) => toBits(p));
    prepared.set(training, bits);
  }
  return bits;
}

/** The model's prediction for a structure given as its Morgan bit positions. */
export function predict(model: TrainedModel, positions: ArrayLike<number>): Prediction {
  const query = toBits(positions);
  const training = trainingBits(model.training);
  const [closest] = nearest(query, training, 1);
  const similarity = closest?.similarity ?? 0;
  const { value, uncertainty } =
    model.algorithm === "random-forest" && model.forest
      ? predictForest(model.forest, query)
      : knnPredict(query, training, model.training.values, model.k);
  return { value, uncertainty, similarity, outside: similarity < OUTSIDE_SIMILARITY };
}

/** The k measured molecules most similar to a structure, most similar first (from a model or its training set). */
export function neighbours(source: TrainedModel | TrainingSet, positions: ArrayLike<number>, k = 5): NeighbourMolecule[] {
  const training = "training" in source ? source.training : source;
  return nearest(toBits(positions), trainingBits(training), k).map(({ index, similarity }) => ({
    id: training.ids[index] ?? null,
    index,
    similarity,
    value: training.values[index]!,
  }));
}

/** Sorted, distinct bit positions within the fingerprint's range, whatever order they were given in. */
export function toBits(positions: ArrayLike<number>): Bits {
  const bits = Uint16Array.from(Array.from(positions).filter((b) => Number.isInteger(b) && b >= 0 && b < FINGERPRINT_BITS));
  bits.sort();
  let kept = 0;
  for (let i = 0; i < bits.length; i++) if (i === 0 || bits[i] !== bits[i - 1]) bits[kept++] = bits[i]!;
  return bits.subarray(0, kept);
}
