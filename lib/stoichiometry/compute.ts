/**
 * The stoichiometry of one reaction: the chemist enters one amount per row (mass, volume, mmol or equivalents) and
 * everything else is computed from it, the reference row (the limiting reactant) and the coefficients, as AI4Green's
 * and Chemotion's tables compute it. Plain TypeScript: the browser's live table and the server (which stores the
 * result with the revision) call the same function, so the API, exports and feeds never recompute differently.
 *
 * Units are in the field names: mg, µL, mmol, g/mL, mol/L, g/mol, percent.
 */

export const ROLES = ["reactant", "reagent", "catalyst", "solvent", "product"] as const;
export type Role = (typeof ROLES)[number];

/** Every number a row can hold, in the order the table shows them. */
export const NUMBER_FIELDS = [
  "mw",
  "purity",
  "density",
  "concentration",
  "massMg",
  "volumeUl",
  "mmol",
  "equivalents",
  "coefficient",
  "isolatedMg",
] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

/** The most rows one reaction holds: a table, not a spreadsheet. */
export const MAX_ROWS = 50;

export interface ComponentRow {
  role: Role;
  name?: string | null;
  /** Molar mass, g/mol, as entered: for a reagent without a structure, or to override the structure's. */
  mw?: number | null;
  /** Molar mass of the row's structure (average mass), when it has one: used unless `mw` is entered. */
  structureMw?: number | null;
  /** Purity or weight %, default 100 (NaH 60 % in oil: 60). */
  purity?: number | null;
  /** g/mL, for a neat liquid measured by volume. */
  density?: number | null;
  /** mol/L, for a solution measured by volume. */
  concentration?: number | null;
  massMg?: number | null;
  volumeUl?: number | null;
  mmol?: number | null;
  equivalents?: number | null;
  /** Stoichiometric coefficient in the scheme, default 1. */
  coefficient?: number | null;
  /** The row amounts are relative to (at most one; default the first reactant). */
  reference?: boolean | null;
  /** Products: the isolated mass, mg. */
  isolatedMg?: number | null;
}

export interface ComputedRow {
  mw: number | null;
  mmol: number | null;
  massMg: number | null;
  volumeUl: number | null;
  equivalents: number | null;
  /** Which cells were entered (kept as measured) rather than computed. */
  entered: EnteredField[];
  theoreticalMmol?: number | null;
  theoreticalMg?: number | null;
  yieldPercent?: number | null;
}

export interface ReactionFigures {
  /** Products' molar masses over reactants' and reagents' (each times its coefficient), as AI4Green reports it. */
  atomEconomyPercent: number | null;
  /** Isolated product mass over the mass of reactants and reagents used. */
  massEfficiencyPercent: number | null;
  solventVolumeMl: number | null;
  /** Concentration of the reference in the solvent, mol/L. */
  referenceConcentrationM: number | null;
}

export type AmountField = "mmol" | "massMg" | "volumeUl" | "equivalents";
export type EnteredField = AmountField | "mw";

export interface RowProblem {
  /** Row index (0-based); null for the reaction as a whole. */
  row: number | null;
  field: string;
  message: string;
}

export interface ReactionResult {
  rows: ComputedRow[];
  reaction: ReactionFigures;
  /** Input a chemist must correct; the figures they affect are null. */
  problems: RowProblem[];
}

/** Which entered amount defines a row's mmol, in this order: the others entered are kept as measured. */
const DEFINING: AmountField[] = ["mmol", "massMg", "volumeUl", "equivalents"];

const positive = (value: number | null | undefined): value is number => typeof value === "number" && Number.isFinite(value) && value > 0;
const given = (value: number | null | undefined): value is number => typeof value === "number" && !Number.isNaN(value);

export function computeReaction(input: readonly ComponentRow[]): ReactionResult {
  const problems: RowProblem[] = [];
  if (input.length > MAX_ROWS) {
    problems.push({ row: null, field: "rows", message: `A reaction holds at most ${MAX_ROWS} rows; this one has ${input.length}.` });
    return {
      rows: [],
      reaction: { atomEconomyPercent: null, massEfficiencyPercent: null, solventVolumeMl: null, referenceConcentrationM: null },
      problems,
    };
  }
  checkValues(input, problems);
  const references = input.flatMap((row, i) => (row.reference ? [i] : []));
  if (references.length > 1) {
    problems.push({
      row: references[1]!,
      field: "reference",
      message: `Rows ${references.map((i) => i + 1).join(" and ")} are both marked as the reference; mark one.`,
    });
  }
  const referenceIndex = references[0] ?? input.findIndex((row) => row.role === "reactant");

  const rows: ComputedRow[] = input.map((row) => ({
    mw: positive(row.mw) ? row.mw : positive(row.structureMw) ? row.structureMw : null,
    mmol: null,
    massMg: null,
    volumeUl: null,
    equivalents: null,
    entered: [],
  }));
  const bad = new Set(problems.map((p) => p.row));
  // The reference first: equivalents elsewhere are relative to its mmol.
  const indexes = Array.from(input.keys());
  const order = referenceIndex >= 0 ? [referenceIndex, ...indexes.filter((i) => i !== referenceIndex)] : indexes;
  let referenceMmol: number | null = null;
  for (const i of order) {
    const row = input[i]!;
    if (bad.has(i) || row.role === "product" || row.role === "solvent") continue;
    const mmol = definingMmol(row, rows[i]!, i, i === referenceIndex ? null : referenceMmol, problems);
    if (i === referenceIndex) referenceMmol = mmol;
    fillAmounts(row, rows[i]!, mmol, referenceMmol);
  }
  // Solvents: their volume (or mass by density) as entered.
  let solventVolumeMl: number | null = null;
  input.forEach((row, i) => {
    if (row.role !== "solvent" || bad.has(i)) return;
    const out = rows[i]!;
    if (positive(row.volumeUl)) out.volumeUl = row.volumeUl;
    else if (positive(row.massMg) && positive(row.density)) out.volumeUl = row.massMg / row.density;
    if (positive(row.massMg)) out.massMg = row.massMg;
    else if (out.volumeUl !== null && positive(row.density)) out.massMg = out.volumeUl * row.density;
    out.entered = enteredFields(row);
    if (out.volumeUl !== null) solventVolumeMl = (solventVolumeMl ?? 0) + out.volumeUl / 1000;
  });

  // Products: the theoretical amount from the reference and the coefficients; the yield from the isolated mass.
  const referenceCoefficient = referenceIndex >= 0 ? coefficientOf(input[referenceIndex]!) : 1;
  input.forEach((row, i) => {
    if (row.role !== "product" || bad.has(i)) return;
    const out = rows[i]!;
    out.entered = enteredFields(row);
    out.theoreticalMmol = referenceMmol === null ? null : (referenceMmol / referenceCoefficient) * coefficientOf(row);
    out.theoreticalMg = out.theoreticalMmol !== null && out.mw !== null ? out.theoreticalMmol * out.mw : null;
    const isolated = positive(row.isolatedMg) ? row.isolatedMg : null;
    if (isolated !== null && out.mw === null) {
      problems.push({ row: i, field: "mw", message: `Row ${i + 1} (${label(row)}): a yield needs the product's structure or molar mass.` });
    }
    out.yieldPercent = isolated !== null && out.theoreticalMg ? (isolated / out.theoreticalMg) * 100 : null;
    out.massMg = isolated;
    out.mmol = isolated !== null && out.mw !== null ? isolated / out.mw : null;
    out.equivalents = out.mmol !== null && referenceMmol ? out.mmol / referenceMmol : null;
  });

  return { rows, reaction: reactionFigures(input, rows, solventVolumeMl, referenceMmol), problems };
}

function checkValues(input: readonly ComponentRow[], problems: RowProblem[]): void {
  input.forEach((row, i) => {
    if (!ROLES.includes(row.role))
      problems.push({ row: i, field: "role", message: `Row ${i + 1}: the role must be one of ${ROLES.join(", ")}.` });
    for (const field of NUMBER_FIELDS) {
      if (field === "purity") continue; // a percentage, checked below
      const value = row[field];
      if (given(value) && !positive(value)) {
        problems.push({ row: i, field, message: `Row ${i + 1} (${label(row)}): ${FIELD_NAMES[field]} must be more than zero.` });
      }
    }
    if (given(row.purity) && !(row.purity > 0 && row.purity <= 100)) {
      problems.push({ row: i, field: "purity", message: `Row ${i + 1} (${label(row)}): purity is a percentage above 0 and at most 100.` });
    }
  });
}

/** The row's amount in mmol from the one amount that defines it, or null (with a problem when one was entered but cannot be used). */
function definingMmol(row: ComponentRow, out: ComputedRow, i: number, referenceMmol: number | null, problems: RowProblem[]): number | null {
  const purity = (row.purity ?? 100) / 100;
  const field = DEFINING.find((f) => given(row[f]));
  if (field === undefined) return null;
  const problem = (what: string, message: string) => {
    problems.push({ row: i, field: what, message: `Row ${i + 1} (${label(row)}): ${message}` });
    return null;
  };
  switch (field) {
    case "mmol":
      return row.mmol!;
    case "massMg":
      return out.mw === null
        ? problem("mw", "a mass needs the molar mass (a structure, or an MW for a reagent without one).")
        : (row.massMg! * purity) / out.mw;
    case "volumeUl":
      if (positive(row.concentration)) return (row.volumeUl! * row.concentration) / 1000;
      if (!positive(row.density)) return problem("volumeUl", "a volume needs a density (neat liquid) or a concentration (solution).");
      return out.mw === null
        ? problem("mw", "a volume of a neat liquid needs the molar mass.")
        : (row.volumeUl! * row.density * purity) / out.mw;
    case "equivalents":
      return referenceMmol === null
        ? problem("equivalents", "equivalents need an amount on the reference row.")
        : row.equivalents! * referenceMmol;
  }
}

/** The cells a chemist typed (measured), as opposed to those computed from them. */
function enteredFields(row: ComponentRow): EnteredField[] {
  const amounts: EnteredField[] = DEFINING.filter((f) => given(row[f]));
  return given(row.mw) ? ["mw", ...amounts] : amounts;
}

function fillAmounts(row: ComponentRow, out: ComputedRow, mmol: number | null, referenceMmol: number | null): void {
  out.entered = enteredFields(row);
  const keep = (field: AmountField, computed: number | null) => (given(row[field]) ? row[field] : computed);
  const purity = (row.purity ?? 100) / 100;
  out.mmol = mmol;
  const mass = mmol !== null && out.mw !== null ? (mmol * out.mw) / purity : null;
  out.massMg = keep("massMg", mass);
  const volume =
    mmol !== null && positive(row.concentration)
      ? (mmol * 1000) / row.concentration
      : out.massMg !== null && positive(row.density)
        ? out.massMg / row.density
        : null;
  out.volumeUl = keep("volumeUl", volume);
  out.equivalents = keep("equivalents", mmol !== null && referenceMmol ? mmol / referenceMmol : null);
}

function reactionFigures(
  input: readonly ComponentRow[],
  rows: ComputedRow[],
  solventVolumeMl: number | null,
  referenceMmol: number | null,
): ReactionFigures {
  let inputs = 0;
  let products = 0;
  let inputMass = 0;
  let isolated = 0;
  let complete = true;
  input.forEach((row, i) => {
    const out = rows[i]!;
    if (row.role === "reactant" || row.role === "reagent") {
      if (out.mw === null) complete = false;
      else inputs += out.mw * coefficientOf(row);
      if (out.massMg === null) inputMass = Number.NaN;
      else inputMass += out.massMg;
    } else if (row.role === "product") {
      if (out.mw === null) complete = false;
      else products += out.mw * coefficientOf(row);
      isolated += positive(row.isolatedMg) ? row.isolatedMg : 0;
    }
  });
  return {
    atomEconomyPercent: complete && inputs > 0 && products > 0 ? (products / inputs) * 100 : null,
    massEfficiencyPercent: isolated > 0 && inputMass > 0 ? (isolated / inputMass) * 100 : null,
    solventVolumeMl,
    referenceConcentrationM: referenceMmol !== null && solventVolumeMl ? referenceMmol / solventVolumeMl : null,
  };
}

function coefficientOf(row: ComponentRow): number {
  return positive(row.coefficient) ? row.coefficient : 1;
}

function label(row: ComponentRow): string {
  return row.name?.trim() || row.role;
}

const FIELD_NAMES: Record<string, string> = {
  mw: "the molar mass",
  density: "the density",
  concentration: "the concentration",
  massMg: "the mass",
  volumeUl: "the volume",
  mmol: "the amount (mmol)",
  equivalents: "the equivalents",
  coefficient: "the coefficient",
  isolatedMg: "the isolated mass",
};

/** A figure as chemists write it: three significant figures, no trailing zeros beyond them, grouped thousands. */
export function formatAmount(value: number | null, significant = 3): string {
  if (value === null || !Number.isFinite(value)) return "";
  if (value === 0) return "0";
  const digits = Math.max(0, significant - 1 - Math.floor(Math.log10(Math.abs(value))));
  return value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
