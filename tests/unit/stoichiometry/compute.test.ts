/**
 * The stoichiometry function on real reactions: AI4Green's amidation (its exported figures), the OSM SNAr with NaH
 * 60 % in oil, a solution by concentration, a liquid by density, a product with coefficient 2, and bad input.
 */
import { describe, expect, it } from "vitest";

import { parseStructure } from "@/lib/chem/structure";
import { computeReaction, formatAmount, MAX_ROWS, type ComponentRow } from "@/lib/stoichiometry/compute";

import { unzipSync } from "fflate";

import { readSharedBytes } from "../chem/shared-data";

const mw = (smiles: string) => parseStructure({ smiles }, { molfile: "given" }).averageMass;

/** AI4Green's exported reaction (AI4-001, an amidation with HATU), read from the real .eln archive. */
interface Ai4GreenReaction {
  reactants: { SMILES: string; mass: string; amount: string }[];
  reagents: { SMILES: string; mass: string; amount: string }[];
  products: { SMILES: string; mass: string }[];
  atom_economy: string;
  mass_efficiency: string;
  percent_yield: string;
}

function ai4green(): Ai4GreenReaction {
  const archive = unzipSync(readSharedBytes("eln-examples/ai4green-workbook.eln"));
  const name = Object.keys(archive).find((n) => n.endsWith("AI4-001.json"))!;
  return JSON.parse(new TextDecoder().decode(archive[name])) as Ai4GreenReaction;
}

describe("computeReaction", () => {
  it("reproduces AI4Green's amidation from its masses: mmol, equivalents, theoretical yield, % yield, atom economy, mass efficiency", () => {
    const reaction = ai4green();
    const rows: ComponentRow[] = [
      // AI4Green writes its numbers as JSON strings ("116.01").
      ...reaction.reactants.map((r) => ({ role: "reactant" as const, structureMw: mw(r.SMILES), massMg: Number(r.mass) })),
      ...reaction.reagents.map((r) => ({ role: "reagent" as const, structureMw: mw(r.SMILES), massMg: Number(r.mass) })),
      // The isolated mass that gives AI4Green's yield (it stores the yield, not the mass weighed): 100.0 mg.
      { role: "product", structureMw: mw(reaction.products[0]!.SMILES), isolatedMg: 100.0 },
    ];
    const { rows: out, reaction: figures, problems } = computeReaction(rows);
    expect(problems).toEqual([]);
    // mmol to AI4Green's two decimals, each reactant and reagent.
    [...reaction.reactants, ...reaction.reagents].forEach((r, i) => expect(out[i]!.mmol!.toFixed(2)).toBe(Number(r.amount).toFixed(2)));
    expect(out.slice(0, 4).map((r) => Number(r.equivalents!.toFixed(1)))).toEqual([1, 2, 1.4, 1.2]);
    expect(out[4]!.theoreticalMg!.toFixed(2)).toBe(Number(reaction.products[0]!.mass).toFixed(2)); // 122.17 mg
    expect(out[4]!.yieldPercent!.toFixed(2)).toBe(Number(reaction.percent_yield).toFixed(2)); // 81.86 %
    expect(figures.atomEconomyPercent!.toFixed(1)).toBe(Number(reaction.atom_economy).toFixed(1)); // 23.0 %
    expect(Math.round(figures.massEfficiencyPercent!)).toBe(Number(reaction.mass_efficiency)); // 15 %
    expect(out[0]!.entered).toEqual(["massMg"]);
  });

  it("takes purity into account: NaH 60 % in oil, 1.2 equivalents of the chlorotriazolopyrazine", () => {
    const { rows } = computeReaction([
      { role: "reactant", name: "chlorotriazolopyrazine", mw: 294.1, mmol: 0.85 },
      { role: "reagent", name: "NaH", structureMw: mw("[NaH]"), purity: 60, equivalents: 1.2 },
    ]);
    expect(rows[1]!.mmol).toBeCloseTo(1.02, 2);
    expect(formatAmount(rows[1]!.massMg)).toBe("40.8"); // the entry's "41 mg"
    expect(rows[1]!.entered).toEqual(["equivalents"]);
    // And the other way round: 41 mg weighed gives 1.21 equiv.
    const weighed = computeReaction([
      { role: "reactant", mw: 294.1, mmol: 0.85 },
      { role: "reagent", structureMw: mw("[NaH]"), purity: 60, massMg: 41 },
    ]);
    expect(weighed.rows[1]!.equivalents).toBeCloseTo(1.206, 3);
  });

  it("measures a solution by concentration and a neat liquid by density", () => {
    const { rows, reaction, problems } = computeReaction([
      { role: "reactant", name: "aryl bromide", mw: 157.01, massMg: 157 },
      { role: "reagent", name: "n-BuLi (2.5 M in hexanes)", concentration: 2.5, volumeUl: 480 },
      { role: "reagent", name: "triethylamine", mw: 101.19, density: 0.726, volumeUl: 167 },
      { role: "solvent", name: "THF", volumeUl: 5000 },
    ]);
    expect(problems).toEqual([]);
    expect(rows[1]!.mmol).toBeCloseTo(1.2, 6);
    expect(rows[1]!.equivalents).toBeCloseTo(1.2, 3);
    expect(rows[1]!.massMg).toBeNull(); // no molar mass given for the solution: its mass is not known
    expect(rows[2]!.massMg).toBeCloseTo(121.24, 2);
    expect(rows[2]!.mmol).toBeCloseTo(1.198, 3);
    expect(reaction.solventVolumeMl).toBe(5);
    expect(reaction.referenceConcentrationM).toBeCloseTo(0.2, 3);
  });

  it("scales the theoretical yield by the coefficients: a product with coefficient 2", () => {
    // Ozonolysis of trans-stilbene: one alkene, two benzaldehydes.
    const { rows } = computeReaction([
      { role: "reactant", name: "trans-stilbene", structureMw: mw("C(=Cc1ccccc1)c1ccccc1"), massMg: 180.25 },
      { role: "product", name: "benzaldehyde", structureMw: mw("O=Cc1ccccc1"), coefficient: 2, isolatedMg: 159.2 },
    ]);
    expect(rows[1]!.theoreticalMmol).toBeCloseTo(2.0, 2);
    expect(rows[1]!.theoreticalMg).toBeCloseTo(212.2, 1);
    expect(rows[1]!.yieldPercent).toBeCloseTo(75.0, 1);
  });

  it("names the row and the field of every mistake, and leaves the figures it affects empty", () => {
    const { problems, rows } = computeReaction([
      { role: "reactant", name: "A", mw: 100, massMg: -5 },
      { role: "reagent", name: "B", mw: 50, volumeUl: 100 },
      { role: "reagent", name: "C", mw: 50, massMg: 10, reference: true },
      { role: "reagent", name: "D", mw: 50, massMg: 10, reference: true },
      { role: "product", name: "E", isolatedMg: 20 },
      { role: "reagent", name: "F", purity: 120, mw: 10, massMg: 1 },
    ]);
    expect(problems.map((p) => [p.row, p.field])).toEqual([
      [0, "massMg"],
      [5, "purity"],
      [3, "reference"],
      [1, "volumeUl"],
      [4, "mw"],
    ]);
    expect(problems[0]!.message).toBe("Row 1 (A): the mass must be more than zero.");
    expect(problems[3]!.message).toMatch(/Row 2 \(B\): a volume needs a density .* or a concentration/);
    expect(rows[0]!.mmol).toBeNull();
    expect(computeReaction(Array.from({ length: MAX_ROWS + 1 }, () => ({ role: "reagent" as const }))).problems[0]!.message).toMatch(/at most 50 rows/);
  });

  it("writes figures as chemists do", () => {
    expect([formatAmount(0.81884), formatAmount(122.164), formatAmount(1234.5), formatAmount(40.8), formatAmount(null)]).toEqual(["0.819", "122", "1,235", "40.8", ""]);
  });
});
