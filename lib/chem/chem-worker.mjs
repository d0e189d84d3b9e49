// Sandbox worker process for untrusted chemistry, started by safe.ts (child_process.fork, with a heap limit). One job
// at a time, a job being one or more inputs: structures to parse with OpenChemLib (and their standard InChI from
// RDKit), stored idcodes to draw as molfiles, or the structure search's query texts and checks.
//
// Why a plain .mjs file that Node loads from disk: a bundler (webpack or Turbopack under Next.js, Vite under
// vitest) rewrites a TypeScript worker entry in ways that differ between tools and often break the path, while
// Node can always start a .mjs file by its path. This file then registers tsx's loader (tsx is a production
// dependency, the `start` script runs on it) and imports the real implementation, structure.ts and inchi.ts, so
// the chemistry exists once, type-checked, and the worker runs exactly what the unit tests test. Those files import
// each other by relative path and resolve openchemlib and @rdkit/rdkit from node_modules like any Node program.
import { register } from "tsx/esm/api";

register();

const testHooks = process.env.CHEM_WORKER_TEST_HOOKS === "1";

function post(message) {
  process.send?.(message);
}

// The pool is gone (its server exited, even killed): nothing can ask this process for work any more.
process.on("disconnect", () => process.exit(0));

function plainError(error) {
  if (error && typeof error === "object" && error.name === "ChemError") {
    return { code: error.code, message: error.message, field: error.field };
  }
  if (error && typeof error === "object" && error.name === "QueryError") {
    return { code: "invalid_structure", message: error.message, field: "q" };
  }
  return { code: "worker_failed", message: "The structure could not be processed." };
}

/** Allocates until the heap limit kills this process, as a malicious structure once did. Tests only. */
function exhaustMemory() {
  const hoard = [];
  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
}

/** Blocks this thread the way a runaway parse would: no event-loop turn until it ends. Tests only. */
function block(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

try {
  const { parseStructure, molfileFromIdcode } = await import(new URL("./structure.ts", import.meta.url).href);
  const { computeInchi, getRDKit, inchiSource, portableSmiles } = await import(new URL("./inchi.ts", import.meta.url).href);
  const { searchRecordFromIdcode } = await import(new URL("../search/record.ts", import.meta.url).href);
  const { prepareQuery, verifyWithOpenChemLib, classifyHeaderQuery } = await import(new URL("../search/sandboxed.ts", import.meta.url).href);
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

  const handlers = {
    parse: (input, job) => describe(input, job.inchi !== false),
    molfile: (idcode) => molfileFromIdcode(idcode),
    query: (input) => prepareQuery(input),
    verify: (input) => verifyWithOpenChemLib(input),
    classify: (text) => classifyHeaderQuery(text),
  };

  process.on("message", async (job) => {
    if (testHooks && typeof job.testDelayMs === "number") block(job.testDelayMs);
    if (testHooks && job.testAllocate === true) exhaustMemory();
    const handler = handlers[job.kind];
    const outcomes = [];
    for (const input of job.inputs) {
      try {
        if (!handler) throw new Error(`unknown job kind ${job.kind}`);
        const result = await handler(input, job);
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
