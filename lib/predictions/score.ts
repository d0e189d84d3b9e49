import type { Qualifier } from "../molecules/model";
import { kendall, mae, rmse, spearman, topKHits } from "./metrics";

/** One predicted molecule of a set, with what was measured for it (null while it waits for a result). */
export interface ScoringRow {
  /** The prediction on the pIC50 scale. */
  predicted: number;
  /** The submitter's rank (1 = most promising), when the set gives one. */
  rank?: number | null;
  observed: { pic50: number; qualifier: Qualifier } | null;
}

export interface ScoreOptions {
  /** pIC50 at or above which a compound counts as active (6 = 1 µM); the campaign sets it. */
  activeThreshold: number;
  /** How many of the best-ranked compounds the hit count looks at (OSM's first competition: 20). */
  topK: number;
  /** Percentile bootstrap for the 95 % intervals (default 1000 samples, seed 1); false for none. */
  bootstrap?: { samples?: number; seed?: number } | false;
}

/** [low, high]. */
export type Interval = [number, number];

export interface SetScores {
  /** Molecules with an observed value, bounds included. */
  n: number;
  /** Molecules with an exact ("=") value: RMSE and MAE are computed on these only. */
  nExact: number;
  rmse: number | null;
  mae: number | null;
  spearman: number | null;
  kendall: number | null;
  /** k is cut to the number scored: { k: 0, hits: 0 } while nothing is. */
  topK: { k: number; hits: number };
  /** 95 % bootstrap intervals, when n ≥ 10; RMSE's and MAE's need 10 exact values. */
  intervals: { rmse: Interval | null; mae: Interval | null; spearman: Interval | null; kendall: Interval | null } | null;
}

/** Below this many scored molecules an interval says more about the resampling than about the model. */
export const MIN_INTERVAL_N = 10;
const DEFAULT_SAMPLES = 1000;
const DEFAULT_SEED = 1;

/**
 * The value a censored observation takes for ranking: a prediction on the right side of the bound counts as correct
 * (the observation is replaced by the prediction), one on the wrong side is compared with the bound, the nearest
 * the truth can be. A prediction of 7 for "> 6" is right; a prediction of 5 for "> 6" is ranked as if 6 was measured.
 */
export function rankingValue(predicted: number, observed: { pic50: number; qualifier: Qualifier }): number {
  if (observed.qualifier === ">") return predicted > observed.pic50 ? predicted : observed.pic50;
  if (observed.qualifier === "<") return predicted < observed.pic50 ? predicted : observed.pic50;
  return observed.pic50;
}

/**
 * Active at the threshold: measured at or above it, or known to be at least that potent (a "> 6.5" bound at a
 * threshold of 6). A "<" bound, or a ">" bound below the threshold, does not show activity.
 */
export function isActive(observed: { pic50: number; qualifier: Qualifier }, threshold: number): boolean {
  return observed.qualifier !== "<" && observed.pic50 >= threshold;
}

type Scored = { predicted: number; rank: number | null; observed: { pic50: number; qualifier: Qualifier } };

export function scoreSet(rows: readonly ScoringRow[], options: ScoreOptions): SetScores {
  const scored: Scored[] = [];
  for (const row of rows)
    if (row.observed !== null) scored.push({ predicted: row.predicted, rank: row.rank ?? null, observed: row.observed });
  // Ranks are used only when the whole set has them: a partial ranking cannot order the rest.
  const byRank = rows.length > 0 && rows.every((row) => typeof row.rank === "number" && Number.isFinite(row.rank));
  const point = statistics(scored);
  const n = scored.length;
  const topK = hits(scored, byRank, options);
  const bootstrap = options.bootstrap ?? {};
  const intervals = n >= MIN_INTERVAL_N && bootstrap !== false ? bootstrapIntervals(scored, point.nExact, bootstrap) : null;
  return { n, ...point, topK, intervals };
}

function statistics(scored: readonly Scored[]): Pick<SetScores, "nExact" | "rmse" | "mae" | "spearman" | "kendall"> {
  const exact = scored.filter((row) => row.observed.qualifier === "=");
  const exactPredicted = exact.map((row) => row.predicted);
  const exactObserved = exact.map((row) => row.observed.pic50);
  const predicted = scored.map((row) => row.predicted);
  const ranked = scored.map((row) => rankingValue(row.predicted, row.observed));
  return {
    nExact: exact.length,
    rmse: rmse(exactPredicted, exactObserved),
    mae: mae(exactPredicted, exactObserved),
    spearman: spearman(predicted, ranked),
    kendall: kendall(predicted, ranked),
  };
}

/** The k best-ranked scored molecules (by the submitter's rank, else by predicted potency) and how many are active. */
function hits(scored: readonly Scored[], byRank: boolean, options: ScoreOptions): { k: number; hits: number } {
  const order = scored.map((row) => (byRank ? -(row.rank ?? 0) : row.predicted));
  const active = scored.map((row) => isActive(row.observed, options.activeThreshold));
  return topKHits(order, active, options.topK);
}

/**
 * Percentile bootstrap: resample the scored molecules with replacement, recompute each statistic, and take the 2.5th
 * and 97.5th percentiles. Seeded, so a scoreboard shows the same interval on every recomputation.
 */
function bootstrapIntervals(
  scored: readonly Scored[],
  nExact: number,
  options: { samples?: number; seed?: number },
): SetScores["intervals"] {
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const random = mulberry32(options.seed ?? DEFAULT_SEED);
  const draws = { rmse: [] as number[], mae: [] as number[], spearman: [] as number[], kendall: [] as number[] };
  const resample = new Array<Scored>(scored.length);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < scored.length; i++) resample[i] = scored[Math.floor(random() * scored.length)]!;
    const stats = statistics(resample);
    for (const key of ["rmse", "mae", "spearman", "kendall"] as const) {
      const value = stats[key];
      if (value !== null) draws[key].push(value);
    }
  }
  const errors = nExact >= MIN_INTERVAL_N;
  return {
    rmse: errors ? percentileInterval(draws.rmse) : null,
    mae: errors ? percentileInterval(draws.mae) : null,
    spearman: percentileInterval(draws.spearman),
    kendall: percentileInterval(draws.kendall),
  };
}

function percentileInterval(values: number[]): Interval | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return [quantile(sorted, 0.025), quantile(sorted, 0.975)];
}

/** Linear interpolation between order statistics (numpy's default), on sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed on every machine. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the scoreboard needs of a submission to order it. */
export interface RankableSubmission {
  submittedAt: Date;
  scores: Pick<SetScores, "n" | "spearman" | "topK" | "rmse"> | null;
}

/**
 * The scoreboard's order. Scored submissions first, by Spearman ρ (descending: ranking compounds is what a campaign
 * uses a model for, and ρ takes bounds into account), then top-k hits (descending), then RMSE (ascending); a missing
 * statistic sorts after any value. Remaining ties, and the submissions with nothing measured yet, go by submission
 * time, earliest first: the first to forecast it keeps the place.
 */
export function rankSubmissions<T extends RankableSubmission>(submissions: readonly T[]): T[] {
  const time = (s: RankableSubmission) => s.submittedAt.getTime();
  return [...submissions].sort((a, b) => {
    const sa = a.scores !== null && a.scores.n > 0 ? a.scores : null;
    const sb = b.scores !== null && b.scores.n > 0 ? b.scores : null;
    if (sa === null || sb === null) return (sa === null ? 1 : 0) - (sb === null ? 1 : 0) || time(a) - time(b);
    return (
      compareScores(sa.spearman, sb.spearman, "descending") ||
      compareScores(sa.topK?.hits ?? null, sb.topK?.hits ?? null, "descending") ||
      compareScores(sa.rmse, sb.rmse, "ascending") ||
      time(a) - time(b)
    );
  });
}

/** A comparator of two submissions' values of one statistic, a missing value after any number in either direction. */
function compareScores(a: number | null, b: number | null, direction: "ascending" | "descending"): number {
  if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return direction === "ascending" ? a - b : b - a;
}
