import { Molecule } from "openchemlib";
import { describe, expect, it } from "vitest";

import { ACYCLIC, scaffoldKey, scaffoldKeyOfIdcode, scaffoldKeyOfSmiles } from "@/lib/models/scaffold";

/** The canonical idcode of a scaffold written by hand, without stereo: what the key must be. */
function idcodeOf(smiles: string): string {
  const mol = Molecule.fromSmiles(smiles);
  mol.stripStereoInformation();
  return mol.getIDCode();
}

// Scaffolds worked out by hand with RDKit's MurckoDecompose rules (ring atoms, atoms on paths between rings, atoms
// double-bonded to those).
const CASES: [name: string, smiles: string, scaffold: string][] = [
  ["benzene", "c1ccccc1", "c1ccccc1"],
  ["toluene", "Cc1ccccc1", "c1ccccc1"],
  ["ibuprofen", "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "c1ccccc1"],
  ["acetophenone: a C=O off the ring system goes with its carbon", "CC(=O)c1ccccc1", "c1ccccc1"],
  ["diphenylmethane keeps its linker", "c1ccc(Cc2ccccc2)cc1", "c1ccc(Cc2ccccc2)cc1"],
  ["a branched linker loses its branches", "CCC(C)(c1ccccc1)c1ccc(O)cc1", "c1ccc(Cc2ccccc2)cc1"],
  ["an amide linker keeps its =O", "Cc1ccc(NC(=O)c2ccccc2Cl)cc1", "O=C(Nc1ccccc1)c1ccccc1"],
  ["a ring ketone keeps its =O", "CC1CCC(=O)CC1", "O=C1CCCCC1"],
  ["N-methylpyrrole becomes pyrrole", "Cn1cccc1", "c1cc[nH]c1"],
  ["an OSM Series 4 ether", "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23", "c1ccc(CCOc2cncc3nnc(-c4ccccc4)n23)cc1"],
];

describe("Bemis–Murcko scaffold keys", () => {
  it.each(CASES)("%s", (_, smiles, scaffold) => {
    expect(scaffoldKeyOfSmiles(smiles)).toBe(idcodeOf(scaffold));
  });

  it("gives acyclic molecules the same empty scaffold", () => {
    expect(scaffoldKeyOfSmiles("CCCCCCO")).toBe(ACYCLIC);
    expect(scaffoldKeyOfSmiles("OC(=O)CC(O)(CC(=O)O)C(=O)O")).toBe(ACYCLIC);
    expect(ACYCLIC).toBe("");
  });

  it("puts stereoisomers on one scaffold, and ignores salts' counter-ions", () => {
    const cis = scaffoldKeyOfSmiles("N[C@@H]1CC[C@H](c2ccccc2)CC1");
    const trans = scaffoldKeyOfSmiles("N[C@H]1CC[C@H](c2ccccc2)CC1");
    expect(cis).toBe(trans);
    expect(cis).toBe(idcodeOf("C1CCC(CC1)c1ccccc1"));
    expect(scaffoldKeyOfSmiles("Cl.CNc1ccccc1")).toBe(idcodeOf("c1ccccc1"));
  });

  it("reads a stored idcode the same as the SMILES it came from, and leaves the molecule as it was", () => {
    const mol = Molecule.fromSmiles("Cc1ccc(NC(=O)c2ccccc2Cl)cc1");
    const before = mol.getIDCode();
    expect(scaffoldKey(mol)).toBe(scaffoldKeyOfIdcode(before));
    expect(mol.getIDCode()).toBe(before);
  });
});
