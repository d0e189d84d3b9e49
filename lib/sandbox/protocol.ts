import type { ChemErrorCode } from "../chem/errors";

/**
 * The messages between the pool (pool.ts, in the server) and a worker process (worker.mjs running jobs.ts). Plain
 * data only: they cross a process boundary by structured clone.
 *
 * Job kinds: "parse" (structures in, SafeParseResults out), "molfile" (stored idcodes in, molfiles with 2D
 * coordinates out), and the structure search's "query" (a query text in, its prepared plain-data form out),
 * "verify" (stored molecules checked against a query) and "classify" (what the header box was given); "spectrum"
 * (a JCAMP-DX file's bytes in, its parsed spectrum or why it cannot be drawn out: lib/spectra/sandboxed.ts); the
 * SAR table's "rgroup-core" (a core's text in, its labels and prefilter query out) and "rgroups" (a core and
 * molecules in, their R-group decomposition out: lib/chem/rgroups.ts, called through lib/chem/rgroups-sandbox.ts),
 * and "substituent-svg" (a substituent's SMILES with attachment points in, RDKit's drawing of it out); "eln" (an .eln
 * archive's bytes in, what it holds or why it is refused out: lib/eln/sandboxed.ts); "train-model" (an assay's
 * measured molecules in, its baseline model and evaluation out: lib/models/train.ts); "ocsr-guess" (a SMILES OSRA wrote
 * with labels it could not read in, those labels guessed out: lib/ocsr/repair.ts); "keys" (a stored molecule's idcode
 * and the SMILES or molfile it was registered from in, the registry's RDKit keys and their version out:
 * lib/chem/keys.ts, for the data repair that makes them).
 */
export type JobKind =
  | "parse"
  | "molfile"
  | "query"
  | "verify"
  | "classify"
  | "record"
  | "spectrum"
  | "rgroup-core"
  | "rgroups"
  | "substituent-svg"
  | "eln"
  | "train-model"
  | "ocsr-guess"
  | "keys";

/** Pool → worker: one job of one or more inputs. */
export interface JobMessage {
  id: number;
  kind: JobKind;
  inputs: unknown[];
  /** "parse": compute the InChI too. */
  inchi: boolean;
  /** Tests only (honoured when the pool was made with testHooks): block the worker this long, like a runaway parse. */
  testDelayMs?: number;
  /** Tests only: run the worker out of memory. */
  testAllocate?: boolean;
}

/** The error one input got, as plain data (a ChemError's code, message and field). */
export interface WorkerError {
  code: ChemErrorCode;
  message: string;
  field?: string;
}

/** What a worker answers for each input of a job: its result, or the error that input alone got. */
export type WorkerOutcome<T> = { ok: true; result: T } | { ok: false; error: WorkerError };

/** Worker → pool: ready after loading its toolkits, fatal if it could not, or a job's outcomes in input order. */
export type WorkerMessage = { type: "ready" } | { type: "fatal"; message: string } | { id: number; outcomes: unknown[] };
