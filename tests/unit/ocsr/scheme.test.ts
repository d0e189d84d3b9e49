import { describe, expect, it } from "vitest";
import { schemeFromStructures, type PlacedStructure } from "@/lib/ocsr/scheme";

const at = (smiles: string, x: number, y: number, width = 100, height = 80, page = 1): PlacedStructure => ({
  smiles,
  page,
  box: { x, y, width, height },
});

describe("a drawn scheme read as reaction SMILES", () => {
  it("splits a row at the arrow, the widest gap (wider than the plus between reactants)", () => {
    // chloride + alcohol ——NaH, THF——> ether, drawn out of order by OSRA
    const found = [at("OCCc1ccccc1", 160, 20), at("Clc1nncn1", 0, 10), at("c1ccccc1CCOc1nncn1", 520, 15, 140)];
    expect(schemeFromStructures(found)).toEqual({
      reactionSmiles: "Clc1nncn1.OCCc1ccccc1>>c1ccccc1CCOc1nncn1",
      reactants: ["Clc1nncn1", "OCCc1ccccc1"],
      products: ["c1ccccc1CCOc1nncn1"],
      direction: "row",
    });
  });

  it("reads a column top to bottom, and two products after the arrow", () => {
    const found = [at("CC(=O)OCC", 0, 400), at("CC(=O)O", 0, 0), at("O", 0, 520, 20, 20)];
    expect(schemeFromStructures(found)).toMatchObject({ reactionSmiles: "CC(=O)O>>CC(=O)OCC.O", direction: "column" });
  });

  it("uses the first page with two structures, and answers null without two", () => {
    expect(schemeFromStructures([at("C", 0, 0), at("CC", 300, 0, 100, 80, 2), at("CCC", 0, 0, 100, 80, 2)])).toMatchObject({
      reactionSmiles: "CCC>>CC",
    });
    expect(schemeFromStructures([at("C", 0, 0)])).toBeNull();
    expect(schemeFromStructures([])).toBeNull();
  });
});
