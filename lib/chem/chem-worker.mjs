// Sandbox worker for untrusted chemistry, started by safe.ts. One job at a time: parse a structure with
// OpenChemLib, then compute its standard InChI with RDKit.
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
  const { parseStructure } = await import(new URL("./structure.ts", import.meta.url).href);
  const { computeInchi, getRDKit } = await import(new URL("./inchi.ts", import.meta.url).href);
  // Load RDKit's wasm and let OpenChemLib build its lazy tables (coordinates, logP, PSA) now, on a small molecule,
  // so that start-up work never counts against a job's time limit.
  await getRDKit();
  await computeInchi({ molfile: parseStructure({ smiles: "C[C@H](N)C(=O)Oc1ccccc1.Cl" }).molfile });

  parentPort?.on("message", async (job) => {
    try {
      if (testHooks && typeof job.testDelayMs === "number") block(job.testDelayMs);
      const structure = parseStructure(job.input);
      let inchi = null;
      let inchiError = null;
      if (job.inchi !== false) {
        try {
          // From the molfile the registry stores, so the InChI describes exactly the stored structure.
          inchi = await computeInchi({ molfile: structure.molfile });
        } catch (error) {
          inchiError = plainError(error).message;
        }
      }
      post({ id: job.id, ok: true, result: { structure, inchi, inchiError } });
    } catch (error) {
      post({ id: job.id, ok: false, error: plainError(error) });
    }
  });
  post({ type: "ready" });
} catch (error) {
  post({ type: "fatal", message: error instanceof Error ? error.message : String(error) });
}
