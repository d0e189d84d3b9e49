import { describe, expect, it } from "vitest";

import type { RGroupDecomposition } from "@/lib/chem/rgroups";
import { colour, sarTable, type SarPotency } from "@/lib/wiki/sar";

const ARYL = "FC(F)Oc1ccc([*:1])cc1";
const NITRILE = "N#Cc1ccc([*:1])cc1";
const ETHYL = "CC[*:1]";
const PHENETHYL = "c1ccc(CCO[*:2])cc1";
const METHOXY = "CO[*:2]";

const µM = (value: number, qualifier: SarPotency["qualifier"] = "="): SarPotency => ({ value, qualifier, unit: "µM" });

/** Two attachment points; molecule ids 1-7 (7 is set apart). */
const decomposition: RGroupDecomposition = {
  labels: [1, 2],
  rows: [
    { id: 1, substituents: { R1: ARYL, R2: PHENETHYL } },
    { id: 2, substituents: { R1: NITRILE, R2: PHENETHYL } },
    { id: 3, substituents: { R1: ARYL, R2: METHOXY } },
    { id: 4, substituents: { R1: ETHYL, R2: METHOXY } },
    { id: 5, substituents: { R1: ARYL, R2: PHENETHYL } }, // a second molecule with the same pair as 1
    { id: 6, substituents: { R1: NITRILE, R2: METHOXY } },
  ],
  apart: [{ id: 7, reason: "substituted at an unnumbered core position" }],
};

const codes = new Map([
  [1, "OSM-S-100"],
  [2, "OSM-S-99"],
  [3, "OSM-S-12"],
  [4, "OSM-S-9"],
  [5, "OSM-S-101"],
  [6, "OSM-S-8"],
  [7, "OSM-S-505"],
]);

describe("sarTable", () => {
  it("sorts most potent first, weak-side bounds after measured values, molecules without a value last by code", () => {
    const potencies = new Map([
      [1, µM(0.05)],
      [2, µM(10, ">")], // inactive up to 10 µM: says less than any measured value
      [3, µM(2)],
      [5, µM(0.05, "<")], // at least as potent as 0.05: before the "=0.05"
    ]);
    const table = sarTable(decomposition, potencies, codes, false);
    expect(table.rows.map((r) => [r.code, r.best && `${r.best.qualifier}${r.best.value}`])).toEqual([
      ["OSM-S-101", "<0.05"],
      ["OSM-S-100", "=0.05"],
      ["OSM-S-12", "=2"],
      ["OSM-S-99", ">10"],
      ["OSM-S-8", null], // numeric collation: 8 before 9
      ["OSM-S-9", null],
    ]);
    expect(table.rows[0]).toEqual({ id: 5, code: "OSM-S-101", substituents: { R1: ARYL, R2: PHENETHYL }, best: µM(0.05, "<") });
    expect(table.apart).toEqual([{ id: 7, code: "OSM-S-505", reason: "substituted at an unnumbered core position" }]);
  });

  it("turns the order round for higher-is-better endpoints (pIC50)", () => {
    const pic50 = (value: number, qualifier: SarPotency["qualifier"] = "="): SarPotency => ({ value, qualifier, unit: null });
    const potencies = new Map([
      [1, pic50(5)],
      [2, pic50(7.5)],
      [3, pic50(4, "<")], // below the assay's range: a weak-side bound
      [4, pic50(6)],
    ]);
    const table = sarTable(decomposition, potencies, codes, true);
    expect(table.rows.map((r) => r.code)).toEqual(["OSM-S-99", "OSM-S-9", "OSM-S-100", "OSM-S-12", "OSM-S-8", "OSM-S-101"]);
  });

  it("builds the R1 × R2 matrix: substituents ordered by their best molecule, shared cells listing every code", () => {
    const potencies = new Map([
      [1, µM(0.5)],
      [2, µM(0.2)],
      [3, µM(3)],
      [4, µM(0.1)],
      [5, µM(0.08)],
    ]);
    const { matrix } = sarTable(decomposition, potencies, codes, false);
    // Rows sorted: 5 (0.08), 4 (0.1), 2 (0.2), 1 (0.5), 3 (3), 6 (no value).
    expect(matrix).toEqual({
      r1: [ARYL, ETHYL, NITRILE],
      r2: [PHENETHYL, METHOXY],
      cells: [
        [
          { codes: ["OSM-S-101", "OSM-S-100"], best: µM(0.08) },
          { codes: ["OSM-S-12"], best: µM(3) },
        ],
        [null, { codes: ["OSM-S-9"], best: µM(0.1) }],
        [
          { codes: ["OSM-S-99"], best: µM(0.2) },
          { codes: ["OSM-S-8"], best: null },
        ],
      ],
    });
  });

  it("has no matrix unless the core has exactly two attachment points; a molecule without a code shows its id", () => {
    const one: RGroupDecomposition = { labels: [1], rows: [{ id: 42, substituents: { R1: ARYL } }], apart: [] };
    const table = sarTable(one, new Map(), new Map(), false);
    expect(table.matrix).toBeNull();
    expect(table.rows).toEqual([{ id: 42, code: "#42", substituents: { R1: ARYL }, best: null }]);
    const three: RGroupDecomposition = { labels: [1, 2, 3], rows: [], apart: [] };
    expect(sarTable(three, new Map(), codes, false).matrix).toBeNull();
  });
});

describe("colour", () => {
  // IC50s from 0.01 to 100 µM: four decades, five classes of 0.8 decade each.
  const values = [0.01, 0.1, 1, 10, 100];

  it("bins IC50s on a log scale, 0 for the most potent", () => {
    expect(values.map((value) => colour({ value }, values, false))).toEqual([0, 1, 2, 3, 4]);
    expect(colour({ value: 0.05 }, values, false)).toBe(0); // 0.7 decade above the best: still the first fifth
    expect(colour({ value: 0.07 }, values, false)).toBe(1);
    expect(colour({ value: 500 }, values, false)).toBe(4); // a bound beyond the range stays in the last class
  });

  it("bins pIC50s as they are, highest first", () => {
    const pic50 = [4, 5.5, 6.5, 7.5, 9];
    expect(pic50.map((value) => colour({ value }, pic50, true))).toEqual([4, 3, 2, 1, 0]);
  });

  it("has no class without a value, without spread, or for a non-positive IC50", () => {
    expect(colour(null, values, false)).toBeNull();
    expect(colour({ value: 1 }, [1, 1], false)).toBeNull();
    expect(colour({ value: 0 }, [0, 1, 10], false)).toBeNull();
    expect(colour({ value: 1 }, [0, 1, 10], false)).toBe(0); // 0 cannot be placed on a log scale and is left out
  });
});
