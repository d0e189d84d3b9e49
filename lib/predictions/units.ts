import { describeAssay, MOLAR_FACTORS, normalizeUnit } from "../molecules/assay";
import type { Qualifier } from "../molecules/model";

/**
 * Predictions are scored on one scale whatever unit they were given in: -log10 of the molar concentration, called
 * "pIC50" here for every endpoint (for an EC50 assay it is the pEC50, for a Ki the pKi). A log scale is what
 * potencies are compared on: an error of 1 is a factor of ten whether the compound is at 1 nM or at 10 µM.
 */
export const PIC50 = "pIC50";

/** The molar units, strongest first as chemists list them: M, mM, µM, nM, pM. */
export const MOLAR_UNITS: readonly string[] = Object.keys(MOLAR_FACTORS);

/** Endpoints measured as a molar concentration, so a prediction can be put on the p-scale. */
const MOLAR_ENDPOINTS: ReadonlySet<string> = new Set(["IC50", "EC50", "Ki", "Kd", "GI50", "CC50", "ED50"]);

/**
 * Powers of ten from each molar unit to mol/L (µM → 6), from MOLAR_FACTORS (µM-based) so there is one table. Rounded:
 * the factors are exact powers of ten, and integer exponents keep 1 µM at exactly 6.
 */
const EXPONENTS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(MOLAR_FACTORS).map(([unit, factor]) => [unit, Math.round(6 - Math.log10(factor))]),
);

export function isMolarUnit(unit: string): boolean {
  return EXPONENTS[unit] !== undefined;
}

/** A value in pIC50 or a molar unit (any spelling normalizeUnit knows) on the pIC50 scale; null when it has none. */
export function toPic50(value: number, unit: string): number | null {
  if (!Number.isFinite(value)) return null;
  if (unit === PIC50) return value;
  const exponent = EXPONENTS[normalizeUnit(unit) ?? ""];
  if (exponent === undefined || value <= 0) return null;
  return exponent - Math.log10(value);
}

/** The inverse of toPic50: a pIC50 in `unit` (6 → 1 µM, 1000 nM). */
export function fromPic50(pic50: number, unit: string): number | null {
  if (!Number.isFinite(pic50)) return null;
  if (unit === PIC50) return pic50;
  const exponent = EXPONENTS[normalizeUnit(unit) ?? ""];
  return exponent === undefined ? null : 10 ** (exponent - pic50);
}

/**
 * A qualified value on the pIC50 scale. The log is decreasing, so a bound flips: IC50 > 10 µM is pIC50 < 5 (weaker
 * than the highest concentration tested); IC50 < 0.1 µM is pIC50 > 7.
 */
export function toPic50Bound(value: number, unit: string, qualifier: Qualifier): { pic50: number; qualifier: Qualifier } | null {
  const pic50 = toPic50(value, unit);
  if (pic50 === null) return null;
  return { pic50, qualifier: unit === PIC50 || qualifier === "=" ? qualifier : qualifier === "<" ? ">" : "<" };
}

export type EndpointScale = "molar" | "p";

export interface PredictionUnits {
  /** The endpoint read from the assay label ("Pfal IC50" → IC50). */
  endpoint: string;
  scale: EndpointScale | null;
  /** Whether predictions can be made (and scored) for this assay. */
  ok: boolean;
  /** The units a prediction may be given in; empty when the assay cannot take predictions. */
  units: readonly string[];
  /** Why predictions are not possible for this assay; null when they are. */
  message: string | null;
}

/** The scale of an endpoint: a molar concentration (IC50...), already on the p-scale (pIC50, pKi...), or neither. */
export function endpointScale(endpoint: string): EndpointScale | null {
  if (MOLAR_ENDPOINTS.has(endpoint)) return "molar";
  if (endpoint.startsWith("p") && MOLAR_ENDPOINTS.has(normalEndpoint(endpoint.slice(1)))) return "p";
  return null;
}

/**
 * Which units a prediction for an assay (a label such as "Pfal IC50", or an endpoint) may be given in: the p-scale
 * or any molar unit for a concentration endpoint; only the p-scale for a p-endpoint. % inhibition, an MIC in µg/mL
 * and other endpoints have no molar scale (a µg/mL needs the molar mass), so they cannot be scored on pIC50.
 */
export function unitsFor(assay: string): PredictionUnits {
  let endpoint = normalEndpoint(describeAssay(assay).assay);
  // describeAssay knows pIC50 and pEC50; "hERG pKi" is found by its last word.
  const lastWord = normalEndpoint(assay.trim().split(/\s+/).at(-1) ?? "");
  if (endpointScale(endpoint) === null && endpointScale(lastWord) !== null) endpoint = lastWord;
  const scale = endpointScale(endpoint);
  if (scale === "molar") return { endpoint, scale, ok: true, units: [PIC50, ...MOLAR_UNITS], message: null };
  if (scale === "p") return { endpoint, scale, ok: true, units: [PIC50], message: null };
  return {
    endpoint,
    scale,
    ok: false,
    units: [],
    message:
      `Predictions cannot be made for "${assay}": they are scored on pIC50, which needs an endpoint measured as a ` +
      "molar concentration (IC50, EC50, Ki, Kd, GI50, CC50, ED50) or one of their p-values (pIC50, pEC50...).",
  };
}

/**
 * The unit a submission names, in its one spelling, if the assay takes it: "pic50", "pEC50" (for an EC50 assay) or
 * "pKi" (for a Ki assay) → "pIC50"; "uM" → "µM". Otherwise a message saying which units the assay takes.
 */
export function predictionUnit(text: string, assay: string): { unit: string } | { message: string } {
  const allowed = unitsFor(assay);
  if (!allowed.ok) return { message: allowed.message ?? "" };
  const trimmed = text.trim();
  const base = allowed.scale === "p" ? allowed.endpoint.slice(1) : allowed.endpoint;
  const lower = trimmed.toLowerCase();
  const unit = lower === "pic50" || lower === `p${base.toLowerCase()}` ? PIC50 : normalizeUnit(trimmed);
  if (unit !== null && allowed.units.includes(unit)) return { unit };
  return { message: `"${trimmed.slice(0, 40)}" is not a unit for ${assay}: use ${allowed.units.join(", ")}.` };
}

/** Endpoint spellings as describeAssay leaves them, made comparable ("KI" → "Ki", "pic50" → "pIC50"). */
function normalEndpoint(endpoint: string): string {
  const lower = endpoint.toLowerCase();
  if (lower === "ki" || lower === "kd") return `K${lower.slice(1)}`;
  if (lower === "pki" || lower === "pkd") return `pK${lower.slice(2)}`;
  if (/^p?[a-z]{2}50$/.test(lower)) return lower.startsWith("p") ? `p${lower.slice(1).toUpperCase()}` : lower.toUpperCase();
  return endpoint;
}
