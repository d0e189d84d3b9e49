import { ChemError } from "./errors";

/** Input caps, checked before any parsing so that a huge paste or upload never reaches a toolkit. */
export const STRUCTURE_LIMITS = {
  smilesChars: 2_000,
  molfileBytes: 200_000,
  /** Atoms and bonds a molfile may declare: a toolkit allocates for the declared counts before reading a line. */
  molfileAtoms: 1_000,
  molfileBonds: 2_000,
  /** Nesting of branches in a SMILES/SMARTS. */
  branchDepth: 64,
} as const;

export const SHEET_LIMITS = {
  /** Characters of CSV/TSV/SDF text. */
  maxChars: 20_000_000,
  /** Data rows of a sheet, or records of an SDF. */
  maxRows: 50_000,
} as const;

/**
 * Throws `too_large` when a SMILES or molfile is over its cap. Free of any toolkit, so safe.ts can refuse oversize
 * input before copying it to a worker.
 */
export function assertStructureSize(field: "smiles" | "molfile", text: string): void {
  if (field === "smiles") {
    if (text.length > STRUCTURE_LIMITS.smilesChars) {
      throw new ChemError(
        "too_large",
        `The SMILES is ${text.length.toLocaleString("en")} characters long; the limit is ` +
          `${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")}.`,
        { field },
      );
    }
    assertBranchDepth(text, "smiles");
    return;
  }
  const limit = STRUCTURE_LIMITS.molfileBytes;
  // Every UTF-16 unit is at least one UTF-8 byte, so the cheap length test rejects huge input before encoding it.
  const bytes = text.length > limit ? text.length : new TextEncoder().encode(text).length;
  if (bytes > limit) {
    const kilobytes = Math.round(limit / 1000);
    throw new ChemError("too_large", `The molfile is larger than ${kilobytes} kB; paste a single structure.`, { field });
  }
  assertMolfileCounts(text);
}

/** Refuses a SMILES/SMARTS whose branches nest deeper than the limit, or whose parentheses do not pair up. */
export function assertBranchDepth(text: string, field: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 /* ( */ && ++depth > STRUCTURE_LIMITS.branchDepth) {
      throw new ChemError("too_large", `Branches are nested more than ${STRUCTURE_LIMITS.branchDepth} deep.`, { field });
    }
    if (c === 41 /* ) */ && --depth < 0) {
      throw new ChemError("invalid_structure", `A ")" at position ${i + 1} closes no branch.`, { field });
    }
  }
}

const V3000_COUNTS = /^M {2}V30 COUNTS\s+(\S+)\s+(\S+)/m;
const V3000_VALENCE = /\bVAL=(-?\d+)/g;

/**
 * The counts a molfile declares, and its atoms' valence fields, checked on the text: within what the format allows
 * (V2000 valence 0-15, V3000 VAL -1 to 14) and under the caps. A V3000 molfile declaring 99,999,999 atoms once ran a
 * toolkit out of memory.
 */
function assertMolfileCounts(text: string): void {
  const field = "molfile";
  const lines = text.split(/\r\n?|\n/, 4 + STRUCTURE_LIMITS.molfileAtoms);
  const countsLine = lines[3] ?? "";
  let atoms = 0;
  let bonds = 0;
  const v3000 = V3000_COUNTS.exec(text);
  if (/V3000/i.test(countsLine) || v3000) {
    if (v3000) [atoms, bonds] = [Number(v3000[1]), Number(v3000[2])];
    for (const valence of text.matchAll(V3000_VALENCE)) {
      if (Number(valence[1]) < -1 || Number(valence[1]) > 14) {
        throw new ChemError("invalid_structure", `The molfile gives an atom the valence ${valence[1]}; VAL must be -1 to 14.`, { field });
      }
    }
  } else {
    atoms = Number(countsLine.slice(0, 3).trim() || 0);
    bonds = Number(countsLine.slice(3, 6).trim() || 0);
    for (let i = 0; i < Math.min(atoms, STRUCTURE_LIMITS.molfileAtoms); i++) {
      const line = lines[4 + i];
      if (line === undefined) break;
      const vvv = line.slice(48, 51).trim();
      if (vvv !== "" && !(/^\d+$/.test(vvv) && Number(vvv) <= 15)) {
        throw new ChemError("invalid_structure", `Atom ${i + 1} of the molfile has the valence field "${vvv}"; it must be 0 to 15.`, { field });
      }
    }
  }
  for (const [what, n] of [["atoms", atoms], ["bonds", bonds]] as const) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ChemError("invalid_structure", `The molfile's counts line does not give a number of ${what}.`, { field });
    }
  }
  if (atoms > STRUCTURE_LIMITS.molfileAtoms) {
    throw new ChemError("too_large", `The molfile declares ${atoms.toLocaleString("en")} atoms; the limit is ${STRUCTURE_LIMITS.molfileAtoms.toLocaleString("en")}.`, { field });
  }
  if (bonds > STRUCTURE_LIMITS.molfileBonds) {
    throw new ChemError("too_large", `The molfile declares ${bonds.toLocaleString("en")} bonds; the limit is ${STRUCTURE_LIMITS.molfileBonds.toLocaleString("en")}.`, { field });
  }
}
