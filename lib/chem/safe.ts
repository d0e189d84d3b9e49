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
}

export interface SafeParseOptions {
  /** Milliseconds one job may run before its worker is killed. Default: the pool's (5,000). */
  timeoutMs?: number;
  /** Compute the InChI as well. Default true. */
  inchi?: boolean;
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
  message: { id: number; input: StructureInput; inchi: boolean; testDelayMs?: number };
  timeoutMs: number;
  resolve: (result: SafeParseResult) => void;
  reject: (error: ChemError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "fatal"; message: string }
  | { id: number; ok: true; result: SafeParseResult }
  | { id: number; ok: false; error: { code: ChemErrorCode; message: string; field?: string } };

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

  run(input: StructureInput, options: SafeParseOptions & { testDelayMs?: number } = {}): Promise<SafeParseResult> {
    if (this.closed) return Promise.reject(new ChemError("worker_failed", "The chemistry worker pool is closed."));
    try {
      if (typeof input?.smiles === "string") assertStructureSize("smiles", input.smiles);
      if (typeof input?.molfile === "string") assertStructureSize("molfile", input.molfile);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new ChemError("worker_failed", "Too many structures are waiting; try again shortly."));
    }
    return new Promise<SafeParseResult>((resolve, reject) => {
      const id = this.nextId++;
      const message: Job["message"] = {
        id,
        input: { smiles: input.smiles, molfile: input.molfile },
        inchi: options.inchi ?? true,
      };
      if (this.testHooks && options.testDelayMs !== undefined) message.testDelayMs = options.testDelayMs;
      this.queue.push({ id, message, timeoutMs: options.timeoutMs ?? this.timeoutMs, resolve, reject });
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
      if (message.ok) job.resolve(message.result);
      else {
        const { code, message: text, field } = message.error;
        job.reject(new ChemError(code, text, field === undefined ? {} : { field }));
      }
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

export async function closeSharedChemPool(): Promise<void> {
  const pool = globalForChem.chemWorkerPool;
  delete globalForChem.chemWorkerPool;
  await pool?.close();
}
