import { ChemError } from "./errors";
import type { RDKitModule, RDKitMol } from "./inchi";
import { assertBranchDepth, assertStructureSize } from "./limits";

// R-group decomposition for SAR tables: which substituent each molecule carries at each numbered attachment point
// of a core, by RDKit's RGroupDecomposition. Pure functions on an RDKit module; the server runs them in the
// sandboxed chemistry workers (lib/sandbox/jobs.ts, rgroups-sandbox.ts), since the core and the molecules are
// user input. Relative imports only: the workers load this file outside the bundler.

export const RGROUP_LIMITS = {
  /** Characters of a core, checked before it is parsed. */
  coreChars: 500,
  /** Atoms of a parsed core, attachment points included. */
  coreAtoms: 100,
  attachmentPoints: 4,
  /** Molecules per decomposition. */
  molecules: 5_000,
} as const;

export interface RGroupCore {
  /** The core as given, trimmed, with `[1*]`-style attachment points rewritten as `[*:1]`. */
  core: string;
  /** The attachment point numbers, 1..n. */
  labels: number[];
  /**
   * RDKit's SMARTS of the core without its attachment points, for lib/search's substructure search: every molecule
   * that decomposes, or is set apart as substituted elsewhere on the core, matches it (a prefilter).
   */
  query: string;
}

export interface RGroupRow {
  id: number;
  /** "R1", "R2"… → canonical RDKit SMILES with the attachment written `[*:n]`; hydrogen is "[H]". */
  substituents: Record<string, string>;
}

export interface RGroupDecomposition {
  labels: number[];
  /** Molecules that decompose, in input order. */
  rows: RGroupRow[];
  /** Molecules that contain the core but cannot be put in the table (or could not be read), with the reason. */
  apart: { id: number; reason: string }[];
}

export const APART_UNNUMBERED = "substituted at an unnumbered core position";
export const APART_UNREADABLE = "RDKit could not read this structure";

function invalid(message: string): ChemError {
  return new ChemError("invalid_structure", message, { field: "core" });
}

/**
 * The checks on a core's text that need no toolkit (the server runs them before sending a core to a worker):
 * length, spaces, branch depth, and attachment points numbered 1..n (at most 4), each written `[*:n]` (or `[n*]`).
 * Returns the trimmed core with `[n*]` rewritten as `[*:n]`, and its labels.
 */
export function checkCoreText(text: string): { core: string; labels: number[] } {
  const trimmed = text.trim();
  if (trimmed === "") throw invalid("The core is empty: give a SMILES or SMARTS with attachment points such as [*:1].");
  if (trimmed.length > RGROUP_LIMITS.coreChars) {
    throw new ChemError("too_large", `The core is ${trimmed.length} characters long; the limit is ${RGROUP_LIMITS.coreChars}.`, {
      field: "core",
    });
  }
  if (/\s/.test(trimmed)) throw invalid("The core contains a space: give a single SMILES or SMARTS.");
  assertBranchDepth(trimmed, "core");
  // RDKit's RGD reads isotope labels too, but one spelling keeps the labels (and the substituents' `[*:n]`) simple.
  const core = trimmed.replace(/\[(\d+)\*\]/g, "[*:$1]");
  const labels = [...core.matchAll(/\[\*:(\d+)\]/g)].map((m) => Number(m[1]));
  const rest = core.replace(/\[\*:\d+\]/g, "");
  if (rest.includes("*")) {
    throw invalid("Every attachment point needs a number: write [*:1], [*:2], … instead of * or [*].");
  }
  // RDKit's RGD would take a numbered heavy atom for an attachment point as well.
  if (/:\d+\]/.test(rest)) throw invalid("Only attachment points may carry a number: write them [*:1], [*:2], ….");
  if (labels.length === 0) {
    throw invalid("The core has no attachment point: mark where substituents go with [*:1], [*:2], ….");
  }
  const sorted = [...labels].sort((a, b) => a - b);
  const twice = sorted.find((label, i) => sorted[i + 1] === label);
  if (twice !== undefined) throw invalid(`The attachment point [*:${twice}] appears twice; each number marks one position.`);
  if (sorted.length > RGROUP_LIMITS.attachmentPoints) {
    throw invalid(`The core has ${sorted.length} attachment points; at most ${RGROUP_LIMITS.attachmentPoints} are supported.`);
  }
  if (sorted.some((label, i) => label !== i + 1)) {
    throw invalid(
      `Attachment points must be numbered 1 to ${sorted.length} without gaps; this core has ${sorted.map((l) => `[*:${l}]`).join(", ")}.`,
    );
  }
  return { core, labels: sorted };
}

/** The core read by RDKit (the caller deletes `mol`), with its labels and prefilter query. */
function openCore(rdkit: RDKitModule, text: string): RGroupCore & { mol: RDKitMol } {
  const { core, labels } = checkCoreText(text);
  // As SMILES first (a molecule fragment, RDKit's usual core); a core only SMARTS can say ([c,n]) as a query.
  let mol = rdkit.get_mol(core);
  if (mol === null || !mol.is_valid()) {
    mol?.delete();
    mol = rdkit.get_qmol(core);
  }
  if (mol === null || !mol.is_valid()) {
    mol?.delete();
    throw invalid("RDKit could not read this core as SMILES or SMARTS.");
  }
  try {
    const atoms = mol.get_num_atoms();
    if (atoms > RGROUP_LIMITS.coreAtoms) {
      throw new ChemError("too_large", `The core has ${atoms} atoms; the limit is ${RGROUP_LIMITS.coreAtoms}.`, { field: "core" });
    }
    return { core, labels, query: queryOf(rdkit, mol, labels, atoms), mol };
  } catch (error) {
    mol.delete();
    throw error;
  }
}

/**
 * The core without its attachment points: each is zipped to a hydrogen, which RDKit then removes. molzip also
 * checks the attachment points' shape: it fails on one bonded to nothing, to two atoms, or by a double bond.
 */
function queryOf(rdkit: RDKitModule, mol: RDKitMol, labels: number[], atoms: number): string {
  const hydrogens = rdkit.get_mol(labels.map((label) => `[H][*:${label}]`).join("."));
  let zipped: RDKitMol | null = null;
  try {
    try {
      if (hydrogens !== null) zipped = rdkit.molzip(mol, hydrogens);
    } catch {
      // RDKit throws a bare WebAssembly exception; the message below says what is wrong.
    }
    if (zipped === null || !zipped.is_valid()) {
      throw invalid("Each attachment point must be bonded to exactly one core atom, by a single bond.");
    }
    zipped.remove_hs_in_place();
    const left = zipped.get_num_atoms();
    if (left === 0) throw invalid("The core has no atoms besides its attachment points.");
    if (left !== atoms - labels.length) {
      throw invalid("Each attachment point must be bonded to exactly one core atom, by a single bond.");
    }
    return zipped.get_smarts();
  } finally {
    zipped?.delete();
    hydrogens?.delete();
  }
}

/** Validates a core for an R-group table. Throws a ChemError (`invalid_structure`, or `too_large` over a cap). */
export function readCore(rdkit: RDKitModule, core: string): RGroupCore {
  const { mol, ...read } = openCore(rdkit, core);
  mol.delete();
  return read;
}

/**
 * Decomposes molecules on a core: each molecule that contains the core with substituents only at its numbered
 * attachment points gets a row; one that contains the core but is also substituted elsewhere on it, or whose
 * substituents at two attachment points are joined (a ring through the core), is set apart with the reason, as is
 * one RDKit cannot read. Molecules without the core are in neither list.
 *
 * RDKit matches the core over the whole set at once (`onlyMatchAtRGroups`: no R-groups invented at unnumbered
 * positions). Fragments without the core (a counterion) are dropped from the substituents by RDKit.
 */
export function decomposeRGroups(
  rdkit: RDKitModule,
  core: string,
  molecules: readonly { id: number; smiles: string }[],
): RGroupDecomposition {
  if (molecules.length > RGROUP_LIMITS.molecules) {
    throw new ChemError(
      "too_large",
      `An R-group table takes at most ${RGROUP_LIMITS.molecules.toLocaleString("en")} molecules; ${molecules.length.toLocaleString("en")} were given.`,
    );
  }
  const { mol: coreMol, labels, query } = openCore(rdkit, core);
  // Positions in `molecules`, so that the molecules set apart keep the input order too.
  const apart: { at: number; id: number; reason: string }[] = [];
  const rows: RGroupRow[] = [];
  const queryMol = rdkit.get_qmol(query);
  const rgd = rdkit.get_rgd(coreMol, JSON.stringify({ onlyMatchAtRGroups: true }));
  try {
    if (queryMol === null || rgd === null) throw new ChemError("worker_failed", "RDKit could not set up the R-group decomposition.");
    // rgd.add answers with the molecule's row index, or -1 when the core does not match as allowed.
    const added: number[] = [];
    molecules.forEach(({ id, smiles }, at) => {
      const mol = readable(smiles) ? rdkit.get_mol(smiles) : null;
      try {
        if (mol === null || !mol.is_valid()) {
          apart.push({ at, id, reason: APART_UNREADABLE });
        } else if (addTo(rgd, mol) >= 0) {
          added.push(at);
        } else if (mol.get_substruct_match(queryMol) !== "{}") {
          // The bare core is there, so what stopped RDKit is a substituent where the core has no number (or a
          // second one on a numbered atom, which has room for one).
          apart.push({ at, id, reason: APART_UNNUMBERED });
        }
      } finally {
        mol?.delete();
      }
    });
    if (added.length > 0) {
      rgd.process();
      const answers = rgd.get_rgroups_as_rows() as Record<string, RDKitMol>[];
      if (answers.length !== added.length) {
        answers.forEach(deleteAll);
        throw new ChemError("worker_failed", "RDKit's R-group decomposition lost track of some molecules.");
      }
      answers.forEach((answer, i) => {
        const at = added[i]!;
        const { id } = molecules[at]!;
        const row = rowOf(answer, labels);
        deleteAll(answer);
        if (typeof row === "string") apart.push({ at, id, reason: row });
        else rows.push({ id, substituents: row });
      });
    }
    apart.sort((a, b) => a.at - b.at);
    return { labels, rows, apart: apart.map(({ id, reason }) => ({ id, reason })) };
  } finally {
    rgd?.delete();
    queryMol?.delete();
    coreMol.delete();
  }
}

/** rgd.add, with RDKit's bare WebAssembly exception on a structure it cannot handle taken as no match. */
function addTo(rgd: { add(mol: RDKitMol): number }, mol: RDKitMol): number {
  try {
    return rgd.add(mol);
  } catch {
    return -1;
  }
}

function readable(smiles: string): boolean {
  try {
    assertStructureSize("smiles", smiles);
    return smiles.trim() !== "";
  } catch {
    return false;
  }
}

function deleteAll(answer: Record<string, RDKitMol>): void {
  for (const mol of Object.values(answer)) mol.delete();
}

/** One RDKit row as substituents per label, or why the molecule is set apart. */
function rowOf(answer: Record<string, RDKitMol>, labels: number[]): Record<string, string> | string {
  const substituents: Record<string, string> = {};
  for (const key of Object.keys(answer)) {
    if (key !== "Core" && !labels.includes(Number(key.slice(1)))) return APART_UNNUMBERED;
  }
  for (const label of labels) {
    const key = `R${label}`;
    // RDKit leaves out a label that is hydrogen in every molecule of the set.
    const smiles = answer[key]?.get_smiles() ?? "[H]";
    const points = [...smiles.matchAll(/\[\*:(\d+)\]/g)].map((m) => Number(m[1]));
    if (points.length > 1) {
      // RDKit puts the same joined substituent under each label; no column holds it alone.
      return `R${points[0]} and R${points[1]} are joined in one substituent (a ring through the core)`;
    }
    substituents[key] = smiles === `[H][*:${label}]` ? "[H]" : smiles;
  }
  return substituents;
}

/** Heavy atoms of a substituent drawn in a SAR table cell (a substituent is a part of a molecule, not a polymer). */
export const SUBSTITUENT_MAX_ATOMS = 150;

/**
 * The drawing of a substituent as an SAR table shows it: RDKit's SVG with each attachment point (`[*:n]`) drawn as
 * the wavy bond medicinal chemists use. OpenChemLib's registry reading refuses attachment points (they are not a
 * molecule), so substituents are drawn here, in the worker, from the SMILES the decomposition wrote.
 */
export function drawSubstituent(rdkit: RDKitModule, smiles: string, size: { width: number; height: number }): string {
  assertStructureSize("smiles", smiles);
  const mol = rdkit.get_mol(smiles.trim());
  try {
    if (!mol || !mol.is_valid()) throw new ChemError("invalid_structure", "RDKit could not read this substituent SMILES.", { field: "s" });
    if (mol.get_num_atoms() > SUBSTITUENT_MAX_ATOMS) {
      throw new ChemError("too_large", `A substituent of more than ${SUBSTITUENT_MAX_ATOMS} atoms is not drawn.`, { field: "s" });
    }
    return mol.get_svg_with_highlights(
      JSON.stringify({ width: size.width, height: size.height, dummiesAreAttachments: true, clearBackground: false }),
    );
  } finally {
    mol?.delete();
  }
}
