import { describe, expect, it } from "vitest";
import { fromPic50, predictionUnit, toPic50, toPic50Bound, unitsFor } from "@/lib/predictions/units";

describe("toPic50", () => {
  it("takes −log10 of the molar value from every molar unit, in any spelling", () => {
    expect(toPic50(1, "µM")).toBe(6);
    expect(toPic50(10, "µM")).toBe(5);
    expect(toPic50(100, "nM")).toBe(7);
    expect(toPic50(1, "M")).toBe(0);
    expect(toPic50(1, "mM")).toBe(3);
    expect(toPic50(1, "pM")).toBe(12);
    expect(toPic50(1, "uM")).toBe(6);
    // 0.5 µM = 5e-7 M: 7 − log10 5 = 6.30103…
    expect(toPic50(0.5, "µM")).toBeCloseTo(6.301029995663981, 12);
    expect(toPic50(7.2, "pIC50")).toBe(7.2);
  });

  it("is null for what has no place on the scale", () => {
    expect(toPic50(0, "µM")).toBeNull();
    expect(toPic50(-1, "nM")).toBeNull();
    expect(toPic50(1, "µg/mL")).toBeNull();
    expect(toPic50(1, "%")).toBeNull();
    expect(toPic50(Number.NaN, "µM")).toBeNull();
    expect(toPic50(Number.POSITIVE_INFINITY, "pIC50")).toBeNull();
  });
});

describe("fromPic50", () => {
  it("inverts toPic50", () => {
    expect(fromPic50(6, "µM")).toBe(1);
    expect(fromPic50(7, "nM")).toBe(100);
    expect(fromPic50(5.5, "pIC50")).toBe(5.5);
    expect(fromPic50(toPic50(0.37, "µM")!, "µM")).toBeCloseTo(0.37, 12);
    expect(fromPic50(6, "µg/mL")).toBeNull();
  });
});

describe("toPic50Bound", () => {
  it("flips a bound on a concentration, keeps it on a p-value", () => {
    // IC50 > 10 µM: weaker than the highest concentration tested, pIC50 < 5.
    expect(toPic50Bound(10, "µM", ">")).toEqual({ pic50: 5, qualifier: "<" });
    expect(toPic50Bound(100, "nM", "<")).toEqual({ pic50: 7, qualifier: ">" });
    expect(toPic50Bound(1, "µM", "=")).toEqual({ pic50: 6, qualifier: "=" });
    expect(toPic50Bound(5, "pIC50", "<")).toEqual({ pic50: 5, qualifier: "<" });
    expect(toPic50Bound(5, "µg/mL", "<")).toBeNull();
  });
});

describe("unitsFor", () => {
  const molar = ["pIC50", "M", "mM", "µM", "nM", "pM"];

  it("offers pIC50 and every molar unit for a concentration endpoint", () => {
    expect(unitsFor("Pfal IC50")).toEqual({ endpoint: "IC50", scale: "molar", ok: true, units: molar, message: null });
    expect(unitsFor("EC50").units).toEqual(molar);
    expect(unitsFor("PfATP4 Ki").units).toEqual(molar);
    expect(unitsFor("HepG2 CC50").units).toEqual(molar);
  });

  it("offers only the p-scale for a p-endpoint", () => {
    expect(unitsFor("Pfal pIC50")).toEqual({ endpoint: "pIC50", scale: "p", ok: true, units: ["pIC50"], message: null });
    expect(unitsFor("hERG pKi")).toMatchObject({ endpoint: "pKi", scale: "p", units: ["pIC50"] });
  });

  it("says why an endpoint without a molar scale cannot take predictions", () => {
    for (const label of ["Pfal %inhibition", "MIC", "Kinetic solubility"]) {
      const result = unitsFor(label);
      expect(result).toMatchObject({ ok: false, scale: null, units: [] });
      expect(result.message).toContain(`Predictions cannot be made for "${label}"`);
    }
  });
});

describe("predictionUnit", () => {
  it("accepts the assay's units in any spelling, and the endpoint's own p-name", () => {
    expect(predictionUnit("uM", "Pfal IC50")).toEqual({ unit: "µM" });
    expect(predictionUnit(" nm ", "Pfal IC50")).toEqual({ unit: "nM" });
    expect(predictionUnit("PIC50", "Pfal IC50")).toEqual({ unit: "pIC50" });
    expect(predictionUnit("pEC50", "EC50")).toEqual({ unit: "pIC50" });
    expect(predictionUnit("pKi", "hERG pKi")).toEqual({ unit: "pIC50" });
  });

  it("refuses a unit that does not fit the assay, naming those that do", () => {
    expect(predictionUnit("µM", "Pfal pIC50")).toEqual({ message: '"µM" is not a unit for Pfal pIC50: use pIC50.' });
    expect(predictionUnit("µg/mL", "Pfal IC50")).toEqual({ message: '"µg/mL" is not a unit for Pfal IC50: use pIC50, M, mM, µM, nM, pM.' });
    expect(predictionUnit("pEC50", "Pfal IC50")).toMatchObject({ message: expect.stringContaining("is not a unit") });
    expect(predictionUnit("nM", "MIC")).toMatchObject({ message: expect.stringContaining('Predictions cannot be made for "MIC"') });
  });
});
