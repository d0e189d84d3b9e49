// Sandbox worker for untrusted chemistry, started by safe.ts. One job at a time, a job being one or more structures:
// each is parsed with OpenChemLib, then gets its standard InChI from RDKit.
//
// Why a plain .mjs file that Node loads from disk: a bundler (webpack or Turbopack under Next.js, Vite under
// vitest) rewrites a TypeScript worker entry in ways that differ between tools and often break the path, while
// Node can always start a .mjs file by its path. This file then registers tsx's loader (tsx is a production
// dependency, the `start` script runs on it) and imports the real implementation, structure.ts and inchi.ts, so
// the chemistry exists once, type-checked, and the worker runs exactly what the unit tests test. Those files import
// each other by relative path and resolve openchemlib and @rdkit/rdkit from node_modules like any Node program.
import { parentPort, workerData } from "node:worker_threads";

import { register } from "tsx/esm/api";

register();

const testHooks = workerData?.testHooks === true;

function post(message) {
  parentPort?.postMessage(message);
}

function plainError(error) {
  if (error && typeof error === "object" && error.name === "ChemError") {
    return { code: error.code, message: error.message, field: error.field };
  }
  return { code: "worker_failed", message: "The structure could not be processed." };
}

/** Blocks this thread the way a runaway parse would: no event-loop turn until it ends. Tests only. */
function block(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

try {
  const { parseStructure, molfileFromIdcode } = await import(new URL("./structure.ts", import.meta.url).href);
  const { computeInchi, getRDKit, inchiSource, portableSmiles } = await import(new URL("./inchi.ts", import.meta.url).href);
  const { searchRecordFromIdcode } = await import(new URL("../search/record.ts", import.meta.url).href);
  // Load RDKit's wasm and let OpenChemLib build its lazy tables (logP, PSA, SMILES) now, on a small molecule, so that
  // start-up work never counts against a job's time limit.
  await getRDKit();
  await describe({ smiles: "C[C@H](N)C(=O)Oc1ccccc1.Cl" }, true);

  /**
   * The registry's view of one structure: no 2D coordinates for a SMILES (they are made when a molfile is asked
   * for), the InChI from what inchiSource says, a SMILES other tools read the same way, and the record structure
   * search keeps.
   */
  async function describe(input, withInchi) {
    const structure = parseStructure(input, { molfile: "given" });
    let inchi = null;
    let inchiError = null;
    if (withInchi) {
      try {
        const source = inchiSource(structure, input);
        inchi = await computeInchi(source);
        // A SMILES other tools read with the same double-bond geometry (OpenChemLib marks ring closures its own way).
        structure.smiles = await portableSmiles(structure, source, inchi.inchi);
      } catch (error) {
        inchiError = plainError(error).message;
      }
    }
    let searchRecord = null;
    try {
      searchRecord = searchRecordFromIdcode(structure.idcode);
    } catch {
      // The search index makes (and stores) it when it first sees the molecule.
    }
    return { structure, inchi, inchiError, searchRecord };
  }

  parentPort?.on("message", async (job) => {
    if (testHooks && typeof job.testDelayMs === "number") block(job.testDelayMs);
    const outcomes = [];
    for (const input of job.inputs) {
      try {
        const result = job.kind === "molfile" ? molfileFromIdcode(input) : await describe(input, job.inchi !== false);
        outcomes.push({ ok: true, result });
      } catch (error) {
        outcomes.push({ ok: false, error: plainError(error) });
      }
    }
    post({ id: job.id, outcomes });
  });
  post({ type: "ready" });
} catch (error) {
  post({ type: "fatal", message: error instanceof Error ? error.message : String(error) });
}
