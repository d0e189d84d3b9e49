import { computeReaction, type ComputedRow, type ReactionFigures, type RowProblem } from "./compute";
import type { ParsedReactionInput, ReactionRowInput } from "./input";
import { rowsFromScheme, schemeComponents, SchemeError } from "./scheme";

/**
 * A reaction as an entry stores it: the rows as the chemist entered them, each row's structure as it was resolved at
 * save time (a registered molecule's, or the SMILES read by a toolkit), and the computed table. Stored with the
 * revision, so the page, the API, exports and feeds show the figures of that save and never recompute differently.
 */

/** A row's structure as resolved: what the scheme is drawn from and the molar mass comes from. */
export interface RowStructure {
  smiles: string;
  idcode: string;
  formula: string;
  /** Average molar mass, g/mol. */
  mw: number;
  /** The registered molecule with this structure (its campaign ID), when there is one. */
  molecule: string | null;
}

export type StoredRow = ReactionRowInput & { structure?: RowStructure | null };

export interface ComputedTable {
  rows: ComputedRow[];
  reaction: ReactionFigures;
}

export interface StoredReaction {
  id: string;
  title: string | null;
  smiles: string | null;
  rows: StoredRow[];
  computed: ComputedTable;
}

/** A field path the way validation names fields ("reactions.0.rows.2.massMg") and what is wrong there. */
export interface ReactionProblem {
  field: string;
  message: string;
}

/** How structures are looked up: the server asks its database and sandboxed workers, the editor its own toolkit. */
export interface StructureResolver {
  /** A registered molecule by campaign ID or alias, or null when there is none. */
  molecule(key: string): Promise<RowStructure | null>;
  /** Each SMILES read (and matched to a registered molecule where one has the structure), or the reason it could not be. */
  smiles(list: readonly string[]): Promise<(RowStructure | { error: string })[]>;
}

/**
 * Resolve every row's structure, build rows from the scheme where a reaction has a scheme and no rows, and compute
 * each table. Problems name the field; when there are any, nothing should be saved.
 */
export async function resolveReactions(
  input: readonly (ParsedReactionInput & { id: string })[],
  resolver: StructureResolver,
): Promise<{ reactions: StoredReaction[]; problems: ReactionProblem[] }> {
  const problems: ReactionProblem[] = [];
  // Rows first (from the scheme where the table is empty), then every SMILES in one batch for the workers.
  const drafts = input.map((reaction, i) => {
    let rows: ReactionRowInput[] = reaction.rows;
    let schemeSmiles: string[] = [];
    if (reaction.smiles) {
      try {
        const components = schemeComponents(reaction.smiles);
        schemeSmiles = components.map((c) => c.smiles);
        if (rows.length === 0) rows = rowsFromScheme(components);
      } catch (error) {
        if (!(error instanceof SchemeError)) throw error;
        problems.push({ field: `reactions.${i}.smiles`, message: error.message });
      }
    }
    return { reaction, rows, schemeSmiles };
  });

  const wanted = new Set<string>();
  for (const d of drafts) {
    d.schemeSmiles.forEach((s) => wanted.add(s));
    d.rows.forEach((r) => (r.smiles && !r.molecule ? wanted.add(r.smiles) : null));
  }
  const list = [...wanted];
  const read = new Map(list.map((s) => [s, null as RowStructure | { error: string } | null]));
  if (list.length) (await resolver.smiles(list)).forEach((result, k) => read.set(list[k]!, result));

  const reactions: StoredReaction[] = [];
  for (const [i, d] of drafts.entries()) {
    d.schemeSmiles.forEach((s, k) => {
      const result = read.get(s);
      if (result && "error" in result) {
        problems.push({
          field: `reactions.${i}.smiles`,
          message: `structure ${k + 1} of the scheme (${clip(s)}) cannot be read: ${result.error}`,
        });
      }
    });
    const rows: StoredRow[] = [];
    for (const [j, row] of d.rows.entries()) {
      let structure: RowStructure | null = null;
      if (row.molecule) {
        structure = await resolver.molecule(row.molecule);
        if (!structure)
          problems.push({
            field: `reactions.${i}.rows.${j}.molecule`,
            message: `no registered molecule has the ID or alias ${JSON.stringify(row.molecule)}`,
          });
      } else if (row.smiles) {
        const result = read.get(row.smiles);
        if (result && "error" in result)
          problems.push({ field: `reactions.${i}.rows.${j}.smiles`, message: `cannot be read: ${result.error}` });
        else structure = result ?? null;
      }
      const molecule = row.molecule ? (structure?.molecule ?? row.molecule) : (structure?.molecule ?? null);
      rows.push(cleanRow({ ...row, molecule, smiles: row.molecule ? null : (row.smiles ?? null), structure }));
    }
    const result = computeReaction(rows.map((r) => ({ ...r, structureMw: r.structure?.mw ?? null })));
    for (const p of result.problems) problems.push(problemOf(i, p));
    reactions.push({
      id: d.reaction.id,
      title: d.reaction.title || null,
      smiles: d.reaction.smiles || null,
      rows,
      computed: { rows: result.rows, reaction: result.reaction },
    });
  }
  return { reactions, problems };
}

function problemOf(reaction: number, p: RowProblem): ReactionProblem {
  return {
    field: p.row === null ? `reactions.${reaction}.${p.field}` : `reactions.${reaction}.rows.${p.row}.${p.field}`,
    message: p.message,
  };
}

/** Rows keep only the members that hold something, so stored JSON and diffs stay small and comparable. */
function cleanRow(row: StoredRow): StoredRow {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined && v !== "")) as StoredRow;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);

/** The campaign IDs a reaction names (its rows' registered molecules), for mentions and "made in"/"used in". */
export function moleculesOf(reactions: readonly StoredReaction[]): string[] {
  return [...new Set(reactions.flatMap((r) => r.rows.flatMap((row) => (row.molecule ? [row.molecule] : []))))];
}

/** Whether two lists of reactions hold the same data, whatever order their JSON members come in (jsonb reorders them). */
export function sameReactions(a: readonly StoredReaction[], b: readonly StoredReaction[]): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * What a scheme drawing shows, from the rows: reactants and products by structure (captioned by ID, name or
 * formula), reagents and catalysts above the arrow, solvents below.
 */
export function schemeParts(reaction: StoredReaction): {
  side: "reactants" | "agents" | "products";
  idcode: string | null;
  label: string | null;
  below?: boolean;
  coefficient?: number;
}[] {
  return reaction.rows.map((row) => {
    const label = row.molecule ?? row.name ?? row.structure?.formula ?? null;
    if (row.role === "reactant" || row.role === "product") {
      return {
        side: row.role === "reactant" ? ("reactants" as const) : ("products" as const),
        idcode: row.structure?.idcode ?? null,
        label,
        ...(row.coefficient && row.coefficient > 1 ? { coefficient: row.coefficient } : {}),
      };
    }
    return {
      side: "agents" as const,
      idcode: null,
      label: row.name ?? row.molecule ?? row.structure?.formula ?? row.role,
      below: row.role === "solvent",
    };
  });
}

/** Amounts that belong to one run of a reaction, not to its plan: left out of a template's skeleton. */
const RUN_FIELDS = ["massMg", "volumeUl", "mmol", "isolatedMg", "spectrum"] as const;

/** A reaction as a template keeps it: who takes part, in what role, equivalents and properties; no amounts of a run. */
export function reactionSkeleton(reaction: StoredReaction): ParsedReactionInput & { id: string } {
  return {
    id: reaction.id,
    title: reaction.title,
    smiles: reaction.smiles,
    rows: reaction.rows.map(({ structure: _structure, ...row }) => {
      const kept: ReactionRowInput = { ...row };
      for (const field of RUN_FIELDS) delete kept[field];
      return kept;
    }),
  };
}
