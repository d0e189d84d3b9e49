// Over 400 lines on purpose: one class, whose scheduling, time limits, crash and abort handling work on the same
// worker slots and queue.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { ChemError, isChemError } from "../chem/errors";
import { assertStructureSize } from "../chem/limits";
import type { StructureInput } from "../chem/structure";
import type { SafeParseResult } from "./jobs";
import type { JobKind, JobMessage, WorkerError, WorkerMessage, WorkerOutcome } from "./protocol";

export type { SafeParseResult } from "./jobs";
export type { JobKind, WorkerOutcome } from "./protocol";

/**
 * Runs untrusted chemistry (a pasted SMILES, an uploaded molfile, a search query) in child processes with a time
 * limit and a memory limit. A parse that runs away blocks its process, so a timer here kills it (SIGKILL), rejects
 * with a ChemError `timeout` and a fresh worker takes its place. A structure that makes a worker run out of memory
 * kills only that worker: a process, not a thread, because V8 aborts the whole process when a worker thread's heap
 * allocation fails outright, `resourceLimits` or not (a V3000 molfile declaring 99,999,999 atoms did that). The
 * server's own process never loads a toolkit for untrusted input: it only checks sizes and counts.
 *
 * The worker is worker.mjs, started from disk by path (see the comment at its top), speaking protocol.ts and running
 * jobs.ts. It is found next to this file when `import.meta.url` points at the source (vitest, tsx, and bundlers that
 * keep module URLs), otherwise at `<cwd>/lib/sandbox/worker.mjs` (a Next.js server runs from the project root), or
 * wherever `workerUrl` says. Deployments must ship lib/ and node_modules alongside the build. This is the only door
 * through which untrusted structures and queries reach a toolkit in the server.
 */

export interface SafeParseOptions {
  /** Milliseconds one job may run before its worker is killed. Default: the pool's (5,000). */
  timeoutMs?: number;
  /** Compute the InChI as well. Default true. */
  inchi?: boolean;
}

/** How one job is run: its time limit, whether it goes before waiting bulk work, and a signal that cancels it. */
export interface JobOptions {
  timeoutMs?: number;
  /**
   * ms since epoch by which the job must be done, time spent waiting for a free worker included (a search's
   * deadline); a job still waiting then fails with `timeout` without running.
   */
  deadline?: number;
  /** "interactive": ahead of waiting jobs (a search must not queue behind an import's thousands of structures). */
  priority?: "interactive" | "bulk";
  /** Aborting rejects the job and stops its worker at once (a client that went away). */
  signal?: AbortSignal;
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
  /** JavaScript heap of one worker, in MB. Default 768. A structure that needs more kills its worker alone. */
  memoryMb?: number;
  workerUrl?: URL;
  /** Lets jobs carry `testDelayMs` (blocks the worker like a runaway parse) and `testAllocate` (runs it out of memory). Tests only. */
  testHooks?: boolean;
}

interface Job {
  id: number;
  message: JobMessage;
  timeoutMs: number;
  deadline: number | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
  resolve: (outcomes: unknown[]) => void;
  reject: (error: ChemError) => void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const WORKER_FILE = "worker.mjs";

export function defaultWorkerUrl(): URL {
  // Built from a variable on purpose: a literal `new URL("./x.mjs", import.meta.url)` makes bundlers copy the file
  // alone into their output, away from the .ts files it imports.
  const candidates = [
    new URL(WORKER_FILE, import.meta.url),
    pathToFileURL(path.join(process.cwd(), "lib", "sandbox", WORKER_FILE)),
  ];
  // The worker imports jobs.ts from beside itself: a copy a bundler made alone (Next puts one under
  // .next/server/assets) cannot run, so only a worker with its sources next to it counts.
  const found = candidates.find((url) => {
    if (url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return false;
    return existsSync(path.join(path.dirname(fileURLToPath(url)), "jobs.ts"));
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
  private readonly memoryMb: number;
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
    this.memoryMb = options.memoryMb ?? 768;
    this.testHooks = options.testHooks ?? false;
    this.workerUrl = options.workerUrl ?? null;
  }

  /** Parses one structure (and its InChI); rejects with a ChemError when it cannot be read or takes too long. */
  async run(
    input: StructureInput,
    options: SafeParseOptions & JobOptions & { testDelayMs?: number; testAllocate?: boolean } = {},
  ): Promise<SafeParseResult> {
    checkSize(input);
    const [outcome] = await this.submit<WorkerOutcome<SafeParseResult>>("parse", [input], options);
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
          const answers = await this.submit<WorkerOutcome<SafeParseResult>>("parse", chunk.map((i) => inputs[i]!), options);
          answers.forEach((answer, k) => (outcomes[chunk[k]!] = fromWorker(answer)));
        } catch (error) {
          const failure = asChemError(error);
          const retry = failure.code === "timeout" || failure.code === "crashed";
          if (chunk.length === 1 || !retry || this.closed) {
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
      chunks.map((chunk) => this.submit<WorkerOutcome<string>>("molfile", chunk, { ...options, inchi: false })),
    );
    return answers.flat().map((answer) => {
      if (!answer.ok) throw toChemError(answer.error);
      return answer.result;
    });
  }

  /**
   * One job of any kind, its inputs in one message; the answers in input order. Rejects with a ChemError when the
   * job as a whole fails (time limit, crash, abort, closed pool).
   */
  call<T>(
    kind: JobKind,
    inputs: readonly unknown[],
    options: JobOptions & { testDelayMs?: number; testAllocate?: boolean } = {},
  ): Promise<WorkerOutcome<T>[]> {
    return this.submit<WorkerOutcome<T>>(kind, inputs, options);
  }

  private submit<T>(
    kind: JobKind,
    inputs: readonly unknown[],
    options: SafeParseOptions & JobOptions & { testDelayMs?: number; testAllocate?: boolean },
  ): Promise<T[]> {
    if (this.closed) return Promise.reject(new ChemError("worker_failed", "The chemistry worker pool is closed."));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new ChemError("worker_failed", "Too many structures are waiting; try again shortly."));
    }
    if (options.signal?.aborted) return Promise.reject(aborted());
    return new Promise<T[]>((resolve, reject) => {
      const id = this.nextId++;
      const message: Job["message"] = {
        id,
        kind,
        inputs: kind === "parse" ? inputs.map((i) => ({ smiles: (i as StructureInput).smiles, molfile: (i as StructureInput).molfile })) : [...inputs],
        inchi: options.inchi ?? true,
      };
      if (this.testHooks && options.testDelayMs !== undefined) message.testDelayMs = options.testDelayMs;
      if (this.testHooks && options.testAllocate) message.testAllocate = true;
      const job: Job = {
        id,
        message,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
        deadline: options.deadline,
        signal: options.signal,
        onAbort: null,
        resolve: resolve as (outcomes: unknown[]) => void,
        reject,
      };
      if (job.signal) {
        job.onAbort = () => this.cancel(job);
        job.signal.addEventListener("abort", job.onAbort, { once: true });
      }
      if (options.priority === "interactive") this.queue.unshift(job);
      else this.queue.push(job);
      this.pump();
    });
  }

  /** An aborted job: taken out of the queue, or its worker stopped (the work is no longer wanted). */
  private cancel(job: Job): void {
    const waiting = this.queue.indexOf(job);
    if (waiting !== -1) {
      this.queue.splice(waiting, 1);
      fail(job, aborted());
      return;
    }
    for (const slot of this.slots) {
      if (slot.job !== job) continue;
      void this.retire(slot, aborted());
      this.replace();
    }
  }

  /** Starts every worker now (at server start), so the first structures do not wait for toolkits to load. */
  warm(): void {
    while (!this.closed && this.slots.size < this.size) this.spawn();
  }

  /** Stops all workers; waiting and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = (): ChemError => new ChemError("worker_failed", "The chemistry worker pool was closed.");
    this.failWaiting(closed);
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
    if (job.deadline !== undefined) {
      const left = job.deadline - Date.now();
      if (left <= 0) {
        fail(job, timedOut(job.timeoutMs));
        return this.pump();
      }
      job.timeoutMs = Math.min(job.timeoutMs, left);
    }
    slot.job = job;
    hold(slot.child, true);
    slot.timer = setTimeout(() => {
      void this.retire(slot, timedOut(job.timeoutMs));
      this.replace();
    }, job.timeoutMs);
    slot.child.send(job.message, (error) => {
      // The worker died between taking the job and reading it: its exit handler fails the job.
      if (error) slot.child.kill("SIGKILL");
    });
  }

  private spawn(): void {
    let child: ChildProcess;
    try {
      this.workerUrl ??= defaultWorkerUrl();
      child = fork(fileURLToPath(this.workerUrl), [], {
        // Not the host's flags (an inspector port, a loader): the worker sets up its own TypeScript loader.
        execArgv: [`--max-old-space-size=${this.memoryMb}`],
        env: { ...process.env, CHEM_WORKER_TEST_HOOKS: this.testHooks ? "1" : "" },
        // Structured clone, so search records (Uint8Array) cross as bytes.
        serialization: "advanced",
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failWaiting(() => new ChemError("worker_failed", `The chemistry worker could not start: ${message}`));
      return;
    }
    this.workersStarted++;
    const slot: Slot = { child, ready: false, job: null, timer: null };
    this.slots.add(slot);
    const startup = setTimeout(
      () => this.failStartup(slot, "The chemistry worker took too long to start."),
      this.startupTimeoutMs,
    );

    child.on("message", (message: WorkerMessage) => {
      if ("type" in message) {
        clearTimeout(startup);
        if (message.type === "fatal") {
          return this.failStartup(slot, `The chemistry worker could not start: ${message.message}`);
        }
        slot.ready = true;
        hold(child, false); // an idle worker must not keep the process alive
        return this.pump();
      }
      const job = slot.job;
      if (job === null || job.id !== message.id) return;
      this.finish(slot);
      job.resolve(message.outcomes);
      this.pump();
    });
    let exited = false;
    const crashed = (reason: string): void => {
      clearTimeout(startup);
      if (!this.slots.has(slot)) return;
      if (!slot.ready) return this.failStartup(slot, `The chemistry worker could not start: ${reason}`);
      // What the worker was doing killed it (out of memory, a toolkit's abort): the input is at fault, and only
      // this job fails.
      if (slot.job) console.error(`[chemistry] a worker died (${reason}) on a "${slot.job.message.kind}" job; starting another`);
      const error = new ChemError(
        "crashed",
        "Processing this structure needed more memory than allowed and was stopped; it may be too large or malformed.",
      );
      void this.retire(slot, error);
      this.replace();
    };
    child.on("error", (error) => {
      if (!exited) crashed(error.message);
    });
    child.on("exit", (code, signal) => {
      exited = true;
      crashed(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  }

  /** A worker that cannot start means a broken installation: fail the waiting jobs rather than retry forever. */
  private failStartup(slot: Slot, message: string): void {
    void this.retire(slot, new ChemError("worker_failed", message));
    this.failWaiting(() => new ChemError("worker_failed", message));
  }

  /** Every waiting job fails (the pool is closing, or its workers cannot start). */
  private failWaiting(error: () => ChemError): void {
    for (const job of this.queue.splice(0)) fail(job, error());
  }

  private finish(slot: Slot): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.job) settle(slot.job);
    slot.job = null;
    hold(slot.child, false);
  }

  private async retire(slot: Slot, error: ChemError): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = slot.job;
    this.finish(slot);
    job?.reject(error);
    const child = slot.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // An idle worker is unref'd (it must not keep the process alive); waiting for its exit must, or a script whose
    // last step is closing the pool ends before the exit arrives, with an unsettled await (Node's exit code 13).
    child.ref();
    child.kill("SIGKILL");
    await gone;
  }
}

/** A busy worker keeps this process alive (its answer is awaited); an idle one must not. */
function hold(child: ChildProcess, busy: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined;
  if (busy) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}

function fail(job: Job, error: ChemError): void {
  settle(job);
  job.reject(error);
}

/** The job is over (answered, failed or aborted): it no longer listens to its signal. */
function settle(job: Job): void {
  if (job.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
  job.onAbort = null;
}

function timedOut(timeoutMs: number): ChemError {
  return new ChemError(
    "timeout",
    `Processing this structure took longer than ${timeoutMs / 1000} s and was stopped; it may be too large or malformed.`,
  );
}

function aborted(): ChemError {
  return new ChemError("aborted", "The request was cancelled.");
}

function checkSize(input: StructureInput): void {
  if (typeof input?.smiles === "string") assertStructureSize("smiles", input.smiles);
  if (typeof input?.molfile === "string") assertStructureSize("molfile", input.molfile);
}

export function toChemError({ code, message, field }: WorkerError): ChemError {
  return new ChemError(code, message, field === undefined ? {} : { field });
}

function asChemError(error: unknown): ChemError {
  if (isChemError(error)) return error;
  return new ChemError("worker_failed", error instanceof Error ? error.message : String(error));
}

function fromWorker(outcome: WorkerOutcome<SafeParseResult>): SafeParseOutcome {
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
