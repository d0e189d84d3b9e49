import { computeInchi, getRDKit, inchiSource, portableSmiles, type InchiResult } from "../chem/inchi";
import { molfileFromIdcode, parseStructure, type ParsedStructure, type StructureInput } from "../chem/structure";
import { morganBits } from "../search/morgan";
import { searchRecordFromIdcode } from "../search/record";
import { classifyHeaderQuery, prepareQuery, verifyWithOpenChemLib } from "../search/sandboxed";
import type { JobKind, JobMessage, WorkerError } from "./protocol";

// What a sandbox worker process runs (worker.mjs loads this file): every job kind, on untrusted input, with
// OpenChemLib and RDKit. Relative imports only: the worker loads these files outside the bundler.

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

/** An error as plain data for the pool: a ChemError (or a search QueryError) keeps its message; anything else is hidden. */
export function plainError(error: unknown): WorkerError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; field?: unknown } | null;
  if (e && e.name === "ChemError") return { code: e.code as WorkerError["code"], message: String(e.message), ...(typeof e.field === "string" ? { field: e.field } : {}) };
  if (e && e.name === "QueryError") return { code: "invalid_structure", message: String(e.message), field: "q" };
  return { code: "worker_failed", message: "The structure could not be processed." };
}

/**
 * The registry's view of one structure: no 2D coordinates for a SMILES (they are made when a molfile is asked for),
 * the InChI from what inchiSource says, a SMILES other tools read the same way, and the record structure search
 * keeps.
 */
async function describe(input: StructureInput, withInchi: boolean): Promise<SafeParseResult> {
  const structure = parseStructure(input, { molfile: "given" });
  let inchi: InchiResult | null = null;
  let inchiError: string | null = null;
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
  let searchRecord: Uint8Array | null = null;
  try {
    // The Morgan bits from the structure as the chemist gave it, read by RDKit: the fingerprint RDKit gives them.
    searchRecord = await storedRecord({ idcode: structure.idcode, text: morganSource(input) ?? structure.smiles });
  } catch {
    // The search index makes (and stores) it when it first sees the molecule.
  }
  return { structure, inchi, inchiError, searchRecord };
}

/** What RDKit reads for the Morgan bits: the molfile or the SMILES as given. */
function morganSource(input: StructureInput): string | null {
  return input.molfile || input.smiles || null;
}

/**
 * The search record of a molecule: screen and graph from its idcode, the Morgan bits from RDKit's reading of `text`
 * (the SMILES or molfile as registered; none when RDKit cannot read it: the molecule is then found by substructure,
 * not by similarity).
 */
async function storedRecord(input: { idcode: string; text: string }): Promise<Uint8Array> {
  let morgan: Uint16Array = new Uint16Array(0);
  try {
    morgan = morganBits(await getRDKit(), input.text);
  } catch {
    // keep it empty
  }
  return searchRecordFromIdcode(input.idcode, morgan);
}

const handlers: Record<JobKind, (input: never, job: JobMessage) => unknown> = {
  parse: (input: StructureInput, job) => describe(input, job.inchi !== false),
  molfile: (idcode: string) => molfileFromIdcode(idcode),
  query: (input: Parameters<typeof prepareQuery>[0]) => prepareQuery(input),
  verify: (input: Parameters<typeof verifyWithOpenChemLib>[0]) => verifyWithOpenChemLib(input),
  classify: (text: string) => classifyHeaderQuery(text),
  record: (input: { idcode: string; text: string }) => storedRecord(input),
};

/** Runs one job: each input gets its result or its own error, in input order. */
export async function runJob(job: JobMessage): Promise<unknown[]> {
  const handler = handlers[job.kind] as ((input: unknown, job: JobMessage) => unknown) | undefined;
  const outcomes: unknown[] = [];
  for (const input of job.inputs) {
    try {
      if (!handler) throw new Error(`unknown job kind ${job.kind}`);
      outcomes.push({ ok: true, result: await handler(input, job) });
    } catch (error) {
      outcomes.push({ ok: false, error: plainError(error) });
    }
  }
  return outcomes;
}

/**
 * Loads RDKit's wasm and lets OpenChemLib build its lazy tables (logP, PSA, SMILES) on a small molecule, so that
 * start-up work never counts against a job's time limit.
 */
export async function warmUp(): Promise<void> {
  await getRDKit();
  await describe({ smiles: "C[C@H](N)C(=O)Oc1ccccc1.Cl" }, true);
}
