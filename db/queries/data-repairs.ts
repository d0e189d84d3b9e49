import { asc, eq, sql } from "drizzle-orm";
import { sharedChemPool, type ChemWorkerPool } from "@/lib/sandbox/pool";
import type { Queryable } from "../index";
import { dataRepairs, molecules } from "../schema";

// Repairs of stored data that need the chemistry toolkit (in the worker pool), which a SQL migration cannot run. A
// server runs the ones not yet recorded in data_repairs when it starts; each is idempotent, so two servers starting
// together on one PostgreSQL do the same work twice at worst and record it once.

interface Repair {
  name: string;
  run(db: Queryable, pool: ChemWorkerPool): Promise<number>;
}

const BATCH = 500;

const repairs: Repair[] = [
  {
    // Molecules registered before stored SMILES were checked for other tools (lib/chem/inchi.ts portableSmiles):
    // OpenChemLib's ring-closure direction marks made RDKit read a different, or no, double-bond geometry. Such a
    // molecule is described again from what was given (its input SMILES or molfile) and gets the SMILES the registry
    // stores today, if the structure comes out the same.
    name: "portable-smiles",
    async run(db, pool) {
      let changed = 0;
      let after = 0;
      for (;;) {
        const rows = await db
          .select({ id: molecules.id, idcode: molecules.idcode, smiles: molecules.smiles, inputSmiles: molecules.inputSmiles, molfile: molecules.molfile })
          .from(molecules)
          .where(sql`${molecules.id} > ${after} and ${molecules.smiles} ~ '[/\\\\]'`)
          .orderBy(asc(molecules.id))
          .limit(BATCH);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        const given = rows.map((row) => (row.molfile !== null ? { molfile: row.molfile } : { smiles: row.inputSmiles ?? row.smiles }));
        const outcomes = await pool.runMany(given);
        for (const [i, row] of rows.entries()) {
          const outcome = outcomes[i]!;
          if (!outcome.ok || outcome.result.structure.idcode !== row.idcode || outcome.result.structure.smiles === row.smiles) continue;
          await db.update(molecules).set({ smiles: outcome.result.structure.smiles }).where(eq(molecules.id, row.id));
          changed++;
        }
        if (rows.length < BATCH) break;
      }
      return changed;
    },
  },
];

/** Runs the repairs this database has not had yet; returns what each changed. */
export async function runDataRepairs(db: Queryable, pool: ChemWorkerPool = sharedChemPool()): Promise<{ name: string; changed: number }[]> {
  const done = new Set((await db.select({ name: dataRepairs.name }).from(dataRepairs)).map((r) => r.name));
  const ran: { name: string; changed: number }[] = [];
  for (const repair of repairs) {
    if (done.has(repair.name)) continue;
    const changed = await repair.run(db, pool);
    await db.insert(dataRepairs).values({ name: repair.name, changed }).onConflictDoNothing();
    ran.push({ name: repair.name, changed });
  }
  return ran;
}
