import { describe, expect, it } from "vitest";
import type { PredictionRow } from "@/lib/predictions/input";
import { sealedText, sealHash, type PredictionSetToSeal } from "@/lib/predictions/seal";

const rows: PredictionRow[] = [
  { row: 2, molecule: "OSM-S-1", smiles: null, value: 1.5, pic50: 5.823908740944319, uncertainty: 0.2, rank: 1 },
  { row: 3, molecule: null, smiles: "CCO", value: 20, pic50: 4.698970004336019, uncertainty: null, rank: null },
];
const set: PredictionSetToSeal = {
  campaign: "osm",
  assay: "Pfal IC50",
  name: "RF v1",
  description: null,
  method: "https://github.com/osm/model",
  unit: "µM",
  rows,
};

// The canonical text, and its SHA-256 as `printf '%s' '<text>' | sha256sum` gives it.
const TEXT =
  '{"assay":"Pfal IC50","campaign":"osm","description":null,"method":"https://github.com/osm/model","name":"RF v1",' +
  '"rows":[{"molecule":"OSM-S-1","rank":1,"row":2,"smiles":null,"uncertainty":0.2,"value":1.5},' +
  '{"molecule":null,"rank":null,"row":3,"smiles":"CCO","uncertainty":null,"value":20}],"unit":"µM"}';
const HASH = "26dd7ba66c7cb6548f8c770fbaeadd2cf2937856fd143b5f3d6686a9fec5baee";

describe("sealing a prediction set", () => {
  it("writes canonical JSON (sorted keys, no spaces, no pIC50) and hashes it with SHA-256", () => {
    expect(sealedText(set)).toBe(TEXT);
    expect(sealHash(set)).toBe(HASH);
  });

  it("gives the same hash for the same set however it was built", () => {
    const rebuilt: PredictionSetToSeal = {
      rows: rows.map((r) => ({
        rank: r.rank,
        uncertainty: r.uncertainty,
        pic50: r.pic50,
        value: r.value,
        smiles: r.smiles,
        molecule: r.molecule,
        row: r.row,
      })),
      unit: "µM",
      method: "https://github.com/osm/model",
      description: null,
      name: "RF v1",
      assay: "Pfal IC50",
      campaign: "osm",
    };
    expect(sealHash(rebuilt)).toBe(HASH);
    // Members beyond the sealed ones (a stored row's extra columns) do not count.
    expect(sealHash({ ...set, rows: rows.map((r) => ({ ...r, idcode: "xyz" })) })).toBe(HASH);
  });

  it("changes with any change to a row, to the rows' order, or to what the set says about itself", () => {
    const changed = (patch: Partial<PredictionRow>, index = 0): PredictionSetToSeal => ({
      ...set,
      rows: rows.map((r, i) => (i === index ? { ...r, ...patch } : r)),
    });
    const variants: PredictionSetToSeal[] = [
      changed({ value: 1.51 }),
      changed({ molecule: "OSM-S-10" }),
      changed({ smiles: "OCC" }, 1),
      changed({ uncertainty: null }),
      changed({ rank: 2 }),
      changed({ row: 4 }, 1),
      { ...set, rows: [rows[1]!, rows[0]!] },
      { ...set, rows: rows.slice(0, 1) },
      { ...set, name: "RF v2" },
      { ...set, description: "" },
      { ...set, method: null },
      { ...set, unit: "nM" },
      { ...set, assay: "Pfal (K1) IC50" },
      { ...set, campaign: "osm-2" },
    ];
    const hashes = variants.map(sealHash);
    expect(new Set([HASH, ...hashes]).size).toBe(variants.length + 1);
  });

  it("leaves the derived pIC50 out: recomputing it cannot break a seal", () => {
    expect(sealHash({ ...set, rows: rows.map((r) => ({ ...r, pic50: r.pic50 + 0.01 })) })).toBe(HASH);
  });
});
