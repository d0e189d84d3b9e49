/**
 * SMILES text helpers that need no toolkit.
 *
 * OpenChemLib's isomeric SMILES writer marks a double bond's geometry on a ring-closure bond by the direction of the
 * bond as seen from the ring's opening atom, where OpenSMILES (and RDKit, and so most other tools) reads a mark at the
 * closing digit as seen from the closing atom. Such a SMILES reads back right in OpenChemLib and wrong, or as
 * conflicting and so without geometry, elsewhere (9 of the 348 OSM Series 4 compounds). Flipping the marks written at
 * closing digits gives the OpenSMILES reading; lib/chem/inchi.ts portableSmiles checks the result before using it.
 */

const BOND = /[-=#$:/\\]/;

/** The SMILES with `/` and `\` swapped where they stand right before a ring-closure digit that closes its ring. */
export function flipClosingBondDirections(smiles: string): string {
  const open = new Set<string>();
  let out = "";
  let i = 0;
  while (i < smiles.length) {
    const c = smiles[i]!;
    if (c === "[") {
      // A bracket atom: digits inside are isotopes, charges or H counts, never ring labels.
      const end = smiles.indexOf("]", i);
      const stop = end === -1 ? smiles.length : end + 1;
      out += smiles.slice(i, stop);
      i = stop;
      continue;
    }
    if (BOND.test(c)) {
      const label = ringLabelAt(smiles, i + 1);
      const closes = label !== null && open.has(label);
      out += closes && c === "/" ? "\\" : closes && c === "\\" ? "/" : c;
      i++;
      continue;
    }
    const label = ringLabelAt(smiles, i);
    if (label !== null) {
      if (open.has(label)) open.delete(label);
      else open.add(label);
      out += label;
      i += label.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The ring-closure label (`1`, `%12`) starting at `at`, or null. */
function ringLabelAt(smiles: string, at: number): string | null {
  const c = smiles[at];
  if (c !== undefined && c >= "0" && c <= "9") return c;
  if (c === "%" && /^%\d\d/.test(smiles.slice(at, at + 3))) return smiles.slice(at, at + 3);
  return null;
}
