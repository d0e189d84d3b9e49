import { describe, expect, it } from "vitest";
import { Molecule } from "openchemlib";

import { SearchAborted, SearchIndex, SearchTimeout } from "@/lib/search/index";
import { parseMoleculeQuery, parseSubstructureQuery } from "@/lib/search/query";
import { getRDKit } from "@/lib/chem/inchi";
import { morganBits } from "@/lib/search/morgan";

import { stored } from "./records";

const SMILES = ["c1ccccc1O", "c1ccncc1", "CC(=O)Nc1ccc(O)cc1", "O=[N+]([O-])c1ccccc1", "CCCC", "Clc1ccccc1"];

function indexOf(ids: number[], options: { parked?: number[]; campaign?: (id: number) => number } = {}): SearchIndex {
  const index = new SearchIndex();
  SMILES.forEach((s, i) => {
    const { idcode, record } = stored(s);
    const id = ids[i]!;
    index.add(id, options.campaign?.(id) ?? 1, !(options.parked ?? []).includes(id), idcode, record);
  });
  return index;
}

const ids = (hits: { id: number }[]) => hits.map((h) => h.id);

describe("search index", () => {
  it("finds molecules by substructure in id order, pages with a row cursor, and counts them all", async () => {
    const index = indexOf([10, 20, 30, 40, 50, 60]);
    const benzene = parseSubstructureQuery("c1ccccc1");
    const first = await index.substructure(benzene, { limit: 2, countAll: true });
    expect(ids(first.hits)).toEqual([10, 30]);
    expect(first.total).toBe(4);
    const second = await index.substructure(benzene, { limit: 2, start: first.next!, countAll: true });
    expect(ids(second.hits)).toEqual([40, 60]);
    // Without counting: the last page knows only its own hits, so its total is unknown (null), not 2.
    const last = await index.substructure(benzene, { limit: 2, start: first.next! });
    expect(ids(last.hits)).toEqual([40, 60]);
    expect(last.next).toBeNull();
    expect(last.total).toBeNull();
    expect((await index.substructure(benzene, { limit: 10 })).total).toBe(4); // one page from the start: all of it
    expect(second.total).toBe(4);
    expect(second.next).toBeNull();
  });

  it("lists ids only when asked, and finds the matched atoms of some hits afterwards", async () => {
    const index = indexOf([10, 20, 30, 40, 50, 60]);
    const benzene = parseSubstructureQuery("c1ccccc1");
    const full = await index.substructure(benzene, { limit: 10, countAll: true });
    const bare = await index.substructure(benzene, { limit: 10, countAll: true, atoms: false });
    expect(bare.hits).toEqual(full.hits.map((h) => ({ id: h.id })));
    expect(bare.total).toBe(full.total);
    const atoms = await index.atomsOf(benzene, [60, 10, 20]);
    expect([...atoms.keys()]).toEqual([60, 10]); // 20 (pyridine) does not match
    expect(atoms.get(60)).toEqual(full.hits.find((h) => h.id === 60)!.atoms);
  });

  it("keeps working when ids arrive out of order, and follows park/activate", async () => {
    const index = indexOf([30, 10, 20, 60, 50, 40], { parked: [20] });
    const aromatic = parseSubstructureQuery("[c,n]1ccccc1");
    expect(ids((await index.substructure(aromatic, { limit: 10 })).hits).sort()).toEqual([10, 30, 40, 50, 60].filter((id) => id !== 50));
    index.setActive(20, true);
    index.setActive(30, false);
    expect(ids((await index.substructure(aromatic, { limit: 10 })).hits).sort()).toEqual([10, 20, 40, 60]);
    expect(ids((await index.substructure(aromatic, { limit: 10, filter: { status: "parked" } })).hits)).toEqual([30]);
    expect(index.has(50)).toBe(true);
    expect(index.has(70)).toBe(false);
  });

  it("filters by campaign and by an allowed set", async () => {
    const index = indexOf([1, 2, 3, 4, 5, 6], { campaign: (id) => (id % 2 ? 7 : 8) });
    const ring = parseSubstructureQuery("c1ccccc1");
    expect(ids((await index.substructure(ring, { limit: 10, filter: { campaignId: 7 } })).hits)).toEqual([1, 3]);
    expect(ids((await index.substructure(ring, { limit: 10, filter: { allowed: new Set([4, 6]) } })).hits)).toEqual([4, 6]);
  });

  it("filters by mass and cLogP ranges it keeps itself, inclusive, leaving out molecules without them", async () => {
    const index = new SearchIndex();
    SMILES.forEach((s, i) => {
      const mol = Molecule.fromSmiles(s);
      const { idcode, record } = stored(s);
      const properties = i === 5 ? undefined : { averageMass: mol.getMolecularFormula().relativeWeight, clogp: i };
      index.add(i + 1, 1, true, idcode, record, properties);
    });
    const ring = parseSubstructureQuery("c1ccccc1");
    const found = async (ranges: object) => ids((await index.substructure(ring, { limit: 10, filter: { ranges } })).hits);
    expect(await found({})).toEqual([1, 3, 4, 6]);
    expect(await found({ averageMass: { min: 100 } })).toEqual([3, 4]); // phenol 94.1; chlorobenzene has no properties
    expect(await found({ averageMass: { max: 95 } })).toEqual([1]);
    expect(await found({ clogp: { min: 2, max: 3 } })).toEqual([3, 4]);
    expect(await found({ clogp: { min: 3, max: 3 } })).toEqual([4]);
    expect(index.propertiesOf(3)?.averageMass).toBeCloseTo(151.16, 1);
    expect(index.propertiesOf(6)?.clogp).toBeNaN();
    expect(index.propertiesOf(99)).toBeUndefined();
  });

  it("exact candidates by canonical idcode, and similarity best first", async () => {
    const index = indexOf([1, 2, 3, 4, 5, 6]);
    expect(index.exactCandidates(parseMoleculeQuery("Oc1ccc(NC(C)=O)cc1").idcode)).toEqual([3]);
    const fp = morganBits(await getRDKit(), "c1ccccc1Cl");
    const result = await index.similarity(fp, { threshold: 0.1, limit: 3 });
    expect(result.hits[0]).toEqual({ id: 6, similarity: 1 });
    expect(result.hits.map((h) => h.similarity)).toEqual([...result.hits.map((h) => h.similarity)].sort((a, b) => b - a));
  });

  it("stops at its deadline and when the client goes away", async () => {
    const index = indexOf([1, 2, 3, 4, 5, 6]);
    const q = parseSubstructureQuery("C");
    await expect(index.substructure(q, { limit: 10, deadline: Date.now() - 1 })).rejects.toBeInstanceOf(SearchTimeout);
    await expect(index.atomsOf(q, [1, 2, 3], { deadline: Date.now() - 1 })).rejects.toBeInstanceOf(SearchTimeout);
    const controller = new AbortController();
    controller.abort();
    await expect(index.substructure(q, { limit: 10, signal: controller.signal })).rejects.toBeInstanceOf(SearchAborted);
  });

  it("holds well under 300 bytes per molecule besides its tables of fixed size", () => {
    expect(indexOf([1, 2, 3, 4, 5, 6]).bytesPerMolecule({ fixed: false })).toBeLessThan(300);
  });
});
