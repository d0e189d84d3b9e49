import { describe, expect, it } from "vitest";

import { evaluate, moleculeNetScaffoldSplit, scaffoldFolds, timeSplit, type EvaluationMolecule } from "@/lib/models/evaluate";

describe("scaffold-grouped folds", () => {
  it("puts groups largest first into the smallest fold, lowest fold on ties", () => {
    const scaffolds = [..."AAAAA", ..."BBB", ..."CCC", ..."DD", "E", "F"];
    const folds = scaffoldFolds(scaffolds, 3);
    const foldOf = (s: string) => folds[scaffolds.indexOf(s)];
    // A → 0 (5); B → 1 (3); C → 2 (3); D → 1 (5, tie with 2 broken low); E → 2 (4); F → 2 (5).
    expect(["A", "B", "C", "D", "E", "F"].map(foldOf)).toEqual([0, 1, 2, 1, 2, 2]);
  });

  it("never splits a scaffold, and balances folds", () => {
    let state = 11;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    // 300 molecules over 60 scaffolds of very different sizes (a few big series, many singletons).
    const scaffolds = Array.from({ length: 300 }, () => `s${Math.floor(60 * next() ** 3)}`);
    const folds = scaffoldFolds(scaffolds, 5);
    const foldsOf = new Map<string, Set<number>>();
    scaffolds.forEach((s, i) => (foldsOf.get(s) ?? foldsOf.set(s, new Set()).get(s)!).add(folds[i]!));
    for (const set of foldsOf.values()) expect(set.size).toBe(1);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    const largest = Math.max(...[...new Set(scaffolds)].map((s) => scaffolds.filter((x) => x === s).length));
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largest);
    expect(scaffoldFolds(scaffolds, 5)).toEqual(folds);
  });
});

describe("time split", () => {
  it("trains on the earliest 80 % by order and tests on the rest", () => {
    const orders = [50, 3, 17, 99, 1, 42, 8, 77, 23, 64];
    const { train, test } = timeSplit(orders);
    expect(train).toHaveLength(8);
    expect(test).toHaveLength(2);
    expect(Math.max(...train.map((i) => orders[i]!))).toBeLessThan(Math.min(...test.map((i) => orders[i]!)));
    expect(test.map((i) => orders[i])).toEqual([77, 99]);
  });
});

describe("MoleculeNet's scaffold split", () => {
  it("fills train with the largest sets up to 80 %, then valid to 90 %, then test", () => {
    // 10 molecules: A×4, B×3, C×1 (index 7), D×1 (index 8), E×1 (index 9).
    const scaffolds = [..."AAAA", ..."BBB", "C", "D", "E"];
    const split = moleculeNetScaffoldSplit(scaffolds);
    // A (4) and B (3) fit in 8; then the singletons, the one seen last first: E (8 ≤ 8) to train, D to valid, C to test.
    expect(split).toEqual({ train: [0, 1, 2, 3, 4, 5, 6, 9], valid: [8], test: [7] });
  });
});

describe("evaluation against the references", () => {
  const fp = (...bits: number[]) => Uint16Array.from(bits);
  const molecules: EvaluationMolecule[] = [1, 2, 3, 4, 5].map((value, i) => ({
    positions: i === 4 ? fp(2, 3, 20) : fp(i + 1, 10 + i),
    value,
    scaffold: `s${i % 2}`,
    order: i + 1,
  }));
  const constant = () => () => 4;

  it("scores the time split's later molecules against the training mean and the nearest neighbour", () => {
    const { timeSplit: split } = evaluate(molecules, constant, { activeThreshold: 4.5 });
    expect(split!.trainedOn).toBe(4);
    // Test: the last molecule (5). Mean of 1..4 is 2.5; its nearest training molecule ({2, 11}, 1 bit in common) has 2.
    expect(split!.mean).toMatchObject({ n: 1, rmse: 2.5, mae: 2.5, topK: { k: 1, hits: 1, actives: 1 } });
    expect(split!.nearest.rmse).toBe(3);
    expect(split!.model.rmse).toBe(1);
  });

  it("predicts every molecule once in cross-validation, with every figure", () => {
    const { cv } = evaluate(molecules, constant, { activeThreshold: 4.5, topK: 2 });
    expect(cv!.folds).toBe(2);
    for (const metrics of [cv!.model, cv!.mean, cv!.nearest]) {
      expect(metrics.n).toBe(5);
      expect(metrics.topK).toMatchObject({ k: 2, actives: 1 });
      for (const key of ["rmse", "mae", "spearman"] as const) expect(metrics).toHaveProperty(key);
    }
    // A constant model: RMSE from the values alone; no ranking, so no Spearman.
    expect(cv!.model.rmse).toBeCloseTo(Math.sqrt((9 + 4 + 1 + 0 + 1) / 5), 12);
    expect(cv!.model.spearman).toBeNull();
  });

  it("has no cross-validation with a single scaffold", () => {
    expect(
      evaluate(
        molecules.map((m) => ({ ...m, scaffold: "" })),
        constant,
        { activeThreshold: 6 },
      ).cv,
    ).toBeNull();
  });
});
