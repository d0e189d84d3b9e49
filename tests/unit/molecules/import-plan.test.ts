import { describe, expect, it } from "vitest";
import { parseSheet } from "@/lib/sheets/sheet";
import { AppError } from "@/lib/errors";
import { planRows, prefixToAdopt, resolveMapping, sheetPrefixes } from "@/lib/molecules/import-plan";
import { readSharedData } from "../chem/shared-data";

describe("resolveMapping", () => {
  it("guesses lib/chem's roles plus unit, target, lab and date, and lets a given mapping override them", () => {
    const headers = ["ID", "SMILES", "Name", "Assay", "Target", "Lab", "Value", "Unit", "Qualifier", "Date", "Notes"];
    const mapping = resolveMapping(headers);
    expect(mapping).toMatchObject({
      id: "ID",
      smiles: "SMILES",
      name: "Name",
      assay: "Assay",
      value: "Value",
      qualifier: "Qualifier",
      unit: "Unit",
      target: "Target",
      lab: "Lab",
      date: "Date",
      unmapped: ["Notes"],
    });
    expect(resolveMapping(headers, { id: null, name: "Notes" })).toMatchObject({ id: null, name: "Notes", unmapped: ["ID", "Name"] });
  });

  it("refuses a mapping that names a column the file does not have", () => {
    expect(() => resolveMapping(["SMILES"], { smiles: "Structure" })).toThrow(AppError);
    expect(() => resolveMapping(["SMILES"], { smiles: "Structure" })).toThrow(/mapping.smiles: the file has no column "Structure"/);
  });
});

describe("planRows", () => {
  it("plans the OSM master list: first ID of a multi-ID cell, the others as aliases; one measurement per row", () => {
    const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const plan = planRows(sheet, resolveMapping(sheet.headers), { prefixes: ["OSM"], defaultUnit: "µM" });
    expect(plan.errors).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.rows).toHaveLength(440);
    const multi = plan.rows.find((r) => r.code === "OSM-S-208")!;
    expect(multi).toMatchObject({ aliases: ["OSM-S-218", "OSM-S-416"], series: "4" });
    expect(plan.rows[0]).toMatchObject({
      row: 2,
      code: "OSM-A-1",
      inchiKey: "ODRSSOQWOHNABY-MOSHPQCFSA-N",
      measurements: [{ assay: "IC50", target: "Pfal", lab: "Guy", value: 3.05, unit: "µM", qualifier: "=", measuredOn: null }],
    });
    expect(plan.rows.flatMap((r) => r.measurements).filter((m) => m.qualifier === ">")).toHaveLength(182);
  });

  it("fails rows with unusable cells, keeps the rest, and warns about qualifiers it had to change and missing units", () => {
    const sheet = parseSheet(
      [
        "ID,SMILES,Assay,Value,Qualifier,Unit,Date",
        "AB-A-1,CCO,IC50,2,<=,uM,2024-01-02",
        "AB-A-2,CCN,IC50,x,=,uM,",
        "XY-A-3,CCC,IC50,1,=,,",
        ",CCCl,IC50,4,~,,",
        "AB-A-5,CCBr,IC50,1,=,#N/A,",
        "AB-A-6,CCI,IC50,1,=,uM,2024-13",
      ].join("\n"),
      "csv",
    );
    const plan = planRows(sheet, resolveMapping(sheet.headers), { prefixes: ["AB"] });
    expect(plan.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "Value"],
      [4, "ID"],
      [6, "Unit"],
      [7, "Date"],
    ]);
    expect(plan.rows.map((r) => r.row)).toEqual([2, 5]);
    expect(plan.rows[0]!.measurements[0]).toMatchObject({ qualifier: "<", unit: "µM", measuredOn: "2024-01-02" });
    expect(plan.rows[1]!.measurements[0]).toMatchObject({ qualifier: "=", unit: null });
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'The qualifier "<=" of IC50 was stored as "<".',
      'The qualifier "~" of IC50 was stored as "=".',
      'Values of "IC50" have no unit: give the file\'s unit (e.g. unit=µM) so they can be compared.',
    ]);
  });
});

describe("IDs of another campaign", () => {
  const osm = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
  const osmMapping = resolveMapping(osm.headers);

  it("own-only (the default) fails every row of the OSM list in a campaign numbered ABC-, saying how to keep them", () => {
    for (const plan of [
      planRows(osm, osmMapping, { prefixes: ["ABC"], defaultUnit: "µM" }),
      planRows(osm, osmMapping, { prefixes: ["ABC"], ids: "own-only", defaultUnit: "µM" }),
    ]) {
      expect(plan.rows).toEqual([]);
      expect(new Set(plan.errors.map((e) => e.row)).size).toBe(440);
      expect(plan.errors[0]).toEqual({
        row: 2,
        column: "OSM_ID",
        message:
          "OSM-A-1 does not belong to this campaign (expected ABC); to keep it as an alias of a molecule with this campaign's own ID, import with ids=foreign-as-aliases.",
      });
    }
  });

  it("foreign-as-aliases plans every row of the OSM list without an ID of its own, each original ID kept as an alias", () => {
    const plan = planRows(osm, osmMapping, { prefixes: ["ABC"], ids: "foreign-as-aliases", defaultUnit: "µM" });
    expect(plan.errors).toEqual([]);
    expect(plan.rows).toHaveLength(440);
    expect(plan.rows.every((r) => r.code === null)).toBe(true);
    expect(plan.rows[0]).toMatchObject({ row: 2, code: null, aliases: ["OSM-A-1"], foreignIds: ["OSM-A-1"] });
    expect(plan.rows.find((r) => r.aliases[0] === "OSM-S-208")).toMatchObject({
      aliases: ["OSM-S-208", "OSM-S-218", "OSM-S-416"],
      foreignIds: ["OSM-S-208", "OSM-S-218", "OSM-S-416"],
    });
    expect(new Set(plan.rows.flatMap((r) => r.foreignIds)).size).toBe(351);
    expect(plan.rows.flatMap((r) => r.measurements)).toHaveLength(440);
    expect(plan.warnings).toEqual([
      {
        row: 1,
        column: "OSM_ID",
        message: "IDs starting with OSM- are not this campaign's: each is kept as an alias of a molecule with this campaign's own ID.",
      },
    ]);
  });

  it("keeps the campaign's own ID of a cell that mixes prefixes, and the other campaign's as aliases after its own", () => {
    const sheet = parseSheet(
      ["ID,SMILES,Aliases", "AB-A-1;XY-B-2,CCO,MMV1", "XY-B-3; AB-A-4; AB-A-5,CCN,", "XY-B-6,CCC,", ",CCCl,"].join("\n"),
      "csv",
    );
    const plan = planRows(sheet, resolveMapping(sheet.headers), { prefixes: ["AB"], ids: "foreign-as-aliases" });
    expect(plan.errors).toEqual([]);
    expect(plan.rows.map((r) => [r.code, r.aliases, r.foreignIds])).toEqual([
      ["AB-A-1", ["XY-B-2", "MMV1"], ["XY-B-2"]],
      ["AB-A-4", ["AB-A-5", "XY-B-3"], ["XY-B-3"]],
      [null, ["XY-B-6"], ["XY-B-6"]],
      [null, [], []],
    ]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      "IDs starting with XY- are not this campaign's: each is kept as an alias of a molecule with this campaign's own ID.",
    ]);
    // The same sheet, own-only: rows 2-4 fail, only on their foreign IDs, in row order.
    const strict = planRows(sheet, resolveMapping(sheet.headers), { prefixes: ["AB"] });
    expect(strict.errors.map((e) => [e.row, e.message.split(" ")[0]])).toEqual([
      [2, "XY-B-2"],
      [3, "XY-B-3"],
      [4, "XY-B-6"],
    ]);
    expect(strict.rows.map((r) => r.row)).toEqual([5]);
  });

  it("adopt-prefix takes the prefix most of the sheet's distinct IDs use; the OSM list is all OSM", () => {
    expect(sheetPrefixes(osm, osmMapping)).toEqual([{ prefix: "OSM", ids: 351 }]);
    expect(prefixToAdopt(osm, osmMapping)).toBe("OSM");
    // With the adopted prefix the plan is the campaign's own sheet: the original IDs are the molecules' IDs.
    const plan = planRows(osm, osmMapping, { prefixes: ["ABC", "OSM"], ids: "adopt-prefix", defaultUnit: "µM" });
    expect(plan.errors).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.rows[0]).toMatchObject({ code: "OSM-A-1", aliases: [], foreignIds: [] });

    // Repeated IDs count once; a tie goes to the prefix seen first.
    const mixed = parseSheet(["ID,SMILES", "XY-A-1,C", "XY-A-1,C", "AB-A-1;AB-A-2,CC", "XY-A-2,CCC", "CD-A-1,CCCC"].join("\n"), "csv");
    expect(sheetPrefixes(mixed, resolveMapping(mixed.headers))).toEqual([
      { prefix: "XY", ids: 2 },
      { prefix: "AB", ids: 2 },
      { prefix: "CD", ids: 1 },
    ]);
    expect(prefixToAdopt(mixed, resolveMapping(mixed.headers))).toBe("XY");
    const adopted = planRows(mixed, resolveMapping(mixed.headers), { prefixes: ["XY"], ids: "adopt-prefix" });
    expect(adopted.rows.map((r) => [r.code, r.aliases])).toEqual([
      ["XY-A-1", []],
      ["XY-A-1", []],
      [null, ["AB-A-1", "AB-A-2"]],
      ["XY-A-2", []],
      [null, ["CD-A-1"]],
    ]);
  });

  it("adopt-prefix refuses a sheet without IDs, naming the ids parameter", () => {
    const noIds = parseSheet("SMILES,Name\nCCO,ethanol", "csv");
    expect(() => prefixToAdopt(noIds, resolveMapping(noIds.headers))).toThrow(/^ids: adopt-prefix needs an ID column, and none is mapped$/);
    const empty = parseSheet("ID,SMILES\n,CCO", "csv");
    let thrown: unknown;
    try {
      prefixToAdopt(empty, resolveMapping(empty.headers));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: "validation_failed",
      details: { fields: { ids: expect.stringMatching(/in the ID column "ID"/) } },
    });
  });
});
