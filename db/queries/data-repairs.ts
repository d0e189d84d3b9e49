import { asc, eq, sql } from "drizzle-orm";
import type { RegistryKeys } from "@/lib/chem/keys";
import { sharedChemPool, type ChemWorkerPool } from "@/lib/sandbox/pool";
import type { WorkerOutcome } from "@/lib/sandbox/protocol";
import type { Queryable } from "../index";
import { dataRepairs, molecules } from "../schema";

// Repairs of stored data that need the chemistry toolkit (in the worker pool), which a SQL migration cannot run. A
// server runs the ones not yet recorded in data_repairs when it starts; each is idempotent, so two servers starting
// together on one PostgreSQL do the same work twice at worst and record it once.

interface Repair {
  /** Recorded in data_repairs once done; a function for a repair that must run again when a toolkit changes. */
  name: string | ((pool: ChemWorkerPool) => Promise<string>);
  run(db: Queryable, pool: ChemWorkerPool): Promise<number>;
}

interface StoredKeys {
  keys: RegistryKeys | null;
  version: string;
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
  {
    // The registry's RDKit keys (lib/chem/keys.ts) for molecules registered before they were kept, and again for
    // every molecule when RDKit is upgraded (its canonical SMILES are not promised across releases): the name
    // carries RDKit's version. Made from what each molecule was registered from, as registration makes them.
    name: async (pool) => {
      const [answer] = await pool.call<StoredKeys>("keys", [{ idcode: "", text: "C" }], { priority: "bulk" });
      if (!answer?.ok) throw new Error("the chemistry workers could not tell RDKit's version");
      return `registry-keys-${answer.result.version}`;
    },
    async run(db, pool) {
      let changed = 0;
      let after = 0;
      for (;;) {
        const rows = await db
          .select({
            id: molecules.id,
            idcode: molecules.idcode,
            smiles: molecules.smiles,
            inputSmiles: molecules.inputSmiles,
            molfile: molecules.molfile,
            key: molecules.registryKey,
            keyNoStereo: molecules.registryKeyNoStereo,
            parentKey: molecules.parentRegistryKey,
          })
          .from(molecules)
          .where(sql`${molecules.id} > ${after}`)
          .orderBy(asc(molecules.id))
          .limit(BATCH);
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.id;
        const inputs = rows.map((row) => ({ idcode: row.idcode, text: row.molfile ?? row.inputSmiles ?? row.smiles }));
        // The batch's jobs at once, so that every worker of the pool takes a share.
        const jobs: Promise<WorkerOutcome<StoredKeys>[]>[] = [];
        for (let i = 0; i < inputs.length; i += KEYS_PER_JOB) {
          jobs.push(pool.call<StoredKeys>("keys", inputs.slice(i, i + KEYS_PER_JOB), { priority: "bulk", timeoutMs: 120_000 }));
        }
        const outcomes = (await Promise.all(jobs)).flat();
        const updates = rows.flatMap((row, i) => {
          const outcome = outcomes[i]!;
          const keys = outcome.ok ? outcome.result.keys : null;
          if (keys?.key === row.key && keys?.keyNoStereo === row.keyNoStereo && keys?.parentKey === row.parentKey) return [];
          if (keys === null && row.key === null) return [];
          return [sql`(${row.id}::integer, ${keys?.key ?? null}::text, ${keys?.keyNoStereo ?? null}::text, ${keys?.parentKey ?? null}::text)`];
        });
        if (updates.length > 0) {
          // One statement for the batch's changed rows.
          await db.execute(sql`
            update ${molecules} set registry_key = v.key, registry_key_no_stereo = v.key_no_stereo, parent_registry_key = v.parent_key
            from (values ${sql.join(updates, sql`, `)}) as v(id, key, key_no_stereo, parent_key)
            where ${molecules.id} = v.id`);
          changed += updates.length;
        }
        if (rows.length < BATCH) break;
      }
      return changed;
    },
  },
];

const KEYS_PER_JOB = 100;

/** Runs the repairs this database has not had yet; returns what each changed. */
export async function runDataRepairs(db: Queryable, pool: ChemWorkerPool = sharedChemPool()): Promise<{ name: string; changed: number }[]> {
  const done = new Set((await db.select({ name: dataRepairs.name }).from(dataRepairs)).map((r) => r.name));
  const ran: { name: string; changed: number }[] = [];
  for (const repair of repairs) {
    const name = typeof repair.name === "string" ? repair.name : await repair.name(pool);
    if (done.has(name)) continue;
    const changed = await repair.run(db, pool);
    await db.insert(dataRepairs).values({ name, changed }).onConflictDoNothing();
    ran.push({ name, changed });
  }
  return ran;
}
