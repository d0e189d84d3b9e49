// Data repairs that need the chemistry toolkit run once per database: molecules stored with OpenChemLib's own
// ring-closure direction marks (before stored SMILES were checked with RDKit) get a SMILES other tools read right.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { useDatabase, type Db } from "@/db/index";
import { runDataRepairs } from "@/db/queries/data-repairs";

import { dataRepairs, molecules } from "@/db/schema";
import { computeInchi } from "@/lib/chem/inchi";
import { parseStructure } from "@/lib/chem/structure";
import type { Actor } from "@/lib/auth/policy";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry } from "./support/molecules";
import { registerMolecule } from "./support/use-cases";

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

    expect(await runDataRepairs(db)).toEqual([{ name: "portable-smiles", changed: 1 }]);
    expect((await stored(misread)).smiles).toBe(portable.smiles);
    expect((await stored(fine)).smiles).toBe(fineBefore.smiles);
    expect(await db.select({ name: dataRepairs.name, changed: dataRepairs.changed }).from(dataRepairs)).toEqual([
      { name: "portable-smiles", changed: 1 },
    ]);

    // Recorded: a second start does not run it again.
    await db.update(molecules).set({ smiles: old }).where(eq(molecules.campaignCode, misread));
    expect(await runDataRepairs(db)).toEqual([]);
    expect((await stored(misread)).smiles).toBe(old);
  }, 60_000);
});
