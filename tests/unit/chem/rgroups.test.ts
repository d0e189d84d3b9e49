/**
 * R-group decomposition (lib/chem/rgroups.ts) on the real OSM Series 4 compounds: exact substituents of named
 * compounds, which compounds are set apart and why, and every row checked by putting it back together with RDKit's
 * molzip and comparing OpenChemLib idcodes (an independent toolkit) with the compound's own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ChemError } from "@/lib/chem/errors";
import { getRDKit, type RDKitModule } from "@/lib/chem/inchi";
import { APART_UNNUMBERED, APART_UNREADABLE, decomposeRGroups, readCore, type RGroupDecomposition } from "@/lib/chem/rgroups";
import { decomposeInSandbox } from "@/lib/chem/rgroups-sandbox";
import { parseStructure } from "@/lib/chem/structure";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { createGraphView, viewGraph } from "@/lib/search/graph";
import { Matcher } from "@/lib/search/match";
import { parseSubstructureQuery, prepareQuery } from "@/lib/search/query";
import { recordParts, searchRecordOf } from "@/lib/search/record";

import { readSharedData } from "./shared-data";

/**
 * The Series 4 triazolopyrazine. R1 is the triazole carbon (C3), which carries the aryl in the series (the
 * 4-(difluoromethoxy)phenyl of OSM-S-369); R2 is the pyrazine carbon next to the bridgehead nitrogen (C5), which
 * carries the ether side chain (OSM-S-369's phenethyloxy), or an amide or amine in some analogues.
 */
const CORE = "[*:1]c1nnc2cncc([*:2])n12";

interface Compound {
  code: string;
  smiles: string;
}

/** One compound per OSM_ID (the list has a row per measurement), in file order. */
function compounds(series: string | null): Compound[] {
  const [header, ...lines] = readSharedData("osm-series4-master-list.tsv").trim().split(/\r?\n/);
  const columns = header!.split("\t");
  const idAt = columns.indexOf("OSM_ID");
  const seriesAt = columns.indexOf("Series");
  const smilesAt = columns.indexOf("Canonical_Smiles");
  const seen = new Map<string, Compound>();
  for (const line of lines) {
    const cells = line.split("\t");
    const code = cells[idAt]!;
    if ((series === null || cells[seriesAt] === series) && !seen.has(code)) seen.set(code, { code, smiles: cells[smilesAt]! });
  }
  return [...seen.values()];
}

let rdkit: RDKitModule;
let series4: Compound[];
let result: RGroupDecomposition;
const codeOf = (id: number): string => series4[id]!.code;

beforeAll(async () => {
  rdkit = await getRDKit();
  series4 = compounds("4");
  result = decomposeRGroups(
    rdkit,
    CORE,
    series4.map((c, id) => ({ id, smiles: c.smiles })),
  );
});

afterAll(() => closeSharedChemPool());

describe("readCore", () => {
  it("reads the Series 4 core: its labels, and a query the structure search takes", async () => {
    expect(readCore(rdkit, ` ${CORE} `)).toEqual({
      core: CORE,
      labels: [1, 2],
      query: "[#6]1:[#7]:[#7]:[#6]2:[#6]:[#7]:[#6]:[#6]:[#7]:1:2",
    });
    const prepared = await prepareQuery({ mode: "substructure", text: readCore(rdkit, CORE).query });
    expect(prepared.mode).toBe("substructure");
  });

  it("takes [1*]-style attachment points, and a core only SMARTS can say", () => {
    expect(readCore(rdkit, "[1*]c1nnc2cncc([2*])n12")).toMatchObject({ core: CORE, labels: [1, 2] });
    expect(readCore(rdkit, "[*:2]c1nn[c,n]c2cncc([*:1])n12")).toEqual({
      core: "[*:2]c1nn[c,n]c2cncc([*:1])n12",
      labels: [1, 2],
      query: "c1nn[c,n]c2cnccn12",
    });
  });

  it.each([
    ["c1ccccc1", "invalid_structure", "The core has no attachment point: mark where substituents go with [*:1], [*:2], …."],
    ["*c1ccccc1", "invalid_structure", "Every attachment point needs a number: write [*:1], [*:2], … instead of * or [*]."],
    ["[*:1]c1ccc([*:3])cc1", "invalid_structure", "Attachment points must be numbered 1 to 2 without gaps; this core has [*:1], [*:3]."],
    ["[*:1]c1ccccc1[*:1]", "invalid_structure", "The attachment point [*:1] appears twice; each number marks one position."],
    ["[*:1]c1c([*:2])c([*:3])c([*:4])c([*:5])c1", "invalid_structure", "The core has 5 attachment points; at most 4 are supported."],
    ["[*:1]c1ccc", "invalid_structure", "RDKit could not read this core as SMILES or SMARTS."],
    ["C[*:1]C", "invalid_structure", "Each attachment point must be bonded to exactly one core atom, by a single bond."],
    ["[*:1][*:2]", "invalid_structure", "The core has no atoms besides its attachment points."],
    ["[CH3:2]c1ccc([*:1])cc1", "invalid_structure", "Only attachment points may carry a number: write them [*:1], [*:2], …."],
    ["  ", "invalid_structure", "The core is empty: give a SMILES or SMARTS with attachment points such as [*:1]."],
    [`[*:1]C${"C".repeat(120)}`, "too_large", "The core has 122 atoms; the limit is 100."],
    [`[*:1]${"C".repeat(496)}`, "too_large", "The core is 501 characters long; the limit is 500."],
  ])("refuses %s", (core, code, message) => {
    let caught: unknown;
    try {
      readCore(rdkit, core);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChemError);
    expect(caught).toMatchObject({ code, message, field: "core" });
  });
});

describe("decomposeRGroups on OSM Series 4", () => {
  it("gives each named compound's aryl as R1 and its side chain as R2, as canonical SMILES", () => {
    const byCode = new Map(result.rows.map((row) => [codeOf(row.id), row.substituents]));
    // FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23: the lead, 4-(difluoromethoxy)phenyl and phenethyl ether.
    expect(byCode.get("OSM-S-369")).toEqual({ R1: "FC(F)Oc1ccc([*:1])cc1", R2: "c1ccc(CCO[*:2])cc1" });
    // CCc1nnc2cncc(OCC(O)c3ccccc3)n12: an ethyl instead of the aryl.
    expect(byCode.get("OSM-S-276")).toEqual({ R1: "CC[*:1]", R2: "OC(CO[*:2])c1ccccc1" });
    // Fc1ccc(CCOc2cncc3nnc(Br)n23)cc1F: the bromide intermediate.
    expect(byCode.get("OSM-S-432")).toEqual({ R1: "Br[*:1]", R2: "Fc1ccc(CCO[*:2])cc1F" });
    // Fc1ccc(CCOc2cncc3nnc(N4CCOCC4)n23)cc1F: R1 bonded through the morpholine nitrogen.
    expect(byCode.get("OSM-S-517")).toEqual({ R1: "C1CN([*:1])CCO1", R2: "Fc1ccc(CCO[*:2])cc1F" });
    // An amide at R2: FC(F)Oc1ccc(cc1)c2nnc3cncc(C(=O)Nc4ccnc(c4)C(F)(F)F)n23.
    expect(byCode.get("OSM-S-175")).toEqual({ R1: "FC(F)Oc1ccc([*:1])cc1", R2: "O=C(Nc1ccnc(C(F)(F)F)c1)[*:2]" });
    // CO[C@@H](COc1cncc2nnc(c3ccc(cc3)C#N)n12)c4ccc(F)c(F)c4: the stereocentre kept (neighbours in the same order).
    expect(byCode.get("OSM-S-413")).toEqual({ R1: "N#Cc1ccc([*:1])cc1", R2: "CO[C@@H](CO[*:2])c1ccc(F)c(F)c1" });
  });

  it("gives one row per compound but four, and sets those four apart with the reason", () => {
    expect(series4).toHaveLength(214);
    expect(result.labels).toEqual([1, 2]);
    expect(result.rows).toHaveLength(210);
    expect(result.apart.map((a) => [codeOf(a.id), a.reason])).toEqual([
      // OCC\C\4=C\BBBBB[BH2][BH2]BB4: a carborane drawn with neutral four-valent boron.
      ["OSM-S-424", APART_UNREADABLE],
      // A CF3 or OH on the pyrazine carbon next to the bridge (C8), which the core does not number.
      ["OSM-S-503", APART_UNNUMBERED],
      ["OSM-S-504", APART_UNNUMBERED],
      ["OSM-S-505", APART_UNNUMBERED],
    ]);
    const seen = [...result.rows.map((r) => r.id), ...result.apart.map((a) => a.id)].sort((a, b) => a - b);
    expect(seen).toEqual(series4.map((_, id) => id));
  });

  it("puts every row back together into its compound (molzip, compared as OpenChemLib idcodes)", () => {
    const core = rdkit.get_mol(CORE)!;
    try {
      for (const row of result.rows) {
        const parts = Object.entries(row.substituents).map(([key, smiles]) => (smiles === "[H]" ? `[H][*:${key.slice(1)}]` : smiles));
        const substituents = rdkit.get_mol(parts.join("."))!;
        const whole = rdkit.molzip(core, substituents)!;
        try {
          const rebuilt = parseStructure({ smiles: whole.get_smiles() }, { molfile: "given" }).idcode;
          const original = parseStructure({ smiles: series4[row.id]!.smiles }, { molfile: "given" }).idcode;
          expect(rebuilt, codeOf(row.id)).toBe(original);
        } finally {
          whole.delete();
          substituents.delete();
        }
      }
    } finally {
      core.delete();
    }
  }, 60_000);

  it("keeps the rows in input order, and leaves compounds without the core out of both lists", () => {
    const others = compounds("1").slice(0, 20);
    const mixed = [
      ...others.map((c, i) => ({ id: 1000 + i, smiles: c.smiles })),
      { id: 1, smiles: series4[1]!.smiles },
      { id: 0, smiles: series4[0]!.smiles },
      { id: 2000, smiles: "CCO" },
    ];
    const { rows, apart } = decomposeRGroups(rdkit, CORE, mixed);
    expect(rows.map((r) => r.id)).toEqual([1, 0]);
    expect(apart).toEqual([]);
  });

  it("writes hydrogen as [H], sets apart R1 and R2 joined in a ring, and drops a counterion", () => {
    const { rows, apart } = decomposeRGroups(rdkit, CORE, [
      { id: 1, smiles: "COc1cncc2nncn12" }, // no substituent on the triazole
      { id: 2, smiles: "C1CCc2nnc3cncc(OC1)n23" }, // R1 and R2 in one ring
      { id: 3, smiles: "CCc1nnc2cncc(OC)n12.Cl" },
    ]);
    expect(rows).toEqual([
      { id: 1, substituents: { R1: "[H]", R2: "CO[*:2]" } },
      { id: 3, substituents: { R1: "CC[*:1]", R2: "CO[*:2]" } },
    ]);
    expect(apart).toEqual([{ id: 2, reason: "R1 and R2 are joined in one substituent (a ring through the core)" }]);
  });

  it("decomposes the Series 4 compounds on a SMARTS core the same way", () => {
    const smarts = decomposeRGroups(
      rdkit,
      "[*:1]c1n[n,c]c2cncc([*:2])n12",
      series4.map((c, id) => ({ id, smiles: c.smiles })),
    );
    expect(smarts).toEqual(result);
  });

  it("finds every compound decomposed or set apart with the core's query, in the structure search's matcher", () => {
    const query = parseSubstructureQuery(readCore(rdkit, CORE).query);
    const matcher = new Matcher(query.compiled);
    let view = createGraphView();
    for (const id of [...result.rows.map((r) => r.id), ...result.apart.map((a) => a.id)]) {
      const { smiles } = series4[id]!;
      const parts = recordParts(searchRecordOf(rdkit, { idcode: parseStructure({ smiles }, { molfile: "given" }).idcode, smiles }))!;
      // The index's screen lets it through, and the matcher finds the core.
      for (let w = 0; w < query.screen.length; w++) expect(query.screen[w]! & ~parts.screen[w]!, codeOf(id)).toBe(0);
      view = viewGraph(parts.graph, 0, view);
      expect(matcher.test(view), codeOf(id)).toBe(true);
    }
  }, 60_000);

  it("refuses more than 5,000 molecules at once", () => {
    const molecules = Array.from({ length: 5001 }, (_, id) => ({ id, smiles: "C" }));
    expect(() => decomposeRGroups(rdkit, CORE, molecules)).toThrow(
      expect.objectContaining({ code: "too_large", message: "An R-group table takes at most 5,000 molecules; 5,001 were given." }),
    );
  });
});

describe("decomposeInSandbox", () => {
  it("gives the in-process decomposition through the sandboxed workers, in jobs of 500", async () => {
    // Three copies of the series (642 molecules, two jobs): rows and apart molecules come back in input order.
    const copies = [0, 1, 2].flatMap((copy) => series4.map((c, i) => ({ id: copy * 1000 + i, smiles: c.smiles })));
    const sandboxed = await decomposeInSandbox(CORE, copies, { deadline: Date.now() + 90_000 });
    const shifted = (copy: number): RGroupDecomposition => ({
      labels: result.labels,
      rows: result.rows.map((r) => ({ ...r, id: copy * 1000 + r.id })),
      apart: result.apart.map((a) => ({ ...a, id: copy * 1000 + a.id })),
    });
    const expected = [shifted(0), shifted(1), shifted(2)];
    expect(sandboxed).toEqual({
      labels: [1, 2],
      rows: expected.flatMap((part) => part.rows),
      apart: expected.flatMap((part) => part.apart),
    });
  }, 120_000);
});
