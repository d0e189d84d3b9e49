// Data repairs that need the chemistry toolkit run once per database: molecules stored with OpenChemLib's own
// ring-closure direction marks (before stored SMILES were checked with RDKit) get a SMILES other tools read right, and
// molecules registered before the registry's RDKit keys were kept get them (again when RDKit is upgraded).
import { eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { useDatabase, type Db } from "@/db/index";
import { runDataRepairs } from "@/db/queries/data-repairs";

import { dataRepairs, molecules } from "@/db/schema";
import { computeInchi, getRDKit } from "@/lib/chem/inchi";
import { parseStructure } from "@/lib/chem/structure";
import type { Actor } from "@/lib/auth/policy";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry } from "./support/molecules";
import { readSharedData } from "../unit/chem/shared-data";
import { importSheet, registerMolecule } from "./support/use-cases";

// OSM Series 4 compounds as the master list gives them: the first is one whose OpenChemLib SMILES RDKit misreads,
// the second has double-bond marks that both toolkits read alike.
const MISREAD = "CC(=O)N(C1=NC(=O)\\C(=C\\c2cc(C)n(c2C)c3ccccc3)\\S1)c4ccccc4";
const FINE = "C/C=C/c1ccc(cc1)C(=O)O";

describeEachDatabase("data repairs", (get) => {
  let db: Db;
  let slug: string;
  let maintainer: NonNullable<Actor>;

  beforeAll(async () => {
    useDatabase(get());
    db = get().db;
    ({ slug, maintainer } = await makeRegistry(db));
  }, 60_000);

  const stored = async (code: string) =>
    (await db.select({ smiles: molecules.smiles, inchi: molecules.inchi }).from(molecules).where(eq(molecules.campaignCode, code)))[0]!;

  it("gives molecules stored with OpenChemLib's ring-closure marks a portable SMILES, once", async () => {
    const misread = (await registerMolecule(db, maintainer, { campaign: slug, smiles: MISREAD })).molecule.code;
    const fine = (await registerMolecule(db, maintainer, { campaign: slug, smiles: FINE })).molecule.code;
    const portable = await stored(misread);
    expect((await computeInchi({ smiles: portable.smiles })).inchi).toBe(portable.inchi);
    const fineBefore = await stored(fine);
    expect(fineBefore.smiles).toMatch(/[/\\]/);

    // As an earlier version stored it: OpenChemLib's SMILES as written, which RDKit reads with no geometry.
    const old = parseStructure({ smiles: MISREAD }, { molfile: "given" }).smiles;
    expect(old).not.toBe(portable.smiles);
    expect((await computeInchi({ smiles: old })).inchi).not.toBe(portable.inchi);
    await db.update(molecules).set({ smiles: old }).where(eq(molecules.campaignCode, misread));

    // The keys were made at registration: their repair finds nothing to change.
    const keysRepair = `registry-keys-rdkit-${(await getRDKit()).version()}`;
    expect(await runDataRepairs(db)).toEqual([
      { name: "portable-smiles", changed: 1 },
      { name: keysRepair, changed: 0 },
    ]);
    expect((await stored(misread)).smiles).toBe(portable.smiles);
    expect((await stored(fine)).smiles).toBe(fineBefore.smiles);
    expect(await db.select({ name: dataRepairs.name, changed: dataRepairs.changed }).from(dataRepairs).orderBy(dataRepairs.name)).toEqual([
      { name: "portable-smiles", changed: 1 },
      { name: keysRepair, changed: 0 },
    ]);

    // Recorded: a second start does not run it again.
    await db.update(molecules).set({ smiles: old }).where(eq(molecules.campaignCode, misread));
    expect(await runDataRepairs(db)).toEqual([]);
    expect((await stored(misread)).smiles).toBe(old);
  }, 60_000);

  it("gives molecules registered before the RDKit keys their keys, as registration makes them, once per RDKit release", async () => {
    const salt = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "C[C@H]([NH3+])C(=O)O.[Cl-]" })).molecule.code;
    const keysOf = async (code: string) =>
      (
        await db
          .select({ key: molecules.registryKey, keyNoStereo: molecules.registryKeyNoStereo, parentKey: molecules.parentRegistryKey })
          .from(molecules)
          .where(eq(molecules.campaignCode, code))
      )[0]!;
    const made = await keysOf(salt);
    expect(made).toEqual({ key: "C[C@H]([NH3+])C(=O)O.[Cl-]", keyNoStereo: "CC([NH3+])C(=O)O.[Cl-]", parentKey: "C[C@H](N)C(=O)O" });
    const marked = (await db.select({ code: molecules.campaignCode }).from(molecules).where(eq(molecules.inputSmiles, MISREAD)))[0]!.code;
    const markedKeys = await keysOf(marked);
    expect(markedKeys.key).toMatch(/[/\\]/);

    // 300 HIV molecules as well: the repair's batch goes to the workers in several jobs at once and comes back in order.
    const hiv = readSharedData("hiv-41k.csv").split("\n").slice(0, 301).join("\n");
    expect((await importSheet(db, maintainer, slug, { format: "csv", text: hiv })).registered).toBeGreaterThan(290);
    const allKeys = () =>
      db
        .select({ id: molecules.id, key: molecules.registryKey, keyNoStereo: molecules.registryKeyNoStereo, parentKey: molecules.parentRegistryKey })
        .from(molecules)
        .orderBy(molecules.id);
    const imported = await allKeys();

    // As a notebook from before the keys has them: none. A new RDKit release names a repair not run yet.
    await db.update(molecules).set({ registryKey: null, registryKeyNoStereo: null, parentRegistryKey: null });
    await db.delete(dataRepairs).where(sql`${dataRepairs.name} like 'registry-keys-%'`);
    const ran = await runDataRepairs(db);
    expect(ran).toEqual([{ name: `registry-keys-rdkit-${(await getRDKit()).version()}`, changed: imported.filter((m) => m.key !== null).length }]);
    expect(await allKeys()).toEqual(imported);
    expect(await keysOf(salt)).toEqual(made);
    expect(await keysOf(marked)).toEqual(markedKeys);
    expect(await runDataRepairs(db)).toEqual([]);
  }, 60_000);
});
