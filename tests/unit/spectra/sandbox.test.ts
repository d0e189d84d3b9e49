import { afterAll, describe, expect, it } from "vitest";

import { ChemWorkerPool } from "@/lib/sandbox/pool";
import { readJcamp } from "@/lib/spectra/jcamp";
import { SpectrumError } from "@/lib/spectra/model";
import { readSpectrumInSandbox, spectrumOf } from "@/lib/spectra/sandbox";
import { fixture, realSpectrum } from "./files";

// Workers load OpenChemLib, tsx and RDKit's wasm on start: allow for that on a busy machine.
const START = 60_000;

describe("spectra in the chemistry sandbox", () => {
  const pool = new ChemWorkerPool({ size: 1, timeoutMs: 20_000, testHooks: true });
  afterAll(() => pool.close());

  it(
    "parses a JCAMP-DX file in a worker exactly as in-process",
    async () => {
      const bytes = realSpectrum("aspirin-1h.dx");
      const inWorker = await readSpectrumInSandbox(bytes, { pool, timeoutMs: 20_000 });
      expect(inWorker).toEqual(readJcamp(bytes));
      expect(inWorker.xs).toBeInstanceOf(Float64Array); // the points cross the process boundary as bytes
    },
    START,
  );

  it(
    "brings the worker's refusal back as a SpectrumError with its message",
    async () => {
      const error = await readSpectrumInSandbox(new TextEncoder().encode("smiles,activity\nCCO,1\n"), { pool, timeoutMs: 20_000 }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(SpectrumError);
      expect(error).toMatchObject({
        code: "not_jcamp",
        message: expect.stringMatching(/^This file is not a JCAMP-DX spectrum/) as unknown,
      });
    },
    START,
  );

  it("refuses an oversize file without sending it to a worker", async () => {
    const started = pool.workersStarted;
    await expect(readSpectrumInSandbox(new Uint8Array(6 * 1024 * 1024), { pool })).rejects.toMatchObject({ code: "too_large" });
    expect(pool.workersStarted).toBe(started);
  });

  it(
    "stops a parse that runs past the time limit, says so in a spectroscopist's words, and carries on",
    async () => {
      const bytes = fixture("polystyrene-film-ir.jdx");
      await readSpectrumInSandbox(bytes, { pool, timeoutMs: 20_000 }); // a warm worker, so the 300 ms limit falls on the job, not on starting the worker
      const before = pool.workersStarted;
      const error = await readSpectrumInSandbox(bytes, { pool, timeoutMs: 300, testDelayMs: 30_000 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SpectrumError);
      expect(error).toMatchObject({
        code: "timeout",
        message:
          "Reading this spectrum took longer than 0.3 s and was stopped; the file may be too large or malformed. It can still be downloaded.",
      });
      expect(pool.workersStarted).toBe(before + 1); // the killed worker was replaced
      const next = await readSpectrumInSandbox(bytes, { pool, timeoutMs: 20_000 });
      expect(next.kind).toBe("ir");
    },
    START,
  );

  it(
    "parses a file once per content hash: readers at the same time share the parse, later ones get it from memory",
    async () => {
      const bytes = realSpectrum("Rutin_3080ug200uL_DMSOd6_13CNMR_400MHz_JDX.jdx");
      let reads = 0;
      const load = () => {
        reads++;
        return bytes;
      };
      const key = "test-sha256-rutin-13c";
      const [a, b] = await Promise.all([
        spectrumOf(key, load, { pool, timeoutMs: 20_000 }),
        spectrumOf(key, load, { pool, timeoutMs: 20_000 }),
      ]);
      expect(a).toBe(b);
      expect(await spectrumOf(key, load, { pool })).toBe(a);
      expect(reads).toBe(1);
      expect(a.kindLabel).toBe("13C NMR");
    },
    START,
  );

  it(
    "remembers a refusal, so a bad file does not take a worker at every view",
    async () => {
      let reads = 0;
      const load = () => {
        reads++;
        return new TextEncoder().encode("##TITLE=notes\n##END=\n");
      };
      const key = "test-sha256-no-version";
      await expect(spectrumOf(key, load, { pool, timeoutMs: 20_000 })).rejects.toMatchObject({ code: "not_jcamp" });
      await expect(spectrumOf(key, load, { pool, timeoutMs: 20_000 })).rejects.toMatchObject({ code: "not_jcamp" });
      expect(reads).toBe(1);
    },
    START,
  );
});
