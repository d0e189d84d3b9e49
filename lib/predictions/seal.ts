import { createHash } from "node:crypto";
import { canonicalJson } from "../integrity/chain";
import type { PredictionRow } from "./input";

/** What a submitter committed to: the set as given, for one assay of one campaign. */
export interface PredictionSetToSeal {
  /** The campaign's slug. */
  campaign: string;
  /** The assay label the pages show, e.g. "Pfal IC50". */
  assay: string;
  name: string;
  description: string | null;
  method: string | null;
  unit: string;
  rows: readonly PredictionRow[];
}

/**
 * The canonical text of a set: the integrity chain's canonical JSON (keys sorted, no spaces), rows in the order
 * submitted. Each row is sealed as given (row number, molecule or SMILES, value, uncertainty, rank) without its pIC50:
 * that is computed from the value and the sealed unit, and leaving it out keeps the hash reproducible by anyone
 * with the set and a SHA-256, whatever their log10 rounds to. Only the listed members are sealed, so a field added
 * to the stored row later does not change old hashes.
 */
export function sealedText(set: PredictionSetToSeal): string {
  return canonicalJson({
    campaign: set.campaign,
    assay: set.assay,
    name: set.name,
    description: set.description,
    method: set.method,
    unit: set.unit,
    rows: set.rows.map((r) => ({
      row: r.row,
      molecule: r.molecule,
      smiles: r.smiles,
      value: r.value,
      uncertainty: r.uncertainty,
      rank: r.rank,
    })),
  });
}

/** The SHA-256 of the sealed text, in hex: what the submission answer and its page show. */
export function sealHash(set: PredictionSetToSeal): string {
  return createHash("sha256").update(sealedText(set)).digest("hex");
}
