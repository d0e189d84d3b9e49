// PubChem deposition files: Substance tags in printable ASCII keyed by the campaign ID, and assay outcomes and scores.
import { describe, expect, it } from "vitest";
import { activityOf, assayRows, OUTCOME, pubchemAscii, substanceRecord } from "@/lib/pubchem/deposition";
import type { Potency } from "@/lib/molecules/potency";

const ctx = { campaign: { name: "Série 4", url: "https://nb.test/campaigns/series-4", license: "CC-BY-4.0" }, site: "Open Notebook" };
const MOLFILE = "whatever title\n  OCL\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 C   0  0\nM  END\n";

describe("PubChem's ASCII", () => {
  it("drops accents, spells out µ and Greek letters, and removes what is not printable ASCII", () => {
    expect(pubchemAscii("Série β-lactam, 5 µM, α/ω — ok\u0007")).toBe("Serie beta-lactam, 5 uM, alpha/omega ok");
    expect(pubchemAscii("  two\tspaces  ")).toBe("two spaces");
  });
});

describe("a Substance record", () => {
  it("titles the molfile with the ID and carries the REGID, synonyms (one a line), the URLs and a comment with the licence", () => {
    const record = substanceRecord(
      {
        code: "OSM-S-106",
        name: "Triazolopyrazine β",
        aliases: ["MMV669304", "OSM-S-106"],
        status: "parked",
        parkReason: "hERG",
        parentCode: "OSM-S-100",
        url: "https://nb.test/molecules/OSM-S-106",
        molfile: MOLFILE,
      },
      ctx,
    );
    expect(record.molfile.split("\n")[0]).toBe("OSM-S-106");
    expect(record.molfile.split("\n").slice(1)).toEqual(MOLFILE.split("\n").slice(1));
    expect(record.fields).toEqual({
      PUBCHEM_EXT_DATASOURCE_REGID: "OSM-S-106",
      PUBCHEM_SUBSTANCE_SYNONYM: "OSM-S-106\nTriazolopyrazine beta\nMMV669304",
      PUBCHEM_EXT_SUBSTANCE_URL: "https://nb.test/molecules/OSM-S-106",
      PUBCHEM_EXT_DATASOURCE_URL: "https://nb.test/campaigns/series-4",
      PUBCHEM_SUBSTANCE_COMMENT: [
        "Registered as OSM-S-106 in Serie 4, an open drug-discovery campaign (Open Notebook): https://nb.test/molecules/OSM-S-106",
        "A batch or salt form of OSM-S-100.",
        "Parked: hERG.",
        "Data licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
      ].join("\n"),
    });
    for (const value of Object.values(record.fields)) expect(value).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

const potency = (over: Partial<Potency>): Potency => ({
  label: "Pfal IC50",
  assay: "IC50",
  target: "Pfal",
  value: 1,
  unit: "µM",
  qualifier: "=",
  count: 1,
  ...over,
});

describe("activity outcome and score", () => {
  it("calls a measured IC50 active at or below the threshold, with a score from its potency", () => {
    expect(activityOf(potency({ value: 0.0574 }), 1)).toEqual({ outcome: OUTCOME.active, score: 71 }); // pIC50 7.24
    expect(activityOf(potency({ value: 1 }), 1)).toEqual({ outcome: OUTCOME.active, score: 50 });
    expect(activityOf(potency({ value: 0.001 }), 1)).toEqual({ outcome: OUTCOME.active, score: 100 });
    expect(activityOf(potency({ value: 0.0001 }), 1)).toEqual({ outcome: OUTCOME.active, score: 100 });
    expect(activityOf(potency({ value: 2.5 }), 1)).toEqual({ outcome: OUTCOME.inactive, score: 0 });
    expect(activityOf(potency({ value: 2.5 }), 10)).toEqual({ outcome: OUTCOME.active, score: 43 });
  });

  it("reads bounds for what they say: '>10 µM' inactive, '<0.1 µM' active, a bound across the threshold inconclusive", () => {
    expect(activityOf(potency({ value: 10, qualifier: ">" }), 1)).toEqual({ outcome: OUTCOME.inactive, score: 0 });
    expect(activityOf(potency({ value: 0.1, qualifier: "<" }), 1)).toEqual({ outcome: OUTCOME.active, score: 67 });
    expect(activityOf(potency({ value: 20, qualifier: "<" }), 1)).toEqual({ outcome: OUTCOME.inconclusive, score: null });
    expect(activityOf(potency({ value: 0.5, qualifier: ">" }), 1)).toEqual({ outcome: OUTCOME.inconclusive, score: null });
  });

  it("compares pIC50 on its own scale, % inhibition from 50 %, and leaves other units unspecified", () => {
    expect(activityOf(potency({ assay: "pIC50", unit: null, value: 7.2 }), 1)).toEqual({ outcome: OUTCOME.active, score: 70 });
    expect(activityOf(potency({ assay: "pIC50", unit: null, value: 5 }), 1)).toEqual({ outcome: OUTCOME.inactive, score: 0 });
    expect(activityOf(potency({ assay: "pIC50", unit: null, value: 5, qualifier: "<" }), 1)).toEqual({
      outcome: OUTCOME.inactive,
      score: 0,
    });
    expect(activityOf(potency({ assay: "%inhibition", unit: "%", value: 82 }), 1)).toEqual({ outcome: OUTCOME.active, score: 82 });
    expect(activityOf(potency({ assay: "%inhibition", unit: "%", value: 12 }), 1)).toEqual({ outcome: OUTCOME.inactive, score: 0 });
    expect(activityOf(potency({ assay: "MIC", unit: "µg/mL", value: 2 }), 1)).toEqual({ outcome: OUTCOME.unspecified, score: null });
    expect(activityOf(potency({ unit: null }), 1)).toEqual({ outcome: OUTCOME.unspecified, score: null });
  });
});

describe("the assay data table", () => {
  it("has one row per molecule and assay, numbered, keyed by REGID, one assay when asked", () => {
    const molecules = [
      {
        code: "OSM-S-293",
        url: "https://nb.test/molecules/OSM-S-293",
        potency: [potency({ value: 0.0574, count: 3 }), potency({ label: "Hep IC50", target: "Hep", value: 50, qualifier: ">" })],
      },
      { code: "OSM-S-503", url: "https://nb.test/molecules/OSM-S-503", potency: [potency({ value: 10, qualifier: ">" })] },
    ];
    const rows = assayRows(molecules, { thresholdUm: 1 });
    expect(rows.map((r) => [r.PUBCHEM_RESULT_TAG, r.PUBCHEM_EXT_DATASOURCE_REGID, r.Assay, r.PUBCHEM_ACTIVITY_OUTCOME])).toEqual([
      [1, "OSM-S-293", "Pfal IC50", 2],
      [2, "OSM-S-293", "Hep IC50", 1],
      [3, "OSM-S-503", "Pfal IC50", 1],
    ]);
    expect(rows[0]).toMatchObject({
      PUBCHEM_ACTIVITY_SCORE: 71,
      PUBCHEM_ASSAYDATA_COMMENT: "best of 3 measurements",
      Value: 0.0574,
      Unit: "uM",
      Qualifier: "=",
      Measurements: 3,
    });
    expect(assayRows(molecules, { thresholdUm: 1, assay: "Hep IC50" }).map((r) => r.PUBCHEM_EXT_DATASOURCE_REGID)).toEqual(["OSM-S-293"]);
  });
});
