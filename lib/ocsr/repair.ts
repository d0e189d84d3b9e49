import { Molecule } from "openchemlib";

// Relative imports only: the sandbox worker loads this file outside the bundler.

/**
 * OSRA writes `*` for an atom label it could not read. In drawings of concrete molecules most such labels are not
 * atoms of their own: a stereo caption ("abs", "R", "?") printed over a stereocentre, the crossing of an
 * either-double bond, a label touching a vertex, a caption beside a bond's end. So a `*` between two or more atoms
 * is read as carbon, and a `*` at an end (one neighbour) is left out. The result is a guess and says so (how many
 * labels were taken as carbon, how many left out), for the chemist to check against the picture: an R group drawn
 * on purpose is one of the ends left out. Run on OpenChemLib's reading of OSRA's SMILES in the chemistry sandbox
 * (OSRA's output is untrusted). `npm run bench:ocsr` measures the vote with the guesses.
 */
export interface Guess {
  smiles: string;
  /** Unreadable labels between atoms, read as carbon. */
  asCarbon: number;
  /** Unreadable labels at an end of the structure, left out. */
  leftOut: number;
}

/** An element no drawing of a registered molecule has, standing for OSRA's `*` while the structure is read. */
const PLACEHOLDER = { symbol: "Og", atomicNo: 118 } as const;

/** The structure with its unreadable labels guessed; null when it has none, or cannot be read even so. */
export function guessUnreadableLabels(smiles: string): Guess | null {
  if (!smiles.includes("*") || smiles.includes(PLACEHOLDER.symbol)) return null;
  let mol: Molecule;
  try {
    mol = Molecule.fromSmiles(smiles.replace(/\[\*\]|\*/g, `[${PLACEHOLDER.symbol}]`), { noCoordinates: true });
  } catch {
    return null;
  }
  mol.ensureHelperArrays(Molecule.cHelperNeighbours);
  let asCarbon = 0;
  const ends: number[] = [];
  for (let atom = 0; atom < mol.getAllAtoms(); atom++) {
    if (mol.getAtomicNo(atom) !== PLACEHOLDER.atomicNo) continue;
    if (mol.getConnAtoms(atom) >= 2) {
      mol.setAtomicNo(atom, 6);
      asCarbon++;
    } else {
      ends.push(atom);
    }
  }
  if (asCarbon + ends.length === 0) return null;
  // From the last atom back, so that the indices still to delete stay valid.
  for (const atom of ends.reverse()) mol.deleteAtom(atom);
  if (mol.getAllAtoms() === 0) return null;
  return { smiles: mol.toIsomericSmiles(), asCarbon, leftOut: ends.length };
}
