/**
 * Our OpenChemLib-based results checked against an independent toolkit (RDKit) and against the identifiers the Open
 * Source Malaria campaign computed itself, on real data.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { ChemError, isChemError } from "@/lib/chem/errors";
import { computeInchi, getRDKit, inchiSource, portableSmiles, type RDKitModule } from "@/lib/chem/inchi";
import { flipClosingBondDirections } from "@/lib/chem/smiles";
import { parseSheet } from "@/lib/sheets/sheet";
import { parseStructure, type ParsedStructure } from "@/lib/chem/structure";

import { rdkitHillFormula, readSharedData } from "./shared-data";

let rdkit: RDKitModule;
beforeAll(async () => {
  rdkit = await getRDKit();
});

function rdkitFacts(smiles: string): { formula: string; exactmw: number; amw: number; heavyAtoms: number } | null {
  const mol = rdkit.get_mol(smiles);
  if (mol === null) return null;
  try {
    const descriptors = JSON.parse(mol.get_descriptors()) as { exactmw: number; amw: number; NumHeavyAtoms: number };
    return {
      formula: rdkitHillFormula(mol.get_json()),
      exactmw: descriptors.exactmw,
      amw: descriptors.amw,
      heavyAtoms: descriptors.NumHeavyAtoms,
    };
  } finally {
    mol.delete();
  }
}

describe("OSM Series 4 master list", () => {
  interface Compound {
    idCell: string;
    smiles: string;
    inchiKey: string;
    ours: ParsedStructure;
  }
  let compounds: Compound[];

  beforeAll(() => {
    const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
    const byCell = new Map<string, Compound>();
    for (const { cells } of sheet.rows) {
      const idCell = cells.OSM_ID ?? "";
      if (byCell.has(idCell)) continue;
      const smiles = cells.Canonical_Smiles ?? "";
      byCell.set(idCell, { idCell, smiles, inchiKey: cells.InChIKey ?? "", ours: parseStructure({ smiles }, { molfile: "given" }) });
    }
    compounds = [...byCell.values()];
  }, 60_000);

  it("has 348 compounds, each read by OpenChemLib", () => {
    expect(compounds).toHaveLength(348);
    expect(new Set(compounds.map((c) => c.ours.idcode)).size).toBe(348);
  });

  it("gives the campaign's InChIKey for 346 of 348 compounds; the two exceptions are understood", async () => {
    const mismatches = new Map<string, string>();
    let matches = 0;
    for (const compound of compounds) {
      // The route the registry uses (see inchiSource).
      const key = await computeInchi(inchiSource(compound.ours, compound)).then(
        (result) => result.inchiKey,
        (error: unknown) => (isChemError(error) ? `${error.code}: ${error.message}` : String(error)),
      );
      if (key === compound.inchiKey) matches++;
      else mismatches.set(compound.idCell, key);
    }
    expect(matches).toBe(346);
    expect([...mismatches.keys()].sort()).toEqual(["OSM-S-395", "OSM-S-424"]);

    // OSM-S-395 (an adamantylethyl ether): the sheet's key has a stereo layer for the adamantane bridgeheads,
    // computed from a drawing, but the sheet's SMILES carries no stereo. Same skeleton, no stereo in ours.
    const adamantane = compounds.find((c) => c.idCell === "OSM-S-395")!;
    expect(adamantane.smiles).not.toContain("@");
    expect(adamantane.inchiKey).toBe("BSXLJNOXQMXUOB-CRFYJIHUSA-N");
    expect(mismatches.get("OSM-S-395")).toBe("BSXLJNOXQMXUOB-UHFFFAOYSA-N");

    // OSM-S-424 (a carborane): the SMILES draws neutral boron with four bonds; RDKit refuses that valence, so no
    // InChI can be computed, while OpenChemLib reads the structure.
    expect(mismatches.get("OSM-S-424")).toMatch(/^invalid_structure: RDKit could not read/);
    const carborane = compounds.find((c) => c.idCell === "OSM-S-424")!;
    expect(rdkit.get_mol(carborane.smiles)).toBeNull();
  }, 120_000);

  it("stores SMILES that RDKit reads with the same double-bond geometry (OpenChemLib's ring-closure marks fixed)", async () => {
    const inchiOf = (smiles: string) => {
      const mol = rdkit.get_mol(smiles);
      try {
        return mol?.get_inchi() ?? null;
      } finally {
        mol?.delete();
      }
    };
    let marked = 0;
    let misreadBefore = 0;
    const changed: string[] = [];
    for (const compound of compounds) {
      if (!/[/\\]/.test(compound.ours.smiles) || compound.idCell === "OSM-S-424") continue;
      marked++;
      const source = inchiSource(compound.ours, compound);
      const { inchi } = await computeInchi(source);
      if (inchiOf(compound.ours.smiles) !== inchi) misreadBefore++;
      const stored = await portableSmiles(compound.ours, source, inchi);
      expect(inchiOf(stored), compound.idCell).toBe(inchi);
      // An export imports again as the same molecule.
      expect(parseStructure({ smiles: stored }, { molfile: "given" }).idcode, compound.idCell).toBe(compound.ours.idcode);
      if (stored !== compound.ours.smiles) changed.push(compound.idCell);
    }
    expect(marked).toBe(28);
    expect(misreadBefore).toBe(9);
    expect(changed).toHaveLength(9); // exactly the misread ones; the other 19 keep OpenChemLib's SMILES
    expect(flipClosingBondDirections("O=C(/C(\\S1)=C/c2ccccc2)N/C\\1=N/c1ccccc1")).toBe("O=C(/C(\\S1)=C/c2ccccc2)N/C/1=N/c1ccccc1");
    expect(flipClosingBondDirections("[13CH3]/C=C/%12CC\\%12")).toBe("[13CH3]/C=C/%12CC/%12");
  }, 120_000);

  it("agrees with RDKit on formula, heavy atoms and masses", () => {
    const averageOff: string[] = [];
    let compared = 0;
    for (const { idCell, smiles, ours } of compounds) {
      const theirs = rdkitFacts(smiles);
      if (theirs === null) continue; // OSM-S-424, see above
      compared++;
      expect(ours.formula, idCell).toBe(theirs.formula);
      expect(ours.heavyAtoms, idCell).toBe(theirs.heavyAtoms);
      expect(ours.monoisotopicMass, idCell).toBeCloseTo(theirs.exactmw, 3);
      const difference = Math.abs(ours.averageMass - theirs.amw);
      expect(difference, idCell).toBeLessThan(0.012);
      if (difference >= 0.01) averageOff.push(idCell);
    }
    expect(compared).toBe(347);
    // The toolkits use slightly different standard atomic weights (OpenChemLib B 10.811, C 12.0107, H 1.00794;
    // RDKit B 10.812, C 12.011, H 1.008). Only these two carboranes, with ten borons, differ by 0.01 or more.
    expect(averageOff.sort()).toEqual(["OSM-S-418", "OSM-S-564"]);
  });
});

describe("MoleculeNet HIV set (real, messy SMILES)", () => {
  it("reads what RDKit reads, or refuses it with a ChemError; heavy atoms, formula and masses agree", () => {
    const lines = readSharedData("hiv-41k.csv").split(/\r?\n/).slice(1).filter((line) => line !== "");
    // Deterministic sample: every 20th molecule, 2,000 in all.
    const sample = lines.filter((_, index) => index % 20 === 0).slice(0, 2000);
    // Plus the five molecules of the whole set that RDKit reads and OpenChemLib does not (aromatic Te and B, and a
    // germanium-phosphorus cage).
    const knownRefusals = [lines[12452], lines[13169], lines[13170], lines[29861], lines[29862]];
    let readByBoth = 0;
    let refused = 0;
    for (const line of [...sample, ...knownRefusals]) {
      const smiles = (line ?? "").slice(0, (line ?? "").lastIndexOf(","));
      const theirs = rdkitFacts(smiles);
      expect(theirs, smiles).not.toBeNull();
      try {
        const ours = parseStructure({ smiles });
        readByBoth++;
        expect(ours.heavyAtoms, smiles).toBe(theirs!.heavyAtoms);
        expect(ours.formula, smiles).toBe(theirs!.formula);
        // Includes copper complexes, whose monoisotopic mass needs the correction in structure.ts.
        expect(Math.abs(ours.monoisotopicMass - theirs!.exactmw), smiles).toBeLessThan(0.01);
        // Average masses drift apart with size through the atomic-weight tables (see above): compare relatively.
        expect(Math.abs(ours.averageMass - theirs!.amw) / theirs!.amw, smiles).toBeLessThan(5e-5);
      } catch (error) {
        expect(error, smiles).toBeInstanceOf(ChemError);
        expect((error as ChemError).code).toBe("invalid_structure");
        refused++;
      }
    }
    expect(readByBoth).toBe(2000);
    expect(refused).toBe(5);
  }, 180_000);
});
