import { describe, expect, it } from "vitest";
import { readComparison, type SplitFigures } from "@/lib/predictions/reading";

const figures = (rmse: number | null, spearman: number | null, hits: number, n = 40): SplitFigures => ({
  n,
  rmse,
  mae: rmse,
  spearman,
  topK: { k: 20, hits, actives: 12 },
});

describe("readComparison", () => {
  it("says where the model beats the nearest neighbour and where it does not, with the numbers", () => {
    const text = readComparison("scaffold-grouped cross-validation", {
      model: figures(0.61, 0.52, 7),
      mean: figures(0.9, null, 5),
      nearest: figures(0.8, 0.31, 8),
    });
    expect(text).toBe(
      "On scaffold-grouped cross-validation (40 molecules), the model beats the nearest neighbour on RMSE (0.61 vs 0.80) and " +
        "Spearman ρ (0.52 vs 0.31); it does not beat it on top-20 hits (7 vs 8).",
    );
  });

  it("says so plainly when the model helps nowhere, and when it is no better than the mean", () => {
    const text = readComparison("the time split", {
      model: figures(1.1, 0.1, 3, 8),
      mean: figures(1.05, null, 3, 8),
      nearest: figures(0.9, 0.4, 4, 8),
    });
    expect(text).toBe(
      "On the time split (8 molecules), the model does not beat the nearest neighbour on RMSE (1.10 vs 0.90), Spearman ρ (0.10 vs 0.40) " +
        "and top-20 hits (3 vs 4). Its RMSE is no better than predicting the training mean for every molecule (1.10 vs 1.05).",
    );
  });

  it("counts a difference the page cannot show as a tie", () => {
    const text = readComparison("the time split", {
      model: figures(0.801, 0.5, 4),
      mean: figures(1, null, 2),
      nearest: figures(0.799, 0.4, 4),
    });
    expect(text).toContain(
      "the model beats the nearest neighbour on Spearman ρ (0.50 vs 0.40); it ties with it on RMSE (0.80 vs 0.80) and top-20 hits (4 vs 4).",
    );
  });

  it("has nothing to compare without figures", () => {
    const empty = { n: 1, rmse: null, mae: null, spearman: null, topK: { k: 0, hits: 0, actives: 0 } };
    expect(readComparison("the time split", { model: empty, mean: empty, nearest: empty })).toBe(
      "On the time split (1 molecule), there are too few molecules to compare the model with the nearest neighbour.",
    );
  });
});
