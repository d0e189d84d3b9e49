import { describe, expect, it } from "vitest";
import { parseSheet } from "@/lib/sheets/sheet";
import { AppError } from "@/lib/errors";
import { planRows, resolveMapping } from "@/lib/molecules/import-plan";
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
