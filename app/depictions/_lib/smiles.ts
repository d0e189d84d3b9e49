import { LRUCache } from "lru-cache";
import { isChemError, type ChemErrorCode } from "@/lib/chem/errors";
import { sharedChemPool, type ChemWorkerPool } from "@/lib/sandbox/pool";

/**
 * A SMILES written in an entry, read for its drawing: in the chemistry sandbox (the SMILES is anyone's text), once.
 * Entry pages show the same structures again and again, so each SMILES's reading is kept in an in-process LRU (a
 * cache, never the truth), and concurrent requests for one SMILES share one sandbox job. A SMILES that cannot be
 * read is remembered too, so a page of bad SMILES does not keep the workers busy; one that ran out of time or memory
 * only for a while, since that depended partly on the load.
 */

export type SmilesReading =
  { ok: true; idcode: string; heavyAtoms: number } | { ok: false; code: ChemErrorCode; message: string; field?: string };

const RETRY_SLOW_AFTER_MS = 10 * 60 * 1000;

const readings = new LRUCache<string, SmilesReading>({
  max: 20_000,
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (reading, smiles) => smiles.length + (reading.ok ? reading.idcode.length : reading.message.length) + 64,
});
const inFlight = new Map<string, Promise<SmilesReading>>();

/**
 * The idcode (and heavy-atom count) of a SMILES, or why it has none. Never rejects for the SMILES's sake: a failure
 * of the input comes back as `ok: false`; only a pool that cannot run at all (`worker_failed`) comes back as such
 * without being remembered. The length cap is checked by the pool before anything is sent.
 */
export function readSmiles(smiles: string, pool: ChemWorkerPool = sharedChemPool()): Promise<SmilesReading> {
  const known = readings.get(smiles);
  if (known) return Promise.resolve(known);
  let pending = inFlight.get(smiles);
  if (!pending) {
    pending = read(smiles, pool).finally(() => inFlight.delete(smiles));
    inFlight.set(smiles, pending);
  }
  return pending;
}

async function read(smiles: string, pool: ChemWorkerPool): Promise<SmilesReading> {
  let reading: SmilesReading;
  try {
    // No InChI: only the drawing is wanted. Interactive: a page's pictures must not wait behind an import.
    const { structure } = await pool.run({ smiles }, { inchi: false, priority: "interactive" });
    reading = { ok: true, idcode: structure.idcode, heavyAtoms: structure.heavyAtoms };
  } catch (error) {
    if (!isChemError(error)) throw error;
    reading = { ok: false, code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  }
  if (reading.ok || reading.code === "invalid_structure" || reading.code === "too_large") readings.set(smiles, reading);
  else if (reading.code === "timeout" || reading.code === "crashed") readings.set(smiles, reading, { ttl: RETRY_SLOW_AFTER_MS });
  return reading;
}

/** Tests: forget every reading. */
export function forgetSmilesReadings(): void {
  readings.clear();
}
