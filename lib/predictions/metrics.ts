/**
 * How well predicted values agree with measured ones: the plain statistics every scoreboard and model evaluation
 * uses (lib/predictions/score.ts adds censoring and intervals; lib/models evaluates with these). Pure functions over
 * paired arrays of equal length; each answers null when it is not defined for the input (too few values, or no
 * spread), never NaN.
 */

export function rmse(predicted: readonly number[], observed: readonly number[]): number | null {
  if (predicted.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += (predicted[i]! - observed[i]!) ** 2;
  return Math.sqrt(sum / predicted.length);
}

export function mae(predicted: readonly number[], observed: readonly number[]): number | null {
  if (predicted.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i]! - observed[i]!);
  return sum / predicted.length;
}

/** Ranks from 1, ties sharing the average of the ranks they span (as statistics packages do for Spearman's ρ). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2; // the average of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's correlation; null with fewer than two pairs or when either side has no spread. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's ρ: Pearson's correlation of the average ranks (ties handled as scipy.stats.spearmanr does). */
export function spearman(predicted: readonly number[], observed: readonly number[]): number | null {
  return pearson(averageRanks(predicted), averageRanks(observed));
}

/**
 * Kendall's τ-b (ties on either side accounted for, as scipy.stats.kendalltau's default): (concordant − discordant)
 * / √((n0 − n1)(n0 − n2)), with n0 the pairs, n1 and n2 the pairs tied in each variable. Knight's O(n log n)
 * algorithm, as scipy uses: the scoreboard's bootstrap computes τ a thousand times per set, and pair counting made a
 * set of 500 scored molecules take seconds.
 */
export function kendall(predicted: readonly number[], observed: readonly number[]): number | null {
  const n = predicted.length;
  if (n < 2) return null;
  // Order by x, then y; count the pairs tied in x (n1) and tied in both (n3).
  const order = predicted.map((_, i) => i).sort((a, b) => predicted[a]! - predicted[b]! || observed[a]! - observed[b]!);
  const tiedPairs = (values: readonly number[], same: (a: number, b: number) => boolean): number => {
    let pairs = 0;
    for (let start = 0; start < values.length;) {
      let end = start + 1;
      while (end < values.length && same(values[start]!, values[end]!)) end++;
      pairs += ((end - start) * (end - start - 1)) / 2;
      start = end;
    }
    return pairs;
  };
  const n1 = tiedPairs(order, (a, b) => predicted[a] === predicted[b]);
  const n3 = tiedPairs(order, (a, b) => predicted[a] === predicted[b] && observed[a] === observed[b]);
  // Sorting the y values of that order counts the discordant pairs as the swaps a merge sort makes.
  const ys = order.map((i) => observed[i]!);
  const swaps = mergeSortSwaps(ys, new Array<number>(n), 0, n);
  const n2 = tiedPairs(ys, (a, b) => a === b);
  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - n1) * (n0 - n2));
  return denominator === 0 ? null : (n0 - n1 - n2 + n3 - 2 * swaps) / denominator;
}

/** Sorts values[from, to) ascending in place and answers how many pairs were out of order (equal values are not). */
function mergeSortSwaps(values: number[], buffer: number[], from: number, to: number): number {
  if (to - from < 2) return 0;
  const middle = (from + to) >>> 1;
  let swaps = mergeSortSwaps(values, buffer, from, middle) + mergeSortSwaps(values, buffer, middle, to);
  let left = from;
  let right = middle;
  let out = from;
  while (left < middle && right < to) {
    if (values[right]! < values[left]!) {
      swaps += middle - left;
      buffer[out++] = values[right++]!;
    } else buffer[out++] = values[left++]!;
  }
  while (left < middle) buffer[out++] = values[left++]!;
  while (right < to) buffer[out++] = values[right++]!;
  for (let k = from; k < to; k++) values[k] = buffer[k]!;
  return swaps;
}

/**
 * Of the k best-ranked items (by `score`, higher is better; ties kept in input order), how many are active — the hit
 * rate OSM's first modelling competition used with k = 20. k is cut to the number of items.
 */
export function topKHits(score: readonly number[], active: readonly boolean[], k: number): { k: number; hits: number } {
  const order = score.map((_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  const top = order.slice(0, Math.max(0, Math.min(k, order.length)));
  return { k: top.length, hits: top.filter((i) => active[i]).length };
}

/**
 * Area under the ROC curve for scores against binary labels (the Mann–Whitney statistic, ties counted half); null
 * when either class is missing.
 */
export function rocAuc(score: readonly number[], positive: readonly boolean[]): number | null {
  const ranks = averageRanks(score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < score.length; i++) {
    if (positive[i]) {
      positives++;
      rankSum += ranks[i]!;
    }
  }
  const negatives = score.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
