import { decomposeRGroups, drawSubstituent, readCore } from "../chem/rgroups";
import { computeInchi, getRDKit, inchiOf, inchiSource, portableSmiles, type InchiResult, type RDKitModule, type RDKitMol } from "../chem/inchi";
import { keysVersion, registryKeys, type RegistryKeys } from "../chem/keys";
import { describeMolecule, molfileFromIdcode, readMolecule, type ParsedStructure, type StructureInput } from "../chem/structure";
import { recordFromReadings, searchRecordOf } from "../search/record";
import { classifyHeaderQuery, prepareQuery, verifyGraphs } from "../search/sandboxed";
import { elnJob } from "../eln/sandboxed";
import { spectrumJob } from "../spectra/sandboxed";
import { trainModel, type TrainInput } from "../models/train";
import { guessUnreadableLabels } from "../ocsr/repair";
import type { JobKind, JobMessage, WorkerError } from "./protocol";

// What a sandbox worker process runs (worker.mjs loads this file): every job kind, on untrusted input, with
// OpenChemLib and RDKit, and jcampconverter for spectra. Relative imports only: the worker loads these files outside
// the bundler.

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
  /** The registry's keys from RDKit's reading (lib/chem/keys.ts); null when RDKit cannot read the structure. */
  keys: RegistryKeys | null;
}

/** An error as plain data for the pool: a ChemError (or a search QueryError) keeps its message; anything else is hidden. */
export function plainError(error: unknown): WorkerError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; field?: unknown } | null;
  if (e && e.name === "ChemError")
    return { code: e.code as WorkerError["code"], message: String(e.message), ...(typeof e.field === "string" ? { field: e.field } : {}) };
  if (e && e.name === "QueryError") return { code: "invalid_structure", message: String(e.message), field: "q" };
  return { code: "worker_failed", message: "The structure could not be processed." };
}

/**
 * The registry's view of one structure: no 2D coordinates for a SMILES (they are made when a molfile is asked for),
 * the InChI from what inchiSource says, a SMILES other tools read the same way, and the record structure search
 * keeps. Each toolkit reads the structure once where it can: OpenChemLib's standardized molecule gives the idcode and
 * numbers the search graph; RDKit's reading of the SMILES as given gives the InChI, the graph and the Morgan bits.
 */
async function describe(input: StructureInput, withInchi: boolean): Promise<SafeParseResult> {
  const mol = readMolecule(input, { coordinates: false });
  // describeMolecule standardizes `mol` in place (explicit H removed, ambiguous groups in one form) before it
  // canonicalizes: afterwards `mol` is the molecule the idcode was made from, in the input's atom order.
  const structure = describeMolecule(mol, { molfile: !(typeof input.smiles === "string" && input.smiles.trim() !== "") });
  const rdkit = await getRDKit();
  const text = input.molfile || input.smiles || structure.smiles;
  const rdkitMol = rdkit.get_mol(text.includes("\n") ? text : text.trim());
  try {
    let inchi: InchiResult | null = null;
    let inchiError: string | null = null;
    let source: ReturnType<typeof inchiSource> | undefined;
    if (withInchi) {
      try {
        source = inchiSource(structure, input);
        const shared = "smiles" in source && source.smiles === text.trim() && rdkitMol !== null && rdkitMol.is_valid();
        inchi = shared ? inchiOf(rdkitMol, rdkit) : await computeInchi(source);
        // A SMILES other tools read with the same double-bond geometry (OpenChemLib marks ring closures its own way).
        structure.smiles = await portableSmiles(structure, source, inchi.inchi);
      } catch (error) {
        inchiError = plainError(error).message;
      }
    }
    const keys = keysOf(rdkitMol, rdkit, structure, input, source && "molfile" in source ? source.molfile : undefined);
    let searchRecord: Uint8Array | null = null;
    try {
      // RDKit's reading of the structure as the chemist gave it: the graph SMARTS are matched on, the Morgan bits.
      searchRecord = recordFromReadings(rdkitMol, () => mol, structure.idcode);
    } catch {
      // The search index makes (and stores) it when it first sees the molecule.
    }
    return { structure, inchi, inchiError, searchRecord, keys };
  } finally {
    rdkitMol?.delete();
  }
}

/**
 * The registry's keys from RDKit's reading of the structure as given; for a SMILES with double-bond direction marks,
 * from the geometry OpenChemLib read, as the InChI is (lib/chem/inchi.ts inchiSource: the two toolkits read marks
 * at ring closures differently). Null when RDKit cannot read it.
 */
function keysOf(
  given: RDKitMol | null,
  rdkit: RDKitModule,
  structure: Pick<ParsedStructure, "molfile" | "idcode">,
  input: StructureInput,
  /** OpenChemLib's molfile of the structure, when the InChI was made from one already. */
  made?: string,
): RegistryKeys | null {
  const marked = structure.molfile === null && /[/\\]/.test(input.smiles ?? "");
  const mol = marked ? rdkit.get_mol(made ?? molfileFromIdcode(structure.idcode)) : given;
  try {
    return mol !== null && mol.is_valid() ? registryKeys(mol, rdkit) : null;
  } finally {
    if (marked) mol?.delete();
  }
}

/** The keys of a stored molecule, from what it was registered from (as `describe` makes them), and their version. */
async function storedKeys(input: { idcode: string; text: string }): Promise<{ keys: RegistryKeys | null; version: string }> {
  const rdkit = await getRDKit();
  const molfile = input.text.includes("\n");
  const given = rdkit.get_mol(molfile ? input.text : input.text.trim());
  try {
    const structure = { molfile: molfile ? input.text : null, idcode: input.idcode };
    return { keys: keysOf(given, rdkit, structure, molfile ? { molfile: input.text } : { smiles: input.text }), version: keysVersion(rdkit) };
  } finally {
    given?.delete();
  }
}

/**
 * The search record of a molecule (lib/search/record.ts) from RDKit's reading of `text`, the SMILES or molfile as
 * registered; OpenChemLib's graph of the idcode when RDKit cannot read it (found by substructure, not by similarity).
 */
async function storedRecord(input: { idcode: string; text: string }): Promise<Uint8Array> {
  const structure = input.text.includes("\n") ? { molfile: input.text } : { smiles: input.text };
  return searchRecordOf(await getRDKit(), { idcode: input.idcode, ...structure });
}

const handlers: Record<JobKind, (input: never, job: JobMessage) => unknown> = {
  parse: (input: StructureInput, job) => describe(input, job.inchi !== false),
  molfile: (idcode: string) => molfileFromIdcode(idcode),
  query: (input: Parameters<typeof prepareQuery>[0]) => prepareQuery(input),
  verify: (input: Parameters<typeof verifyGraphs>[0]) => verifyGraphs(input),
  classify: (text: string) => classifyHeaderQuery(text),
  record: (input: { idcode: string; text: string }) => storedRecord(input),
  spectrum: (bytes: Uint8Array) => spectrumJob(bytes),
  eln: (bytes: Uint8Array) => elnJob(bytes),
  "rgroup-core": async (core: string) => readCore(await getRDKit(), core),
  "substituent-svg": async (input: { smiles: string; width: number; height: number }) =>
    drawSubstituent(await getRDKit(), input.smiles, input),
  rgroups: async (input: { core: string; molecules: { id: number; smiles: string }[] }) =>
    decomposeRGroups(await getRDKit(), input.core, input.molecules),
  "train-model": (input: TrainInput) => trainModel(input),
  "ocsr-guess": (smiles: string) => guessUnreadableLabels(smiles),
  keys: (input: { idcode: string; text: string }) => storedKeys(input),
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
