import { Canonizer, Molecule, MoleculeProperties } from "openchemlib";

import { computeProperties, type PropertyValues } from "../molecules/properties";
import { ChemError, toolkitMessage } from "./errors";
import { assertStructureSize, STRUCTURE_LIMITS } from "./limits";

// Relative imports only inside lib/chem: the sandbox worker (lib/sandbox/worker.mjs) loads these files outside the bundler,
// where the `@/` alias does not exist.

export { STRUCTURE_LIMITS };

export interface StructureInput {
  smiles?: string | null;
  molfile?: string | null;
}

/**
 * Everything the registry stores about one structure; plain data, safe to JSON-serialize. Its computed properties
 * (masses, cLogP, ...) are the rows of lib/molecules/properties.ts, under their keys.
 */
export interface ParsedStructure extends PropertyValues {
  /** OpenChemLib canonical idcode: stereo, charges and isotopes kept. The registry's identity key. */
  idcode: string;
  /** Same molecule with all stereo removed: groups enantiomers, diastereomers and undefined-stereo entries. */
  idcodeNoStereo: string;
  /** Largest fragment with protonation-state charges neutralized (salts, solvents and counter-ions stripped). */
  parentIdcode: string;
  /** Canonical isomeric SMILES as written by OpenChemLib. */
  smiles: string;
  /**
   * MDL molfile V2000 with 2D coordinates, or null when the structure came as a SMILES and `molfile: "given"` was
   * asked: inventing 2D coordinates is the costliest step of reading a SMILES, so the registry makes them only when a
   * molfile is wanted (molfileFromIdcode), like depictions. A molfile given as input keeps the chemist's drawing.
   */
  molfile: string | null;
  /** Hill order (C, H, then alphabetical; alphabetical without carbon), net charge appended like RDKit ("H4N+"). */
  formula: string;
}

export interface ParseOptions {
  /**
   * "always" (default): every result carries a molfile with 2D coordinates. "given": only a structure given as a
   * molfile does; a SMILES is read without coordinates and `molfile` is null (the registry's import path).
   */
  molfile?: "always" | "given";
}

export function parseStructure(input: StructureInput, options?: { molfile?: "always" }): ParsedStructure & { molfile: string };
export function parseStructure(input: StructureInput, options: ParseOptions): ParsedStructure;
export function parseStructure(input: StructureInput, options: ParseOptions = {}): ParsedStructure {
  const always = (options.molfile ?? "always") === "always";
  const mol = readMolecule(input, { coordinates: always });
  return describeMolecule(mol, { molfile: always || !isSmilesInput(input) });
}

function isSmilesInput(input: StructureInput): boolean {
  return typeof input.smiles === "string" && input.smiles.trim() !== "";
}

/**
 * Reads a SMILES or molfile into an OpenChemLib molecule, or throws a ChemError naming the field at fault.
 * `coordinates: false` skips 2D coordinates for a SMILES (stereo is read from the SMILES itself, not from them).
 */
export function readMolecule(input: StructureInput, options: { coordinates?: boolean } = {}): Molecule {
  if (typeof input !== "object" || input === null) {
    throw new ChemError("invalid_structure", "Enter a structure as a SMILES or a molfile.", { field: "smiles" });
  }
  const smiles = optionalText(input.smiles, "smiles");
  const molfile = optionalText(input.molfile, "molfile");
  const hasSmiles = smiles !== undefined && smiles.trim() !== "";
  const hasMolfile = molfile !== undefined && molfile.trim() !== "";
  if (hasSmiles && hasMolfile) {
    throw new ChemError("invalid_structure", "Give either a SMILES or a molfile, not both.", { field: "smiles" });
  }
  if (hasSmiles) return checkMolecule(readSmiles(smiles, options.coordinates ?? true), "smiles");
  if (hasMolfile) return checkMolecule(readMolfile(molfile), "molfile");
  const field = molfile !== undefined && smiles === undefined ? "molfile" : "smiles";
  throw new ChemError("invalid_structure", `The ${label(field)} is empty: enter a structure.`, { field });
}

function optionalText(value: unknown, field: "smiles" | "molfile"): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new ChemError("invalid_structure", `The ${label(field)} must be text.`, { field });
  }
  return value;
}

function label(field: "smiles" | "molfile"): string {
  return field === "smiles" ? "SMILES" : "molfile";
}

function readSmiles(raw: string, coordinates: boolean): Molecule {
  assertStructureSize("smiles", raw);
  const smiles = raw.trim();
  // OpenChemLib (like RDKit) silently ignores everything after the first space, which would register "CCO CCN" as
  // ethanol. Refuse instead of guessing.
  if (/\s/.test(smiles)) {
    throw new ChemError(
      "invalid_structure",
      "The SMILES contains a space or line break; paste a single SMILES without a name or a second structure.",
      { field: "smiles" },
    );
  }
  try {
    return Molecule.fromSmiles(smiles, { noCoordinates: !coordinates });
  } catch (error) {
    throw new ChemError("invalid_structure", `This SMILES could not be read: ${toolkitMessage(error)}.`, {
      field: "smiles",
      cause: error,
    });
  }
}

function readMolfile(raw: string): Molecule {
  assertStructureSize("molfile", raw);
  const molfile = raw.replace(/\r\n?/g, "\n");
  if (!molfile.trim().includes("\n")) {
    throw new ChemError(
      "invalid_structure",
      "This is not a molfile: a molfile has a header, a counts line and an atom block on separate lines. " +
        "Is it a SMILES?",
      { field: "molfile" },
    );
  }
  try {
    return Molecule.fromMolfile(molfile);
  } catch (error) {
    throw new ChemError("invalid_structure", `This molfile could not be read: ${toolkitMessage(error)}.`, {
      field: "molfile",
      cause: error,
    });
  }
}

/** The largest charge on one atom that chemistry knows (OsO4's osmium as a formal +8). */
const MAX_ATOM_CHARGE = 8;

function checkMolecule(mol: Molecule, field: "smiles" | "molfile"): Molecule {
  const what = label(field);
  if (mol.getAllAtoms() === 0) {
    throw new ChemError("invalid_structure", `The ${what} contains no atoms.`, { field });
  }
  if (mol.isFragment()) {
    throw new ChemError(
      "invalid_structure",
      `The ${what} contains query features or wildcard atoms (*, R groups); register a concrete molecule.`,
      { field },
    );
  }
  for (let atom = 0; atom < mol.getAllAtoms(); atom++) {
    const atomicNo = mol.getAtomicNo(atom);
    if (atomicNo < 1 || atomicNo > 118) {
      throw new ChemError(
        "invalid_structure",
        `The ${what} contains an atom that is not an element (${mol.getAtomLabel(atom) || "?"}).`,
        { field },
      );
    }
    const symbol = mol.getAtomLabel(atom);
    const charge = mol.getAtomCharge(atom);
    if (Math.abs(charge) > MAX_ATOM_CHARGE) {
      throw new ChemError("invalid_structure", `Atom ${atom + 1} (${symbol}) has the charge ${charge}; at most ±${MAX_ATOM_CHARGE} is possible.`, { field });
    }
    const mass = mol.getAtomMass(atom);
    // No isotope has fewer nucleons than protons or more than about 2.6 per proton (plus a few for the lightest).
    if (mass !== 0 && (mass < atomicNo || mass > 2.6 * atomicNo + 14)) {
      throw new ChemError("invalid_structure", `Atom ${atom + 1} is given the mass number ${mass}, which no isotope of ${symbol} has.`, { field });
    }
  }
  return mol;
}

/**
 * Computes every stored property of an already-read molecule. The molecule is modified (standardized).
 * `molfile: false` leaves the molfile out (null), for a molecule read without coordinates.
 */
export function describeMolecule(mol: Molecule, options: { molfile?: boolean } = {}): ParsedStructure {
  standardize(mol);
  const { formula, ...properties } = propertiesOf(mol);

  // Each idcode is a full canonicalization (about a millisecond for a drug-sized molecule), so the two variants are
  // computed only when they can differ: without stereo features the no-stereo idcode is the idcode, and a single
  // uncharged fragment is its own charge parent. (tests/unit/chem/structure.test.ts checks both shortcuts against
  // the full computation on real molecules.)
  const idcode = mol.getIDCode();
  const described: ParsedStructure = {
    idcode,
    idcodeNoStereo: hasStereoFeatures(mol) ? noStereoIdcode(mol) : idcode,
    parentIdcode: idcode,
    smiles: mol.toIsomericSmiles(),
    molfile: options.molfile === false ? null : mol.toMolfile(),
    formula,
    ...properties,
  };
  if (!isOwnChargeParent(mol)) {
    // On a copy made from the idcode with coordinates: OpenChemLib perceives stereo anew from coordinates after any
    // edit, and a molecule read from SMILES without coordinates would lose its undefined double bonds to E or Z.
    described.parentIdcode = toChargeParent(Molecule.fromIDCode(idcode, true)).getIDCode();
  }
  return described;
}

/** The Hill formula and every computed property (lib/molecules/properties.ts) of a standardized molecule. */
export function propertiesOf(mol: Molecule): PropertyValues & { formula: string } {
  const { formula, ...counts } = composition(mol);
  const properties = computeProperties({ mol, descriptors: new MoleculeProperties(mol), formula: mol.getMolecularFormula(), composition: counts });
  return { formula, ...properties };
}

/**
 * The registry's standard form, made before canonicalization: plain explicit H become implicit (stereo drawn on them
 * is perceived first) and ambiguous functional groups such as nitro take one preferred form (OpenChemLib asks for this
 * first). The molecule is modified and returned; its getIDCode() is then the registry's idcode.
 */
export function standardize(mol: Molecule): Molecule {
  mol.removeExplicitHydrogens();
  mol.normalizeAmbiguousBonds();
  mol.ensureHelperArrays(Molecule.cHelperRings);
  return mol;
}

/**
 * The idcode with every stereo feature left out: one canonicalization that ignores stereo. OpenChemLib's own
 * CanonizerUtil NOSTEREO copies the molecule, perceives its stereo again to strip it and then canonicalizes: the same
 * idcode (on all 28,282 HIV molecules with stereo features and the OSM sheet, tests/unit/chem/structure.test.ts) for
 * three times the time.
 */
export function noStereoIdcode(mol: Molecule): string {
  return new Canonizer(mol, { neglectAnyStereoInformation: true }).getIDCode();
}

/** Any tetrahedral, axial or double-bond stereo descriptor (defined or unknown) or enhanced-stereo group. */
export function hasStereoFeatures(mol: Molecule): boolean {
  mol.ensureHelperArrays(Molecule.cHelperParities);
  for (let atom = 0; atom < mol.getAtoms(); atom++) {
    if (mol.getAtomParity(atom) !== Molecule.cAtomParityNone || mol.isAtomStereoCenter(atom)) return true;
  }
  for (let bond = 0; bond < mol.getBonds(); bond++) {
    if (mol.getBondParity(bond) !== Molecule.cBondParityNone) return true;
  }
  return false;
}

/** One fragment without charges: toChargeParent would leave the molecule unchanged. */
function isOwnChargeParent(mol: Molecule): boolean {
  for (let atom = 0; atom < mol.getAllAtoms(); atom++) if (mol.getAtomCharge(atom) !== 0) return false;
  return mol.getFragmentNumbers(new Array<number>(mol.getAllAtoms()).fill(0), false, true) === 1;
}

/** MDL molfile V2000 with 2D coordinates for a stored idcode (the coordinates depictions use, too). */
export function molfileFromIdcode(idcode: string): string {
  return Molecule.fromIDCode(idcode, true).toMolfile();
}

/**
 * Hill formula, heavy atoms and net charge. OpenChemLib's own formula string is not in Hill order and writes
 * isotopes apart ("CHOD3"); a registry and RDKit's CalcMolFormula count an isotope as its element.
 */
function composition(mol: Molecule): { formula: string; heavyAtoms: number; charge: number; massCorrection: number } {
  const counts = new Map<string, number>();
  const add = (symbol: string, n: number): void => {
    if (n > 0) counts.set(symbol, (counts.get(symbol) ?? 0) + n);
  };
  let heavyAtoms = 0;
  let charge = 0;
  let massCorrection = 0;
  for (let atom = 0; atom < mol.getAllAtoms(); atom++) {
    const atomicNo = mol.getAtomicNo(atom);
    add(atomicNo === 1 ? "H" : mol.getAtomLabel(atom), 1);
    add("H", mol.getImplicitHydrogens(atom));
    if (atomicNo > 1) heavyAtoms++;
    charge += mol.getAtomCharge(atom);
    if (mol.getAtomMass(atom) === 0) massCorrection += MONOISOTOPIC_CORRECTION[atomicNo] ?? 0;
  }
  return { formula: hillFormula(counts, charge), heavyAtoms, charge, massCorrection };
}

/**
 * Fixes to OpenChemLib 9.25's table of most-abundant-isotope masses, by atomic number. 63Cu is 62.929597 u
 * (AME2020; RDKit agrees); OpenChemLib has 62.939598, 10 mDa off, which matters against HRMS data.
 */
const MONOISOTOPIC_CORRECTION: Readonly<Record<number, number>> = { 29: 62.929597 - 62.939598 };

export function hillFormula(counts: ReadonlyMap<string, number>, charge = 0): string {
  const symbols = [...counts.keys()].sort();
  const order = counts.has("C")
    ? ["C", ...(counts.has("H") ? ["H"] : []), ...symbols.filter((s) => s !== "C" && s !== "H")]
    : symbols;
  const body = order.map((symbol) => {
    const n = counts.get(symbol) ?? 0;
    return n === 1 ? symbol : `${symbol}${n}`;
  });
  const sign = charge > 0 ? "+" : "-";
  const tail = charge === 0 ? "" : Math.abs(charge) === 1 ? sign : `${sign}${Math.abs(charge)}`;
  return body.join("") + tail;
}

/**
 * The "charge parent": largest fragment, then protonation charges undone, so that a hydrochloride, an ammonium
 * chloride and the free base share one parent (and a sodium carboxylate its free acid). Quaternary cations keep
 * their charge, balanced by an anion left charged; charges on polar bonds (nitro, N-oxide, azide) are left alone.
 * The molecule is modified and returned.
 */
export function toChargeParent(mol: Molecule): Molecule {
  mol.stripSmallFragments(true);
  mol.ensureHelperArrays(Molecule.cHelperNeighbours);
  const hasNeighbourCharged = (atom: number, sign: 1 | -1): boolean => {
    for (let i = 0; i < mol.getAllConnAtoms(atom); i++) {
      if (Math.sign(mol.getAtomCharge(mol.getConnAtom(atom, i))) === sign) return true;
    }
    return false;
  };

  let unremovablePositive = 0;
  for (let atom = 0; atom < mol.getAllAtoms(); atom++) {
    const charge = mol.getAtomCharge(atom);
    if (charge <= 0 || hasNeighbourCharged(atom, -1)) continue;
    const hydrogens = mol.getAllHydrogens(atom);
    const protonatable = [7, 8, 15, 16].includes(mol.getAtomicNo(atom)) && mol.getAtomAbnormalValence(atom) === -1;
    const removed = protonatable ? Math.min(charge, hydrogens) : 0;
    if (removed > 0) mol.setAtomCharge(atom, charge - removed);
    unremovablePositive += charge - removed;
  }
  for (let atom = 0; atom < mol.getAllAtoms(); atom++) {
    if (mol.getAtomCharge(atom) !== -1 || hasNeighbourCharged(atom, 1)) continue;
    if (![7, 8, 16].includes(mol.getAtomicNo(atom)) || mol.getAtomAbnormalValence(atom) !== -1) continue;
    if (unremovablePositive > 0) {
      unremovablePositive--;
      continue;
    }
    mol.setAtomCharge(atom, 0);
  }
  mol.ensureHelperArrays(Molecule.cHelperNeighbours);
  return mol;
}
