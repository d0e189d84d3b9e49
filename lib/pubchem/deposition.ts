// Files for depositing a campaign in PubChem (https://pubchem.ncbi.nlm.nih.gov/upload/): the substances as an SD file
// with PubChem's Substance tags, and the results as an assay data table whose rows name those substances by the same
// registry ID (PUBCHEM_EXT_DATASOURCE_REGID), so both upload together without PubChem SIDs.
import { licenseOf } from "../campaigns/licenses";
import { higherIsBetter, MOLAR_FACTORS } from "../molecules/assay";
import type { Potency } from "../molecules/potency";

/**
 * PubChem takes printable ASCII in its tags: accents are dropped from their letters (é → e), µ and Greek letters are
 * spelled out (α → alpha), and any other character (and control characters) goes.
 */
export function pubchemAscii(text: string): string {
  return text
    .replace(/[µμ]/g, "u")
    .replace(/[\u03b1-\u03c9]/g, (c) => GREEK[c] ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\t/g, " ")
    .replace(/[^\x20-\x7e\n]/g, "")
    .replace(/ +/g, " ")
    .trim();
}

const GREEK: Record<string, string> = Object.fromEntries(
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma sigma tau upsilon phi chi psi omega"
    .split(" ")
    .map((name, i) => [String.fromCharCode(0x3b1 + i), name]),
);

export interface SubstanceRecordInput {
  code: string;
  name: string | null;
  aliases: string[];
  status: "active" | "parked";
  parkReason: string | null;
  parentCode: string | null;
  /** The molecule's page. */
  url: string;
  molfile: string;
}

export interface DepositionContext {
  campaign: { name: string; url: string; license: string };
  site: string;
}

/** One SD record of a substance: the molfile titled with the registry ID, and PubChem's Substance tags. */
export function substanceRecord(m: SubstanceRecordInput, ctx: DepositionContext): { molfile: string; fields: Record<string, string> } {
  const license = licenseOf(ctx.campaign.license);
  const synonyms = [...new Set([m.code, m.name, ...m.aliases].map((s) => (s ? pubchemAscii(s).replace(/\n/g, " ") : "")).filter(Boolean))];
  const comment = [
    `Registered as ${m.code} in ${ctx.campaign.name}, an open drug-discovery campaign (${ctx.site}): ${m.url}`,
    m.parentCode ? `A batch or salt form of ${m.parentCode}.` : null,
    m.status === "parked" ? `Parked${m.parkReason ? `: ${m.parkReason}` : ""}.` : null,
    `Data licence: ${license.short} (${license.url}).`,
  ].filter((line): line is string => line !== null);
  return {
    molfile: m.molfile.replace(/^[^\n]*/, pubchemAscii(m.code).slice(0, 80)),
    fields: {
      PUBCHEM_EXT_DATASOURCE_REGID: pubchemAscii(m.code),
      PUBCHEM_SUBSTANCE_SYNONYM: synonyms.join("\n"),
      PUBCHEM_EXT_SUBSTANCE_URL: m.url,
      PUBCHEM_EXT_DATASOURCE_URL: ctx.campaign.url,
      PUBCHEM_SUBSTANCE_COMMENT: comment.map(pubchemAscii).join("\n"),
    },
  };
}

/** PubChem's activity outcomes. */
export const OUTCOME = { inactive: 1, active: 2, inconclusive: 3, unspecified: 4 } as const;

export interface Activity {
  outcome: (typeof OUTCOME)[keyof typeof OUTCOME];
  /** 0–100, higher more active; null when the value says too little. */
  score: number | null;
}

/** Concentration endpoints are compared in µM (bestPotency converts every molar unit). */
const MOLAR = "µM";

/**
 * The outcome and score of a molecule's best value in one assay. `thresholdUm`: a value at least this potent is active
 * (µM for IC50-like endpoints; as 6 − log10(µM) for pIC50, pEC50, pKi...; % inhibition is active from 50 %).
 *
 * - Measured values ("=") are active when at least as potent as the threshold, inactive otherwise.
 * - A bound on the potent side ("<0.1" µM) is active when the bound is; otherwise it could be either: inconclusive.
 * - A bound on the weak side (">10" µM, inactive up to the highest concentration tested) is inactive when the bound is
 *   at the threshold or weaker; otherwise inconclusive.
 * - Anything else (units that are not concentrations, other endpoints) is unspecified.
 *
 * The score puts potency on PubChem's 0–100 scale: pIC50 3 (1 mM) is 0 and pIC50 9 (1 nM) is 100, linearly; % inhibition
 * is its own score. Inactive values score 0; inconclusive and unspecified ones have none.
 */
export function activityOf(p: Pick<Potency, "assay" | "unit" | "value" | "qualifier">, thresholdUm: number): Activity {
  const percent = p.assay === "%inhibition" && p.unit === "%";
  const pic50 = /^p[A-Z]/.test(p.assay) && (p.unit === null || MOLAR_FACTORS[p.unit] === undefined);
  const molar = !higherIsBetter(p.assay) && p.unit === MOLAR && p.value > 0;
  if (!percent && !pic50 && !molar) return { outcome: OUTCOME.unspecified, score: null };
  // Everything as "higher is more potent": pIC50-like units, or % inhibition.
  const level = molar ? 6 - Math.log10(p.value) : p.value;
  const threshold = percent ? 50 : 6 - Math.log10(thresholdUm);
  const score = percent ? clamp(p.value) : clamp(((level - 3) / 6) * 100);
  // For a concentration "<" is the potent side; for pIC50 and % inhibition ">" is.
  const bound = p.qualifier === "<" ? (molar ? "potent" : "weak") : p.qualifier === ">" ? (molar ? "weak" : "potent") : null;
  const potent = level >= threshold;
  if (bound === null) return potent ? { outcome: OUTCOME.active, score } : { outcome: OUTCOME.inactive, score: 0 };
  if (bound === "potent") return potent ? { outcome: OUTCOME.active, score } : { outcome: OUTCOME.inconclusive, score: null };
  return potent ? { outcome: OUTCOME.inconclusive, score: null } : { outcome: OUTCOME.inactive, score: 0 };
}

function clamp(value: number): number {
  return Math.round(Math.min(100, Math.max(0, value)));
}

/** Columns of the assay data table: PubChem's tags first, then the values as measured. */
export const ASSAY_COLUMNS = [
  "PUBCHEM_RESULT_TAG",
  "PUBCHEM_EXT_DATASOURCE_REGID",
  "PUBCHEM_ACTIVITY_OUTCOME",
  "PUBCHEM_ACTIVITY_SCORE",
  "PUBCHEM_ACTIVITY_URL",
  "PUBCHEM_ASSAYDATA_COMMENT",
  "Assay",
  "Target",
  "Qualifier",
  "Value",
  "Unit",
  "Measurements",
] as const;

/** The rows of the assay table: one per molecule and assay (its best value, labs pooled), in the order given. */
export function assayRows(
  molecules: readonly { code: string; url: string; potency: readonly Potency[] }[],
  options: { thresholdUm: number; assay?: string },
): Record<(typeof ASSAY_COLUMNS)[number], string | number | null>[] {
  const rows: Record<(typeof ASSAY_COLUMNS)[number], string | number | null>[] = [];
  for (const m of molecules) {
    for (const p of m.potency) {
      if (options.assay !== undefined && p.label !== options.assay) continue;
      const activity = activityOf(p, options.thresholdUm);
      rows.push({
        PUBCHEM_RESULT_TAG: rows.length + 1,
        PUBCHEM_EXT_DATASOURCE_REGID: pubchemAscii(m.code),
        PUBCHEM_ACTIVITY_OUTCOME: activity.outcome,
        PUBCHEM_ACTIVITY_SCORE: activity.score,
        PUBCHEM_ACTIVITY_URL: m.url,
        PUBCHEM_ASSAYDATA_COMMENT: p.count > 1 ? `best of ${p.count} measurements` : null,
        Assay: pubchemAscii(p.label),
        Target: p.target === null ? null : pubchemAscii(p.target),
        Qualifier: p.qualifier,
        Value: p.value,
        Unit: p.unit === null ? null : pubchemAscii(p.unit),
        Measurements: p.count,
      });
    }
  }
  return rows;
}
