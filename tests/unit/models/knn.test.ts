import { describe, expect, it } from "vitest";

import { knnPredict, nearest, tanimoto } from "@/lib/models/knn";
import { neighbours, OUTSIDE_SIMILARITY, predict, toBits, type TrainedModel } from "@/lib/models/predict";

const fp = (...bits: number[]) => Uint16Array.from(bits);

describe("Tanimoto on bit positions", () => {
  it("is common / (a + b − common), computed by hand", () => {
    // {1,5,9,300} and {5,9,301}: 2 in common, 4 + 3 − 2 = 5 in either.
    expect(tanimoto(fp(1, 5, 9, 300), fp(5, 9, 301))).toBeCloseTo(2 / 5, 12);
    expect(tanimoto(fp(1, 2, 3), fp(1, 2, 3))).toBe(1);
    expect(tanimoto(fp(1, 2), fp(3, 4))).toBe(0);
    expect(tanimoto(fp(), fp())).toBe(0);
  });
});

describe("nearest neighbours", () => {
  const training = [fp(1, 2, 3, 4), fp(1, 2, 3), fp(10, 11), fp(1, 2, 3, 4, 5, 6), fp(1, 2, 3)];
  const query = fp(1, 2, 3, 4);

  it("orders by similarity, ties by position in the training set", () => {
    expect(nearest(query, training, 4)).toEqual([
      { index: 0, similarity: 1 },
      { index: 1, similarity: 0.75 },
      { index: 4, similarity: 0.75 },
      { index: 3, similarity: 4 / 6 },
    ]);
    expect(nearest(query, training, 0)).toEqual([]);
    expect(nearest(query, training, 10)).toHaveLength(5);
  });

  it("predicts the similarity-weighted mean of the k nearest values", () => {
    const values = [6, 7, 9, 5, 8];
    // k = 2: index 0 (1) and index 1 (0.75): (6·1 + 7·0.75) / 1.75.
    expect(knnPredict(query, training, values, 2).value).toBeCloseTo((6 + 7 * 0.75) / 1.75, 12);
    // Nothing in common with anything: the training mean.
    expect(knnPredict(fp(2000), training, values, 2).value).toBeCloseTo(7, 12);
  });
});

describe("a stored model's answers", () => {
  const model: TrainedModel = {
    version: 1,
    algorithm: "knn",
    forest: null,
    k: 2,
    training: {
      positions: [
        [1, 2, 3, 4],
        [1, 2, 3],
        [10, 11],
      ],
      values: [6, 7, 9],
      ids: [101, 102, null],
    },
  };

  it("names the nearest measured molecules by the ids given at training", () => {
    expect(neighbours(model, [4, 3, 2, 1], 2)).toEqual([
      { id: 101, index: 0, similarity: 1, value: 6 },
      { id: 102, index: 1, similarity: 0.75, value: 7 },
    ]);
    expect(neighbours(model.training, [10, 11, 12], 1)).toEqual([{ id: null, index: 2, similarity: 2 / 3, value: 9 }]);
  });

  it("says when a structure is outside what the model knows", () => {
    const close = predict(model, [1, 2, 3, 4]);
    expect(close).toMatchObject({ similarity: 1, outside: false });
    expect(close.value).toBeCloseTo((6 + 7 * 0.75) / 1.75, 12);
    const far = predict(model, [1, 500, 600, 700]); // nearest {1,2,3}: 1 in common, 4 + 3 − 1 in either
    expect(far.similarity).toBeCloseTo(1 / 6, 12);
    expect(far.similarity).toBeLessThan(OUTSIDE_SIMILARITY);
    expect(far.outside).toBe(true);
  });

  it("reads bit positions in any order, once each, within the fingerprint", () => {
    expect(Array.from(toBits([9, 3, 3, 2047, 2048, -1, 1.5, 0]))).toEqual([0, 3, 9, 2047]);
  });
});
