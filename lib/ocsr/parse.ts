/**
 * OSRA's answer read into plain data. We always call it with `-f smi -p -e -c` (osra.ts), which prints one line per
 * structure: `SMILES confidence page left x top - right x bottom`, e.g.
 * `C1(=O)N/C(=N/c2ccccc2)/S/C/1=C\C 4.1869 1 24x70-474x328`. Anything else on stdout (a library's warning, a
 * truncated last line of a killed run) is skipped, not guessed at.
 */

/** A rectangle in the picture's pixels, from its top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OsraStructure {
  /** As OSRA wrote it: not yet checked by any toolkit. */
  smiles: string;
  /** OSRA's own estimate: higher is better; about 2 and up for a clean drawing, below 0 for a doubtful one. */
  confidence: number;
  /** 1-based page of a PDF or multi-page TIFF; 1 for a single picture. */
  page: number;
  box: Box;
}

export interface ParsedOsraOutput {
  structures: OsraStructure[];
  /** Lines that were not a structure (for diagnostics). */
  skipped: number;
}

// SMILES characters OSRA emits: atoms in brackets, bonds, ring closures, branches, stereo marks, `*` for what it
// could not read. A line with anything else in the first field is not one of its structure lines.
const SMILES = /^[A-Za-z0-9@+\-[\]()=#$:/\\.%*]+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const BOX = /^(\d+)x(\d+)-(\d+)x(\d+)$/;

/** At most this many structures are kept from one run: a page of a paper has a few dozen at most. */
export const MAX_STRUCTURES_PER_RUN = 200;

export function parseOsraOutput(stdout: string): ParsedOsraOutput {
  const structures: OsraStructure[] = [];
  let skipped = 0;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    const structure = parseLine(line);
    if (structure === null || structures.length >= MAX_STRUCTURES_PER_RUN) skipped++;
    else structures.push(structure);
  }
  return { structures, skipped };
}

function parseLine(line: string): OsraStructure | null {
  const fields = line.split(/\s+/);
  if (fields.length !== 4) return null;
  const [smiles, confidence, page, box] = fields as [string, string, string, string];
  if (smiles.length > 10_000 || !SMILES.test(smiles) || !/[A-Za-z]/.test(smiles)) return null;
  if (!NUMBER.test(confidence) || !/^\d{1,6}$/.test(page)) return null;
  const corners = BOX.exec(box);
  if (corners === null) return null;
  const [left, top, right, bottom] = corners.slice(1).map(Number) as [number, number, number, number];
  if (right < left || bottom < top || Number(page) < 1) return null;
  return {
    smiles,
    confidence: Number(confidence),
    page: Number(page),
    box: { x: left, y: top, width: right - left, height: bottom - top },
  };
}
