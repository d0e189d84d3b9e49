import { describe, expect, it } from "vitest";
import { bestPotency, type MeasuredValue } from "@/lib/molecules/potency";

const ic50 = (
  value: number,
  qualifier: MeasuredValue["qualifier"] = "=",
  unit: string | null = "µM",
  target: string | null = "Pfal",
): MeasuredValue => ({ assay: "IC50", target, unit, qualifier, value });

describe("bestPotency", () => {
  it("takes the lowest '=' or '<' IC50, pooling labs, and compares molar units in µM", () => {
    expect(bestPotency([ic50(3.05), ic50(800, "=", "nM"), ic50(0.9, "<"), ic50(0.1, ">")])).toEqual([
      { label: "Pfal IC50", assay: "IC50", target: "Pfal", value: 0.8, unit: "µM", qualifier: "=", count: 4 },
    ]);
    expect(bestPotency([ic50(0.5, "<"), ic50(0.5)])[0]).toMatchObject({ value: 0.5, qualifier: "=" });
  });

  it("shows the highest bound when a compound was inactive in every test", () => {
    expect(bestPotency([ic50(10, ">"), ic50(25, ">")])[0]).toMatchObject({ value: 25, qualifier: ">", count: 2 });
  });

  it("keeps targets, strains and unconvertible units apart, and lets pIC50 rise", () => {
    const result = bestPotency([
      ic50(1),
      ic50(2, "=", "µM", "Pfal (K1)"),
      ic50(5, "=", "µg/mL"),
      { assay: "pIC50", target: "Pfal", unit: null, qualifier: "=", value: 6.2 },
      { assay: "pIC50", target: "Pfal", unit: null, qualifier: "=", value: 7.1 },
      { assay: "pIC50", target: "Pfal", unit: null, qualifier: "<", value: 9 },
    ]);
    expect(result.map((p) => [p.label, p.value, p.unit, p.qualifier])).toEqual([
      ["Pfal (K1) IC50", 2, "µM", "="],
      ["Pfal IC50", 5, "µg/mL", "="],
      ["Pfal IC50", 1, "µM", "="],
      ["Pfal pIC50", 7.1, null, "="],
    ]);
  });

  it("is empty without measurements", () => {
    expect(bestPotency([])).toEqual([]);
  });
});
