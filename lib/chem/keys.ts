import type { RDKitModule, RDKitMol } from "./inchi";

// Relative imports only inside lib/chem: the sandbox worker (lib/sandbox/worker.mjs) loads these files outside the
// bundler, where the `@/` alias does not exist.

/**
 * The registry's keys for a structure, from RDKit's reading of it (issue 12's one model): its canonical isomeric
 * SMILES, the same with every stereo mark left out, and the canonical SMILES of its charge parent. Two structures are
 * the same under the duplicate check's three comparisons (exact, without stereo, parent) when these are equal. On the
 * MoleculeNet HIV set and the OSM Series 4 compounds they group the structures exactly as OpenChemLib's idcodes do
 * (tests/unit/chem/keys.test.ts).
 */
export interface RegistryKeys {
  key: string;
  keyNoStereo: string;
  parentKey: string;
}

/** RDKit's canonical SMILES are not guaranteed across its releases: the keys are made again when this changes. */
export function keysVersion(rdkit: RDKitModule): string {
  return `rdkit-${rdkit.version()}`;
}

const NON_ISOMERIC = JSON.stringify({ doIsomericSmiles: false });

export function registryKeys(mol: RDKitMol, rdkit: RDKitModule): RegistryKeys {
  const key = mol.get_smiles();
  // RDKit's non-isomeric SMILES leaves out isotopes as well as stereo: only an isotope-labelled structure is read again.
  const keyNoStereo = !/[@/\\]/.test(key) ? key : /\[\d/.test(key) ? withoutStereo(key, rdkit) : mol.get_smiles(NON_ISOMERIC);
  return { key, keyNoStereo, parentKey: chargeParent(key, rdkit) };
}

/** A tetrahedral, allene-like, square-planar, trigonal-bipyramidal or octahedral mark inside a bracket atom. */
const CHIRAL_MARK = /@(?:@|TH[12]|AL[12]|SP[123]|TB\d{1,2}|OH\d{1,2})?/g;

/** The canonical SMILES of the structure without stereo (isotopes kept, unlike RDKit's non-isomeric SMILES). */
export function withoutStereo(key: string, rdkit: RDKitModule): string {
  if (!/[@/\\]/.test(key)) return key;
  return canonical(key.replace(CHIRAL_MARK, "").replace(/[/\\]/g, ""), rdkit) ?? key;
}

function canonical(smiles: string, rdkit: RDKitModule): string | null {
  const mol = rdkit.get_mol(smiles);
  try {
    return mol !== null && mol.is_valid() ? mol.get_smiles() : null;
  } finally {
    mol?.delete();
  }
}

/** Atom and other tokens of a SMILES, in order: an atom is a bracket atom or one of the organic subset. */
const TOKEN = /\[[^\]]*\]|Br|Cl|[BCNOPSFIbcnops*]|%\d\d|./g;
const ORGANIC = /^(?:Br|Cl|[BCNOPSFIbcnops*])$/;
const BRACKET = /^\[(\d*)([A-Z][a-z]?|[a-z][a-z]?)((?:@[^H+\-:\]]*)?)(?:H(\d*))?((?:[+-]\d*|[+-]+)?)((?::\d+)?)\]$/;

function isAtom(token: string): boolean {
  return token.startsWith("[") || ORGANIC.test(token);
}

/**
 * The charge parent, as lib/chem/structure.ts toChargeParent makes it on OpenChemLib's molecule: the largest
 * fragment (by heavy atoms), then protonation charges undone — a positive N, O, P or S gives up its charge with a
 * hydrogen, a negative N, O or S takes one back, unless a charged neighbour makes it part of a polar bond (nitro,
 * N-oxide) or it balances a positive charge that cannot be removed (a quaternary ammonium).
 */
export function chargeParent(key: string, rdkit: RDKitModule): string {
  const fragments = key.split(".");
  const heavy = (fragment: string) =>
    (fragment.match(TOKEN) ?? []).filter((t) => isAtom(t) && !/^\[\d*H[+-]?\d*\]$/.test(t)).length;
  const most = Math.max(...fragments.map(heavy));
  const tied = fragments.filter((fragment) => heavy(fragment) === most);
  // Between fragments of as many heavy atoms, the one with more atoms in all (hydrogens counted), as RDKit's own
  // LargestFragmentChooser does: an alkaloid over its picrate counter-ion. Then the first in canonical order.
  let largest = tied[0]!;
  if (tied.length > 1) {
    const counted = tied.map((fragment) => ({ fragment, hydrogens: hydrogenCount(fragment, rdkit) }));
    largest = counted.reduce((best, next) => (next.hydrogens > best.hydrogens ? next : best)).fragment;
  }
  const parent = mayNeutralize(largest) ? neutralized(largest, rdkit) : null;
  if (parent !== null) return parent;
  return fragments.length === 1 ? key : (canonical(largest, rdkit) ?? largest);
}

function hydrogenCount(fragment: string, rdkit: RDKitModule): number {
  const mol = rdkit.get_mol(fragment);
  try {
    if (mol === null || !mol.is_valid()) return 0;
    const json = JSON.parse(mol.get_json()) as { defaults?: { atom?: { impHs?: number } }; molecules: { atoms?: { impHs?: number }[] }[] };
    const fallback = json.defaults?.atom?.impHs ?? 0;
    return (json.molecules[0]?.atoms ?? []).reduce((sum, atom) => sum + (atom.impHs ?? fallback), 0);
  } finally {
    mol?.delete();
  }
}

interface JsonAtom {
  z?: number;
  chg?: number;
}

/**
 * Whether neutralizing could change the fragment: it has a charged atom that is not one half of a written N⁺–O⁻
 * pair (nitro groups and N-oxides, the common case, where each charge neighbours the other and the rules below leave
 * both), decided on the text without reading the fragment again.
 */
function mayNeutralize(fragment: string): boolean {
  return /[+-]\d*\]/.test(fragment.replace(POLAR_PAIR, ""));
}

/** An N⁺ and an O⁻ bonded to each other, as RDKit writes them: [N+](=O)[O-], O=[N+]([O-]), [O-][n+], [n+]([O-]). */
const POLAR_PAIR = /\[([Nn])\+\](?:\(=O\))?\(?\[O-\]\)?|\[O-\]\[([Nn])\+\]/g;

/** The fragment with its protonation charges undone, canonical; null when none can be (or it cannot be read). */
function neutralized(fragment: string, rdkit: RDKitModule): string | null {
  const mol = rdkit.get_mol(fragment);
  if (mol === null || !mol.is_valid()) {
    mol?.delete();
    return null;
  }
  let json: { defaults?: { atom?: JsonAtom }; molecules: { atoms?: JsonAtom[]; bonds?: { atoms?: [number, number] }[] }[] };
  try {
    json = JSON.parse(mol.get_json()) as typeof json;
  } finally {
    mol.delete();
  }
  const atoms = (json.molecules[0]?.atoms ?? []).map((a) => ({ ...json.defaults?.atom, ...a }));
  const tokens = fragment.match(TOKEN) ?? [];
  const atomTokens = tokens.flatMap((t, i) => (isAtom(t) ? [i] : []));
  // RDKit's atoms are the SMILES's atoms in order (a canonical SMILES writes no plain [H] atom it would remove).
  if (atomTokens.length !== atoms.length) return null;
  const neighbours = atoms.map(() => [] as number[]);
  for (const bond of json.molecules[0]?.bonds ?? []) {
    const [a, b] = bond.atoms ?? [0, 0];
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  const charge = atoms.map((a) => a.chg ?? 0);
  const hydrogens: number[] = [];
  const parts = atomTokens.map((at, i) => {
    const bracket = BRACKET.exec(tokens[at]!);
    hydrogens[i] = bracket ? (bracket[4] === undefined ? 0 : bracket[4] === "" ? 1 : Number(bracket[4])) : 0;
    return bracket;
  });
  const neighbourCharged = (atom: number, sign: 1 | -1) => neighbours[atom]!.some((n) => Math.sign(charge[n]!) === sign);
  const changed = new Set<number>();
  let unremovablePositive = 0;
  atoms.forEach((atom, i) => {
    if (charge[i]! <= 0 || neighbourCharged(i, -1)) return;
    const removed = [7, 8, 15, 16].includes(atom.z ?? 6) && parts[i] ? Math.min(charge[i]!, hydrogens[i]!) : 0;
    if (removed > 0) {
      charge[i]! -= removed;
      hydrogens[i]! -= removed;
      changed.add(i);
    }
    unremovablePositive += charge[i]!;
  });
  atoms.forEach((atom, i) => {
    if (charge[i] !== -1 || neighbourCharged(i, 1) || ![7, 8, 16].includes(atom.z ?? 6) || !parts[i]) return;
    if (unremovablePositive > 0) {
      unremovablePositive--;
      return;
    }
    charge[i] = 0;
    hydrogens[i]! += 1;
    changed.add(i);
  });
  if (changed.size === 0) return null;
  for (const i of changed) {
    const [, isotope, symbol, chiral, , , atomClass] = parts[i]!;
    const h = hydrogens[i]! === 0 ? "" : hydrogens[i] === 1 ? "H" : `H${hydrogens[i]}`;
    const c = charge[i]! === 0 ? "" : `${charge[i]! > 0 ? "+" : "-"}${Math.abs(charge[i]!) === 1 ? "" : Math.abs(charge[i]!)}`;
    tokens[atomTokens[i]!] = `[${isotope}${symbol}${chiral}${h}${c}${atomClass}]`;
  }
  return canonical(tokens.join(""), rdkit);
}
