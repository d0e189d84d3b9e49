import { Molecule, SmilesParser } from "openchemlib";

import { queryScreen } from "./fingerprint";
import { compileQuery, type CompiledQuery } from "./match";
import { searchRecord } from "./record";

export type SearchMode = "exact" | "substructure" | "similarity";

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryError";
  }
}

export const MAX_QUERY_LENGTH = 2000;

export interface SubstructureQuery {
  fragment: Molecule;
  /** Null when the query needs OpenChemLib's own matcher (stereo, isotopes, ring sizes). */
  compiled: CompiledQuery | null;
  screen: Uint32Array;
}

/**
 * SMARTS primitives OpenChemLib 9.25's parser reads wrongly or silently drops (checked one by one): recursive SMARTS
 * `$(...)` turns into plain atoms, `X`/`x` become other features, `r<n>` ring sizes and `a`/`A` inside a bracket
 * beside an element are ignored. A query that would quietly mean something else is refused with the reason instead.
 */
function refuseUnsupported(text: string): void {
  if (text.includes("$(")) throw new QueryError("Recursive SMARTS ($(...)) is not supported; write the group out.");
  for (const bracket of text.match(/\[[^\]]*\]/g) ?? []) {
    const body = bracket.slice(1, -1);
    const withoutElements = body.replace(/Cl|Br|Na|Si|Se|As|Al|Li|Mg|Ca|Cu|Zn|Fe|Co|Ni|Mn|Pt|Pd|Sn|Hg|Au|Ag|Ge|Ga|Sb|Te|Ti|Cr|Ba|Sr|Rb|Cs|Bi|Tl|Pb|Ru|Rh|Os|Ir|Mo|Zr|Cd|In|Gd|Hf|Ta|Re|La|Ce|Nd|Sm|Eu|Er|Yb|Lu|Be|Sc|Ho|Tb|Dy|Pr|Pm|Tm|Ac|Th|Pa|Np|Pu|Am|Cm|Po|At|Rn|Fr|Ra|Kr|Xe|Ne|Ar|He|se|as/g, "");
    if (/[Xx]/.test(withoutElements)) throw new QueryError(`${bracket}: the SMARTS connectivity primitives X and x are not supported.`);
    if (/r\d*/.test(withoutElements)) throw new QueryError(`${bracket}: ring-size primitives (r5, r6) are not supported; use ring atoms (R) or write the ring.`);
    if (/(^|[;&,!])[aA]($|[;&,])/.test(withoutElements) && /#\d|^\*|[;&,!]\*/.test(withoutElements)) {
      throw new QueryError(`${bracket}: a or A beside an atomic number is not supported; write the element aromatic (c, n, o, s) or aliphatic (C, N, O, S).`);
    }
    if (/^[aA]$/.test(withoutElements) || /^[!]?[aA]$/.test(withoutElements)) {
      throw new QueryError(`${bracket}: a bare a/A atom is not supported; give the element (c, n, o, s or C, N, O, S).`);
    }
  }
}

/**
 * In SMARTS (and so in RDKit's get_qmol) an upper-case element symbol is an aliphatic atom and a lower-case one an
 * aromatic atom: `C(=O)N` is not met by the ring carbon of a pyridone or the ring nitrogen of an N-sulfonyl indole.
 * OpenChemLib 9.25's SMARTS parser reads `C` as any carbon, so the constraint is added here, atom by atom (its atoms
 * are numbered in the order the SMARTS writes them). Atoms given by number (#6), wildcards and lists mixing both
 * forms (`[C,c]`) are left as written.
 */
const ORGANIC = /^(Cl|Br|B|C|N|O|P|S|F|I|b|c|n|o|p|s|se|as|\*)/;
const ELEMENT = /^([A-Z][a-z]?|[a-z]{1,2})/;

export function symbolAromaticity(smarts: string): ("aromatic" | "aliphatic" | null)[] {
  const out: ("aromatic" | "aliphatic" | null)[] = [];
  let i = 0;
  while (i < smarts.length) {
    const ch = smarts[i]!;
    if (ch === "[") {
      const end = smarts.indexOf("]", i);
      const body = smarts.slice(i + 1, end === -1 ? smarts.length : end);
      i = end === -1 ? smarts.length : end + 1;
      const bare = body.replace(/^\d+/, ""); // isotope
      if (/[,]/.test(bare) || bare.startsWith("#") || bare.startsWith("*") || bare.startsWith("!")) {
        out.push(null);
        continue;
      }
      const symbol = ELEMENT.exec(bare)?.[1] ?? "";
      // "H" alone is hydrogen, not a property; "Cl" etc. are elements with no aromatic form here.
      if (symbol === "" || symbol === "H") out.push(null);
      else out.push(symbol[0] === symbol[0]!.toLowerCase() ? "aromatic" : "aliphatic");
      continue;
    }
    const organic = ORGANIC.exec(smarts.slice(i));
    if (organic) {
      const symbol = organic[1]!;
      i += symbol.length;
      out.push(symbol === "*" ? null : symbol[0] === symbol[0]!.toLowerCase() ? "aromatic" : "aliphatic");
      continue;
    }
    if (ch === "%") i += 3;
    else i++;
  }
  return out;
}

function applyAromaticity(smarts: string, fragment: Molecule): void {
  const kinds = symbolAromaticity(smarts);
  // Only when the atoms line up one to one with OpenChemLib's (no implicit atoms added or removed).
  if (kinds.length !== fragment.getAllAtoms()) return;
  kinds.forEach((kind, atom) => {
    if (kind === "aliphatic" && !fragment.isAromaticAtom(atom)) fragment.setAtomQueryFeature(atom, Molecule.cAtomQFNotAromatic, true);
    if (kind === "aromatic") fragment.setAtomQueryFeature(atom, Molecule.cAtomQFAromatic, true);
  });
  // A bond SMARTS leaves unwritten is "single or aromatic" (`*c1ccccc1` finds a ring fused at the starred atom);
  // OpenChemLib reads it as single. Widened where it can matter, i.e. unless both atoms are aliphatic. Only when the
  // query writes no single bond `-` itself (outside brackets, where - is a charge), since the parsed fragment does not
  // tell a written single bond from an unwritten one.
  if (/-/.test(smarts.replace(/\[[^\]]*\]/g, ""))) return;
  fragment.ensureHelperArrays(Molecule.cHelperRings);
  for (let bond = 0; bond < fragment.getBonds(); bond++) {
    if (fragment.getBondOrder(bond) !== 1 || fragment.isDelocalizedBond(bond) || fragment.getBondQueryFeatures(bond) !== 0) continue;
    const ends = [fragment.getBondAtom(0, bond), fragment.getBondAtom(1, bond)];
    if (ends.every((a) => kinds[a] === "aliphatic")) continue;
    fragment.setBondQueryFeature(bond, Molecule.cBondQFSingle | Molecule.cBondQFDelocalized, true);
  }
}

function checkText(text: string): string {
  const q = text.trim();
  if (q === "") throw new QueryError("Enter a structure: a SMILES or SMARTS.");
  if (q.length > MAX_QUERY_LENGTH) throw new QueryError(`The query is longer than ${MAX_QUERY_LENGTH} characters.`);
  if (/\s/.test(q)) throw new QueryError("The query contains a space; give a single SMILES or SMARTS.");
  return q;
}

function parseFailure(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw.replace(/^.*SmilesParser:\s*/, "").replace(/^Class\$\S+:\s*/, "").trim() || "unreadable";
}

/** A substructure query: SMILES or SMARTS read in SMARTS mode, as RDKit's get_qmol reads it. */
export function parseSubstructureQuery(text: string): SubstructureQuery {
  const q = checkText(text);
  refuseUnsupported(q);
  let fragment: Molecule;
  try {
    fragment = new SmilesParser({ smartsMode: "smarts" }).parseMolecule(q, { noCoordinates: true });
  } catch (error) {
    throw new QueryError(`This SMILES/SMARTS could not be read: ${parseFailure(error)}.`);
  }
  if (fragment.getAtoms() === 0) throw new QueryError("The query contains no atoms.");
  fragment.setFragment(true);
  applyAromaticity(q, fragment);
  return { fragment, compiled: compileQuery(fragment), screen: queryScreen(fragment) };
}

/**
 * A whole molecule (exact and similarity searches), standardized as the registry standardizes what it stores
 * (explicit H removed, ambiguous groups such as nitro in one form), then canonicalized.
 */
export function parseMoleculeQuery(text: string): { idcode: string; record: () => Uint8Array } {
  const q = checkText(text);
  let mol: Molecule;
  try {
    mol = Molecule.fromSmiles(q, { noCoordinates: true });
  } catch (error) {
    throw new QueryError(`This SMILES could not be read: ${parseFailure(error)}.`);
  }
  if (mol.getAllAtoms() === 0) throw new QueryError("The query contains no atoms.");
  if (mol.isFragment()) throw new QueryError("Exact and similarity searches take a whole molecule, not a SMARTS.");
  mol.removeExplicitHydrogens();
  mol.normalizeAmbiguousBonds();
  const idcode = mol.getIDCode();
  return { idcode, record: () => searchRecord(Molecule.fromIDCode(idcode, false)) };
}
