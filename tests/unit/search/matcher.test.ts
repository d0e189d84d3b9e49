/**
 * Our matcher, graph and screen on the first 3,000 molecules of the HIV set: every embedding the matcher returns is
 * one-to-one, each matched atom satisfies its query atom's whole expression and each query bond lands on a molecule
 * bond it accepts; the screen never drops a molecule the matcher matches; the graph's atoms are in the idcode's order
 * where the record says so. Hit sets against RDKit are rdkit-agreement.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Canonizer, Molecule } from "openchemlib";

import { getRDKit, type RDKitModule } from "@/lib/chem/inchi";
import { parseStructure, readMolecule, standardize } from "@/lib/chem/structure";
import { moleculeScreen, queryScreen } from "@/lib/search/fingerprint";
import { morganBits, positions, tanimotoOf } from "@/lib/search/morgan";
import { createGraphView, graphFromRDKitJson, reorder, viewGraph } from "@/lib/search/graph";
import { SearchIndex } from "@/lib/search/index";
import { Matcher } from "@/lib/search/match";
import { parseMoleculeQuery, parseSubstructureQuery, QueryError, similarityFingerprint } from "@/lib/search/query";
import { IN_IDCODE_ORDER, READ_BY_OPENCHEMLIB, openChemLibRecord, recordFromReadings, recordParts, searchRecord, searchRecordOf } from "@/lib/search/record";
import { bondMatches, parseSmarts } from "@/lib/search/smarts";
import { AtomScratch, atomMatches, type AtomExpr } from "@/lib/search/smarts-atom";

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
  "c-c",
  "[R2]~[R2]",
  "[NX3;!$(NC=O)]C",
];

const METALS = new Set([3, 4, 11, 12, 13, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 49, 50, 55, 56, 78, 79, 80, 81, 82, 83]);

function hasRecursive(expr: AtomExpr): boolean {
  if (expr.op === "recursive") return true;
  if (expr.op === "and" || expr.op === "or") return expr.args.some(hasRecursive);
  return expr.op === "not" && hasRecursive(expr.arg);
}

interface Stored {
  smiles: string;
  idcode: string;
  record: Uint8Array;
}

let rdkit: RDKitModule;
let molecules: Stored[];

beforeAll(async () => {
  rdkit = await getRDKit();
  const smiles = readSharedData("hiv-41k.csv").split(/\r?\n/).slice(1, 3001).map((l) => l.split(",")[0]!);
  molecules = [];
  for (const s of smiles) {
    try {
      const { idcode } = parseStructure({ smiles: s }, { molfile: "given" });
      molecules.push({ smiles: s, idcode, record: searchRecordOf(rdkit, { idcode, smiles: s }) });
    } catch {
      // unreadable rows of the real set are skipped
    }
  }
}, 300_000);

describe("matcher and screen", () => {
  for (const q of QUERIES) {
    it(`matches only what the query says, and the screen keeps every match: ${q}`, () => {
      const query = parseSubstructureQuery(q);
      const graph = parseSmarts(q, (inner) => parseSubstructureQuery(inner).compiled);
      const matcher = new Matcher(query.compiled);
      const scratch = new AtomScratch();
      let view = createGraphView();
      let hits = 0;
      for (const m of molecules) {
        const parts = recordParts(m.record)!;
        view = viewGraph(parts.graph, 0, view);
        const map = matcher.find(view);
        if (map === null) continue;
        hits++;
        // Screen soundness: every bit the query requires is set in a matching molecule.
        for (let w = 0; w < 16; w++) expect(query.screen[w]! & ~parts.screen[w]!).toBe(0);
        // One-to-one, each atom's whole expression holds, each query bond is a molecule bond the query accepts.
        expect(new Set(map).size).toBe(map.length);
        scratch.reset(view);
        graph.atoms.forEach((expr, a) => {
          if (!hasRecursive(expr)) {
            expect(atomMatches(expr, view, map[a]!, scratch), `${q} atom ${a} on ${m.smiles}`).toBe(true);
          }
        });
        for (const bond of graph.bonds) {
          const t1 = map[bond.a]!;
          const t2 = map[bond.b]!;
          let flags = -1;
          for (let k = view.adjStart[t1]!; k < view.adjStart[t1 + 1]!; k++) if (view.adjAtom[k] === t2) flags = view.adjBondFlags[k]!;
          expect(flags, `${q} bond ${bond.a}-${bond.b} on ${m.smiles}`).toBeGreaterThanOrEqual(0);
          expect(bondMatches(bond.expr, flags)).toBe(true);
        }
      }
      expect(hits).toBeGreaterThan(0);
    }, 60_000);
  }

  it("puts the graph's atoms in the idcode's order, so matched atoms highlight the right atoms", () => {
    let ordered = 0;
    for (const m of molecules) {
      const parts = recordParts(m.record)!;
      if ((parts.flags & IN_IDCODE_ORDER) === 0) continue;
      ordered++;
      const view = viewGraph(parts.graph);
      const canonical = Molecule.fromIDCode(m.idcode, false);
      canonical.ensureHelperArrays(Molecule.cHelperNeighbours);
      expect(view.atoms).toBe(canonical.getAtoms());
      for (let a = 0; a < view.atoms; a++) {
        expect(view.element[a], m.smiles).toBe(canonical.getAtomicNo(a));
        for (let k = view.adjStart[a]!; k < view.adjStart[a + 1]!; k++) {
          // Bonds to metals are RDKit's covalent bonds; OpenChemLib may hold the same atoms as ions ([Li]F).
          if (METALS.has(view.element[a]!) || METALS.has(view.element[view.adjAtom[k]!]!)) continue;
          expect(canonical.getBond(a, view.adjAtom[k]!), m.smiles).toBeGreaterThanOrEqual(0);
        }
      }
    }
    // Nearly all: the toolkits read the same atoms in the same order unless one of them splits or drops atoms.
    expect(ordered).toBeGreaterThan(molecules.length * 0.99);
  });

  it("numbers a molecule with defined stereo by the canonizer: its mirror-image halves are not swapped", () => {
    // Without defined stereo any isomorphism onto the idcode's atoms serves; with it, one that ignores stereo could put
    // the (R) centre of a meso compound where the depiction draws the (S) one (the first two differ that way).
    for (const smiles of ["F[C@H](Cl)C[C@@H](F)Cl", "C[C@@H](O)[C@@H](C)[C@H](C)O", "C/C=C/C(C)=C(C)\\C=C\\C"]) {
      const mol = standardize(readMolecule({ smiles }, { coordinates: false }));
      const idcode = mol.getIDCode();
      const rd = rdkit.get_mol(smiles)!;
      try {
        const parts = recordParts(recordFromReadings(rd, () => mol, idcode))!;
        const order = Array.from(new Canonizer(mol).getGraphIndexes()).slice(0, mol.getAllAtoms());
        const byCanonizer = recordParts(searchRecord(reorder(graphFromRDKitJson(rd.get_json()), order), parts.morgan, IN_IDCODE_ORDER))!;
        expect(parts.flags, smiles).toBe(IN_IDCODE_ORDER);
        expect(Array.from(parts.graph), smiles).toEqual(Array.from(byCanonizer.graph));
      } finally {
        rd.delete();
      }
    }
  });

  it("refuses SMARTS it cannot mean exactly, and unreadable input", () => {
    for (const q of ["c1ccc", "", "C C", "C(", "C)", "[C", "C=", "=C", "C1CC", "[C;]", "[Q]", "C%1C", "C..C", "(C).C"]) {
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
    const index = new SearchIndex();
    const fps: Uint16Array[] = [];
    const replaceMorgan = (mol: Stored, fp: Uint16Array) => {
      expect(Array.from(recordParts(mol.record)!.morgan)).toEqual(Array.from(fp));
      return mol.record;
    };
    molecules.forEach((mol, i) => {
      let fp: Uint16Array = new Uint16Array(0);
      try {
        fp = morganBits(rdkit, mol.smiles);
      } catch {
        // RDKit cannot read it: no similarity bits, as in the registry
      }
      fps.push(fp);
      index.add(i + 1, 1, true, mol.idcode, recordParts(mol.record) ? replaceMorgan(mol, fp) : mol.record);
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
    const smiles = "O=[N+]([O-])c1ccc(Cl)cc1";
    const { idcode } = parseStructure({ smiles }, { molfile: "given" });
    const record = searchRecordOf(rdkit, { idcode, smiles });
    const parts = recordParts(record)!;
    expect(parts.flags).toBe(IN_IDCODE_ORDER);
    const view = viewGraph(parts.graph, 0);
    const canonical = Molecule.fromIDCode(idcode);
    expect(view.atoms).toBe(canonical.getAtoms());
    expect(Array.from(view.element.subarray(0, view.atoms))).toEqual(
      Array.from({ length: canonical.getAtoms() }, (_, a) => canonical.getAtomicNo(a)),
    );
    expect(view.adjStart[view.atoms]).toBe(canonical.getBonds() * 2);
    expect(Array.from(parts.morgan)).toEqual(Array.from(morganBits(rdkit, smiles)));
    expect(Array.from(parts.screen)).toEqual(Array.from(moleculeScreen(view)));
    // Charges and valences as RDKit has them: the nitro N is +1 with valence 4.
    const n = Array.from(view.element.subarray(0, view.atoms)).indexOf(7);
    expect([view.charge[n], view.valence[n], view.aromatic[n]]).toEqual([1, 4, 0]);
    // A record cut short, or in the layout before this one, is not read as one (the index computes it again).
    expect(recordParts(record.subarray(0, record.length - 1))).toBeNull();
    expect(recordParts(new Uint8Array(record.length))).toBeNull();
    // RDKit's bit layout: bit i is bit i % 8 of byte i / 8.
    expect(Array.from(positions(Uint8Array.of(0b1000_0001, 0, 0b0000_0100)))).toEqual([0, 7, 18]);
  });

  it("keeps molecules of more than 256 atoms (two-byte atom numbers) and those only OpenChemLib reads searchable", async () => {
    const chain = "C".repeat(300) + "N";
    const { idcode } = parseStructure({ smiles: chain }, { molfile: "given" });
    const long = searchRecordOf(rdkit, { idcode, smiles: chain });
    expect(viewGraph(recordParts(long)!.graph).atoms).toBe(301);
    // RDKit refuses a pentavalent carbon that OpenChemLib registers: the graph is OpenChemLib's reading.
    const odd = "CC(C)(C)(C)(C)CO";
    const refused = searchRecordOf(rdkit, { idcode: parseStructure({ smiles: odd }, { molfile: "given" }).idcode, smiles: odd });
    expect(recordParts(refused)!.flags & READ_BY_OPENCHEMLIB).toBe(READ_BY_OPENCHEMLIB);
    expect(recordParts(refused)!.morgan.length).toBe(0);
    const index = new SearchIndex();
    index.add(1, 1, true, idcode, long);
    index.add(2, 1, true, "x", refused);
    index.add(3, 1, true, "y", openChemLibRecord(Molecule.fromSmiles("c1ccccc1O").getIDCode()));
    const found = await index.substructure(parseSubstructureQuery("CCCN"), { limit: 10, countAll: true });
    expect(found.hits.map((h) => h.id)).toEqual([1]);
    expect(found.hits[0]!.atoms).toHaveLength(4);
    expect((await index.substructure(parseSubstructureQuery("C(C)(C)(C)(C)C"), { limit: 10 })).hits.map((h) => h.id)).toEqual([2]);
    expect((await index.substructure(parseSubstructureQuery("c1ccccc1[OH]"), { limit: 10 })).hits.map((h) => h.id)).toEqual([3]);
  });

  it("the screen sets only bits a query requires: a wildcard query requires less than its concrete form", () => {
    const popcount = (fp: Uint32Array) => fp.reduce((n, w) => n + w.toString(2).replace(/0/g, "").length, 0);
    const screen = (q: string) => queryScreen(parseSmarts(q));
    expect(popcount(screen("*c1ccccc1"))).toBeLessThan(popcount(screen("Clc1ccccc1")));
    expect(popcount(screen("[!#6;!#1]~[!#6;!#1]"))).toBe(0);
    // An explicit aromatic bond labels the path; an unwritten one (single or aromatic) does not.
    expect(popcount(screen("c:c"))).toBeGreaterThan(popcount(screen("cc")));
  });
});
