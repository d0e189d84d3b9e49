/**
 * SMARTS atom expressions (lib/search/smarts-atom.ts): the grammar and its precedence, and what each primitive means
 * on real structures as RDKit reads them. Hit sets on the whole HIV set are compared with RDKit in
 * rdkit-agreement.test.ts.
 */
import { describe, expect, it } from "vitest";

import { viewGraph } from "@/lib/search/graph";
import { SearchIndex } from "@/lib/search/index";
import { recordParts } from "@/lib/search/record";
import { parseSubstructureQuery, QueryError } from "@/lib/search/query";
import { AtomScratch, atomMatches, parseAtomExpr, SmartsAtomError } from "@/lib/search/smarts-atom";

import { stored } from "./records";

/** How many atoms of a molecule (as the registry stores it) satisfy a bracket atom's expression. */
function count(smiles: string, body: string): number {
  const view = viewGraph(recordParts(stored(smiles).record)!.graph);
  const scratch = new AtomScratch();
  scratch.reset(view);
  const expr = parseAtomExpr(body);
  let n = 0;
  for (let t = 0; t < view.atoms; t++) if (atomMatches(expr, view, t, scratch)) n++;
  return n;
}

describe("SMARTS atoms", () => {
  it("follows SMARTS precedence: ! before & and juxtaposition, before ',', before ';'", () => {
    expect(parseAtomExpr("N,O;H1")).toEqual({
      op: "and",
      args: [{ op: "or", args: [{ op: "element", atomicNo: 7, aromatic: false }, { op: "element", atomicNo: 8, aromatic: false }] }, { op: "H", value: 1 }],
    });
    expect(parseAtomExpr("C,N&H1")).toEqual({
      op: "or",
      args: [{ op: "element", atomicNo: 6, aromatic: false }, { op: "and", args: [{ op: "element", atomicNo: 7, aromatic: false }, { op: "H", value: 1 }] }],
    });
    expect(parseAtomExpr("CX4")).toEqual({ op: "and", args: [{ op: "element", atomicNo: 6, aromatic: false }, { op: "X", value: 4 }] });
    expect(parseAtomExpr("!#6;a")).toEqual({ op: "and", args: [{ op: "not", arg: { op: "element", atomicNo: 6, aromatic: null } }, { op: "aromatic", value: true }] });
    expect(parseAtomExpr("N++")).toEqual({ op: "and", args: [{ op: "element", atomicNo: 7, aromatic: false }, { op: "charge", value: 2 }] });
    expect(parseAtomExpr("O-2")).toEqual({ op: "and", args: [{ op: "element", atomicNo: 8, aromatic: false }, { op: "charge", value: -2 }] });
    // Two-letter elements win over a symbol and a primitive, as in RDKit: Cl, Br, Na; "se" is aromatic selenium.
    expect(parseAtomExpr("Cl;X1")).toMatchObject({ args: [{ atomicNo: 17 }, { op: "X", value: 1 }] });
    expect(parseAtomExpr("se;r5")).toMatchObject({ args: [{ atomicNo: 34, aromatic: true }, { op: "ring", size: 5 }] });
    expect(parseAtomExpr("OX2H")).toMatchObject({ args: [{ atomicNo: 8 }, { op: "X", value: 2 }, { op: "H", value: 1 }] });
  });

  it("reads R<n>, isotopes, chirality and atom maps as RDKit does; refuses what it does not know, with the reason", () => {
    expect(parseAtomExpr("C;R2")).toEqual({ op: "and", args: [{ op: "element", atomicNo: 6, aromatic: false }, { op: "rings", value: 2 }] });
    expect(parseAtomExpr("13C")).toEqual({ op: "and", args: [{ op: "isotope", value: 13 }, { op: "element", atomicNo: 6, aromatic: false }] });
    expect(parseAtomExpr("2H")).toEqual({ op: "and", args: [{ op: "isotope", value: 2 }, { op: "element", atomicNo: 1, aromatic: false }] });
    expect(parseAtomExpr("C@@H:3")).toEqual({
      op: "and",
      args: [{ op: "element", atomicNo: 6, aromatic: false }, { op: "any" }, { op: "H", value: 1 }, { op: "any" }],
    });
    expect(parseAtomExpr("N;H")).toMatchObject({ args: [{ atomicNo: 7 }, { op: "H", value: 1 }] });
    expect(() => parseAtomExpr("C;")).toThrow(/missing its operand/);
    expect(() => parseAtomExpr("Ch1")).toThrow(/"h" is not a SMARTS atom primitive/);
    expect(() => parseAtomExpr("C^2")).toThrow(SmartsAtomError);
    expect(() => parseAtomExpr("#0")).toThrow(SmartsAtomError);
    // Through the query parser: a QueryError (422 with the message).
    for (const q of ["[Ch1]", "[C^3]", "[C:]", "[$(C]"]) {
      expect(() => parseSubstructureQuery(q), q).toThrow(QueryError);
    }
  });

  it("R<n> counts the rings of RDKit's ring set an atom is in; isotopes compare the mass number", () => {
    // Naphthalene: the fusion atoms are in two rings, the others in one.
    expect(count("c1ccc2ccccc2c1", "R2")).toBe(2);
    expect(count("c1ccc2ccccc2c1", "R1")).toBe(8);
    expect(count("[13CH3]CC", "13C")).toBe(1);
    expect(count("[13CH3]CC", "12C")).toBe(0);
  });

  it("X counts every connection with hydrogens, D heavy neighbours, H hydrogens, v the bond orders", () => {
    expect(count("CCO", "CX4")).toBe(2);
    expect(count("CC(=O)O", "CX4")).toBe(1);
    expect(count("CC(=O)O", "#6X3")).toBe(1);
    expect(count("CC(=O)O", "OX2H")).toBe(1);
    expect(count("CC(=O)O", "OX1")).toBe(1);
    expect(count("CC(C)(C)C", "C;D4")).toBe(1);
    expect(count("CC(C)(C)C", "CX4;H3")).toBe(4);
    // Nitro is stored charge-separated: N has valence 4, pyridine's n 3, a sulfonamide's S 6.
    expect(count("O=[N+]([O-])c1ccccc1", "Nv4")).toBe(1);
    expect(count("c1ccncc1", "nv3")).toBe(1);
    expect(count("NS(=O)(=O)c1ccccc1", "SX4;v6")).toBe(1);
  });

  it("x counts ring bonds and r is the smallest ring an atom is in", () => {
    // Naphthalene: the two fusion atoms have three ring bonds; every atom's smallest ring is a six-ring.
    expect(count("c1ccc2ccccc2c1", "c;x3")).toBe(2);
    expect(count("c1ccc2ccccc2c1", "r6")).toBe(10);
    // Norbornane: every atom is in a five-ring (the six-ring around it is not the smallest).
    expect(count("C1CC2CCC1C2", "r5")).toBe(7);
    expect(count("C1CC2CCC1C2", "r6")).toBe(0);
    // Spiro[2.5]octane: the spiro atom has four ring bonds and its smallest ring is the three-ring.
    expect(count("C1CC12CCCCC2", "x4")).toBe(1);
    expect(count("C1CC12CCCCC2", "r3")).toBe(3);
    expect(count("C1CC12CCCCC2", "r6")).toBe(5);
    expect(count("CCc1ccccc1", "C;!r6")).toBe(2);
    expect(count("CCc1ccccc1", "C;r0")).toBe(2);
  });

  it("reads recursive SMARTS as a query anchored at its first atom, nested too", async () => {
    const names = ["acetamide", "ethylamine", "aniline", "acetanilide", "benzoic acid"];
    const index = new SearchIndex();
    ["CC(N)=O", "CCN", "Nc1ccccc1", "CC(=O)Nc1ccccc1", "OC(=O)c1ccccc1"].forEach((smiles, id) => {
      const { idcode, record } = stored(smiles);
      index.add(id, 1, true, idcode, record);
    });
    const hits = async (q: string) => (await index.substructure(parseSubstructureQuery(q), { limit: 10, countAll: true })).hits.map((h) => names[h.id]);
    // An amine N that is not an amide N.
    expect(await hits("[NX3;H2,H1;!$(NC=O)]")).toEqual(["ethylamine", "aniline"]);
    expect(await hits("[$(C=O)]N")).toEqual(["acetamide", "acetanilide"]);
    expect(await hits("[N;$(Nc1ccccc1)]")).toEqual(["aniline", "acetanilide"]);
    // Nested: a carbonyl carbon whose N is on an aromatic ring; bare `a` outside brackets is any aromatic atom.
    expect(await hits("[C;$(C(=O)[$(Na)])]")).toEqual(["acetanilide"]);
    expect(await hits("[$(a-[$(C=O)])]")).toEqual(["benzoic acid"]);
    expect(() => parseSubstructureQuery("[$([$([$([$([$(C)])])])])]")).toThrow(/nested more than 4/);
    expect(() => parseSubstructureQuery("[$(C]")).toThrow(QueryError);
  });

  it("keeps a charge beside other primitives, and its negation", () => {
    expect(count("O=[N+]([O-])c1ccccc1", "N+;H0")).toBe(1);
    expect(count("[NH3+]c1ccccc1", "N+;H0")).toBe(0);
    expect(count("[NH3+]c1ccccc1", "N+;H3")).toBe(1);
    expect(count("CC(=O)[O-]", "O-;D1")).toBe(1);
    expect(count("O=[N+]([O-])c1ccccc1", "N;!+")).toBe(0);
    expect(count("Nc1ccccc1", "N;!+")).toBe(1);
  });
});
