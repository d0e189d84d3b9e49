import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  checkPredictionRows,
  duplicateKeys,
  jsonPredictionRows,
  readPredictionCsv,
  readPredictions,
  submitPredictionsJson,
  type RawPredictionRow,
} from "@/lib/predictions/input";

function appError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

const csv = (...lines: string[]) => lines.join("\n");

describe("reading a CSV", () => {
  it("knows the columns by their aliases in any case, canonicalizes IDs and keeps line numbers", () => {
    const text = csv("Compound,SMILES,Predicted,SD,Rank,Notes", "osm-s-5,,0.5,0.1,2,ours", "", ",c1ccccc1O,20,,1,");
    const { rows, errors } = readPredictions({ csv: text }, "µM");
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      // 0.5 µM = 5e-7 M: pIC50 7 − log10 5.
      {
        row: 2,
        molecule: "OSM-S-5",
        smiles: null,
        value: 0.5,
        pic50: expect.closeTo(6.301029995663981, 12) as number,
        uncertainty: 0.1,
        rank: 2,
      },
      {
        row: 4,
        molecule: null,
        smiles: "c1ccccc1O",
        value: 20,
        pic50: expect.closeTo(4.698970004336019, 12) as number,
        uncertainty: null,
        rank: 1,
      },
    ]);
  });

  it("reads a tab-separated file and the other column names", () => {
    const { rows } = readPredictionCsv("molecule_id\tvalue\terror\nOSM-S-1\t6.5\t0.3\n");
    expect(rows).toEqual([{ row: 2, molecule: "OSM-S-1", smiles: null, value: "6.5", uncertainty: "0.3", rank: null }]);
    expect(readPredictionCsv("Molecule ID,prediction\nOSM-S-2,7\n").rows[0]).toMatchObject({ molecule: "OSM-S-2", value: "7" });
  });

  it("refuses a file without the columns it needs, or with one given twice", () => {
    expect(appError(() => readPredictionCsv("molecule,score\nOSM-S-1,5\n")).message).toBe(
      "The file has no value column: name it value, prediction or predicted.",
    );
    expect(appError(() => readPredictionCsv("name,value\nx,5\n")).message).toMatch(/^The file has no molecule or smiles column/);
    expect(appError(() => readPredictionCsv("id,molecule,value\nOSM-S-1,OSM-S-1,5\n")).message).toBe(
      'The columns "id" and "molecule" both give the molecule; keep one.',
    );
    expect(appError(() => readPredictionCsv("molecule,value\n")).code).toBe("validation_failed");
  });

  it("refuses more than 2 MB unread, and more than 10,000 rows without reading them all", () => {
    const big = appError(() => readPredictionCsv(`molecule,value\n${"OSM-S-1,5\n".repeat(210_000)}`));
    expect(big.code).toBe("payload_too_large");
    expect(big.message).toBe("The file is larger than 2 MB.");
    // Bytes, not characters: 700,000 "€" are 0.7 million characters but 2.1 MB in UTF-8.
    expect(appError(() => readPredictionCsv(`molecule,value\n${"€".repeat(700_000)}`)).code).toBe("payload_too_large");
    const rows = (n: number) => `molecule,value\n${Array.from({ length: n }, (_, i) => `OSM-S-${i + 1},5`).join("\n")}`;
    const tooMany = appError(() => readPredictionCsv(rows(100_000)));
    expect(tooMany.code).toBe("payload_too_large");
    expect(tooMany.message).toBe("A prediction set has at most 10,000 rows; this one has more. Split it into several sets.");
    expect(appError(() => readPredictionCsv(rows(10_001))).code).toBe("payload_too_large");
    expect(readPredictions({ csv: rows(10_000) }, "µM").rows).toHaveLength(10_000);
  });

  it("drops a row the reader could not split, with its line", () => {
    // An unquoted decimal comma splits the value in two: taking "1" would be wrong, so the row is refused.
    const { rows, errors } = readPredictions({ csv: csv("molecule,value", "OSM-S-1,1,5", "OSM-S-2,2") }, "µM");
    expect(rows.map((r) => r.molecule)).toEqual(["OSM-S-2"]);
    expect(errors).toEqual([
      { row: 2, field: "row", message: "This row has 3 cells but the header has 2 columns; the extra cells were ignored." },
    ]);
  });
});

describe("checking rows", () => {
  const raw = (row: number, cells: Partial<RawPredictionRow>): RawPredictionRow => ({
    row,
    molecule: null,
    smiles: null,
    value: "5",
    uncertainty: null,
    rank: null,
    ...cells,
  });
  const errorsOf = (rows: RawPredictionRow[], unit = "µM") => checkPredictionRows(rows, unit).errors;

  it("refuses values that are not finite numbers", () => {
    const rows = ["1,5", "", "NaN", "abc", "<10", "1e999", null].map((value, i) => raw(i + 2, { molecule: `OSM-S-${i + 1}`, value }));
    rows.push(raw(9, { molecule: "OSM-S-20", value: Number.NaN }));
    expect(errorsOf(rows)).toEqual([
      { row: 2, field: "value", message: '"1,5" is not a number: write decimals with a point (1.5)' },
      { row: 3, field: "value", message: "is empty: give a number" },
      { row: 4, field: "value", message: '"NaN" is not a number' },
      { row: 5, field: "value", message: '"abc" is not a number' },
      { row: 6, field: "value", message: '"<10" is not a number: a prediction is one value, without < or >' },
      { row: 7, field: "value", message: '"1e999" is not a finite number' },
      { row: 8, field: "value", message: "is missing: give a number" },
      { row: 9, field: "value", message: "must be a finite number" },
    ]);
    // From a CSV: a quoted decimal comma, and an empty cell.
    expect(readPredictions({ csv: csv("molecule,value", 'OSM-S-1,"1,5"', "OSM-S-2,") }, "µM")).toEqual({
      rows: [],
      errors: [
        { row: 2, field: "value", message: '"1,5" is not a number: write decimals with a point (1.5)' },
        { row: 3, field: "value", message: "is empty: give a number" },
      ],
    });
  });

  it("refuses zero and negative concentrations, not p-values", () => {
    const rows = [raw(2, { molecule: "OSM-S-1", value: "0" }), raw(3, { molecule: "OSM-S-2", value: -1 })];
    expect(errorsOf(rows, "nM")).toEqual([
      { row: 2, field: "value", message: "must be above 0 for a concentration in nM" },
      { row: 3, field: "value", message: "must be above 0 for a concentration in nM" },
    ]);
    expect(checkPredictionRows(rows, "pIC50").rows.map((r) => r.pic50)).toEqual([0, -1]);
  });

  it("wants one of molecule and SMILES, a campaign ID spelling, and a SMILES under the cap", () => {
    const errors = errorsOf([
      raw(2, { molecule: "OSM-S-1", smiles: "CCO" }),
      raw(3, {}),
      raw(4, { molecule: "OSM-5" }),
      raw(5, { smiles: "C".repeat(2001) }),
      raw(6, { smiles: "C".repeat(2000) }),
      raw(7, { molecule: "  ", smiles: " CCN " }),
    ]);
    expect(errors).toEqual([
      { row: 2, field: "molecule", message: "gives both a molecule ID and a SMILES: give one of them" },
      { row: 3, field: "molecule", message: "needs a molecule ID or a SMILES" },
      { row: 4, field: "molecule", message: '"OSM-5" is not a campaign ID like OSM-S-123' },
      { row: 5, field: "smiles", message: "is 2,001 characters long; the limit is 2,000" },
    ]);
  });

  it("wants a rank that is a positive whole number and an uncertainty that is not negative", () => {
    const rankMessage = "must be a positive whole number (1 is the most promising)";
    const { rows, errors } = checkPredictionRows(
      [
        raw(2, { molecule: "OSM-S-1", rank: "0" }),
        raw(3, { molecule: "OSM-S-2", rank: "1.5" }),
        raw(4, { molecule: "OSM-S-3", rank: -2 }),
        raw(5, { molecule: "OSM-S-4", rank: "first" }),
        raw(6, { molecule: "OSM-S-5", uncertainty: "-0.1" }),
        raw(7, { molecule: "OSM-S-6", rank: "3", uncertainty: "0" }),
      ],
      "µM",
    );
    expect(errors).toEqual([
      { row: 2, field: "rank", message: rankMessage },
      { row: 3, field: "rank", message: rankMessage },
      { row: 4, field: "rank", message: rankMessage },
      { row: 5, field: "rank", message: '"first" is not a number' },
      { row: 6, field: "uncertainty", message: "must not be negative" },
    ]);
    expect(rows).toEqual([
      {
        row: 7,
        molecule: "OSM-S-6",
        smiles: null,
        value: 5,
        pic50: expect.closeTo(5.301029995663981, 12) as number,
        uncertainty: 0,
        rank: 3,
      },
    ]);
  });

  it("names both rows of a molecule given twice, and takes neither", () => {
    const { rows, errors } = checkPredictionRows(
      [raw(2, { molecule: "OSM-S-5" }), raw(3, { molecule: "OSM-S-6" }), raw(7, { molecule: "osm-s-5", value: "x" })],
      "µM",
    );
    expect(rows.map((r) => r.molecule)).toEqual(["OSM-S-6"]);
    expect(errors).toEqual([
      { row: 2, field: "molecule", message: "OSM-S-5 is also on row 7: a set predicts each molecule once" },
      { row: 7, field: "molecule", message: "OSM-S-5 is also on row 2: a set predicts each molecule once" },
      { row: 7, field: "value", message: '"x" is not a number' },
    ]);
  });

  it("refuses a unit that is neither pIC50 nor molar", () => {
    expect(appError(() => checkPredictionRows([], "µg/mL")).code).toBe("validation_failed");
  });
});

describe("duplicateKeys", () => {
  it("reports every row sharing a structure key, naming the others", () => {
    expect(
      duplicateKeys([
        { row: 9, key: "a", field: "molecule" },
        { row: 2, key: "a" },
        { row: 4, key: "b" },
        { row: 5, key: "a" },
      ]),
    ).toEqual([
      { row: 2, field: "smiles", message: "the same structure as rows 5 and 9: a set predicts each compound once" },
      { row: 5, field: "smiles", message: "the same structure as rows 2 and 9: a set predicts each compound once" },
      { row: 9, field: "molecule", message: "the same structure as rows 2 and 5: a set predicts each compound once" },
    ]);
    expect(
      duplicateKeys([
        { row: 2, key: "a" },
        { row: 3, key: "b" },
      ]),
    ).toEqual([]);
  });
});

describe("the JSON body", () => {
  const body = { name: "RF v1", unit: "pIC50", rows: [{ molecule: "OSM-S-1", value: 6.5 }] };

  it("parses a set, numbering its rows from 1 and checking them as CSV cells", () => {
    const parsed = submitPredictionsJson.parse({
      ...body,
      method: "https://github.com/osm/model",
      rows: [...body.rows, { smiles: "CCO", value: "7.1", rank: 1 }, { molecule: "OSM-S-1", value: "1,5" }],
    });
    expect(parsed.confirm).toBe(false);
    expect(jsonPredictionRows(parsed.rows).map((r) => r.row)).toEqual([1, 2, 3]);
    const { rows, errors } = readPredictions({ rows: parsed.rows }, "pIC50");
    expect(rows).toEqual([{ row: 2, molecule: null, smiles: "CCO", value: 7.1, pic50: 7.1, uncertainty: null, rank: 1 }]);
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [1, "molecule"],
      [3, "molecule"],
      [3, "value"],
    ]);
  });

  it("refuses 100,000 rows without reading them", () => {
    // Each row is invalid ({} has no value... and an unknown member): had they been read, there would be an issue each.
    const result = submitPredictionsJson.safeParse({ ...body, rows: Array.from({ length: 100_000 }, () => ({ bad: true })) });
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]).toMatchObject({ path: ["rows"], message: "must have at most 10,000 rows; split the set" });
    expect(submitPredictionsJson.safeParse({ ...body, rows: Array.from({ length: 10_000 }, () => body.rows[0]) }).success).toBe(true);
  });

  it("caps the name, the description and the method link, which must be http or https", () => {
    const issue = (patch: Record<string, unknown>) =>
      submitPredictionsJson.safeParse({ ...body, ...patch }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(issue({ name: "x".repeat(201) })).toEqual([["name", "must be at most 200 characters"]]);
    expect(issue({ name: "  " })).toEqual([["name", "is required: name the set"]]);
    expect(issue({ description: "x".repeat(5001) })).toEqual([["description", "must be at most 5,000 characters"]]);
    expect(issue({ method: "ftp://example.org/model" })).toEqual([["method", "must be an http or https URL"]]);
    expect(issue({ method: "javascript:alert(1)" })).toEqual([["method", "must be an http or https URL"]]);
    expect(issue({ method: `https://example.org/${"x".repeat(481)}` })).toEqual([["method", "must be at most 500 characters"]]);
    expect(issue({ rows: [] })).toEqual([["rows", "must have at least one row"]]);
    expect(issue({ description: "x".repeat(5000), method: "http://example.org/a" })).toBeUndefined();
  });
});
