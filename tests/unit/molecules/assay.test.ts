import { describe, expect, it } from "vitest";
import { assayLabel, describeAssay, higherIsBetter, normalizeUnit } from "@/lib/molecules/assay";

describe("describeAssay", () => {
  it("reads the OSM sheet's per-lab headers as endpoint, target/strain and lab", () => {
    expect(describeAssay("Pfal IC50 (GSK)")).toEqual({ assay: "IC50", target: "Pfal", lab: "GSK", unit: null });
    expect(describeAssay("Pfal (K1) IC50 (Avery)")).toEqual({ assay: "IC50", target: "Pfal (K1)", lab: "Avery", unit: null });
    expect(describeAssay("Pfal (3D7) IC50 (Broad)")).toEqual({ assay: "IC50", target: "Pfal (3D7)", lab: "Broad", unit: null });
    expect(describeAssay("PfaI EC50 (Inh)")).toEqual({ assay: "EC50", target: "PfaI", lab: "Inh", unit: null });
  });

  it("finds a unit written in the label, and leaves labels without an endpoint whole", () => {
    expect(describeAssay("IC50 (uM)")).toEqual({ assay: "IC50", target: null, lab: null, unit: "µM" });
    expect(describeAssay("hERG pIC50")).toEqual({ assay: "pIC50", target: "hERG", lab: null, unit: null });
    expect(describeAssay("Pfal IC50 [nM] (Dundee)")).toEqual({ assay: "IC50", target: "Pfal", lab: "Dundee", unit: "nM" });
    expect(describeAssay("Kinetic solubility")).toEqual({ assay: "Kinetic solubility", target: null, lab: null, unit: null });
    expect(describeAssay("  % inhibition at 10 µM ")).toMatchObject({ assay: "%inhibition" });
  });

  it("writes a label it reads back the same", () => {
    for (const m of [
      { assay: "IC50", target: "Pfal (K1)", lab: "Avery" },
      { assay: "EC50", target: null, lab: "GSK" },
      { assay: "Ki", target: "PfATP4", lab: null },
    ]) {
      expect(describeAssay(assayLabel(m))).toMatchObject(m);
    }
  });
});

describe("normalizeUnit", () => {
  it("gives common spellings one form and refuses things that are not units", () => {
    expect(["uM", "µM", "μM", "UM", " um "].map(normalizeUnit)).toEqual(["µM", "µM", "µM", "µM", "µM"]);
    expect(normalizeUnit("ug / ml")).toBe("µg/mL");
    expect(normalizeUnit("nM")).toBe("nM");
    expect(normalizeUnit("mL/min/kg")).toBe("mL/min/kg");
    expect(normalizeUnit("")).toBeNull();
    expect(normalizeUnit("<script>")).toBeNull();
    expect(normalizeUnit("1234")).toBeNull();
  });
});

it("knows which endpoints get better as they rise", () => {
  expect(["IC50", "EC50", "Ki", "MIC"].map(higherIsBetter)).toEqual([false, false, false, false]);
  expect(["pIC50", "pEC50", "%inhibition"].map(higherIsBetter)).toEqual([true, true, true]);
});
