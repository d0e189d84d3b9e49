import { describe, expect, it } from "vitest";
import type { Qualifier } from "@/lib/molecules/model";
import { observedValue, type ScoringMeasurement } from "@/lib/predictions/observed";

const day = (n: number) => new Date(Date.UTC(2025, 0, n));
const m = (value: number, unit: string | null, qualifier: Qualifier = "=", created = 1): ScoringMeasurement => ({
  value,
  unit,
  qualifier,
  createdAt: day(created),
});

describe("observedValue", () => {
  it("averages exact replicates in log space and ignores bounds beside them", () => {
    // 1 µM → 6, 100 nM → 7: mean 6.5 (the geometric mean of the IC50s, 0.316 µM). The "> 10 µM" recorded first
    // does not move the value, but it made the molecule scorable on day 1.
    const observed = observedValue("Pfal IC50", [m(1, "µM", "=", 5), m(100, "nM", "=", 9), m(10, "µM", ">", 1)]);
    expect(observed).toEqual({ pic50: 6.5, qualifier: "=", measuredAt: day(1), count: 3 });
  });

  it("keeps the most informative bound, flipped onto the pIC50 scale", () => {
    // IC50 > 10 µM and > 20 µM are pIC50 < 5 and < 4.699: the lower says more.
    expect(observedValue("IC50", [m(10, "µM", ">", 2), m(20, "µM", ">", 3)])).toMatchObject({
      qualifier: "<",
      measuredAt: day(2),
      count: 2,
    });
    expect(observedValue("IC50", [m(10, "µM", ">"), m(20, "µM", ">")])!.pic50).toBeCloseTo(4.698970004336019, 12);
    // IC50 < 0.1 µM and < 10 nM are pIC50 > 7 and > 8: the higher says more.
    expect(observedValue("IC50", [m(0.1, "µM", "<"), m(10, "nM", "<")])).toMatchObject({ pic50: 8, qualifier: ">" });
  });

  it("prefers the potent-side bound when bounds of both kinds disagree", () => {
    // > 10 µM (pIC50 < 5) from one run, < 0.1 µM (pIC50 > 7) from another: shown as > 7, as bestPotency shows "< 0.1".
    expect(observedValue("IC50", [m(10, "µM", ">"), m(0.1, "µM", "<")])).toMatchObject({ pic50: 7, qualifier: ">" });
  });

  it("leaves out what cannot be put on the scale", () => {
    const observed = observedValue("Pfal IC50", [m(3, "µg/mL", "=", 1), m(5, null, "=", 2), m(10, "µM", "=", 4)]);
    expect(observed).toEqual({ pic50: 5, qualifier: "=", measuredAt: day(4), count: 1 });
    expect(observedValue("Pfal IC50", [m(3, "µg/mL"), m(0, "µM")])).toBeNull();
    expect(observedValue("Pfal IC50", [])).toBeNull();
  });

  it("reads a p-endpoint as it is, without flipping bounds", () => {
    expect(observedValue("hERG pIC50", [m(6.2, null), m(6.8, "log units")])).toMatchObject({ pic50: 6.5, qualifier: "=", count: 2 });
    expect(observedValue("hERG pIC50", [m(5, null, "<"), m(4.5, "pIC50", "<")])).toMatchObject({ pic50: 4.5, qualifier: "<" });
    expect(observedValue("hERG pIC50", [m(5, "µM")])).toBeNull();
  });

  it("has nothing to say for an assay without a molar scale", () => {
    expect(observedValue("Pfal %inhibition", [m(80, "%")])).toBeNull();
  });
});
