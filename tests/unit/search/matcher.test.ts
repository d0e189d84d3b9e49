/**
 * Our matcher and screen against OpenChemLib's own substructure search, molecule by molecule, on the first 3,000
 * molecules of the HIV set: the matcher must answer exactly what SSSearcher answers for the same query fragment, the
 * screen must never drop a molecule SSSearcher matches, and the matched atoms must form the query's bonds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Molecule, SSSearcher } from "openchemlib";

import initRDKitModule from "@rdkit/rdkit";
import { moleculeScreen, queryScreen } from "@/lib/search/fingerprint";
import { morganBits, positions, tanimotoOf } from "@/lib/search/morgan";
import { createGraphView, encodeMolecule, viewGraph } from "@/lib/search/graph";
import { SearchIndex } from "@/lib/search/index";
import { Matcher } from "@/lib/search/match";
import { parseMoleculeQuery, parseSubstructureQuery, QueryError, similarityFingerprint, symbolAromaticity } from "@/lib/search/query";
import { recordParts, searchRecordFromIdcode } from "@/lib/search/record";

import { readSharedData } from "../chem/shared-data";

const QUERIES = [
  "c1ccccc1",
  "[N+](=O)[O-]",
  "C(=O)N",
  "S(=O)(=O)N",
  "[Cl,Br,I]",
  "c1ccc2ccccc2c1",
  "[#6]~[#7]~[#6]=O",
  "*c1ccccc1",
  "[nH]",
  "[C;R]",
  "C(=O)[OH]",
  "[#7+]",
  "C#N",
  "[CH2]",
  "[!#6;!#1]",
  "C!@C",
  "C=,#C",
  "[C;R0]=O",
  "O=C1CCCN1",
];

let molecules: Molecule[];

beforeAll(() => {
  const smiles = readSharedData("hiv-41k.csv").split(/\r?\n/).slice(1, 3001).map((l) => l.split(",")[0]!);
  molecules = [];
  for (const s of smiles) {
    try {
      const mol = Molecule.fromSmiles(s, { noCoordinates: true });
      mol.removeExplicitHydrogens();
      mol.normalizeAmbiguousBonds();
      molecules.push(Molecule.fromIDCode(mol.getIDCode(), false));
    } catch {
      // unreadable rows of the real set are skipped
    }
  }
}, 300_000);

describe("matcher and screen", () => {
  for (const q of QUERIES) {
    it(`answers what OpenChemLib's SSSearcher answers: ${q}`, () => {
      const query = parseSubstructureQuery(q);
      expect(query.compiled).not.toBeNull();
      const matcher = new Matcher(query.compiled!);
      const searcher = new SSSearcher();
      searcher.setFragment(query.fragment);
      const view = createGraphView();
      let hits = 0;
      const disagreements: string[] = [];
      for (const mol of molecules) {
        searcher.setMolecule(mol);
        const expected = searcher.isFragmentInMolecule();
        const graph = encodeMolecule(mol);
        viewGraph(graph, 0, view);
        const map = matcher.find(view);
        if ((map !== null) !== expected) disagreements.push(mol.getIDCode());
        if (!expected) continue;
        hits++;
        // Screen soundness: every bit the query requires is set in a matching molecule.
        const screen = moleculeScreen(view);
        for (let w = 0; w < 16; w++) expect(query.screen[w]! & ~screen[w]!).toBe(0);
        // The mapping is one-to-one and keeps the query's bonds.
        expect(new Set(map).size).toBe(map!.length);
        for (let b = 0; b < query.fragment.getBonds(); b++) {
          const a1 = map![query.fragment.getBondAtom(0, b)]!;
          const a2 = map![query.fragment.getBondAtom(1, b)]!;
          expect(mol.getBond(a1, a2)).toBeGreaterThanOrEqual(0);
        }
      }
      expect(disagreements.slice(0, 3)).toEqual([]);
      expect(hits).toBeGreaterThan(0);
    }, 60_000);
  }

  it("reads upper-case SMARTS symbols as aliphatic and lower-case as aromatic", () => {
    expect(symbolAromaticity("C(=O)Nc1ccccc1")).toEqual(["aliphatic", "aliphatic", "aliphatic", ...Array(6).fill("aromatic")]);
    expect(symbolAromaticity("[C;R][nH][#6]*[Cl,Br]Cl")).toEqual(["aliphatic", "aromatic", null, null, null, "aliphatic"]);
  });

  it("refuses SMARTS it cannot mean exactly, and unreadable input", () => {
    for (const q of ["[C;R2]", "c1ccc", "", "C C"]) {
      expect(() => parseSubstructureQuery(q), q).toThrow(QueryError);
    }
    expect(() => parseMoleculeQuery("C1CC")).toThrow(QueryError);
  });

  it("similarity: identical molecules score 1, analogues score between, unrelated ones low", async () => {
    const fp = similarityFingerprint;
    const paracetamol = await fp("CC(=O)Nc1ccc(O)cc1");
    expect(tanimotoOf(paracetamol, await fp("Oc1ccc(NC(C)=O)cc1"))).toBe(1);
    const analogue = tanimotoOf(paracetamol, await fp("CC(=O)Nc1ccc(OC)cc1"));
    const unrelated = tanimotoOf(paracetamol, await fp("CCCCCCCCCCCC(=O)O"));
    expect(analogue).toBeGreaterThan(0.4);
    expect(analogue).toBeLessThan(1);
    expect(unrelated).toBeLessThan(0.2);
  });

  it("the index's similarity search (bit-count bound, top k) returns exactly what brute-force Tanimoto returns", async () => {
    const rdkit = await initRDKitModule();
    const index = new SearchIndex();
    const fps: Uint16Array[] = [];
    molecules.forEach((mol, i) => {
      let fp: Uint16Array = new Uint16Array(0);
      try {
        fp = morganBits(rdkit, mol.toIsomericSmiles());
      } catch {
        // RDKit cannot read OpenChemLib's SMILES of it: no similarity bits, as in the registry
      }
      fps.push(fp);
      index.add(i + 1, 1, true, mol.getIDCode(), searchRecordFromIdcode(mol.getIDCode(), fp));
    });
    for (const [q, threshold] of [["CC(=O)Nc1ccc(O)cc1", 0.3], ["O=C(O)c1ccccc1O", 0.5], ["c1ccc2ccccc2c1", 0.7], ["CCCCCCCCCCCC(=O)O", 0.05]] as const) {
      const fp = morganBits(rdkit, q);
      const expected = fps
        .map((f, i) => ({ id: i + 1, similarity: tanimotoOf(fp, f) }))
        .filter((h) => h.similarity >= threshold)
        .sort((a, b) => b.similarity - a.similarity || a.id - b.id);
      const all = await index.similarity(fp, { threshold, limit: 1e9 });
      expect(all.total, q).toBe(expected.length);
      expect(all.hits, q).toEqual(expected);
      const page = await index.similarity(fp, { threshold, start: 10, limit: 20 });
      expect(page.hits, q).toEqual(expected.slice(10, 30));
      expect(page.total).toBe(expected.length);
    }
  }, 60_000); // 3,000 search records are made first

  it("stores a record of fingerprints and graph; the graph round-trips atoms and bonds", () => {
    const mol = Molecule.fromSmiles("O=[N+]([O-])c1ccc(Cl)cc1");
    const idcode = mol.getIDCode();
    const morgan = Uint16Array.of(3, 80, 2047);
    const record = searchRecordFromIdcode(idcode, morgan);
    const parts = recordParts(record)!;
    const view = viewGraph(parts.graph, 0);
    const canonical = Molecule.fromIDCode(idcode);
    expect(view.atoms).toBe(canonical.getAtoms());
    expect(Array.from(view.element.subarray(0, view.atoms))).toEqual(
      Array.from({ length: canonical.getAtoms() }, (_, a) => canonical.getAtomicNo(a)),
    );
    expect(view.adjStart[view.atoms]).toBe(canonical.getBonds() * 2);
    expect(Array.from(parts.morgan)).toEqual([3, 80, 2047]);
    expect(Array.from(parts.screen)).toEqual(Array.from(moleculeScreen(view)));
    // A record cut short, or in the layout before this one, is not read as one (the index computes it again).
    expect(recordParts(record.subarray(0, record.length - 1))).toBeNull();
    expect(recordParts(new Uint8Array(record.length))).toBeNull();
    // A molecule too large for the compact graph, which RDKit cannot read either: the shortest record there is.
    const huge = Molecule.fromSmiles("C".repeat(300));
    const hugeRecord = searchRecordFromIdcode(huge.getIDCode(), new Uint16Array(0));
    expect(recordParts(hugeRecord)?.graph.length).toBe(1);
    // RDKit's bit layout: bit i is bit i % 8 of byte i / 8.
    expect(Array.from(positions(Uint8Array.of(0b1000_0001, 0, 0b0000_0100)))).toEqual([0, 7, 18]);
  });

  it("the screen sets only bits a query requires: a wildcard query requires less than its concrete form", () => {
    const popcount = (fp: Uint32Array) => fp.reduce((n, w) => n + w.toString(2).replace(/0/g, "").length, 0);
    expect(popcount(queryScreen(parseSubstructureQuery("*c1ccccc1").fragment))).toBeLessThan(
      popcount(queryScreen(parseSubstructureQuery("Clc1ccccc1").fragment)),
    );
    expect(popcount(queryScreen(parseSubstructureQuery("[!#6;!#1]~[!#6;!#1]").fragment))).toBe(0);
  });
});
