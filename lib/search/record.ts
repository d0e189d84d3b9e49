import { Molecule } from "openchemlib";

import { FP_WORDS, moleculeScreen } from "./fingerprint";
import { encodedLength, encodeMolecule, isTooLarge, viewGraph } from "./graph";

/**
 * What the index keeps (and the database stores, molecules.search_record) per molecule:
 * [screen fingerprint, 64 bytes][layout mark, 1 byte][0][n, uint16 LE][the n set bits of the Morgan similarity
 * fingerprint, uint16 LE each, ascending (morgan.ts)][compact graph, graph.ts].
 * The screen and the graph come from the canonical idcode, so atom numbers in matches are those of a depiction
 * drawn from the idcode; the Morgan bits from RDKit's reading of the molecule's SMILES (computed in the sandbox).
 */
export const FP_BYTES = FP_WORDS * 4;
/** Marks this layout; a record in an earlier one (whose similarity fingerprint was our own) is computed again. */
const LAYOUT = 0xa2;
const HEADER = FP_BYTES + 4;

export function searchRecordFromIdcode(idcode: string, morgan: Uint16Array): Uint8Array {
  return searchRecord(Molecule.fromIDCode(idcode, false), morgan);
}

/** `mol` must be in canonical idcode atom order; `morgan` is the sorted set bits of its Morgan fingerprint. */
export function searchRecord(mol: Molecule, morgan: Uint16Array): Uint8Array {
  const graph = encodeMolecule(mol);
  const graphAt = HEADER + morgan.length * 2;
  const out = new Uint8Array(graphAt + graph.length);
  // Too large for the compact graph: a full screen (always a candidate, verified by OpenChemLib).
  if (isTooLarge(graph)) out.fill(0xff, 0, FP_BYTES);
  else out.set(new Uint8Array(moleculeScreen(viewGraph(graph)).buffer), 0);
  const view = new DataView(out.buffer);
  out[FP_BYTES] = LAYOUT;
  view.setUint16(FP_BYTES + 2, morgan.length, true);
  morgan.forEach((bit, i) => view.setUint16(HEADER + i * 2, bit, true));
  out.set(graph, graphAt);
  return out;
}

export interface RecordParts {
  screen: Uint32Array;
  morgan: Uint16Array;
  graph: Uint8Array;
}

/** The parts of a record in this layout, or null for a record that is not one (missing, older layout, cut short). */
export function recordParts(record: Uint8Array | null | undefined): RecordParts | null {
  if (!record || record.length < HEADER + 1 || record[FP_BYTES] !== LAYOUT) return null;
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const n = view.getUint16(FP_BYTES + 2, true);
  const graphAt = HEADER + n * 2;
  if (record.length < graphAt + 1 || record.length !== graphAt + encodedLength(record, graphAt)) return null;
  const morgan = new Uint16Array(n);
  for (let i = 0; i < n; i++) morgan[i] = view.getUint16(HEADER + i * 2, true);
  return {
    screen: new Uint32Array(record.buffer.slice(record.byteOffset, record.byteOffset + FP_BYTES)),
    morgan,
    graph: record.subarray(graphAt),
  };
}
