import { describe, expect, it } from "vitest";

import { ChemError } from "@/lib/chem/errors";
import { computeInchi, getRDKit, withRDKitMol, type RDKitMol } from "@/lib/chem/inchi";
import { parseStructure } from "@/lib/chem/structure";

describe("computeInchi", () => {
  it("gives the published standard InChIKeys of known compounds", async () => {
    expect(await computeInchi({ smiles: "CC(=O)Oc1ccccc1C(=O)O" })).toEqual({
      inchi: "InChI=1S/C9H8O4/c1-6(10)13-8-5-3-2-4-7(8)9(11)12/h2-5H,1H3,(H,11,12)",
      inchiKey: "BSYNRYMUTXBXSQ-UHFFFAOYSA-N",
    });
    expect((await computeInchi({ smiles: "C[C@H](N)C(=O)O" })).inchiKey).toBe("QNAYBMKLOCPYGJ-REOHCLBHSA-N");
    expect((await computeInchi({ smiles: "C[C@@H](N)C(=O)O" })).inchiKey).toBe("QNAYBMKLOCPYGJ-UWTATZPHSA-N");
  });

  it("gives the same InChIKey from the molfile parseStructure stores as from the SMILES", async () => {
    const smiles = "C[C@H](N)C(=O)O.Cl";
    const { molfile } = parseStructure({ smiles });
    expect(await computeInchi({ molfile })).toEqual(await computeInchi({ smiles }));
  });

  it("refuses unreadable, empty and oversize input with a ChemError", async () => {
    await expect(computeInchi({ smiles: "C1CC" })).rejects.toMatchObject({ code: "invalid_structure", field: "smiles" });
    await expect(computeInchi({ smiles: "" })).rejects.toBeInstanceOf(ChemError);
    await expect(computeInchi({ molfile: "\n\n\n" })).rejects.toMatchObject({ code: "invalid_structure" });
    await expect(computeInchi({ smiles: "C".repeat(2001) })).rejects.toMatchObject({ code: "too_large" });
  });

  it("loads RDKit once", async () => {
    const [a, b] = await Promise.all([getRDKit(), getRDKit()]);
    expect(a).toBe(b);
  });
});

describe("withRDKitMol", () => {
  it("frees the RDKit molecule after use, also when the callback throws", async () => {
    let kept: RDKitMol | null = null;
    const atoms = await withRDKitMol({ smiles: "CCO" }, (mol) => {
      kept = mol;
      return mol.get_num_atoms();
    });
    expect(atoms).toBe(3);
    expect(kept!.isDeleted()).toBe(true);

    await expect(
      withRDKitMol({ smiles: "CCN" }, (mol) => {
        kept = mol;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(kept!.isDeleted()).toBe(true);
  });
});
