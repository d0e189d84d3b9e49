// The registry's RDKit keys (lib/chem/keys.ts) against OpenChemLib's idcodes, which the duplicate check uses today:
// on real molecules the three keys must group structures as the three idcodes do, and the charge parent must follow
// the rules of lib/chem/structure.ts toChargeParent.
import { beforeAll, describe, expect, it } from "vitest";
import { getRDKit, type RDKitModule } from "@/lib/chem/inchi";
import { chargeParent, keysVersion, registryKeys, withoutStereo, type RegistryKeys } from "@/lib/chem/keys";
import { parseStructure } from "@/lib/chem/structure";
import { readSharedData } from "./shared-data";

let rdkit: RDKitModule;
beforeAll(async () => {
  rdkit = await getRDKit();
});

function keysOf(smiles: string): RegistryKeys {
  const mol = rdkit.get_mol(smiles);
  if (mol === null || !mol.is_valid()) throw new Error(`RDKit cannot read ${smiles}`);
  try {
    return registryKeys(mol, rdkit);
  } finally {
    mol.delete();
  }
}

describe("registryKeys", () => {
  it("is RDKit's canonical isomeric SMILES, whatever order the atoms were written in", () => {
    expect(keysOf("OCC")).toEqual({ key: "CCO", keyNoStereo: "CCO", parentKey: "CCO" });
    expect(keysOf("C(O)C").key).toBe("CCO");
    expect(keysOf("N[C@@H](C)C(=O)O").key).toBe(keysOf("C[C@H](N)C(=O)O").key);
  });

  it("leaves stereo out of the no-stereo key, and keeps isotopes in it", () => {
    const e = keysOf("C/C=C/C");
    const z = keysOf("C/C=C\\C");
    expect(e.key).not.toBe(z.key);
    expect(e.keyNoStereo).toBe("CC=CC");
    expect(z.keyNoStereo).toBe("CC=CC");
    expect(keysOf("C[C@H](N)C(=O)O").keyNoStereo).toBe("CC(N)C(=O)O");
    const labelled = keysOf("[2H]C([2H])([2H])[C@@H](N)C(=O)O");
    expect(labelled.keyNoStereo).toBe("[2H]C([2H])([2H])C(N)C(=O)O");
    expect(labelled.keyNoStereo).not.toBe(keysOf("C[C@@H](N)C(=O)O").keyNoStereo);
    // The same as RDKit's own non-isomeric SMILES wherever there is no isotope (registryKeys takes that shortcut).
    expect(withoutStereo("C/C=C/C[C@H](N)C(=O)O", rdkit)).toBe(keysOf("C/C=C/C[C@H](N)C(=O)O").keyNoStereo);
  });

  it("makes the charge parent: largest fragment, protonation undone, polar bonds and quaternary cations kept", () => {
    expect(keysOf("C[NH3+].[Cl-]").parentKey).toBe("CN");
    expect(keysOf("CC(=O)[O-].[Na+]").parentKey).toBe("CC(=O)O");
    expect(keysOf("c1cc[nH+]cc1.[Cl-]").parentKey).toBe("c1ccncc1");
    expect(keysOf("C[N+](C)(C)C.[Cl-]").parentKey).toBe("C[N+](C)(C)C");
    // A betaine: the carboxylate balances the ammonium, which cannot lose its charge.
    expect(keysOf("C[N+](C)(C)CC(=O)[O-]").parentKey).toBe(keysOf("C[N+](C)(C)CC(=O)[O-]").key);
    expect(keysOf("O=[N+]([O-])c1ccccc1").parentKey).toBe("O=[N+]([O-])c1ccccc1");
    // Stereo survives the neutralization.
    expect(keysOf("C[C@H]([NH3+])C(=O)[O-].Cl").parentKey).toBe(keysOf("C[C@H](N)C(=O)O").key);
    // Fragments of as many heavy atoms: the one with more atoms in all (an alkaloid, not its picrate counter-ion).
    const alkaloid = "CC1=CC(=O)OC2(C1)CC1CCC2CN1C";
    const picrate = `${alkaloid.replace("N1C", "[NH+]1C")}.O=[N+]([O-])c1cc([N+](=O)[O-])c([O-])c([N+](=O)[O-])c1`;
    expect(keysOf(picrate).parentKey).toBe(keysOf(alkaloid).key);
  });

  it("names RDKit's release, which the keys depend on", () => {
    expect(keysVersion(rdkit)).toMatch(/^rdkit-\d{4}\.\d+\.\d+/);
  });
});

/** Groups `items` by `a` and by `b`: the classes one splits or merges that the other does not. */
function compareClasses<T>(items: T[], a: (t: T) => string, b: (t: T) => string): { split: T[][]; merged: T[][] } {
  const group = (by: (t: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const item of items) groups.set(by(item), [...(groups.get(by(item)) ?? []), item]);
    return [...groups.values()];
  };
  return {
    split: group(a).filter((g) => new Set(g.map(b)).size > 1),
    merged: group(b).filter((g) => new Set(g.map(a)).size > 1),
  };
}

describe("the keys group real molecules as the idcodes do", () => {
  const osm = readSharedData("osm-series4-master-list.tsv").split(/\r?\n/);
  const header = osm[0]!.split("\t");
  const smilesColumn = header.indexOf("Canonical_Smiles");
  const hiv = readSharedData("hiv-41k.csv").split(/\r?\n/).slice(1).filter(Boolean);
  // Every OSM compound and every eighth HIV molecule (5,141).
  const sample = [
    ...osm.slice(1).map((row) => row.split("\t")[smilesColumn]).filter((s): s is string => !!s),
    ...hiv.filter((_, i) => i % 8 === 0).map((row) => row.split(",")[0]!),
  ];

  it("exactly, without stereo and as charge parents (ties and metal complexes named)", () => {
    const described = sample.flatMap((smiles) => {
      try {
        const parsed = parseStructure({ smiles }, { molfile: "given" });
        const mol = rdkit.get_mol(smiles);
        if (mol === null || !mol.is_valid()) return mol?.delete(), [];
        // A SMILES with double-bond marks is keyed, like its InChI, from OpenChemLib's geometry (lib/sandbox/jobs.ts).
        const marked = /[/\\]/.test(smiles) ? rdkit.get_mol(parseStructure({ smiles }).molfile) : null;
        const keys = registryKeys(marked ?? mol, rdkit);
        mol.delete();
        marked?.delete();
        return [{ smiles, parsed, keys }];
      } catch {
        return []; // a SMILES the registry refuses
      }
    });
    expect(described.length).toBeGreaterThan(5_300);
    const exact = compareClasses(described, (d) => d.parsed.idcode, (d) => d.keys.key);
    expect(exact).toEqual({ split: [], merged: [] });
    const noStereo = compareClasses(described, (d) => d.parsed.idcodeNoStereo, (d) => d.keys.keyNoStereo);
    expect(noStereo).toEqual({ split: [], merged: [] });

    // Where the parents group differently, the reason is one OpenChemLib decides by its own atom order: the largest
    // fragments tie in heavy atoms, or a metal's bonds hold the fragments together.
    const parent = compareClasses(described, (d) => d.parsed.parentIdcode, (d) => d.keys.parentKey);
    const explained = (d: (typeof described)[number]) => {
      const fragments = d.keys.key.split(".").map((f) => (f.match(/\[[^\]]*\]|Br|Cl|[BCNOPSFIbcnops]/g) ?? []).length);
      const most = Math.max(...fragments);
      const tie = fragments.filter((n) => n === most).length > 1;
      const metal = /\[(?:Li|Na|K|Mg|Ca|Al|Fe|Co|Ni|Cu|Zn|Mn|Cr|Pt|Pd|Ru|Rh|Ir|Sn|Hg|Ag|Au|Ti|V|Zr|Mo|W|Bi|Sb|Ga|Ge|Cd|Pb|Os|Re|U)[^\]]*\]/.test(d.keys.key);
      return (fragments.length > 1 && tie) || metal;
    };
    for (const group of [...parent.split, ...parent.merged]) {
      expect(group.some(explained), group.map((d) => d.smiles).join("  ")).toBe(true);
    }
    expect(parent.split.length + parent.merged.length).toBeLessThanOrEqual(5);
  }, 180_000);
});

describe("chargeParent", () => {
  it("is the key itself for one uncharged fragment", () => {
    expect(chargeParent("CCO", rdkit)).toBe("CCO");
  });
});
