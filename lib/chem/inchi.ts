import initRDKitModule, { type MainModule, type Mol } from "@rdkit/rdkit";

import { ChemError } from "./errors";
import { assertStructureSize } from "./limits";
import { flipClosingBondDirections } from "./smiles";
import { molfileFromIdcode, parseStructure } from "./structure";

/**
 * Standard InChI and InChIKey through RDKit's WebAssembly build: OpenChemLib has no InChI generator.
 *
 * RDKit_minimal.js finds its .wasm next to itself through `__dirname`, which holds when Node loads it from
 * node_modules (vitest, the sandbox worker in chem-worker.mjs, a Next.js server with `@rdkit/rdkit` in
 * `serverExternalPackages`), but not once a bundler has inlined it. Route untrusted input through safe.ts anyway.
 */

export type RDKitModule = MainModule;
export type { Mol as RDKitMol };

export interface InchiResult {
  /** Standard InChI ("InChI=1S/..."). */
  inchi: string;
  inchiKey: string;
}

let rdkit: Promise<RDKitModule> | null = null;

/** The RDKit module, loaded once per process (or worker) on first use; a failed load is retried next call. */
export function getRDKit(): Promise<RDKitModule> {
  if (rdkit === null) {
    rdkit = initRDKitModule().then(
      (module) => {
        // Otherwise every unreadable SMILES prints a parse error on the server's stderr; failures are reported as
        // ChemErrors instead.
        module.disable_logging();
        return module;
      },
      (error: unknown) => {
        rdkit = null;
        throw new ChemError("worker_failed", "The RDKit chemistry toolkit could not be loaded.", { cause: error });
      },
    );
  }
  return rdkit;
}

/**
 * Runs `use` on an RDKit molecule read from SMILES or molfile, and always frees the wasm memory behind it: RDKit
 * objects are not garbage-collected.
 */
export async function withRDKitMol<T>(
  input: { smiles?: string | null; molfile?: string | null },
  use: (mol: Mol, module: RDKitModule) => T,
): Promise<T> {
  const field = input.molfile != null && input.molfile.trim() !== "" ? "molfile" : "smiles";
  const raw = (field === "molfile" ? input.molfile : input.smiles) ?? "";
  if (raw.trim() === "") {
    throw new ChemError("invalid_structure", `The ${field === "molfile" ? "molfile" : "SMILES"} is empty.`, { field });
  }
  assertStructureSize(field, raw);
  // A molfile's first lines may be blank (no title), so only a SMILES is trimmed.
  const text = field === "molfile" ? raw : raw.trim();
  const toolkit = await getRDKit();
  const mol = toolkit.get_mol(text);
  try {
    if (mol === null || !mol.is_valid()) {
      throw new ChemError(
        "invalid_structure",
        `RDKit could not read this ${field === "molfile" ? "molfile" : "SMILES"} (bad valence or syntax).`,
        { field },
      );
    }
    return use(mol, toolkit);
  } finally {
    mol?.delete();
  }
}

/**
 * What the registry computes a structure's InChI from:
 * - the molfile, when one was given: its drawing carries the stereo;
 * - the SMILES as given, when it has no double-bond geometry: no 2D coordinates need inventing (they cost more than
 *   the InChI), and none can add stereo the SMILES never had (RDKit reads tetrahedral parities into flat-drawn metal
 *   complexes);
 * - a molfile with OpenChemLib's 2D coordinates for the stored structure, when the SMILES has `/` or `\`: RDKit and
 *   OpenChemLib disagree on bond directions at ring closures (`C\2=N\c2`), so the geometry OpenChemLib read, which
 *   is the one the registry stores, is handed over as coordinates. (Nine OSM Series 4 compounds depend on this.)
 */
export function inchiSource(
  structure: { molfile: string | null; idcode: string },
  input: { smiles?: string | null },
): { molfile: string } | { smiles: string } {
  if (structure.molfile !== null) return { molfile: structure.molfile };
  const smiles = (input.smiles ?? "").trim();
  return /[/\\]/.test(smiles) ? { molfile: molfileFromIdcode(structure.idcode) } : { smiles };
}

/** Standard InChI and InChIKey of a structure (for a parsed one, computeInchi(inchiSource(structure, input))). */
export async function computeInchi(input: { smiles?: string | null; molfile?: string | null }): Promise<InchiResult> {
  return withRDKitMol(input, inchiOf);
}

/** Standard InChI and InChIKey of a molecule RDKit has read. Throws a ChemError when there is none. */
export function inchiOf(mol: Mol, module: RDKitModule): InchiResult {
  const inchi = mol.get_inchi();
  const inchiKey = inchi === "" ? "" : module.get_inchikey_for_inchi(inchi);
  if (!inchi.startsWith("InChI=1S/") || !/^[A-Z]{14}-[A-Z]{10}-[A-Z]$/.test(inchiKey)) {
    throw new ChemError("inchi_failed", "No standard InChI could be computed for this structure.");
  }
  return { inchi, inchiKey };
}

/**
 * The SMILES to store and export for a structure: OpenChemLib's canonical isomeric SMILES, unless other tools would
 * read its double-bond geometry differently (see lib/chem/smiles.ts). Only a SMILES with bond direction marks is checked: RDKit
 * must read it to the structure's own InChI. If it does not, the same SMILES with the closing marks flipped is taken,
 * or else RDKit's SMILES of the InChI's source; either only if OpenChemLib reads it back to the same idcode, so that
 * an export imports again as the same molecules. (All 28 OSM Series 4 compounds with such marks end right.)
 */
export async function portableSmiles(
  structure: { smiles: string; idcode: string },
  source: { smiles: string } | { molfile: string },
  inchi: string,
): Promise<string> {
  if (!/[/\\]/.test(structure.smiles)) return structure.smiles;
  const toolkit = await getRDKit();
  const inchiOf = (text: string): string | null => {
    const mol = toolkit.get_mol(text);
    try {
      return mol !== null && mol.is_valid() ? mol.get_inchi() : null;
    } finally {
      mol?.delete();
    }
  };
  if (inchiOf(structure.smiles) === inchi) return structure.smiles;
  const readsBack = (smiles: string): boolean => {
    try {
      return parseStructure({ smiles }, { molfile: "given" }).idcode === structure.idcode;
    } catch {
      return false;
    }
  };
  const flipped = flipClosingBondDirections(structure.smiles);
  if (inchiOf(flipped) === inchi && readsBack(flipped)) return flipped;
  const theirs = await withRDKitMol(source, (mol) => mol.get_smiles());
  if (inchiOf(theirs) === inchi && readsBack(theirs)) return theirs;
  return structure.smiles;
}
