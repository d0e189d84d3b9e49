import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

import { ChemError, type ChemErrorCode } from "./errors";
import type { InchiResult } from "./inchi";
import { assertStructureSize } from "./limits";
import type { ParsedStructure, StructureInput } from "./structure";

/**
 * Runs untrusted chemistry (a pasted SMILES, an uploaded molfile) off the main thread with a time limit. A parse
 * that runs away blocks its thread, so a timer on the main thread terminates the worker, rejects with a ChemError
 * `timeout` and a fresh worker takes its place. The main thread never loads a toolkit: it only checks input sizes.
 *
 * The worker is chem-worker.mjs, started from disk by path (see the comment at its top). It is found next to this
 * file when `import.meta.url` points at the source (vitest, tsx, and bundlers that keep module URLs), otherwise at
 * `<cwd>/lib/chem/chem-worker.mjs` (a Next.js server runs from the project root), or wherever `workerUrl` says.
 * Deployments must ship lib/chem/ and node_modules alongside the build.
 */

export interface SafeParseResult {
  structure: ParsedStructure;
  /** Null when no standard InChI could be computed; `inchiError` then says why. */
  inchi: InchiResult | null;
  inchiError: string | null;
  /**
   * What structure search keeps of the molecule (lib/search/record.ts), computed here with everything else so that
   * a registered molecule is searchable at once; null if it could not be made (the search index then makes it).
   */
  searchRecord: Uint8Array | null;
}

export interface SafeParseOptions {
  /** Milliseconds one job may run before its worker is killed. Default: the pool's (5,000). */
  timeoutMs?: number;
  /** Compute the InChI as well. Default true. */
  inchi?: boolean;
}

/** One structure's outcome in runMany: its result, or the error that structure alone got. */
export type SafeParseOutcome = { ok: true; result: SafeParseResult } | { ok: false; error: ChemError };

export interface RunManyOptions extends SafeParseOptions {
  /** Structures sent to a worker in one message. Default 32. */
  batchSize?: number;
}

export interface ChemPoolOptions {
  /** Workers running in parallel. Default 2. */
  size?: number;
  timeoutMs?: number;
  /** Jobs allowed to wait for a free worker before new ones are refused. Default 1,000. */
  maxQueue?: number;
  /** Milliseconds a new worker may take to load its toolkits. Default 30,000. */
  startupTimeoutMs?: number;
  workerUrl?: URL;
  /** Lets jobs carry `testDelayMs`, which blocks the worker like a runaway parse. Tests only. */
  testHooks?: boolean;
}

interface Job {
  id: number;
  message: { id: number; kind: JobKind; inputs: unknown[]; inchi: boolean; testDelayMs?: number };
  timeoutMs: number;
  resolve: (outcomes: unknown[]) => void;
  reject: (error: ChemError) => void;
}

/** "parse": structures in, SafeParseResults out. "molfile": stored idcodes in, molfiles with 2D coordinates out. */
type JobKind = "parse" | "molfile";
type WorkerError = { code: ChemErrorCode; message: string; field?: string };
type WorkerOutcome = { ok: true; result: SafeParseResult } | { ok: false; error: WorkerError };
type MolfileOutcome = { ok: true; result: string } | { ok: false; error: WorkerError };

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "fatal"; message: string }
  | { id: number; outcomes: unknown[] };

const WORKER_FILE = "chem-worker.mjs";

export function defaultWorkerUrl(): URL {
  // Built from a variable on purpose: a literal `new URL("./x.mjs", import.meta.url)` makes bundlers copy the file
  // alone into their output, away from the .ts files it imports.
  const candidates = [
    new URL(WORKER_FILE, import.meta.url),
    pathToFileURL(path.join(process.cwd(), "lib", "chem", WORKER_FILE)),
  ];
  // The worker imports structure.ts and inchi.ts from beside itself: a copy a bundler made alone (Next puts
  // one under .next/server/assets) cannot run, so only a worker with its sources next to it counts.
  const found = candidates.find((url) => {
    if (url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return false;
    return existsSync(path.join(path.dirname(fileURLToPath(url)), "structure.ts"));
  });
  if (found === undefined) {
    throw new ChemError("worker_failed", `The chemistry worker (${WORKER_FILE}) was not found.`);
  }
  return found;
}

export class ChemWorkerPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly startupTimeoutMs: number;
  private readonly testHooks: boolean;
  private workerUrl: URL | null;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers started so far, replacements included; lets tests see that a killed worker was replaced. */
  workersStarted = 0;

  constructor(options: ChemPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 2);
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxQueue = options.maxQueue ?? 1_000;
    this.startupTimeoutMs = options.startupTimeoutMs ?? 30_000;
    this.testHooks = options.testHooks ?? false;
    this.workerUrl = options.workerUrl ?? null;
  }

  /** Parses one structure (and its InChI); rejects with a ChemError when it cannot be read or takes too long. */
  async run(input: StructureInput, options: SafeParseOptions & { testDelayMs?: number } = {}): Promise<SafeParseResult> {
    checkSize(input);
    const [outcome] = await this.submit<WorkerOutcome>("parse", [input], options);
    if (!outcome!.ok) throw toChemError(outcome!.error);
    return outcome!.result;
  }

  /**
   * Parses many structures, several per message so that workers spend their time on chemistry rather than on
   * messages (an import sends thousands). The time limit applies to each message; when one is exceeded or a worker
   * dies, that message's structures are run again one by one, so only the structure at fault fails, with its own
   * time limit. Never rejects for one structure: each gets its result or its error, in input order.
   */
  async runMany(inputs: readonly StructureInput[], options: RunManyOptions = {}): Promise<SafeParseOutcome[]> {
    const size = Math.max(1, options.batchSize ?? 32);
    const outcomes: SafeParseOutcome[] = new Array<SafeParseOutcome>(inputs.length);
    const pending: number[] = [];
    inputs.forEach((input, i) => {
      try {
        checkSize(input);
        pending.push(i);
      } catch (error) {
        outcomes[i] = { ok: false, error: asChemError(error) };
      }
    });
    const chunks: number[][] = [];
    for (let i = 0; i < pending.length; i += size) chunks.push(pending.slice(i, i + size));
    await Promise.all(
      chunks.map(async (chunk) => {
        try {
          const answers = await this.submit<WorkerOutcome>("parse", chunk.map((i) => inputs[i]!), options);
          answers.forEach((answer, k) => (outcomes[chunk[k]!] = fromWorker(answer)));
        } catch (error) {
          const failure = asChemError(error);
          if (chunk.length === 1 || (failure.code !== "timeout" && failure.code !== "worker_failed") || this.closed) {
            for (const i of chunk) outcomes[i] = { ok: false, error: failure };
            return;
          }
          await Promise.all(
            chunk.map(async (i) => {
              outcomes[i] = await this.run(inputs[i]!, options).then(
                (result): SafeParseOutcome => ({ ok: true, result }),
                (single: unknown): SafeParseOutcome => ({ ok: false, error: asChemError(single) }),
              );
            }),
          );
        }
      }),
    );
    return outcomes;
  }

  /**
   * Molfiles with 2D coordinates for stored idcodes (a registry export of thousands of molecules registered from
   * SMILES), made in the workers so the server's thread stays free. Rejects if any cannot be made.
   */
  async molfiles(idcodes: readonly string[], options: { batchSize?: number; timeoutMs?: number } = {}): Promise<string[]> {
    const size = Math.max(1, options.batchSize ?? 64);
    const chunks: string[][] = [];
    for (let i = 0; i < idcodes.length; i += size) chunks.push(idcodes.slice(i, i + size));
    const answers = await Promise.all(
      chunks.map((chunk) => this.submit<MolfileOutcome>("molfile", chunk, { ...options, inchi: false })),
    );
    return answers.flat().map((answer) => {
      if (!answer.ok) throw toChemError(answer.error);
      return answer.result;
    });
  }

  private submit<T>(
    kind: JobKind,
    inputs: readonly unknown[],
    options: SafeParseOptions & { testDelayMs?: number },
  ): Promise<T[]> {
    if (this.closed) return Promise.reject(new ChemError("worker_failed", "The chemistry worker pool is closed."));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new ChemError("worker_failed", "Too many structures are waiting; try again shortly."));
    }
    return new Promise<T[]>((resolve, reject) => {
      const id = this.nextId++;
      const message: Job["message"] = {
        id,
        kind,
        inputs: kind === "parse" ? inputs.map((i) => ({ smiles: (i as StructureInput).smiles, molfile: (i as StructureInput).molfile })) : [...inputs],
        inchi: options.inchi ?? true,
      };
      if (this.testHooks && options.testDelayMs !== undefined) message.testDelayMs = options.testDelayMs;
      this.queue.push({
        id,
        message,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        resolve: resolve as (outcomes: unknown[]) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Stops all workers; waiting and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = (): ChemError => new ChemError("worker_failed", "The chemistry worker pool was closed.");
    for (const job of this.queue.splice(0)) job.reject(closed());
    await Promise.all([...this.slots].map((slot) => this.retire(slot, closed())));
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (!slot.ready || slot.job !== null) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      this.dispatch(slot, job);
    }
    let starting = [...this.slots].filter((slot) => !slot.ready).length;
    while (this.queue.length > starting && this.slots.size < this.size) {
      this.spawn();
      starting++;
    }
  }

  /** After a kill, start the replacement at once so the next structure does not wait for toolkits to load. */
  private replace(): void {
    if (!this.closed && this.slots.size < this.size) this.spawn();
    this.pump();
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      const seconds = job.timeoutMs / 1000;
      void this.retire(
        slot,
        new ChemError(
          "timeout",
          `Processing this structure took longer than ${seconds} s and was stopped; it may be too large or malformed.`,
        ),
      );
      this.replace();
    }, job.timeoutMs);
    slot.worker.postMessage(job.message);
  }

  private spawn(): void {
    let worker: Worker;
    try {
      this.workerUrl ??= defaultWorkerUrl();
      worker = new Worker(this.workerUrl, {
        workerData: { testHooks: this.testHooks },
        // Not the host's flags (an inspector port, a loader): the worker sets up its own TypeScript loader.
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: 512 },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const job of this.queue.splice(0)) {
        job.reject(new ChemError("worker_failed", `The chemistry worker could not start: ${message}`));
      }
      return;
    }
    this.workersStarted++;
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    this.slots.add(slot);
    const startup = setTimeout(
      () => this.failStartup(slot, "The chemistry worker took too long to start."),
      this.startupTimeoutMs,
    );

    worker.on("message", (message: WorkerMessage) => {
      if ("type" in message) {
        clearTimeout(startup);
        if (message.type === "fatal") {
          return this.failStartup(slot, `The chemistry worker could not start: ${message.message}`);
        }
        slot.ready = true;
        worker.unref(); // an idle worker must not keep the process alive
        return this.pump();
      }
      const job = slot.job;
      if (job === null || job.id !== message.id) return;
      this.finish(slot);
      job.resolve(message.outcomes);
      this.pump();
    });
    const crashed = (reason: string): void => {
      clearTimeout(startup);
      if (!this.slots.has(slot)) return;
      if (!slot.ready) return this.failStartup(slot, `The chemistry worker could not start: ${reason}`);
      const error = new ChemError("worker_failed", "The chemistry worker stopped while processing this structure.");
      void this.retire(slot, error);
      this.replace();
    };
    worker.on("error", (error) => crashed(error.message));
    worker.on("exit", (code) => crashed(`exit code ${code}`));
  }

  /** A worker that cannot start means a broken installation: fail the waiting jobs rather than retry forever. */
  private failStartup(slot: Slot, message: string): void {
    void this.retire(slot, new ChemError("worker_failed", message));
    for (const job of this.queue.splice(0)) job.reject(new ChemError("worker_failed", message));
  }

  private finish(slot: Slot): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  private async retire(slot: Slot, error: ChemError): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = slot.job;
    this.finish(slot);
    job?.reject(error);
    await slot.worker.terminate();
  }
}

function checkSize(input: StructureInput): void {
  if (typeof input?.smiles === "string") assertStructureSize("smiles", input.smiles);
  if (typeof input?.molfile === "string") assertStructureSize("molfile", input.molfile);
}

function toChemError({ code, message, field }: WorkerError): ChemError {
  return new ChemError(code, message, field === undefined ? {} : { field });
}

function asChemError(error: unknown): ChemError {
  if (error instanceof ChemError) return error;
  return new ChemError("worker_failed", error instanceof Error ? error.message : String(error));
}

function fromWorker(outcome: WorkerOutcome): SafeParseOutcome {
  return outcome.ok ? outcome : { ok: false, error: toChemError(outcome.error) };
}

// One shared pool per process, kept on globalThis so that Next.js hot reload does not start new workers each time.
const globalForChem = globalThis as unknown as { chemWorkerPool?: ChemWorkerPool };

export function sharedChemPool(): ChemWorkerPool {
  globalForChem.chemWorkerPool ??= new ChemWorkerPool();
  return globalForChem.chemWorkerPool;
}

/** parseStructure + InChI in the shared sandbox pool, with a time limit (default 5 s). */
export function safeParseStructure(input: StructureInput, options: SafeParseOptions = {}): Promise<SafeParseResult> {
  return sharedChemPool().run(input, options);
}

/** Many structures in the shared pool: each gets its result or its own error (see ChemWorkerPool.runMany). */
export function safeParseMany(inputs: readonly StructureInput[], options: RunManyOptions = {}): Promise<SafeParseOutcome[]> {
  return sharedChemPool().runMany(inputs, options);
}

export async function closeSharedChemPool(): Promise<void> {
  const pool = globalForChem.chemWorkerPool;
  delete globalForChem.chemWorkerPool;
  await pool?.close();
}
