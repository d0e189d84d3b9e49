import { describe, expect, it } from "vitest";
import type { Qualifier } from "@/lib/molecules/model";
import { isActive, rankingValue, rankSubmissions, scoreSet, type ScoringRow, type SetScores } from "@/lib/predictions/score";

const obs = (pic50: number, qualifier: Qualifier = "=") => ({ pic50, qualifier });
const options = { activeThreshold: 6, topK: 3 };

// Six predictions, five measured (threshold 6, k = 3):
//   A  predicted 7    measured 7.5
//   B  predicted 6    measured 5
//   C  predicted 5    measured 5
//   D  predicted 8    measured > 6.5  (right side of the bound: ranked as 8)
//   E  predicted 4    measured < 5    (right side of the bound: ranked as 4)
//   F  predicted 6.5  not measured yet
const set: ScoringRow[] = [
  { predicted: 7, observed: obs(7.5) },
  { predicted: 6, observed: obs(5) },
  { predicted: 5, observed: obs(5) },
  { predicted: 8, observed: obs(6.5, ">") },
  { predicted: 4, observed: obs(5, "<") },
  { predicted: 6.5, observed: null },
];

describe("scoreSet", () => {
  it("scores a small set as computed by hand", () => {
    const scores = scoreSet(set, options);
    expect(scores.n).toBe(5);
    expect(scores.nExact).toBe(3);
    // Exact rows A, B, C: errors −0.5, 1, 0 → RMSE = √(1.25 / 3) = 0.64550, MAE = 1.5 / 3 = 0.5.
    expect(scores.rmse).toBeCloseTo(0.6454972243679028, 12);
    expect(scores.mae).toBeCloseTo(0.5, 12);
    // Ranked values A 7.5, B 5, C 5, D 8, E 4 against predictions 7, 6, 5, 8, 4. Ranks: predicted [4, 3, 2, 5, 1],
    // observed [4, 2.5, 2.5, 5, 1] (B and C tie). Deviations from 3: dx 1 0 −1 2 −2, dy 1 −.5 −.5 2 −2;
    // Σdxdy = 9.5, Σdx² = 10, Σdy² = 9.5 → ρ = 9.5 / √95 = 0.97468.
    expect(scores.spearman).toBeCloseTo(0.9746794344808964, 12);
    // Of the 10 pairs, B–C is tied in the measured value only and the other 9 are concordant: τ-b = 9 / √(9 · 10).
    expect(scores.kendall).toBeCloseTo(0.9486832980505138, 12);
    // Best three by prediction among the measured: D (> 6.5, active), A (7.5, active), B (5, inactive). F waits.
    expect(scores.topK).toEqual({ k: 3, hits: 2 });
    expect(scores.intervals).toBeNull();
  });

  it("ranks a censored value on the wrong side of its bound as the bound", () => {
    // P 5 → 5, Q 6 → 6, R 7 → 7, and S predicted 5.5 but measured > 7.5: ranked as 7.5, the nearest the truth can be.
    // Ranks: predicted [1, 3, 4, 2], observed [1, 2, 3, 4]; deviations from 2.5: dx −1.5 .5 1.5 −.5,
    // dy −1.5 −.5 .5 1.5; Σdxdy = 2.25 − .25 + .75 − .75 = 2, Σdx² = Σdy² = 5 → ρ = 0.4.
    // Pairs: Q–S and R–S are discordant, the other 4 concordant → τ = (4 − 2) / 6.
    const wrong = scoreSet(
      [
        { predicted: 5, observed: obs(5) },
        { predicted: 6, observed: obs(6) },
        { predicted: 7, observed: obs(7) },
        { predicted: 5.5, observed: obs(7.5, ">") },
      ],
      options,
    );
    expect(wrong).toMatchObject({ n: 4, nExact: 3, rmse: 0, mae: 0 });
    expect(wrong.spearman).toBeCloseTo(0.4, 12);
    expect(wrong.kendall).toBeCloseTo(1 / 3, 12);
    // Predicted 8 instead: on the right side, it counts as correct and the order is perfect.
    const right = scoreSet(
      [
        { predicted: 5, observed: obs(5) },
        { predicted: 6, observed: obs(6) },
        { predicted: 7, observed: obs(7) },
        { predicted: 8, observed: obs(7.5, ">") },
      ],
      options,
    );
    expect(right).toMatchObject({ spearman: 1, kendall: 1 });
  });

  it("orders the top k by the submitter's ranks when every row has one", () => {
    // Ranks A 3, B 1, C 2, D 5, E 4, F 6: the best three measured are B, C, A; only A is active.
    const ranks = [3, 1, 2, 5, 4, 6];
    expect(
      scoreSet(
        set.map((row, i) => ({ ...row, rank: ranks[i] })),
        options,
      ).topK,
    ).toEqual({ k: 3, hits: 1 });
    // F has no rank: ranks are not used at all, and the prediction decides (D, A, B → 2 hits).
    const partial = set.map((row, i) => ({ ...row, rank: i === 5 ? null : ranks[i] }));
    expect(scoreSet(partial, options).topK).toEqual({ k: 3, hits: 2 });
  });

  it("is null where a statistic is not defined, never NaN", () => {
    const empty: SetScores = scoreSet(
      set.map((row) => ({ ...row, observed: null })),
      options,
    );
    expect(empty).toEqual({
      n: 0,
      nExact: 0,
      rmse: null,
      mae: null,
      spearman: null,
      kendall: null,
      topK: { k: 0, hits: 0 },
      intervals: null,
    });
    // One measured molecule has an error but no ranking; bounds only have no RMSE; equal predictions have no spread.
    expect(scoreSet([{ predicted: 6, observed: obs(5) }], options)).toMatchObject({ n: 1, rmse: 1, mae: 1, spearman: null, kendall: null });
    expect(
      scoreSet(
        [
          { predicted: 6, observed: obs(5, "<") },
          { predicted: 7, observed: obs(5, "<") },
        ],
        options,
      ),
    ).toMatchObject({
      n: 2,
      nExact: 0,
      rmse: null,
      mae: null,
    });
    expect(
      scoreSet(
        [
          { predicted: 6, observed: obs(5) },
          { predicted: 6, observed: obs(7) },
        ],
        options,
      ),
    ).toMatchObject({ spearman: null, kendall: null });
  });
});

describe("rankingValue and isActive", () => {
  it("replace a bound by the prediction only on the bound's side", () => {
    expect(rankingValue(8, obs(6.5, ">"))).toBe(8);
    expect(rankingValue(6, obs(6.5, ">"))).toBe(6.5);
    expect(rankingValue(4, obs(5, "<"))).toBe(4);
    expect(rankingValue(6, obs(5, "<"))).toBe(5);
    expect(rankingValue(6, obs(5))).toBe(5);
  });

  it("count as active what is known to reach the threshold", () => {
    expect(isActive(obs(6), 6)).toBe(true);
    expect(isActive(obs(5.9), 6)).toBe(false);
    expect(isActive(obs(6.5, ">"), 6)).toBe(true);
    expect(isActive(obs(5, ">"), 6)).toBe(false);
    expect(isActive(obs(8, "<"), 6)).toBe(false);
  });
});

describe("bootstrap intervals", () => {
  const noise = [0.3, -0.2, 0.1, -0.4, 0.5, 0, -0.1, 0.2, -0.3, 0.4, -0.5, 0.1];
  const rows = (n: number): ScoringRow[] =>
    Array.from({ length: n }, (_, i) => ({ predicted: 5 + i * 0.4, observed: obs(5 + i * 0.4 + noise[i]!) }));

  it("gives 95 % intervals around each statistic from 10 scored molecules on, the same for the same seed", () => {
    const scores = scoreSet(rows(12), { ...options, bootstrap: { samples: 1000, seed: 7 } });
    const intervals = scores.intervals!;
    for (const key of ["rmse", "mae", "spearman", "kendall"] as const) {
      const [low, high] = intervals[key]!;
      expect(low).toBeLessThan(high);
      expect(low).toBeLessThanOrEqual(scores[key]!);
      expect(high).toBeGreaterThanOrEqual(scores[key]!);
    }
    expect(scoreSet(rows(12), { ...options, bootstrap: { samples: 1000, seed: 7 } }).intervals).toEqual(intervals);
    expect(scoreSet(rows(12), { ...options, bootstrap: { samples: 1000, seed: 8 } }).intervals).not.toEqual(intervals);
    expect(scoreSet(rows(10), options).intervals).not.toBeNull();
  });

  it("gives none below 10, or when turned off; errors need 10 exact values", () => {
    expect(scoreSet(rows(9), options).intervals).toBeNull();
    expect(scoreSet(rows(12), { ...options, bootstrap: false }).intervals).toBeNull();
    // 10 measured, 2 of them bounds: the ranking has intervals, RMSE and MAE (8 exact values) do not.
    const bounded = rows(10).map((row, i) => (i < 2 ? { ...row, observed: obs(row.observed!.pic50, "<") } : row));
    const intervals = scoreSet(bounded, options).intervals!;
    expect(intervals.rmse).toBeNull();
    expect(intervals.mae).toBeNull();
    expect(intervals.spearman).not.toBeNull();
    expect(intervals.kendall).not.toBeNull();
  });
});

describe("rankSubmissions", () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));
  const scored = (spearman: number | null, hits: number, rmse: number | null) => ({ n: 5, spearman, topK: { k: 5, hits }, rmse });

  it("orders by ρ, then top-k hits, then RMSE, then time; unscored last by time", () => {
    const subs = [
      { id: "never-scored", submittedAt: at(0), scores: null },
      { id: "waiting", submittedAt: at(1), scores: { n: 0, spearman: null, topK: { k: 0, hits: 0 }, rmse: null } },
      { id: "rho .8, 2 hits", submittedAt: at(2), scores: scored(0.8, 2, 0.5) },
      { id: "rho .8, 3 hits, rmse .9", submittedAt: at(3), scores: scored(0.8, 3, 0.9) },
      { id: "rho .8, 3 hits, rmse .7", submittedAt: at(4), scores: scored(0.8, 3, 0.7) },
      { id: "rho .9", submittedAt: at(5), scores: scored(0.9, 0, 2) },
      { id: "no rho", submittedAt: at(6), scores: scored(null, 5, 0.1) },
      { id: "rho .9 later", submittedAt: at(7), scores: scored(0.9, 0, 2) },
      { id: "rho .8, 3 hits, no rmse", submittedAt: at(8), scores: scored(0.8, 3, null) },
    ];
    expect(rankSubmissions(subs).map((s) => s.id)).toEqual([
      "rho .9",
      "rho .9 later",
      "rho .8, 3 hits, rmse .7",
      "rho .8, 3 hits, rmse .9",
      "rho .8, 3 hits, no rmse",
      "rho .8, 2 hits",
      "no rho",
      "never-scored",
      "waiting",
    ]);
  });
});
