import { CanonizerUtil, Molecule } from "openchemlib";
import { describe, expect, it } from "vitest";

import { ChemError } from "@/lib/chem/errors";
import { molfileFromIdcode, parseStructure, STRUCTURE_LIMITS, toChargeParent, type StructureInput } from "@/lib/chem/structure";
import { parseSheet } from "@/lib/sheets/sheet";
import { readSharedData } from "./shared-data";

function chemError(input: StructureInput): ChemError {
  try {
    parseStructure(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ChemError);
    return error as ChemError;
  }
  throw new Error(`expected a ChemError for ${JSON.stringify(input).slice(0, 80)}`);
}

describe("parseStructure: properties of a known drug", () => {
  it("gives aspirin's formula, masses and descriptors", () => {
    const aspirin = parseStructure({ smiles: "CC(=O)Oc1ccccc1C(=O)O" });
    expect(aspirin.formula).toBe("C9H8O4");
    expect(aspirin.monoisotopicMass).toBeCloseTo(180.04226, 3);
    expect(aspirin.averageMass).toBeCloseTo(180.159, 2);
    // Ertl's TPSA for aspirin is 63.6 Å²; OpenChemLib implements that method.
    expect(aspirin.tpsa).toBeCloseTo(63.6, 1);
    expect(aspirin.clogp).toBeCloseTo(1.13, 2);
    expect(aspirin.hbd).toBe(1);
    expect(aspirin.hba).toBe(4);
    expect(aspirin.rotatableBonds).toBe(3);
    expect(aspirin.heavyAtoms).toBe(13);
    expect(aspirin.charge).toBe(0);
    expect(aspirin.lipinskiViolations).toBe(0);
    expect(aspirin.idcode).toBe("dklB@@QmR[fUxUZBBF@@");
    expect(aspirin.smiles).toBe("CC(Oc1ccccc1C(O)=O)=O");
    expect(aspirin.molfile).toMatch(/V2000\n/);
    expect(aspirin.molfile).toMatch(/M {2}END\n?$/);
  });

  it("uses the true mass of 63Cu (OpenChemLib's table is 10 mDa off)", () => {
    expect(parseStructure({ smiles: "[Cu]" }).monoisotopicMass).toBeCloseTo(62.9296, 4);
    expect(parseStructure({ smiles: "[63Cu]" }).monoisotopicMass).toBeCloseTo(62.9296, 4);
  });

  it("counts rule-of-five violations", () => {
    const wax = parseStructure({ smiles: "C".repeat(40) }); // C40H82: MW 563, very lipophilic
    expect(wax.formula).toBe("C40H82");
    expect(wax.averageMass).toBeCloseTo(563.09, 1);
    expect(wax.clogp).toBeGreaterThan(5);
    expect(wax.lipinskiViolations).toBe(2);
  });

  it("writes formulas in Hill order, with the net charge and isotopes counted as their element", () => {
    expect(parseStructure({ smiles: "OS(=O)(=O)O" }).formula).toBe("H2O4S");
    expect(parseStructure({ smiles: "[NH4+]" }).formula).toBe("H4N+");
    expect(parseStructure({ smiles: "[2H]C([2H])([2H])O" }).formula).toBe("CH4O");
    expect(parseStructure({ smiles: "Cl.CN(C)CCCN1c2ccccc2CCc2ccccc21" }).formula).toBe("C19H25ClN2");
  });
});

describe("parseStructure: canonical identity", () => {
  it("gives one idcode and SMILES for different spellings of a molecule", () => {
    const a = parseStructure({ smiles: "C1=CC=CC=C1C(=O)O" });
    const b = parseStructure({ smiles: "OC(=O)c1ccccc1" });
    expect(a.idcode).toBe(b.idcode);
    expect(a.smiles).toBe(b.smiles);
  });

  it("unifies the two ways of drawing a nitro group", () => {
    const charged = parseStructure({ smiles: "c1ccccc1[N+](=O)[O-]" });
    const pentavalent = parseStructure({ smiles: "c1ccccc1N(=O)=O" });
    expect(charged.idcode).toBe(pentavalent.idcode);
    expect(pentavalent.charge).toBe(0);
  });

  it("keeps stereo: enantiomers differ, and share the stereo-less idcode", () => {
    const l = parseStructure({ smiles: "C[C@H](N)C(=O)O" });
    const d = parseStructure({ smiles: "C[C@@H](N)C(=O)O" });
    const unknown = parseStructure({ smiles: "CC(N)C(=O)O" });
    expect(l.idcode).not.toBe(d.idcode);
    expect(unknown.idcode).not.toBe(l.idcode);
    expect(unknown.idcode).not.toBe(d.idcode);
    expect(l.idcodeNoStereo).toBe(d.idcodeNoStereo);
    expect(l.idcodeNoStereo).toBe(unknown.idcode);
    expect(l.smiles).toContain("@");
  });

  it("keeps double-bond geometry", () => {
    const e = parseStructure({ smiles: "F/C=C/F" });
    const z = parseStructure({ smiles: "F/C=C\\F" });
    expect(e.idcode).not.toBe(z.idcode);
    expect(e.idcodeNoStereo).toBe(z.idcodeNoStereo);
  });

  it("keeps charges in the idcode", () => {
    const ammonium = parseStructure({ smiles: "CC[NH3+]" });
    expect(ammonium.idcode).not.toBe(parseStructure({ smiles: "CCN" }).idcode);
    expect(ammonium.charge).toBe(1);
    expect(ammonium.formula).toBe("C2H8N+");
  });
});

describe("parseStructure: parent (salts and solvents stripped)", () => {
  it("gives a hydrochloride the free base as parent", () => {
    const base = parseStructure({ smiles: "CN(C)CCCN1c2ccccc2CCc2ccccc21" }); // imipramine
    const salt = parseStructure({ smiles: "Cl.CN(C)CCCN1c2ccccc2CCc2ccccc21" });
    expect(salt.idcode).not.toBe(base.idcode);
    expect(salt.parentIdcode).toBe(base.idcode);
    expect(base.parentIdcode).toBe(base.idcode);
  });

  it("gives the same parent to HCl salt, ammonium chloride and free amine", () => {
    const parents = ["CCN.Cl", "CC[NH3+].[Cl-]", "CCN", "CC[NH3+]"].map((smiles) => parseStructure({ smiles }).parentIdcode);
    expect(new Set(parents).size).toBe(1);
    expect(parents[0]).toBe(parseStructure({ smiles: "CCN" }).idcode);
  });

  it("turns a sodium salt into the free acid, a zwitterion into the neutral form, and drops water", () => {
    expect(parseStructure({ smiles: "CC(=O)[O-].[Na+]" }).parentIdcode).toBe(parseStructure({ smiles: "CC(=O)O" }).idcode);
    expect(parseStructure({ smiles: "[NH3+]CC([O-])=O" }).parentIdcode).toBe(parseStructure({ smiles: "NCC(=O)O" }).idcode);
    expect(parseStructure({ smiles: "CCO.O" }).parentIdcode).toBe(parseStructure({ smiles: "CCO" }).idcode);
  });

  it("keeps charges that protons cannot remove, and stereo", () => {
    const quat = parseStructure({ smiles: "C[N+](C)(C)C.[Cl-]" });
    expect(quat.parentIdcode).toBe(parseStructure({ smiles: "C[N+](C)(C)C" }).idcode);
    const betaine = parseStructure({ smiles: "C[N+](C)(C)CC(=O)[O-]" });
    expect(betaine.parentIdcode).toBe(betaine.idcode);
    const nitro = parseStructure({ smiles: "c1ccccc1[N+](=O)[O-].Cl" });
    expect(nitro.parentIdcode).toBe(parseStructure({ smiles: "c1ccccc1[N+](=O)[O-]" }).idcode);
    const lAlaHcl = parseStructure({ smiles: "C[C@H](N)C(=O)O.Cl" });
    expect(lAlaHcl.parentIdcode).toBe(parseStructure({ smiles: "C[C@H](N)C(=O)O" }).idcode);
  });
});

describe("parseStructure: molfiles", () => {
  const ala = parseStructure({ smiles: "C[C@H](N)C(=O)O" });

  it("reads V2000, V3000 and CRLF molfiles to the same molecule", () => {
    expect(parseStructure({ molfile: ala.molfile }).idcode).toBe(ala.idcode);
    expect(parseStructure({ molfile: ala.molfile.replace(/\n/g, "\r\n") }).idcode).toBe(ala.idcode);
    const v3000 = Molecule.fromIDCode(ala.idcode).toMolfileV3();
    expect(v3000).toContain("V3000");
    expect(parseStructure({ molfile: v3000 }).idcode).toBe(ala.idcode);
  });

  it("ignores explicit hydrogens drawn in the molfile", () => {
    const methanol = Molecule.fromSmiles("CO");
    methanol.addImplicitHydrogens();
    const parsed = parseStructure({ molfile: methanol.toMolfile() });
    expect(parsed.idcode).toBe(parseStructure({ smiles: "CO" }).idcode);
    expect(parsed.formula).toBe("CH4O");
    expect(parsed.heavyAtoms).toBe(2);
  });

  it("reads a molfile without the chiral flag as relative configuration, as MDL defines it", () => {
    const lines = ala.molfile.split("\n");
    const counts = lines[3] ?? "";
    expect(counts.slice(12, 15)).toBe("  1"); // OpenChemLib writes absolute stereo with the chiral flag set
    lines[3] = `${counts.slice(0, 12)}  0${counts.slice(15)}`;
    const relative = parseStructure({ molfile: lines.join("\n") });
    expect(relative.idcode).not.toBe(ala.idcode);
    expect(relative.idcodeNoStereo).toBe(ala.idcodeNoStereo);
  });
});

describe("parseStructure: the registry's form (molfile only when given)", () => {
  it("reads a SMILES without coordinates to the same structure, with no molfile", () => {
    const smiles = "C[C@H](N)C(=O)O.Cl";
    const { molfile, ...rest } = parseStructure({ smiles });
    const given = parseStructure({ smiles }, { molfile: "given" });
    expect(given).toEqual({ ...rest, molfile: null });
    expect(molfile).toContain("M  END");
  });

  it("keeps a given molfile, coordinates and all", () => {
    const drawn = parseStructure({ smiles: "C[C@H](N)C(=O)O" }).molfile;
    expect(parseStructure({ molfile: drawn }, { molfile: "given" }).molfile).toBe(parseStructure({ molfile: drawn }).molfile);
  });

  it("makes a molfile from the stored idcode that reads back to the same structure, stereo included", () => {
    for (const smiles of ["C[C@H](N)C(=O)O", "C/C=C/C(=O)O", "OC(=O)[C@@H]1CCCN1C(=O)[C@H](C)CS", "c1ccccc1"]) {
      const { idcode } = parseStructure({ smiles }, { molfile: "given" });
      expect(parseStructure({ molfile: molfileFromIdcode(idcode) }).idcode, smiles).toBe(idcode);
    }
  });

  // The shortcuts describeMolecule takes (no-stereo idcode = idcode without stereo features; a single uncharged
  // fragment is its own parent) must give what the full computation gives, on real molecules of every kind.
  it("gives the full computation's no-stereo and parent idcodes on the OSM sheet and 1,100 HIV molecules", () => {
    const hiv = readSharedData("hiv-41k.csv")
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(",")[0]!);
    // The HIV set has no stereo; the OSM sheet has (E/Z and tetrahedral). Then salts and charged molecules.
    const osm = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv").rows.map((r) => r.cells.Canonical_Smiles ?? "");
    const smiles = [
      ...new Set(osm.filter((s) => s !== "")),
      ...hiv.slice(0, 800),
      ...hiv.slice(800).filter((s) => /[.+]/.test(s)).slice(0, 300),
    ];
    let withStereo = 0;
    let ownParent = 0;
    for (const s of smiles) {
      const ours = parseStructure({ smiles: s }, { molfile: "given" });
      const mol = Molecule.fromSmiles(s);
      mol.removeExplicitHydrogens();
      mol.normalizeAmbiguousBonds();
      expect(ours.idcode, s).toBe(mol.getIDCode());
      expect(ours.idcodeNoStereo, s).toBe(CanonizerUtil.getIDCode(mol, CanonizerUtil.NOSTEREO));
      if (ours.idcodeNoStereo !== ours.idcode) withStereo++;
      if (ours.parentIdcode === ours.idcode) {
        ownParent++;
        expect(toChargeParent(Molecule.fromIDCode(ours.idcode, true)).getIDCode(), s).toBe(ours.idcode);
      }
    }
    // Drawn structures too: stereo read from wedges and 2D coordinates rather than from the SMILES.
    for (const s of new Set(osm.filter((s) => /[@/\\]/.test(s)))) {
      const molfile = Molecule.fromSmiles(s).toMolfile();
      const ours = parseStructure({ molfile });
      const mol = Molecule.fromMolfile(molfile);
      mol.removeExplicitHydrogens();
      mol.normalizeAmbiguousBonds();
      expect(ours.idcodeNoStereo, s).toBe(CanonizerUtil.getIDCode(mol, CanonizerUtil.NOSTEREO));
      expect(ours.idcodeNoStereo, s).not.toBe(ours.idcode);
      withStereo++;
    }
    // Both branches were exercised.
    expect(withStereo).toBeGreaterThan(40);
    expect(ownParent).toBeLessThan(smiles.length - 20);
  }, 120_000);
});

describe("parseStructure: bad input", () => {
  it.each([
    [{}, "smiles", /empty/],
    [{ smiles: "" }, "smiles", /SMILES is empty/],
    [{ smiles: "   \n" }, "smiles", /SMILES is empty/],
    [{ molfile: "" }, "molfile", /molfile is empty/],
    [{ smiles: "garbage" }, "smiles", /SMILES could not be read: unknown element label/],
    [{ smiles: "C1CC" }, "smiles", /SMILES could not be read: dangling ring closure/],
    [{ smiles: "CCO ethanol" }, "smiles", /contains a space/],
    [{ smiles: "C*" }, "smiles", /wildcard atoms/],
    [{ smiles: "CCO", molfile: "x\ny" }, "smiles", /either a SMILES or a molfile, not both/],
    [{ molfile: "CCO" }, "molfile", /Is it a SMILES\?/],
    [{ molfile: "not\na\nmolfile\n" }, "molfile", /contains no atoms/],
    [{ smiles: 42 as unknown as string }, "smiles", /must be text/],
  ] as const)("refuses %j", (input, field, message) => {
    const error = chemError(input);
    expect(error.code).toBe("invalid_structure");
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/Class\$/); // no toolkit internals
  });

  it("refuses oversize input before parsing it", () => {
    const longSmiles = chemError({ smiles: "C".repeat(STRUCTURE_LIMITS.smilesChars + 1) });
    expect(longSmiles.code).toBe("too_large");
    expect(longSmiles.field).toBe("smiles");
    expect(longSmiles.message).toBe("The SMILES is 2,001 characters long; the limit is 2,000.");

    const bigMolfile = chemError({ molfile: `big\n${"x".repeat(STRUCTURE_LIMITS.molfileBytes)}\nM  END\n` });
    expect(bigMolfile.code).toBe("too_large");
    expect(bigMolfile.field).toBe("molfile");
    expect(bigMolfile.message).toMatch(/larger than 200 kB/);
  });

  // One carbon, with a properties block or atom-line fields out of range.
  const v2000 = (valence: string, properties: string) =>
    "\n  x\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n" +
    `    0.0000    0.0000    0.0000 C   0  0  0  0  0${valence}  0  0  0  0  0  0\n${properties}M  END\n`;

  it.each([
    [v2000("  0", "M  ISO  1   1 9999\n"), /mass number 999\d?, which no isotope of C has/],
    [v2000("  0", "M  CHG  1   1  99\n"), /charge 99; at most ±8/],
    [v2000(" 99", ""), /valence field "99"; it must be 0 to 15/],
    [v2000("  0", "M  ISO  1   1   3\n"), /mass number 3, which no isotope of C has/],
  ])("refuses molfile values out of range (%#)", (molfile, message) => {
    const error = chemError({ molfile });
    expect(error).toMatchObject({ code: "invalid_structure", field: "molfile" });
    expect(error.message).toMatch(message);
  });

  it("accepts real isotopes and charges, and refuses impossible ones in a SMILES too", () => {
    expect(parseStructure({ smiles: "[13CH3]C(=O)O" }).formula).toBe("C2H4O2");
    expect(parseStructure({ smiles: "[2H]OC" }).heavyAtoms).toBe(2);
    expect(parseStructure({ smiles: "[O-2].[Fe+3]" }).charge).toBe(1);
    expect(chemError({ smiles: "[999C]" }).message).toMatch(/no isotope of C/);
    expect(chemError({ smiles: "[C+9]" }).message).toMatch(/at most ±8/);
  });

  it("refuses SMILES branches nested too deep before parsing, and unpaired parentheses", () => {
    const deep = chemError({ smiles: `${"C(".repeat(65)}C${")".repeat(65)}` });
    expect(deep).toMatchObject({ code: "too_large", field: "smiles", message: "Branches are nested more than 64 deep." });
    expect(chemError({ smiles: "CC)C" })).toMatchObject({ code: "invalid_structure", message: 'A ")" at position 3 closes no branch.' });
    expect(parseStructure({ smiles: `${"C(".repeat(20)}C${")".repeat(20)}` }).heavyAtoms).toBe(21);
  });

  it("counts molfile size in bytes, not characters", () => {
    // 70,000 three-byte characters: under the cap in UTF-16 units, over it in UTF-8 bytes.
    const error = chemError({ molfile: `title\n${"€".repeat(70_000)}\nM  END\n` });
    expect(error.code).toBe("too_large");
  });
});
