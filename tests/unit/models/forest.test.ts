import { describe, expect, it } from "vitest";

import { predictForest, trainForest, type Bits } from "@/lib/models/forest";
import { rocAuc, rmse } from "@/lib/predictions/metrics";

/** Fingerprints of 30-50 random bits out of 2048, from a seeded generator, like real Morgan fingerprints. */
function randomFingerprints(n: number, seed: number): Bits[] {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => {
    const bits = new Set<number>();
    const size = 30 + Math.floor(next() * 20);
    while (bits.size < size) bits.add(Math.floor(next() * 2048));
    return Uint16Array.from([...bits].sort((a, b) => a - b));
  });
}

// The rule: bit 7 adds 2 log units, bit 1000 takes one away; everything else is noise around 5.
const has = (fp: Bits, b: number) => fp.includes(b);
const rule = (fp: Bits) => 5 + (has(fp, 7) ? 2 : 0) - (has(fp, 1000) ? 1 : 0);

function withRuleBits(fps: Bits[], seed: number): Bits[] {
  // Half the molecules get bit 7, a third bit 1000, so that both matter often enough to be learnt.
  return fps.map((fp, i) => {
    const bits = new Set(fp);
    bits.delete(7);
    bits.delete(1000);
    if ((i * 7 + seed) % 2 === 0) bits.add(7);
    if ((i * 5 + seed) % 3 === 0) bits.add(1000);
    return Uint16Array.from([...bits].sort((a, b) => a - b));
  });
}

describe("random forest on sparse fingerprints", () => {
  const train = withRuleBits(randomFingerprints(200, 1), 0);
  const test = withRuleBits(randomFingerprints(100, 2), 1);
  const values = train.map(rule);
  const observed = test.map(rule);

  it("learns a rule carried by single bits and beats predicting the mean", () => {
    const forest = trainForest(train, values, { trees: 50, seed: 3 });
    const predicted = test.map((fp) => predictForest(forest, fp).value);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const model = rmse(predicted, observed)!;
    const baseline = rmse(
      test.map(() => mean),
      observed,
    )!;
    expect(baseline).toBeGreaterThan(0.9);
    expect(model).toBeLessThan(0.25 * baseline);
  });

  it("gives the same forest for the same seed, and another for another seed", () => {
    const a = trainForest(train, values, { trees: 10, seed: 42 });
    const b = trainForest(train, values, { trees: 10, seed: 42 });
    const c = trainForest(train, values, { trees: 10, seed: 43 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it("round-trips through JSON with identical predictions and uncertainties", () => {
    const forest = trainForest(train, values, { trees: 20, seed: 5 });
    const copy = JSON.parse(JSON.stringify(forest)) as typeof forest;
    for (const fp of test) expect(predictForest(copy, fp)).toEqual(predictForest(forest, fp));
    // Plain arrays of numbers only: what a jsonb column keeps.
    expect(Object.keys(copy.trees[0]!).sort()).toEqual(["bit", "next"]);
  });

  it("says how much its trees disagree: little on the rule's cases, nothing for a single tree", () => {
    const forest = trainForest(train, values, { trees: 50, seed: 3 });
    const { uncertainty } = predictForest(forest, test[0]!);
    expect(uncertainty).toBeGreaterThanOrEqual(0);
    expect(uncertainty).toBeLessThan(1);
    expect(predictForest(trainForest(train, values, { trees: 1 }), test[0]!).uncertainty).toBe(0);
  });

  it("classifies 0/1 labels, its value the share of trees' actives", () => {
    const labels = train.map((fp) => (has(fp, 7) ? 1 : 0));
    const forest = trainForest(train, labels, { trees: 30, maxFeatures: "sqrt", seed: 9 });
    const scores = test.map((fp) => predictForest(forest, fp).value);
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
    expect(
      rocAuc(
        scores,
        test.map((fp) => has(fp, 7)),
      ),
    ).toBeGreaterThan(0.95);
  });

  it("keeps at least minLeaf molecules of the bootstrap in each leaf", () => {
    const forest = trainForest(train, values, { trees: 5, minLeaf: 20, seed: 2 });
    const full = trainForest(train, values, { trees: 5, minLeaf: 1, seed: 2 });
    const leaves = (f: typeof forest) => f.trees.reduce((n, t) => n + t.bit.filter((b) => b < 0).length, 0);
    expect(leaves(forest)).toBeLessThanOrEqual((5 * 200) / 20);
    expect(leaves(forest)).toBeLessThan(leaves(full));
  });
});
