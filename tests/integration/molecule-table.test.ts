import { afterAll, beforeAll, expect, it } from "vitest";

import { tableRow, type MoleculeTable } from "@/db/queries/molecules/table";

import type { Db } from "@/db/index";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { AppError } from "@/lib/errors";
import { describeEachDatabase } from "./support/databases";
import { makeCampaign } from "./support/seed";
import { addMeasurement, moleculeTable, parkMolecule, registerMolecule } from "./support/use-cases";

afterAll(() => closeSharedChemPool());

type Maintainer = Awaited<ReturnType<typeof makeCampaign>>["maintainer"];

/** Registers a molecule and its measurements; returns its campaign ID. */
async function molecule(
  db: Db,
  who: Maintainer,
  slug: string,
  input: { smiles: string; name?: string; aliases?: string[] },
  values: { assay?: string; target?: string; value: number; unit?: string | null; qualifier?: "=" | "<" | ">" }[] = [],
): Promise<string> {
  const { molecule: m } = await registerMolecule(db, who, { campaign: slug, ...input });
  for (const v of values) {
    const assay = v.assay ?? "IC50";
    await addMeasurement(db, who, m.code, {
      assay,
      target: v.target ?? (assay === "IC50" ? "Pfal" : undefined),
      value: v.value,
      unit: v.unit === undefined ? "µM" : v.unit,
      qualifier: v.qualifier ?? "=",
    });
  }
  return m.code;
}

const row = (table: MoleculeTable, code: string) => {
  const i = table.code.indexOf(code);
  if (i < 0) throw new Error(`${code} is not in the table (${table.code.join(", ")})`);
  return tableRow(table, i);
};

describeEachDatabase("molecule table", (get) => {
  let slug: string;
  let codes: Record<"potent" | "inactive" | "nanomolar" | "unmeasured" | "pic50", string>;

  beforeAll(async () => {
    const { db } = get();
    const made = await makeCampaign(db);
    slug = made.slug;
    const who = made.maintainer;
    codes = {
      // "<0.1" beats "=0.5"; the ">10" bound says less than either.
      potent: await molecule(db, who, slug, { smiles: "c1ccc2[nH]ccc2c1", name: "Indole", aliases: ["MMV-0001", "OSM-old-7"] }, [
        { value: 0.5 },
        { value: 0.1, qualifier: "<" },
        { value: 10, qualifier: ">" },
        { target: "Pfal (K1)", value: 1.2 },
      ]),
      // Only bounds: the furthest bound is the most informative one.
      inactive: await molecule(db, who, slug, { smiles: "CCO", name: "Ethanol" }, [
        { value: 10, qualifier: ">" },
        { value: 20, qualifier: ">" },
      ]),
      // 250 nM is 0.25 µM, better than 0.3 µM.
      nanomolar: await molecule(db, who, slug, { smiles: "c1ccncc1", name: "Pyridine" }, [{ value: 250, unit: "nM" }, { value: 0.3 }]),
      unmeasured: await molecule(db, who, slug, { smiles: "CC(=O)Nc1ccc(O)cc1", name: "Paracetamol" }),
      pic50: await molecule(db, who, slug, { smiles: "OC(=O)c1ccccc1", name: "Benzoic acid" }, [
        { assay: "pIC50", value: 6.2, unit: null },
        { assay: "pIC50", value: 7.1, unit: null },
      ]),
    };
    await parkMolecule(db, who, codes.inactive, { reason: "no activity at 20 µM" });
    // Another campaign's molecules never show up here.
    const other = await makeCampaign(db);
    await molecule(db, other.maintainer, other.slug, { smiles: "CCN", name: "Ethylamine" }, [{ value: 0.01 }]);
  });

  it("lists every molecule of the campaign in ID order with the sheet's columns", async () => {
    const table = await moleculeTable(get().db, slug);
    expect(table.count).toBe(5);
    expect(table.code).toEqual([codes.potent, codes.inactive, codes.nanomolar, codes.unmeasured, codes.pic50]);
    const paracetamol = row(table, codes.unmeasured);
    expect(paracetamol).toMatchObject({ name: "Paracetamol", formula: "C8H9NO2", hbd: 2, hba: 3, status: "active", potency: {} });
    expect(paracetamol.averageMass).toBeCloseTo(151.16, 1);
    expect(row(table, codes.potent).aliases).toBe("MMV-0001; OSM-old-7");
    expect(row(table, codes.inactive).status).toBe("parked");
    expect(table.name).not.toContain("Ethylamine");
  });

  it("gives the best potency per assay, with its qualifier", async () => {
    const table = await moleculeTable(get().db, slug);
    expect(table.assays.map((a) => [a.label, a.unit, a.higherIsBetter])).toEqual([
      ["Pfal IC50", "µM", false],
      ["Pfal (K1) IC50", "µM", false],
      ["pIC50", null, true],
    ]);
    expect(row(table, codes.potent).potency).toEqual({ "Pfal IC50": "<0.1", "Pfal (K1) IC50": "1.2" });
    expect(row(table, codes.inactive).potency).toEqual({ "Pfal IC50": ">20" });
    expect(row(table, codes.nanomolar).potency).toEqual({ "Pfal IC50": "0.25" });
    expect(row(table, codes.pic50).potency).toEqual({ pIC50: "7.1" });
    // The sparse column lists rows in table order, one qualifier character per value.
    const ic50 = table.assays[0]!;
    expect(ic50.rows).toEqual([0, 1, 2]);
    expect(ic50.qualifiers).toBe("<>=");
  });

  it("filters by text over IDs, names and aliases, in any case", async () => {
    const { db } = get();
    expect((await moleculeTable(db, slug, { q: "mmv-0001" })).code).toEqual([codes.potent]);
    expect((await moleculeTable(db, slug, { q: "ETHANOL" })).code).toEqual([codes.inactive]);
    expect((await moleculeTable(db, slug, { q: codes.pic50.toLowerCase() })).code).toEqual([codes.pic50]);
    expect((await moleculeTable(db, slug, { q: "100%_" })).count).toBe(0);
  });

  it("filters by status and by a property range", async () => {
    const { db } = get();
    expect((await moleculeTable(db, slug, { status: "parked" })).code).toEqual([codes.inactive]);
    expect((await moleculeTable(db, slug, { status: "active" })).count).toBe(4);
    // Ethanol 46.07, pyridine 79.10, benzoic acid 122.12, indole 117.15, paracetamol 151.16.
    expect((await moleculeTable(db, slug, { property: "mw", min: "100", max: "130" })).code).toEqual([codes.potent, codes.pic50]);
    expect((await moleculeTable(db, slug, { property: "hbd", max: 0 })).code).toEqual([codes.nanomolar]);
  });

  it("filters by a potency threshold: bounds on the weak side do not pass", async () => {
    const { db } = get();
    const potent = await moleculeTable(db, slug, { assay: "Pfal IC50|µM", potency: "0.3" });
    expect(potent.code).toEqual([codes.potent, codes.nanomolar]);
    // Assay columns are re-indexed to the filtered rows; columns left without values are dropped.
    expect(potent.assays.map((a) => a.label)).toEqual(["Pfal IC50", "Pfal (K1) IC50"]);
    expect(row(potent, codes.nanomolar).potency).toEqual({ "Pfal IC50": "0.25" });
    expect((await moleculeTable(db, slug, { assay: "Pfal IC50|µM", potency: 100 })).code).not.toContain(codes.inactive);
    expect((await moleculeTable(db, slug, { assay: "pIC50|", potency: 7 })).code).toEqual([codes.pic50]);
    expect((await moleculeTable(db, slug, { assay: "pIC50|", potency: 7.5 })).count).toBe(0);
    expect((await moleculeTable(db, slug, { assay: "no such assay|", potency: 1 })).count).toBe(0);
  });

  it("refuses filters it cannot apply, and unknown campaigns", async () => {
    const { db } = get();
    await expect(moleculeTable(db, slug, { min: 1 })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(moleculeTable(db, slug, { potency: 1 })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(moleculeTable(db, slug, { property: "mw", min: "heavy" })).rejects.toBeInstanceOf(AppError);
    await expect(moleculeTable(db, slug, { sort: "mw" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(moleculeTable(db, "no-such-campaign")).rejects.toMatchObject({ code: "not_found" });
  });
});
