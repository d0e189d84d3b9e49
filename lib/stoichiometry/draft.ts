import { NUMBER_FIELDS, type NumberField, type Role } from "./compute";

export { NUMBER_FIELDS, type NumberField };
import type { ReactionInput, ReactionRowInput } from "./input";
import type { StoredReaction } from "./reaction";

/**
 * A reaction as the editor holds it while the chemist types: every cell as text (so "0." and "1,5" survive typing),
 * converted to the API's input on save, and back from a stored reaction when an entry is opened for editing.
 */

export type DraftRow = { role: Role; name: string; structure: string; reference: boolean; spectrum: string } & Record<NumberField, string>;

export interface ReactionDraft {
  id?: string;
  title: string;
  smiles: string;
  rows: DraftRow[];
}

export function emptyRow(role: Role): DraftRow {
  return {
    role,
    name: "",
    structure: "",
    reference: false,
    spectrum: "",
    ...(Object.fromEntries(NUMBER_FIELDS.map((f) => [f, ""])) as Record<NumberField, string>),
  };
}

export function emptyReaction(): ReactionDraft {
  return { title: "", smiles: "", rows: [emptyRow("reactant"), emptyRow("product")] };
}

/** A campaign ID as the registry writes them (OSM-S-123), in any case. */
const CAMPAIGN_ID = /^[A-Za-z][A-Za-z0-9]{0,11}-[A-Za-z]-[1-9][0-9]{0,8}$/;

export function isMoleculeId(text: string): boolean {
  return CAMPAIGN_ID.test(text.trim());
}

/** A number as typed: decimal comma or point, blank for none; NaN for text that is not a number. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (t === "") return null;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

/** The editor's draft of a stored reaction, or of a template's skeleton (rows as entered). */
export function draftFromStored(
  reaction: Pick<StoredReaction, "rows"> & { id?: string; title?: string | null; smiles?: string | null },
): ReactionDraft {
  return {
    ...(reaction.id ? { id: reaction.id } : {}),
    title: reaction.title ?? "",
    smiles: reaction.smiles ?? "",
    rows: reaction.rows.map((row) => ({
      role: row.role,
      name: row.name ?? "",
      structure: row.molecule ?? row.smiles ?? "",
      reference: row.reference ?? false,
      spectrum: row.spectrum ? String(row.spectrum) : "",
      ...(Object.fromEntries(NUMBER_FIELDS.map((f) => [f, row[f] == null ? "" : String(row[f])])) as Record<NumberField, string>),
    })),
  };
}

/**
 * The API's input for a draft, or the cells that are not numbers (by the field path the server would use, so the
 * editor shows both kinds of message in the same place). `aliases` says which structure texts name molecules.
 */
export function draftToInput(
  drafts: readonly ReactionDraft[],
  isMolecule: (structure: string) => boolean = isMoleculeId,
): { reactions: ReactionInput[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const reactions = drafts.map((d, i): ReactionInput => ({
    ...(d.id ? { id: d.id } : {}),
    title: d.title.trim() || null,
    smiles: d.smiles.trim() || null,
    rows: d.rows.map((row, j): ReactionRowInput => {
      const out: ReactionRowInput = { role: row.role };
      if (row.name.trim()) out.name = row.name.trim();
      const structure = row.structure.trim();
      if (structure) {
        if (isMolecule(structure)) out.molecule = structure;
        else out.smiles = structure;
      }
      for (const f of NUMBER_FIELDS) {
        const value = parseNumber(row[f]);
        if (value === null) continue;
        if (Number.isNaN(value)) errors[`reactions.${i}.rows.${j}.${f}`] = `“${row[f]}” is not a number`;
        else out[f] = value;
      }
      if (row.reference) out.reference = true;
      if (row.spectrum) out.spectrum = Number(row.spectrum);
      return out;
    }),
  }));
  return { reactions, errors };
}
