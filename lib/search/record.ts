import { Molecule } from "openchemlib";

import { FP_WORDS, moleculeScreen, similarityFingerprint } from "./fingerprint";
import { encodeMolecule, isTooLarge, viewGraph } from "./graph";

/**
 * What the index keeps (and the database stores, molecules.search_record) per molecule:
 * [screen fingerprint, 64 bytes][similarity fingerprint, 64 bytes][compact graph, graph.ts].
 * Computed from the canonical idcode, so atom numbers in matches are those of a depiction drawn from the idcode.
 */
export const FP_BYTES = FP_WORDS * 4;
export const RECORD_VERSION_BYTES = 0;

export function searchRecordFromIdcode(idcode: string): Uint8Array {
  const mol = Molecule.fromIDCode(idcode, false);
  return searchRecord(mol);
}

/** `mol` must be in canonical idcode atom order. */
export function searchRecord(mol: Molecule): Uint8Array {
  const graph = encodeMolecule(mol);
  const out = new Uint8Array(FP_BYTES * 2 + graph.length);
  if (isTooLarge(graph)) {
    // Too large for the compact graph: a full screen (always a candidate, verified by OpenChemLib) and an empty
    // similarity fingerprint.
    out.fill(0xff, 0, FP_BYTES);
  } else {
    const view = viewGraph(graph);
    out.set(new Uint8Array(moleculeScreen(view).buffer), 0);
    out.set(new Uint8Array(similarityFingerprint(view).buffer), FP_BYTES);
  }
  out.set(graph, FP_BYTES * 2);
  return out;
}
