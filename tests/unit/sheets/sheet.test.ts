import { describe, expect, it } from "vitest";

import { ChemError } from "@/lib/chem/errors";
import { parseSdf, parseSheet, toCsv, toSdf } from "@/lib/sheets/sheet";
import { extractRecords, guessMapping } from "@/lib/sheets/mapping";
import { parseStructure } from "@/lib/chem/structure";

import { readSharedData } from "../chem/shared-data";

function chemError(run: () => unknown): ChemError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChemError);
    return error as ChemError;
  }
  throw new Error("expected a ChemError");
}

describe("parseSheet", () => {
  it("reads CSV with CRLF, quoted cells, a BOM and blank lines, keeping spreadsheet row numbers", () => {
    const csv =
      '\uFEFFID,SMILES,Notes\r\nOSM-S-1,CCO,"ethanol, dry"\r\n\r\nOSM-S-2, c1ccccc1 ,"says ""hi""\r\non two lines"\r\n';
    const sheet = parseSheet(csv, "csv");
    expect(sheet.headers).toEqual(["ID", "SMILES", "Notes"]);
    expect(sheet.errors).toEqual([]);
    expect(sheet.rows).toEqual([
      { row: 2, cells: { ID: "OSM-S-1", SMILES: "CCO", Notes: "ethanol, dry" } },
      { row: 4, cells: { ID: "OSM-S-2", SMILES: "c1ccccc1", Notes: 'says "hi"\r\non two lines' } },
    ]);
  });

  it("names blank and repeated headers, fills short rows and reports long ones", () => {
    const sheet = parseSheet("a\t\ta\nx\ny\t1\t2\t3\n", "tsv");
    expect(sheet.headers).toEqual(["a", "Column 2", "a (2)"]);
    expect(sheet.rows[0]).toEqual({ row: 2, cells: { a: "x", "Column 2": "", "a (2)": "" } });
    expect(sheet.errors).toEqual([{ row: 3, message: "This row has 4 cells but the header has 3 columns; the extra cells were ignored." }]);
  });

  it("reports an unclosed quote with its row", () => {
    const sheet = parseSheet('id,smiles\nOSM-S-1,CCO\nOSM-S-2,"CCN\n', "csv");
    expect(sheet.errors.some((error) => error.row === 3 && /quot/i.test(error.message))).toBe(true);
  });

  it("refuses empty, oversize and overlong files", () => {
    expect(chemError(() => parseSheet("  \n", "csv")).code).toBe("invalid_sheet");
    expect(chemError(() => parseSheet("a\n1\n", "csv", { maxChars: 3 })).code).toBe("too_large");
    const rows = ["id", ...Array.from({ length: 11 }, (_, i) => `OSM-S-${i + 1}`)].join("\n");
    expect(parseSheet(rows, "csv", { maxRows: 11 }).rows).toHaveLength(11);
    const tooMany = chemError(() => parseSheet(rows, "csv", { maxRows: 10 }));
    expect(tooMany.code).toBe("too_large");
    expect(tooMany.message).toBe("The sheet has more than 10 rows; split it into smaller files.");
  });
});

describe("guessMapping", () => {
  it("maps the OSM master list", () => {
    const { headers } = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const mapping = guessMapping(headers);
    expect(mapping).toMatchObject({
      id: "OSM_ID",
      smiles: "Canonical_Smiles",
      inchiKey: "InChIKey",
      series: "Series",
      assay: "Assay",
      value: "Value",
      qualifier: "Qualifier",
      name: null,
      aliases: null,
      unmapped: [],
    });
    expect(mapping.measurements).toHaveLength(13);
    expect(mapping.measurements[0]).toEqual({ column: "PfaI EC50 (Inh)", endpoint: "EC50", unit: null });
    expect(mapping.measurements.filter((m) => m.endpoint === "IC50")).toHaveLength(12);
  });

  it("maps other common spellings and reads units from headers", () => {
    const mapping = guessMapping(["Compound ID", "Notes", "SMILES", "Name", "Synonyms", "IC50 (uM)", "Ki [nM]", "pIC50", "% inhibition"]);
    expect(mapping).toMatchObject({ id: "Compound ID", smiles: "SMILES", name: "Name", aliases: "Synonyms", value: null });
    expect(mapping.measurements).toEqual([
      { column: "IC50 (uM)", endpoint: "IC50", unit: "µM" },
      { column: "Ki [nM]", endpoint: "Ki", unit: "nM" },
      { column: "pIC50", endpoint: "pIC50", unit: null },
      { column: "% inhibition", endpoint: "%inhibition", unit: null },
    ]);
    expect(mapping.unmapped).toEqual(["Notes"]);
    expect(guessMapping(["smiles", "Isomeric SMILES", "MMV ID"])).toMatchObject({ smiles: "Isomeric SMILES", id: "MMV ID" });
  });
});

describe("extractRecords", () => {
  it("reads all 440 OSM rows: 348 ID cells, some naming several compounds, one measurement per row", () => {
    const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const { records, errors } = extractRecords(sheet, guessMapping(sheet.headers), { prefixes: ["OSM"] });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(440);
    expect(new Set(records.map((r) => r.ids.join(";"))).size).toBe(348);
    expect(new Set(records.flatMap((r) => r.ids)).size).toBe(351);
    const several = records.filter((r) => r.ids.length > 1).map((r) => r.ids);
    expect(several).toContainEqual(["OSM-S-208", "OSM-S-218", "OSM-S-416"]);
    expect(several).toContainEqual(["OSM-S-586", "OSM-S-636"]);
    expect(records.every((r) => r.smiles !== null && r.inchiKey !== null && r.measurements.length === 1)).toBe(true);
    const qualifiers = records.map((r) => r.measurements[0]?.qualifier);
    expect(qualifiers.filter((q) => q === "=")).toHaveLength(258);
    expect(qualifiers.filter((q) => q === ">")).toHaveLength(182);
    expect(records[0]).toMatchObject({
      row: 2,
      ids: ["OSM-A-1"],
      series: "1",
      measurements: [{ assay: "Pfal IC50 (Guy)", endpoint: "IC50", unit: null, qualifier: "=", value: 3.05 }],
    });
  });

  it("gives a per-row error with row, column and message for each unusable cell", () => {
    const sheet = parseSheet(
      ["ID,SMILES,IC50 (µM)", "OSM-S-1,CCO,>10", "OSM-S-x,CCN,1.5", ",,n.d.", "MMV-A-1,CCC,potent"].join("\n"),
      "csv",
    );
    const { records, errors } = extractRecords(sheet, guessMapping(sheet.headers), { prefixes: ["OSM"] });
    expect(records[0]?.measurements).toEqual([{ assay: "IC50 (µM)", endpoint: "IC50", unit: "µM", qualifier: ">", value: 10 }]);
    expect(errors).toEqual([
      { row: 3, column: "ID", message: '"OSM-S-x" is not a campaign ID like OSM-S-123.' },
      { row: 4, column: "SMILES", message: "This row has neither a SMILES nor an ID." },
      { row: 5, column: "ID", message: "MMV-A-1 does not belong to this campaign (expected OSM)." },
      { row: 5, column: "IC50 (µM)", message: '"potent" is not a number.' },
    ]);
  });
});

describe("export writers", () => {
  it("round-trips the OSM sheet through CSV and TSV", () => {
    const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const rows = sheet.rows.map((r) => r.cells);
    for (const format of ["csv", "tsv"] as const) {
      const text = toCsv(rows, { columns: sheet.headers, delimiter: format === "csv" ? "," : "\t" });
      expect(text.split("\r\n")[0]).toBe(sheet.headers.join(format === "csv" ? "," : "\t"));
      const again = parseSheet(text, format);
      expect(again.errors).toEqual([]);
      expect(again.headers).toEqual(sheet.headers);
      expect(again.rows.map((r) => r.cells)).toEqual(rows);
    }
  });

  it("quotes what needs quoting and defuses spreadsheet formulas, but not numbers or qualifiers", () => {
    const rows = [
      { id: "OSM-S-1", note: 'a, "b"\nc', value: -1.5, text: "-2", formula: "=HYPERLINK(\"x\")", at: "@SUM(A1)", empty: null, q: "=" },
    ];
    const csv = toCsv(rows);
    expect(csv.split("\r\n")[0]).toBe("id,note,value,text,formula,at,empty,q");
    const back = parseSheet(csv, "csv").rows[0]?.cells;
    expect(back).toEqual({
      id: "OSM-S-1",
      note: 'a, "b"\nc',
      value: "-1.5",
      text: "-2",
      formula: "'=HYPERLINK(\"x\")",
      at: "'@SUM(A1)",
      empty: "",
      q: "=",
    });
  });

  it("round-trips the OSM compounds through SDF: structures and data items", () => {
    const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const compounds = new Map<string, Record<string, string>>();
    for (const { cells } of sheet.rows) if (!compounds.has(cells.OSM_ID!)) compounds.set(cells.OSM_ID!, cells);
    const exported = [...compounds.values()].map((cells) => {
      const structure = parseStructure({ smiles: cells.Canonical_Smiles! });
      return {
        idcode: structure.idcode,
        molfile: structure.molfile,
        fields: { OSM_ID: cells.OSM_ID, Qualifier: cells.Qualifier, Value: cells.Value, InChIKey: cells.InChIKey, Note: null },
      };
    });
    const sdf = toSdf(exported);
    expect(sdf.match(/^\$\$\$\$$/gm)).toHaveLength(348);

    const parsed = parseSdf(sdf);
    expect(parsed.errors).toEqual([]);
    expect(parsed.fieldNames).toEqual(["OSM_ID", "Qualifier", "Value", "InChIKey"]);
    expect(parsed.records).toHaveLength(348);
    parsed.records.forEach((record, index) => {
      const original = exported[index]!;
      expect(record.record).toBe(index + 1);
      expect(record.fields).toEqual(Object.fromEntries(Object.entries(original.fields).filter(([, v]) => v !== null)));
      expect(parseStructure({ molfile: record.molfile }).idcode).toBe(original.idcode);
    });
    // Qualifiers such as ">" start a line with ">", which would otherwise read as a new data item.
    expect(parsed.records.some((r) => r.fields.Qualifier === ">")).toBe(true);
  }, 60_000);

  it("keeps multi-line, empty and awkward values, and reads CRLF SD files", () => {
    const { molfile } = parseStructure({ smiles: "CCO" });
    const sdf = toSdf([{ molfile, fields: { Notes: "line one\n\nline two", Empty: "", Tricky: "$$$$ not the end", Qualified: ">10" } }]);
    const parsed = parseSdf(sdf.replace(/\n/g, "\r\n"));
    // An empty item is valid SDF; sdf-parser reads it back as absent.
    expect(parsed.records[0]?.fields).toEqual({ Notes: "line one\nline two", Tricky: "$$$$ not the end", Qualified: ">10" });
    expect(parsed.records[0]?.title).toBe("");
  });

  it("refuses what cannot be written or read", () => {
    const { molfile } = parseStructure({ smiles: "CCO" });
    expect(chemError(() => toSdf([{ molfile: "no end" }])).field).toBe("molfile");
    expect(chemError(() => toSdf([{ molfile, fields: { "a>b": 1 } }])).code).toBe("invalid_sheet");
    expect(chemError(() => parseSdf("OSM_ID,SMILES\nOSM-S-1,CCO\n")).message).toMatch(/not an SD file/);
    expect(chemError(() => parseSdf(toSdf([{ molfile }, { molfile }]), { maxRows: 1 })).code).toBe("too_large");
    const broken = parseSdf(`${toSdf([{ molfile }])}header only\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\n$$$$\n`);
    expect(broken.errors).toEqual([{ row: 2, column: "molfile", message: "This record's molfile does not end with 'M  END'." }]);
  });
});
