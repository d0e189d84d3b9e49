import type { MolecularFormula, Molecule, MoleculeProperties } from "openchemlib";

// The computed properties of a registered molecule, described once. Everything that shows, stores, sorts, filters,
// charts, exports or documents a property reads this table: the registry's columns (db/schema/registry.ts), the
// chemistry that computes them (lib/chem/structure.ts), the molecule page, the molecule table and its chart, the
// list and search sorts and filters, the CSV/SDF exports and the API's schema (lib/contract). Adding a property is a
// row here plus the migration drizzle-kit generates for its column. (On a registry that already holds molecules,
// that migration's NOT NULL column needs its values: edit it to add the column with a default, and recompute the
// values from the stored idcodes in a data repair.)
//
// Only types come from OpenChemLib: the table is read in the browser too (labels, units, formats).

/** What a property is computed from: the standardized molecule and what the chemistry already read off it. */
export interface PropertyInput {
  mol: Molecule;
  /** OpenChemLib's descriptors of the molecule. */
  descriptors: MoleculeProperties;
  /** OpenChemLib's formula and masses. */
  formula: MolecularFormula;
  /** Counted by lib/chem over every atom: heavy atoms, net charge, and the fix to OpenChemLib's isotope masses. */
  composition: { heavyAtoms: number; charge: number; massCorrection: number };
}

export interface PropertyDefinition {
  /** The one name of the quantity: in code, in the API's JSON, in sort and filter parameters. */
  key: string;
  /** Its column in the molecules table. */
  column: string;
  type: "real" | "integer";
  /** Short label for table headers, charts and sort menus ("MW"). */
  label: string;
  /** Its name as the molecule page and the exports' headers write it ("Average mass"); an import recomputes it rather than reading it. */
  name: string;
  unit: string | null;
  /** Decimals shown (and kept in the molecule table's data feed). */
  digits: number;
  description: string;
  /** Earlier spellings still accepted in URLs and API parameters (published links and scripts keep working). */
  synonyms: readonly string[];
  /** A column of the molecule table, a range filter and an axis of its chart. */
  inTable: boolean;
  /** Kept in the structure search's in-memory index: a range filter and a sort of structure search. */
  inSearch: boolean;
  compute: (input: PropertyInput) => number;
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const moleculeProperties = [
  {
    key: "averageMass",
    column: "average_mass",
    type: "real",
    label: "MW",
    name: "Average mass",
    unit: "g/mol",
    digits: 2,
    description: "molecular weight from standard atomic weights",
    synonyms: ["mw", "mass"],
    inTable: true,
    inSearch: true,
    compute: ({ formula }) => round(formula.relativeWeight, 4),
  },
  {
    key: "monoisotopicMass",
    column: "monoisotopic_mass",
    type: "real",
    label: "Mono. mass",
    name: "Monoisotopic mass",
    unit: "Da",
    digits: 4,
    description: "mass of the most abundant isotope of each atom, as HRMS measures it",
    synonyms: [],
    inTable: false,
    inSearch: false,
    compute: ({ formula, composition }) => round(formula.absoluteWeight + composition.massCorrection, 4),
  },
  {
    key: "clogp",
    column: "clogp",
    type: "real",
    label: "cLogP",
    name: "cLogP",
    unit: null,
    digits: 2,
    description: "OpenChemLib's estimate of the octanol/water partition coefficient",
    synonyms: [],
    inTable: true,
    inSearch: true,
    compute: ({ descriptors }) => round(descriptors.logP, 2),
  },
  {
    key: "tpsa",
    column: "tpsa",
    type: "real",
    label: "TPSA",
    name: "TPSA",
    unit: "Å²",
    digits: 1,
    description: "topological polar surface area",
    synonyms: [],
    inTable: true,
    inSearch: false,
    compute: ({ descriptors }) => round(descriptors.polarSurfaceArea, 2),
  },
  {
    key: "hbd",
    column: "hbd",
    type: "integer",
    label: "HBD",
    name: "HBD",
    unit: null,
    digits: 0,
    description: "hydrogen-bond donors",
    synonyms: [],
    inTable: true,
    inSearch: false,
    compute: ({ descriptors }) => descriptors.donorCount,
  },
  {
    key: "hba",
    column: "hba",
    type: "integer",
    label: "HBA",
    name: "HBA",
    unit: null,
    digits: 0,
    description: "hydrogen-bond acceptors",
    synonyms: [],
    inTable: true,
    inSearch: false,
    compute: ({ descriptors }) => descriptors.acceptorCount,
  },
  {
    key: "rotatableBonds",
    column: "rotatable_bonds",
    type: "integer",
    label: "Rot. bonds",
    name: "Rotatable bonds",
    unit: null,
    digits: 0,
    description: "rotatable bonds",
    synonyms: [],
    inTable: false,
    inSearch: false,
    compute: ({ descriptors }) => descriptors.rotatableBondCount,
  },
  {
    key: "lipinskiViolations",
    column: "lipinski_violations",
    type: "integer",
    label: "Ro5",
    name: "Lipinski violations",
    unit: null,
    digits: 0,
    description: "rule-of-five violations of 4: MW > 500, cLogP > 5, HBD > 5, HBA > 10",
    synonyms: [],
    inTable: false,
    inSearch: false,
    // From the unrounded values, as the rule is stated.
    compute: ({ formula, descriptors: d }) =>
      [formula.relativeWeight > 500, d.logP > 5, d.donorCount > 5, d.acceptorCount > 10].filter(Boolean).length,
  },
  {
    key: "heavyAtoms",
    column: "heavy_atoms",
    type: "integer",
    label: "Heavy atoms",
    name: "Heavy atoms",
    unit: null,
    digits: 0,
    description: "atoms other than hydrogen",
    synonyms: [],
    inTable: false,
    inSearch: false,
    compute: ({ composition }) => composition.heavyAtoms,
  },
  {
    key: "charge",
    column: "charge",
    type: "integer",
    label: "Charge",
    name: "Charge",
    unit: null,
    digits: 0,
    description: "sum of the formal charges",
    synonyms: [],
    inTable: false,
    inSearch: false,
    compute: ({ composition }) => composition.charge,
  },
] as const satisfies readonly PropertyDefinition[];

export type MoleculeProperty = (typeof moleculeProperties)[number];
export type PropertyKey = MoleculeProperty["key"];
/** A molecule's value of every property. */
export type PropertyValues = { [K in PropertyKey]: number };

export type TablePropertyKey = Extract<MoleculeProperty, { inTable: true }>["key"];
export type SearchPropertyKey = Extract<MoleculeProperty, { inSearch: true }>["key"];

export const propertyKeys: PropertyKey[] = moleculeProperties.map((p) => p.key);
export const tableProperties = moleculeProperties.filter((p): p is Extract<MoleculeProperty, { inTable: true }> => p.inTable);
export const searchProperties = moleculeProperties.filter((p): p is Extract<MoleculeProperty, { inSearch: true }> => p.inSearch);
export const tablePropertyKeys = tableProperties.map((p) => p.key);
export const searchPropertyKeys = searchProperties.map((p) => p.key);

const byKey = new Map<string, MoleculeProperty>(moleculeProperties.map((p) => [p.key, p]));
const bySpelling = new Map<string, MoleculeProperty>(moleculeProperties.flatMap((p) => [p.key, ...p.synonyms].map((s) => [s.toLowerCase(), p] as const)));

export function propertyOf(key: PropertyKey): MoleculeProperty {
  return byKey.get(key)!;
}

/** The property a parameter names, by its key or an earlier spelling, in any case; undefined when none. */
export function propertyNamed(spelling: string): MoleculeProperty | undefined {
  return bySpelling.get(spelling.toLowerCase());
}

/** Every property of a molecule, computed in table order. */
export function computeProperties(input: PropertyInput): PropertyValues {
  return Object.fromEntries(moleculeProperties.map((p) => [p.key, p.compute(input)])) as PropertyValues;
}

/** The properties of a row that holds them under their keys (a molecules row, a parsed structure). */
export function pickProperties(row: PropertyValues): PropertyValues {
  return Object.fromEntries(propertyKeys.map((k) => [k, row[k]])) as PropertyValues;
}

/** The properties the structure search holds, of a row that has them under their keys. */
export function pickSearchProperties<T extends { [K in SearchPropertyKey]: number }>(row: T): { [K in SearchPropertyKey]: number } {
  return Object.fromEntries(searchPropertyKeys.map((k) => [k, row[k]])) as { [K in SearchPropertyKey]: number };
}

/** A value as the pages show it: the property's decimals and unit ("151.16 g/mol", "+1" for a charge). */
export function formatProperty(property: MoleculeProperty, value: number, options: { unit?: boolean } = {}): string {
  const text = property.key === "charge" && value > 0 ? `+${value}` : value.toFixed(property.digits);
  return options.unit !== false && property.unit ? `${text} ${property.unit}` : text;
}
