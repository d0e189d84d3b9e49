import type { ReactionRowInput } from "./input";
import type { StoredReaction, StoredRow } from "./reaction";

/**
 * What changed between two revisions' reactions, cell by cell ("row 2 (NaH), mass: 41 → 45 mg"), for the history's
 * diff: a table of changed cells instead of a wall of JSON. Rows are compared by position within a reaction with the
 * same id; added and removed reactions and rows are changes of their own.
 */

export interface CellChange {
  reaction: string;
  /** "row 2 (NaH)", or null for the reaction itself. */
  row: string | null;
  field: string;
  from: string;
  to: string;
}

const FIELDS: [keyof ReactionRowInput, string, string][] = [
  ["role", "role", ""],
  ["name", "name", ""],
  ["molecule", "molecule", ""],
  ["smiles", "SMILES", ""],
  ["mw", "MW", "g/mol"],
  ["purity", "purity", "%"],
  ["density", "density", "g/mL"],
  ["concentration", "concentration", "M"],
  ["massMg", "mass", "mg"],
  ["volumeUl", "volume", "µL"],
  ["mmol", "amount", "mmol"],
  ["equivalents", "equivalents", "equiv."],
  ["coefficient", "coefficient", ""],
  ["reference", "reference", ""],
  ["isolatedMg", "isolated mass", "mg"],
  ["spectrum", "spectrum", ""],
];

const show = (value: string | number | boolean | null | undefined, unit: string) =>
  value === undefined || value === null || value === "" ? "—" : `${String(value)}${unit ? ` ${unit}` : ""}`;

function reactionLabel(r: StoredReaction, index: number): string {
  return r.title ? `Reaction ${index + 1} (${r.title})` : `Reaction ${index + 1}`;
}

function rowLabel(row: StoredRow, index: number): string {
  const what = row.molecule ?? row.name ?? row.structure?.formula ?? row.smiles ?? row.role;
  return `row ${index + 1} (${what})`;
}

export function diffReactions(before: readonly StoredReaction[], after: readonly StoredReaction[]): CellChange[] {
  const changes: CellChange[] = [];
  const old = new Map(before.map((r, i) => [r.id, { r, i }]));
  after.forEach((reaction, i) => {
    const label = reactionLabel(reaction, i);
    const previous = old.get(reaction.id);
    old.delete(reaction.id);
    if (!previous) {
      changes.push({ reaction: label, row: null, field: "reaction", from: "—", to: `added, ${reaction.rows.length} rows` });
      return;
    }
    const a = previous.r;
    if ((a.title ?? "") !== (reaction.title ?? ""))
      changes.push({ reaction: label, row: null, field: "title", from: show(a.title, ""), to: show(reaction.title, "") });
    if ((a.smiles ?? "") !== (reaction.smiles ?? ""))
      changes.push({ reaction: label, row: null, field: "scheme", from: show(a.smiles, ""), to: show(reaction.smiles, "") });
    const n = Math.max(a.rows.length, reaction.rows.length);
    for (let j = 0; j < n; j++) {
      const x = a.rows[j];
      const y = reaction.rows[j];
      if (!x) changes.push({ reaction: label, row: rowLabel(y!, j), field: "row", from: "—", to: "added" });
      else if (!y) changes.push({ reaction: label, row: rowLabel(x, j), field: "row", from: "present", to: "removed" });
      else
        for (const [key, name, unit] of FIELDS) {
          if (String(x[key] ?? "") !== String(y[key] ?? ""))
            changes.push({ reaction: label, row: rowLabel(y, j), field: name, from: show(x[key], unit), to: show(y[key], unit) });
        }
    }
  });
  for (const { r, i } of old.values())
    changes.push({ reaction: reactionLabel(r, i), row: null, field: "reaction", from: `${r.rows.length} rows`, to: "removed" });
  return changes;
}
