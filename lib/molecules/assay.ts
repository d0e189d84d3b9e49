/**
 * Assays as chemists label them in sheets: "Pfal (K1) IC50 (Avery)" is the IC50 endpoint, measured against
 * P. falciparum strain K1, by the Avery lab. Pure helpers, shared by the import and the API.
 */

export interface AssayLabel {
  /** The endpoint (IC50, EC50, pIC50, Ki, MIC, %inhibition...) or, when none is recognised, the whole label. */
  assay: string;
  /** Organism, target or strain written before the endpoint: "Pfal", "Pfal (K1)". */
  target: string | null;
  /** The lab written in brackets after the endpoint: "Avery". */
  lab: string | null;
  /** A unit written in the label ("IC50 (µM)"), normalized. */
  unit: string | null;
}

const ENDPOINT = /(?<![A-Za-z0-9])(p?[IE]C\s?50|Ki|Kd|MIC|GI\s?50|CC\s?50|ED\s?50|LD\s?50|%\s?inh(?:ibition)?)(?![A-Za-z0-9])/i;

export function describeAssay(label: string): AssayLabel {
  const text = label.trim().replace(/\s+/g, " ");
  const match = ENDPOINT.exec(text);
  if (!match) return { assay: text, target: null, lab: null, unit: null };
  const before = text.slice(0, match.index).trim();
  let after = text.slice(match.index + match[0].length).trim();
  let unit: string | null = null;
  let lab: string | null = null;
  // Bracketed groups after the endpoint: a unit ("(µM)", "[nM]") or the lab ("(GSK)").
  for (const group of after.matchAll(/[([]([^)\]]*)[)\]]/g)) {
    const inside = (group[1] ?? "").trim();
    const asUnit = normalizeUnit(inside);
    if (asUnit !== null && MOLAR_FACTORS[asUnit] !== undefined) unit = asUnit;
    else if (inside !== "" && lab === null) lab = inside;
  }
  after = after.replace(/[([][^)\]]*[)\]]/g, "").trim();
  if (unit === null && after !== "") unit = normalizeUnit(after);
  return { assay: endpointName(match[1] ?? ""), target: before === "" ? null : before, lab, unit };
}

/** The label describeAssay reads back: "Pfal (K1) IC50 (Avery)". */
export function assayLabel(m: { assay: string; target: string | null; lab: string | null }): string {
  return [m.target, m.assay, m.lab === null ? null : `(${m.lab})`].filter((part) => part !== null).join(" ");
}

function endpointName(raw: string): string {
  const compact = raw.replace(/\s+/g, "");
  const lower = compact.toLowerCase();
  if (lower.startsWith("%")) return "%inhibition";
  if (lower === "ki") return "Ki";
  if (lower === "kd") return "Kd";
  return lower.startsWith("p") ? `p${compact.slice(1).toUpperCase()}` : compact.toUpperCase();
}

/** Concentrations convertible to µM, for comparing potencies measured in different units. */
export const MOLAR_FACTORS: Readonly<Record<string, number>> = { M: 1e6, mM: 1e3, µM: 1, nM: 1e-3, pM: 1e-6 };

const UNIT_SPELLINGS: Readonly<Record<string, string>> = {
  m: "M",
  mm: "mM",
  um: "µM",
  µm: "µM",
  μm: "µM", // Greek mu
  nm: "nM",
  pm: "pM",
  "mg/ml": "mg/mL",
  "ug/ml": "µg/mL",
  "µg/ml": "µg/mL",
  "μg/ml": "µg/mL",
  "ng/ml": "ng/mL",
  "%": "%",
};

/**
 * A unit in one spelling ("uM" → "µM", "ug/ml" → "µg/mL"), other plausible units as written, null for an empty or
 * implausible one (the caller reports it). Units are short: letters, µ, %, /, ·, digits, ^, ., - and spaces.
 */
export function normalizeUnit(text: string): string | null {
  const unit = text.trim().replace(/\s*\/\s*/g, "/");
  if (unit === "") return null;
  const known = UNIT_SPELLINGS[unit.toLowerCase()];
  if (known !== undefined) return known;
  return /^[A-Za-zµμ%/·.^0-9 -]{1,24}$/.test(unit) && /[A-Za-zµμ%]/.test(unit) ? unit.replace("μ", "µ") : null;
}

/** pIC50-like values and % inhibition get better as they rise; IC50, EC50, Ki, MIC... as they fall. */
export function higherIsBetter(assay: string): boolean {
  return /^p[A-Z]/.test(assay) || assay === "%inhibition";
}
