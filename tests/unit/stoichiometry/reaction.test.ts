/**
 * Reactions as plain data: reaction SMILES split into structures with coefficients, tables built from a scheme,
 * rows resolved and computed (with OpenChemLib reading the structures, as the editor does), the history's cell diff,
 * and the scheme drawing.
 */
import { describe, expect, it } from "vitest";
import { parseStructure } from "@/lib/chem/structure";
import { schemeSvg } from "@/lib/chem/scheme-svg";
import { diffReactions } from "@/lib/stoichiometry/diff";
import { formatMass, formatMmol, formatVolume } from "@/lib/stoichiometry/format";
import { reactionsInput, withIds } from "@/lib/stoichiometry/input";
import { resolveReactions, sameReactions, schemeParts, type RowStructure, type StructureResolver } from "@/lib/stoichiometry/reaction";
import { rowsFromScheme, schemeComponents, schemeFromRows } from "@/lib/stoichiometry/scheme";

const CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";
const PRODUCT = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23";

/** OpenChemLib reads each SMILES, as the browser's editor does; "OSM-S-1" is a registered chloro core. */
const resolver: StructureResolver = {
  async molecule(key) {
    return key.toUpperCase() === "OSM-S-1" ? { ...read(CORE), molecule: "OSM-S-1" } : null;
  },
  async smiles(list) {
    return list.map((s) => {
      try {
        return read(s);
      } catch (error) {
        return { error: (error as Error).message };
      }
    });
  },
};

function read(smiles: string): RowStructure {
  const p = parseStructure({ smiles }, { molfile: "given" });
  return { smiles: p.smiles, idcode: p.idcode, formula: p.formula, mw: p.averageMass, molecule: null };
}

const parse = (value: unknown) => withIds(reactionsInput.parse(value));

describe("reaction SMILES", () => {
  it("splits a scheme into structures and counts repeated ones as coefficients", () => {
    expect(schemeComponents("CC=CC.O=O>>CC=O.CC=O")).toEqual([
      { side: "reactants", smiles: "CC=CC", count: 1 },
      { side: "reactants", smiles: "O=O", count: 1 },
      { side: "products", smiles: "CC=O", count: 2 },
    ]);
    expect(rowsFromScheme(schemeComponents(`${CORE}.OCCc1ccccc1>[Na+].[H-]>${PRODUCT} |f:1.2|`))).toEqual([
      { role: "reactant", smiles: CORE },
      { role: "reactant", smiles: "OCCc1ccccc1" },
      { role: "reagent", smiles: "[Na+]" },
      { role: "reagent", smiles: "[H-]" },
      { role: "product", smiles: PRODUCT },
    ]);
    expect(schemeFromRows([{ role: "reactant", smiles: "CC=CC" }, { role: "reagent", smiles: "O=O" }, { role: "product", smiles: "CC=O", coefficient: 2 }])).toBe("CC=CC>O=O>CC=O.CC=O");
  });

  it("refuses text that is not reaction SMILES with a message that says what is", () => {
    expect(() => schemeComponents("CCO")).toThrow(/reactants>agents>products/);
    expect(() => schemeComponents("A>B>C>D")).toThrow(/3 '>'/);
    expect(() => schemeComponents(">>CCO")).toThrow(/at least one reactant and one product/);
  });
});

describe("resolveReactions", () => {
  it("resolves IDs and SMILES, builds an empty table from the scheme, and computes it", async () => {
    const { reactions, problems } = await resolveReactions(
      parse([
        { title: "SNAr", rows: [{ role: "reactant", molecule: "osm-s-1", massMg: 250 }, { role: "reagent", name: "NaH", smiles: "[NaH]", purity: 60, equivalents: 1.2 }, { role: "product", smiles: PRODUCT, isolatedMg: 212 }] },
        { smiles: `${CORE}>>${PRODUCT}` },
      ]),
      resolver,
    );
    expect(problems).toEqual([]);
    const [snar, scheme] = reactions;
    expect(snar!.rows[0]).toMatchObject({ role: "reactant", molecule: "OSM-S-1" });
    expect(snar!.rows[0]!.smiles).toBeUndefined();
    expect(snar!.computed.rows[0]!.mmol).toBeCloseTo(250 / read(CORE).mw, 6);
    expect(snar!.computed.rows[2]!.yieldPercent).toBeCloseTo((212 / ((250 / read(CORE).mw) * read(PRODUCT).mw)) * 100, 6);
    expect(scheme!.id).toBe("r2");
    expect(scheme!.rows.map((r) => r.role)).toEqual(["reactant", "product"]);
    expect(scheme!.computed.reaction.atomEconomyPercent).toBeCloseTo((read(PRODUCT).mw / read(CORE).mw) * 100, 6);
  });

  it("names the reaction, row and field of each problem", async () => {
    const { problems } = await resolveReactions(
      parse([{ smiles: "CC>>C1CC", rows: [{ role: "reactant", molecule: "OSM-S-9", mmol: 1 }, { role: "reagent", smiles: "C1CC", mmol: 1 }] }]),
      resolver,
    );
    expect(problems.map((p) => p.field)).toEqual(["reactions.0.smiles", "reactions.0.rows.0.molecule", "reactions.0.rows.1.smiles"]);
    expect(problems[0]!.message).toMatch(/structure 2 of the scheme \(C1CC\) cannot be read/);
  });

  it("compares stored reactions whatever order their members come back in", async () => {
    const { reactions } = await resolveReactions(parse([{ rows: [{ role: "reactant", smiles: CORE, massMg: 250 }] }]), resolver);
    const reverse = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverse) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v;
    const reordered = reverse(reactions) as typeof reactions;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(reactions));
    expect(sameReactions(reactions, reordered)).toBe(true);
    const changed = structuredClone(reactions);
    changed[0]!.rows[0]!.massMg = 251;
    expect(sameReactions(reactions, changed)).toBe(false);
  });
});

describe("the history's diff of reactions", () => {
  it("shows a changed cell as old → new, and added or removed rows and reactions", async () => {
    const before = (await resolveReactions(parse([{ title: "SNAr", rows: [{ role: "reactant", smiles: CORE, massMg: 250 }, { role: "reagent", name: "NaH", smiles: "[NaH]", massMg: 41 }] }]), resolver)).reactions;
    const after = (
      await resolveReactions(
        parse([
          { id: "r1", title: "SNAr", rows: [{ role: "reactant", smiles: CORE, massMg: 250 }, { role: "reagent", name: "NaH", smiles: "[NaH]", massMg: 45 }, { role: "solvent", name: "THF", volumeUl: 5000 }] },
          { id: "r2", smiles: `${CORE}>>${PRODUCT}` },
        ]),
        resolver,
      )
    ).reactions;
    expect(diffReactions(before, after)).toEqual([
      { reaction: "Reaction 1 (SNAr)", row: "row 2 (NaH)", field: "mass", from: "41 mg", to: "45 mg" },
      { reaction: "Reaction 1 (SNAr)", row: "row 3 (THF)", field: "row", from: "—", to: "added" },
      { reaction: "Reaction 2", row: null, field: "reaction", from: "—", to: "added, 2 rows" },
    ]);
    expect(diffReactions(after, before).at(-1)).toEqual({ reaction: "Reaction 2", row: null, field: "reaction", from: "2 rows", to: "removed" });
    expect(diffReactions(after, after)).toEqual([]);
  });
});

describe("presentation", () => {
  it("writes amounts in the units chemists use", () => {
    expect(formatMass(40.8)).toBe("40.8 mg");
    expect(formatMass(1250)).toBe("1.25 g");
    expect(formatVolume(167)).toBe("167 µL");
    expect(formatVolume(5000)).toBe("5 mL");
    expect(formatMmol(0.843)).toBe("0.843 mmol");
    expect(formatMmol(0.0421)).toBe("42.1 µmol");
  });

  it("draws the scheme as one SVG: structures, plus signs, an arrow, reagents above and solvents below, text escaped", async () => {
    const { reactions } = await resolveReactions(
      parse([{ rows: [{ role: "reactant", smiles: CORE }, { role: "reactant", smiles: "OCCc1ccccc1", name: "2-phenylethanol" }, { role: "reagent", name: "NaH <60 %>" }, { role: "solvent", name: "THF" }, { role: "product", smiles: PRODUCT }] }]),
      resolver,
    );
    const svg = schemeSvg(schemeParts(reactions[0]!), { id: "s1" });
    expect(svg.match(/<svg x=/g)).toHaveLength(3); // three structures drawn
    expect(svg).toContain(">+<");
    expect(svg).toContain("NaH &lt;60 %&gt;");
    expect(svg).toContain(">THF<");
    expect(svg).toContain("2-phenylethanol");
    expect(svg).not.toContain("<script");
    expect(schemeSvg(schemeParts(reactions[0]!), { id: "s1" })).toBe(svg); // deterministic
  });
});
