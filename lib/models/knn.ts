import { tanimotoOf } from "../search/morgan";
import type { Bits } from "./forest";

/**
 * Nearest neighbours by Tanimoto similarity of Morgan fingerprints, the similarity chemists read: the same number
 * RDKit gives for the same two structures (lib/search/morgan.ts), computed on sorted bit positions. A linear scan:
 * a campaign's measured molecules number hundreds to a few thousand, so one query is well under a millisecond.
 *
 * The kNN regressor is the model of an assay with few measurements, and the one the forest must beat in
 * cross-validation to be chosen (lib/models/train.ts says the rule).
 */

export const KNN_K = 5;

export interface Neighbour {
  /** Position in the training set. */
  index: number;
  similarity: number;
}

/** Tanimoto similarity of two fingerprints given as sorted bit positions; 0 when both are empty. */
export function tanimoto(a: Bits, b: Bits): number {
  return tanimotoOf(a, b);
}

/** The k most similar training fingerprints, most similar first (ties: the earlier in the training set first). */
export function nearest(query: Bits, training: readonly Bits[], k: number): Neighbour[] {
  // Insertion into a short sorted list: k is small (1 for the reference, 5 for the model), training sets are not.
  const top: Neighbour[] = [];
  if (k <= 0) return top;
  for (let index = 0; index < training.length; index++) {
    const similarity = tanimotoOf(query, training[index]!);
    if (top.length === k && similarity <= top[k - 1]!.similarity) continue;
    let at = top.length;
    while (at > 0 && top[at - 1]!.similarity < similarity) at--;
    top.splice(at, 0, { index, similarity });
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * The similarity-weighted mean of the k nearest training values, and as uncertainty their weighted standard
 * deviation. When no neighbour shares a bit with the query, the mean of all training values (nothing closer is
 * known) and their standard deviation.
 */
export function knnPredict(
  query: Bits,
  training: readonly Bits[],
  values: readonly number[],
  k = KNN_K,
): { value: number; uncertainty: number } {
  const close = nearest(query, training, k).filter((n) => n.similarity > 0);
  if (close.length === 0) return spread(values.map((v) => ({ v, w: 1 })));
  return spread(close.map((n) => ({ v: values[n.index]!, w: n.similarity })));
}

function spread(points: { v: number; w: number }[]): { value: number; uncertainty: number } {
  let weight = 0;
  let total = 0;
  for (const p of points) {
    weight += p.w;
    total += p.w * p.v;
  }
  const mean = total / weight;
  let squares = 0;
  for (const p of points) squares += p.w * (p.v - mean) ** 2;
  return { value: mean, uncertainty: Math.sqrt(squares / weight) };
}
