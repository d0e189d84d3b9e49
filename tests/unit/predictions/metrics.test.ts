import { describe, expect, it } from "vitest";
import { averageRanks, kendall, mae, pearson, rmse, rocAuc, spearman, topKHits } from "@/lib/predictions/metrics";

// Every expected value below is worked out by hand in the comments (and agrees with scipy.stats 1.17).

describe("rmse and mae", () => {
  it("average the squared and the absolute errors", () => {
    // errors −1, 0, −2, 0: squares sum to 5, so RMSE = √(5/4) = 1.1180339887…; |errors| sum to 3, MAE = 3/4.
    expect(rmse([1, 2, 3, 4], [2, 2, 5, 4])).toBeCloseTo(1.118033988749895, 12);
    expect(mae([1, 2, 3, 4], [2, 2, 5, 4])).toBe(0.75);
  });

  it("are null without pairs", () => {
    expect(rmse([], [])).toBeNull();
    expect(mae([], [])).toBeNull();
  });
});

describe("averageRanks", () => {
  it("gives tied values the mean of the ranks they span", () => {
    // 5 → 1, 10 → 2, the two 20s share (3 + 4) / 2.
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe("spearman", () => {
  it("is Pearson's r of the average ranks, with a tie", () => {
    // x ranks 1..5; y = [2, 1, 4, 4, 5] ranks [2, 1, 3.5, 3.5, 5]. Deviations from 3: dx = −2 −1 0 1 2,
    // dy = −1 −2 .5 .5 2; Σdxdy = 2 + 2 + 0 + .5 + 4 = 8.5, Σdx² = 10, Σdy² = 9.5 → ρ = 8.5 / √95 = 0.87208…
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 4, 5])).toBeCloseTo(0.8720815992723809, 12);
  });

  it("is null with fewer than two pairs or no spread", () => {
    expect(spearman([1], [2])).toBeNull();
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull();
    expect(pearson([3, 3], [1, 2])).toBeNull();
  });
});

describe("kendall", () => {
  it("is τ-b, counting a tie on one side in that side's denominator", () => {
    // Same pairs: of the 10, (1,2) is discordant, (3,4) is tied in y only, the other 8 are concordant:
    // τ-b = (8 − 1) / √((8 + 1 + 0)(8 + 1 + 1)) = 7 / √90 = 0.73786…
    expect(kendall([1, 2, 3, 4, 5], [2, 1, 4, 4, 5])).toBeCloseTo(0.7378647873726218, 12);
  });

  it("is −1 for a reversed order and null when one side is all ties", () => {
    expect(kendall([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(kendall([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(kendall([1], [1])).toBeNull();
  });
});

describe("topKHits", () => {
  it("counts actives among the k highest scores, ties in input order, k cut to the items", () => {
    // Scores 9 (item 1) and 9 (item 3) are the top two; item 1 is inactive, item 3 active.
    expect(topKHits([5, 9, 7, 9], [true, false, true, true], 2)).toEqual({ k: 2, hits: 1 });
    expect(topKHits([5, 9, 7, 9], [true, false, true, true], 10)).toEqual({ k: 4, hits: 3 });
    expect(topKHits([], [], 20)).toEqual({ k: 0, hits: 0 });
  });
});

describe("rocAuc", () => {
  it("is the share of positive–negative pairs ranked right, ties counted half", () => {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.35 beats 0.1 only, 0.8 beats both → 3/4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    // Positives 2 and 3 against negatives 1 and 2: 1 + ½ + 1 + 1 = 3.5 of 4.
    expect(rocAuc([1, 2, 2, 3], [false, true, false, true])).toBe(0.875);
    expect(rocAuc([1, 2], [true, true])).toBeNull();
  });
});

describe("kendall against pair counting", () => {
  /** The definition, pair by pair: the reference the O(n log n) algorithm must agree with. */
  function kendallByPairs(x: readonly number[], y: readonly number[]): number | null {
    let concordant = 0;
    let discordant = 0;
    let tiedXOnly = 0;
    let tiedYOnly = 0;
    for (let i = 0; i < x.length; i++) {
      for (let j = i + 1; j < x.length; j++) {
        const dx = Math.sign(x[i]! - x[j]!);
        const dy = Math.sign(y[i]! - y[j]!);
        if (dx === 0 && dy === 0) continue;
        if (dx === 0) tiedXOnly++;
        else if (dy === 0) tiedYOnly++;
        else if (dx === dy) concordant++;
        else discordant++;
      }
    }
    const denominator = Math.sqrt((concordant + discordant + tiedXOnly) * (concordant + discordant + tiedYOnly));
    return denominator === 0 ? null : (concordant - discordant) / denominator;
  }

  it("agrees on many random sets with ties on either side and on both", () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(random() * 40);
      // Few distinct values, so ties are common.
      const x = Array.from({ length: n }, () => Math.floor(random() * 6));
      const y = Array.from({ length: n }, () => Math.floor(random() * 6));
      const expected = kendallByPairs(x, y);
      if (expected === null) expect(kendall(x, y)).toBeNull();
      else expect(kendall(x, y)).toBeCloseTo(expected, 12);
    }
  });
});
