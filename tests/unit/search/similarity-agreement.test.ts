// Similarity scores are RDKit's: our index's top-50 lists and Tanimoto scores, computed the way registration and
// search compute them (the molecule as the registry stores it, its Morgan bits from RDKit in the sandbox's code,
// kept sparse; the query's from RDKit's reading of its text), against RDKit's own Morgan fingerprints (radius 2,
// 2048 bits, read as RDKit's bit string) of the original SMILES, for 200 queries over real molecules: 3,000 of the
// HIV set and the OSM Series 4 compounds.
import initRDKitModule, { type MainModule } from "@rdkit/rdkit";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStructure } from "@/lib/chem/structure";
import { SearchIndex } from "@/lib/search/index";
import { similarityFingerprint } from "@/lib/search/query";
import { searchRecordOf } from "@/lib/search/record";
import { readSharedData } from "../chem/shared-data";

let rdkit: MainModule;
const index = new SearchIndex();
/** Per molecule id (1-based): the original SMILES and RDKit's fingerprint bits of it. */
const reference: { smiles: string; bits: Set<number> }[] = [];

/** RDKit's Morgan fingerprint as the set of its '1' positions in RDKit's own bit string. */
function rdkitBits(smiles: string): Set<number> | null {
  const mol = rdkit.get_mol(smiles);
  if (!mol) return null;
  try {
    if (!mol.is_valid()) return null;
    const text = mol.get_morgan_fp(JSON.stringify({ radius: 2, nBits: 2048 }));
    const bits = new Set<number>();
    for (let i = 0; i < text.length; i++) if (text[i] === "1") bits.add(i);
    return bits;
  } finally {
    mol.delete();
  }
}

function rdkitTanimoto(a: Set<number>, b: Set<number>): number {
  let common = 0;
  for (const bit of a) if (b.has(bit)) common++;
  const either = a.size + b.size - common;
  return either === 0 ? 0 : common / either;
}

beforeAll(async () => {
  rdkit = await initRDKitModule();
  rdkit.disable_logging();
  const hiv = readSharedData("hiv-41k.csv").split(/\r?\n/).slice(1, 3001).map((l) => l.split(",")[0]!);
  const [header, ...rows] = readSharedData("osm-series4-master-list.tsv").split(/\r?\n/);
  const column = header!.split("\t").findIndex((h) => /smiles/i.test(h));
  const osm = [...new Set(rows.map((r) => r.split("\t")[column] ?? "").filter((s) => s.length > 0))];
  for (const smiles of [...hiv, ...osm]) {
    const bits = rdkitBits(smiles);
    if (bits === null) continue;
    let structure;
    try {
      structure = parseStructure({ smiles }, { molfile: "given" });
    } catch {
      continue; // refused by the registry: not stored, not searched
    }
    // As registration stores it: the record from RDKit's reading of the SMILES as given (lib/sandbox/jobs.ts).
    const record = searchRecordOf(rdkit, { idcode: structure.idcode, smiles });
    reference.push({ smiles, bits });
    index.add(reference.length, 1, true, structure.idcode, record);
  }
}, 600_000);

describe("similarity agrees with RDKit's Morgan Tanimoto", () => {
  it("gives RDKit's top-50 list and scores (to 1e-6) for 200 queries", async () => {
    expect(reference.length).toBeGreaterThan(3000);
    const step = Math.floor(reference.length / 200);
    let compared = 0;
    for (let q = 0; q < 200; q++) {
      const query = reference[q * step]!;
      const expected = reference
        .map((m, i) => ({ id: i + 1, similarity: rdkitTanimoto(query.bits, m.bits) }))
        .filter((h) => h.similarity > 0)
        .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
        .slice(0, 50);
      const ours = (await index.similarity(await similarityFingerprint(query.smiles), { threshold: 1e-9, limit: 50 })).hits;
      expect(ours.map((h) => h.id), query.smiles).toEqual(expected.map((h) => h.id));
      ours.forEach((h, i) => expect(Math.abs(h.similarity - expected[i]!.similarity), query.smiles).toBeLessThan(1e-6));
      compared += ours.length;
    }
    expect(compared).toBeGreaterThan(9000);
  }, 300_000);
});
