import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

import { ChemError } from "@/lib/chem/errors";
import { getRDKit } from "@/lib/chem/inchi";
import { searchRecordOf } from "@/lib/search/record";
import { ChemWorkerPool, closeSharedChemPool, defaultWorkerUrl, safeParseStructure } from "@/lib/sandbox/pool";
import { parseStructure } from "@/lib/chem/structure";

// Workers load OpenChemLib, tsx and RDKit's wasm on start: allow for that on a busy machine.
const START = 60_000;

describe("ChemWorkerPool", () => {
  // A generous default: the suite shares the CPU with other test files; the timeout cases set their own limits.
  const pool = new ChemWorkerPool({ size: 2, timeoutMs: 20_000, testHooks: true });
  afterAll(() => pool.close());

  it("parses in a worker exactly as in-process, with the InChI", async () => {
    const smiles = "C[C@H](N)C(=O)O.Cl";
    const result = await pool.run({ smiles });
    // The registry's form: no molfile is made for a SMILES (its coordinates are made when one is asked for).
    expect(result.structure).toEqual(parseStructure({ smiles }, { molfile: "given" }));
    expect(result.structure.molfile).toBeNull();
    // Made with the structure, so a registered molecule is searchable at once.
    expect(result.searchRecord).toEqual(searchRecordOf(await getRDKit(), { idcode: result.structure.idcode, smiles }));
    expect(result.inchi?.inchiKey).toBe("ILYVXUGGBVATGA-DKWTVANSSA-N");
    expect(result.inchiError).toBeNull();
    // The registry's keys from the same reading by RDKit (lib/chem/keys.ts).
    expect(result.keys).toEqual({ key: "C[C@H](N)C(=O)O.Cl", keyNoStereo: "CC(N)C(=O)O.Cl", parentKey: "C[C@H](N)C(=O)O" });
  }, START);

  it("reports bad input as the same ChemError as in-process", async () => {
    const error = await pool.run({ smiles: "C1CC" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChemError);
    expect(error).toMatchObject({ code: "invalid_structure", field: "smiles" });
    expect((error as ChemError).message).toBe("This SMILES could not be read: dangling ring closure: 1; position:4.");
  }, START);

  it("refuses oversize input without sending it to a worker", async () => {
    const started = pool.workersStarted;
    await expect(pool.run({ smiles: "C".repeat(2001) })).rejects.toMatchObject({ code: "too_large" });
    expect(pool.workersStarted).toBe(started);
  });

  it("keeps the structure when RDKit cannot make an InChI", async () => {
    // A carborane from the OSM list: OpenChemLib reads it, RDKit refuses four-valent neutral boron.
    const result = await pool.run({ smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCC\\C\\4=C\\BBBBB[BH2][BH2]BB4)n23" });
    expect(result.structure.formula).toBe("C16H23B9F2N4O2");
    expect(result.inchi).toBeNull();
    expect(result.inchiError).toMatch(/RDKit could not read/);
    expect(result.keys).toBeNull();
  }, START);

  it("kills a worker that runs past the time limit, rejects with `timeout`, and carries on", async () => {
    await pool.run({ smiles: "C" }); // a warm worker, so the 300 ms limit falls on the job, not on starting the worker
    const before = pool.workersStarted;
    const error = await pool.run({ smiles: "CCO" }, { testDelayMs: 30_000, timeoutMs: 300 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChemError);
    expect(error).toMatchObject({ code: "timeout" });
    expect((error as ChemError).message).toBe(
      "Processing this structure took longer than 0.3 s and was stopped; it may be too large or malformed.",
    );
    expect(pool.workersStarted).toBe(before + 1); // replaced
    const next = await pool.run({ smiles: "c1ccccc1" });
    expect(next.structure.formula).toBe("C6H6");
  }, START);

  it("stops a real runaway structure too (a 2,000-carbon chain takes OpenChemLib tens of seconds)", async () => {
    await expect(pool.run({ smiles: "C".repeat(2000) }, { timeoutMs: 1_000, inchi: false })).rejects.toMatchObject({
      code: "timeout",
    });
  }, START);

  it("runs many structures per message; a runaway one fails alone, with its own error, and the rest come through", async () => {
    const inputs = [{ smiles: "CCO" }, { smiles: "C".repeat(2000) }, { smiles: "c1ccccc1" }, { smiles: "C1CC" }, { smiles: "C".repeat(2001) }];
    const outcomes = await pool.runMany(inputs, { batchSize: 4, timeoutMs: 1_000, inchi: false });
    expect(outcomes.map((o) => (o.ok ? o.result.structure.formula : o.error.code))).toEqual([
      "C2H6O",
      "timeout",
      "C6H6",
      "invalid_structure",
      "too_large", // refused before any worker sees it
    ]);
  }, START);

  it("a worker that runs out of memory dies alone: its job fails with `crashed`, this process and the pool go on", async () => {
    const before = pool.workersStarted;
    const error = await pool.run({ smiles: "CCO" }, { testAllocate: true, timeoutMs: 60_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "crashed" });
    expect((error as ChemError).message).toMatch(/needed more memory than allowed/);
    expect(pool.workersStarted).toBe(before + 1);
    expect((await pool.run({ smiles: "c1ccncc1" })).structure.formula).toBe("C5H5N");
  }, START);

  it("refuses a molfile declaring more atoms or bonds than the caps before any worker sees it", async () => {
    const started = pool.workersStarted;
    const v3000 = (counts: string) =>
      `\n  bomb\n\n  0  0  0     0  0            999 V3000\nM  V30 BEGIN CTAB\nM  V30 COUNTS ${counts} 0 0 0\n` +
      "M  V30 BEGIN ATOM\nM  V30 1 C 0 0 0 0\nM  V30 END ATOM\nM  V30 END CTAB\nM  END\n";
    await expect(pool.run({ molfile: v3000("99999999 0") })).rejects.toMatchObject({
      code: "too_large",
      message: "The molfile declares 99,999,999 atoms; the limit is 1,000.",
    });
    await expect(pool.run({ molfile: v3000("1 99999999") })).rejects.toMatchObject({ code: "too_large", field: "molfile" });
    // A negative count once slipped past the check and kept OpenChemLib busy until the time limit.
    await expect(pool.run({ molfile: v3000("-1 99999999") })).rejects.toMatchObject({
      code: "invalid_structure",
      message: "The molfile's counts line does not give a number of atoms.",
    });
    expect(pool.workersStarted).toBe(started);
  });

  it("stops a job when its signal aborts, and the pool goes on", async () => {
    await pool.run({ smiles: "C" });
    const controller = new AbortController();
    const pending = pool.run({ smiles: "CCO" }, { testDelayMs: 30_000, timeoutMs: 60_000, signal: controller.signal }).catch((caught: unknown) => caught);
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ code: "aborted" });
    expect((await pool.run({ smiles: "CCN" })).structure.formula).toBe("C2H7N");
  }, START);

  it("makes molfiles with coordinates for stored idcodes in the workers", async () => {
    const { idcode } = parseStructure({ smiles: "C[C@H](N)C(=O)O" }, { molfile: "given" });
    const [molfile] = await pool.molfiles([idcode]);
    expect(molfile).toContain("M  END");
    expect(parseStructure({ molfile: molfile! }).idcode).toBe(idcode);
  }, START);

  it("runs jobs in parallel and in isolation: one timeout does not fail its neighbours", async () => {
    const results = await Promise.allSettled([
      pool.run({ smiles: "CCN" }),
      pool.run({ smiles: "CCC" }, { testDelayMs: 30_000, timeoutMs: 500 }),
      pool.run({ smiles: "OCCO" }),
      pool.run({ smiles: "c1ccncc1" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(results[1]).toMatchObject({ reason: { code: "timeout" } });
  }, START);

  it("ignores the test hook unless the pool was made for tests", async () => {
    const production = new ChemWorkerPool({ size: 1, timeoutMs: 10_000 });
    try {
      // Honoured, the hook would hold the worker for 60 s and the job would time out at 10 s.
      const result = await production.run({ smiles: "CCO" }, { testDelayMs: 60_000 });
      expect(result.structure.formula).toBe("C2H6O");
    } finally {
      await production.close();
    }
  }, START);

  it("rejects waiting jobs when closed", async () => {
    const closing = new ChemWorkerPool({ size: 1 });
    const pending = closing.run({ smiles: "CCO" }).catch((caught: unknown) => caught);
    await closing.close();
    expect(await pending).toMatchObject({ code: "worker_failed" });
    await expect(closing.run({ smiles: "CCO" })).rejects.toMatchObject({ code: "worker_failed" });
  }, START);
});

describe("closing", () => {
  // A script whose last step is closing the pool (an import, a benchmark, an admin command) must end with its own exit
  // code: the idle workers are unref'd, and awaiting their exit used to leave Node with nothing to wait on (code 13).
  it("lets a script that closes the pool at the end exit with 0", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nb-pool-close-"));
    try {
      const script = path.join(dir, "close.mts");
      const pool = pathToFileURL(path.resolve(import.meta.dirname, "../../../lib/sandbox/pool.ts")).href;
      writeFileSync(
        script,
        `import { closeSharedChemPool, safeParseStructure } from ${JSON.stringify(pool)};\n` +
          `const parsed = await safeParseStructure({ smiles: "CCO" });\n` +
          `await new Promise((resolve) => setTimeout(resolve, 100));\n` +
          `await closeSharedChemPool();\n` +
          `console.log("closed", parsed.inchi?.inchiKey);\n`,
      );
      const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: START });
      expect({ status: run.status, out: run.stdout.trim() }).toEqual({ status: 0, out: "closed LFQSCWFLJHTTHZ-UHFFFAOYSA-N" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, START);
});

describe("worker start-up", () => {
  it("finds the worker file next to safe.ts", () => {
    expect(defaultWorkerUrl().href).toMatch(/\/lib\/sandbox\/worker\.mjs$/);
  });

  it("fails jobs with `worker_failed` when the worker cannot start", async () => {
    const broken = new ChemWorkerPool({ workerUrl: new URL("file:///nonexistent/worker.mjs") });
    try {
      await expect(broken.run({ smiles: "CCO" })).rejects.toMatchObject({
        code: "worker_failed",
        message: expect.stringMatching(/^The chemistry worker could not start: /),
      });
    } finally {
      await broken.close();
    }
  });
});

describe("safeParseStructure", () => {
  afterAll(() => closeSharedChemPool());

  it("uses one shared pool", async () => {
    const result = await safeParseStructure({ smiles: "CC(=O)Oc1ccccc1C(=O)O" });
    expect(result.inchi?.inchiKey).toBe("BSYNRYMUTXBXSQ-UHFFFAOYSA-N");
    expect(result.structure.formula).toBe("C9H8O4");
  }, START);
});
