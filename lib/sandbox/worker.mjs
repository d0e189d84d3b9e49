// A sandbox worker process for untrusted chemistry, started by pool.ts (child_process.fork, with a heap limit). One
// job at a time (protocol.ts), run by jobs.ts: structures to parse with OpenChemLib and RDKit, stored idcodes to
// draw, or the structure search's query texts and checks.
//
// Why a plain .mjs file that Node loads from disk: a bundler (webpack or Turbopack under Next.js, Vite under
// vitest) rewrites a TypeScript worker entry in ways that differ between tools and often break the path, while
// Node can always start a .mjs file by its path. This file registers tsx's loader (tsx is a production dependency,
// the `start` script runs on it) and imports jobs.ts, so the chemistry exists once, type-checked, and the worker
// runs exactly what the unit tests test.
import { register } from "tsx/esm/api";

register();

const testHooks = process.env.CHEM_WORKER_TEST_HOOKS === "1";

function post(message) {
  process.send?.(message);
}

// The pool is gone (its server exited, even killed): nothing can ask this process for work any more.
process.on("disconnect", () => process.exit(0));

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
  const { runJob, warmUp } = await import(new URL("./jobs.ts", import.meta.url).href);
  await warmUp();
  process.on("message", async (job) => {
    if (testHooks && typeof job.testDelayMs === "number") block(job.testDelayMs);
    if (testHooks && job.testAllocate === true) exhaustMemory();
    post({ id: job.id, outcomes: await runJob(job) });
  });
  post({ type: "ready" });
} catch (error) {
  post({ type: "fatal", message: error instanceof Error ? error.message : String(error) });
}
