import { and, between, eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import { higherIsBetter } from "@/lib/molecules/assay";
import { bestPotency, meetsPotency, potencyKey, type MeasuredValue } from "@/lib/molecules/potency";
import { tableProperties, tablePropertyKeys, type TablePropertyKey } from "@/lib/molecules/properties";
import type { MoleculeTableQuery } from "@/lib/contract/molecules";
import type { Queryable } from "../../index";
import { measurements, molecules, type Qualifier } from "../../schema";
import { requireCampaign } from "../campaigns";
import { resultRows } from "../entry-lists";
import { potencyColumns } from "./index";

/**
 * The molecule table: every molecule of a campaign with the columns the sheet showed and the best potency per assay,
 * read in two queries (molecules with their aliases, then the campaign's measurements) so that 41,000 rows load in
 * well under a second. The result is column-oriented — one array per column — because it goes to the browser as
 * table.json: arrays of numbers and short strings are half the size of an array of objects and gzip far better.
 */

export type TableProperty = TablePropertyKey;

export interface TableAssay {
  /** Stable key of the assay column: label and unit ("Pfal IC50|µM"). */
  key: string;
  /** "Pfal IC50": target and endpoint (labs pooled, as lib/molecules/potency.ts does). */
  label: string;
  unit: string | null;
  /** pIC50 and % inhibition: the best value is the highest. */
  higherIsBetter: boolean;
  /** Sparse column: row indices with a value, their best values and qualifiers (one character per value). */
  rows: number[];
  values: number[];
  qualifiers: string;
}

/** One array per property of the table (lib/molecules/properties.ts, `inTable`), rounded to its decimals. */
export type MoleculeTable = TableColumns & { [K in TablePropertyKey]: number[] };

interface TableColumns {
  campaign: { slug: string; name: string };
  count: number;
  /** Rows in the campaign's numbering order (site, then number). Empty text is "" rather than null: shorter JSON. */
  code: string[];
  name: string[];
  /** Aliases joined with "; ". */
  aliases: string[];
  formula: string[];
  /** "a" active, "p" parked. */
  status: string;
  assays: TableAssay[];
}

/**
 * The table of a campaign (by slug), optionally filtered. Public: campaigns are open. Text matches IDs, names and
 * aliases in any case; the property range is inclusive; the potency threshold keeps molecules whose best value is
 * measured ("=") or bounded on the good side ("<" for IC50) and at least as potent as the threshold.
 */
export async function moleculeTable(db: Queryable, slug: string, query: MoleculeTableQuery = {}): Promise<MoleculeTable> {
  const campaign = await requireCampaign(db, slug);
  const where: (SQL | undefined)[] = [eq(molecules.campaignId, campaign.id)];
  if (query.status) where.push(eq(molecules.status, query.status));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const alias = sql`select 1 from molecule_aliases a where a.molecule_id = molecules.id and a.alias ilike ${pattern}`;
    where.push(or(ilike(molecules.campaignCode, pattern), ilike(molecules.name, pattern), sql`exists (${alias})`));
  }
  if (query.property) {
    const column = molecules[query.property];
    if (query.min !== undefined && query.max !== undefined) where.push(between(column, query.min, query.max));
    else if (query.min !== undefined) where.push(gte(column, query.min));
    else if (query.max !== undefined) where.push(lte(column, query.max));
  }

  // The molecules come back as one JSON value holding one array per column, aggregated by the database: PGlite
  // decodes 41,000 rows of twelve fields in ~0.8 s but one 3 MB text in a few ms (PostgreSQL gains less, but
  // gains). All arrays are filled in the same pass over the sorted rows, so they stay aligned. Aliases come from a
  // correlated subquery on their molecule index. The SQL is written out because inside a subquery on
  // molecule_aliases a bare "id" would be the alias's id, not the molecule's.
  const [columnRows, values] = await Promise.all([
    db.execute(sql`
      select json_build_object(
        'id', coalesce(json_agg(s.id), '[]'),
        'code', coalesce(json_agg(s.campaign_code), '[]'),
        'name', coalesce(json_agg(coalesce(s.name, '')), '[]'),
        'aliases', coalesce(json_agg(coalesce(s.aliases, '')), '[]'),
        'formula', coalesce(json_agg(s.formula), '[]'),
        ${PROPERTY_ARRAYS},
        'status', coalesce(string_agg(case when s.status = 'parked' then 'p' else 'a' end, ''), '')
      )::text as columns
      from (
        select molecules.id, molecules.campaign_code, molecules.name, molecules.formula, ${PROPERTY_SELECT}, molecules.status,
          (select string_agg(a.alias, '; ' order by a.id) from molecule_aliases a where a.molecule_id = molecules.id) as aliases
        from molecules
        where ${and(...where)}
        order by molecules.site, molecules.number, molecules.id
      ) s`),
    db
      .select(potencyColumns)
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(eq(molecules.campaignId, campaign.id)),
  ]);
  const { id: ids, ...columns } = JSON.parse(resultRows<{ columns: string }>(columnRows)[0]!.columns) as Omit<
    MoleculeTable,
    "campaign" | "count" | "assays"
  > & { id: number[] };

  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  const byMolecule = new Map<number, MeasuredValue[]>();
  for (const m of values) {
    if (!index.has(m.moleculeId)) continue; // filtered out
    const list = byMolecule.get(m.moleculeId);
    if (list) list.push(m);
    else byMolecule.set(m.moleculeId, [m]);
  }
  // Best value per molecule and assay with the registry's own rule (lib/molecules/potency.ts), so the table, the
  // molecule page and the API agree.
  const assays = new Map<string, TableAssay>();
  const moleculeIds = [...byMolecule.keys()].sort((a, b) => index.get(a)! - index.get(b)!);
  for (const id of moleculeIds) {
    for (const best of bestPotency(byMolecule.get(id)!)) {
      const key = potencyKey(best);
      let column = assays.get(key);
      if (!column) {
        column = {
          key,
          label: best.label,
          unit: best.unit,
          higherIsBetter: higherIsBetter(best.assay),
          rows: [],
          values: [],
          qualifiers: "",
        };
        assays.set(key, column);
      }
      column.rows.push(index.get(id)!);
      column.values.push(best.value);
      column.qualifiers += best.qualifier;
    }
  }

  let keep: number[] | null = null;
  if (query.assay !== undefined && query.potency !== undefined) {
    const column = assays.get(query.assay);
    keep = column ? potentRows(column, query.potency) : [];
  }
  const table: MoleculeTable = {
    campaign: { slug: campaign.slug, name: campaign.name },
    count: ids.length,
    ...columns,
    assays: [...assays.values()].sort(byLabel),
  };
  return keep === null ? table : selectRows(table, keep);
}

/** Each table property as one aggregated array of the feed, rounded to the decimals the table shows. */
const PROPERTY_ARRAYS = sql.raw(
  tableProperties
    .map((p) => `'${p.key}', coalesce(json_agg(${p.digits > 0 ? `round(s.${p.column}::numeric, ${p.digits})` : `s.${p.column}`}), '[]')`)
    .join(",\n        "),
);
const PROPERTY_SELECT = sql.raw(tableProperties.map((p) => `molecules.${p.column}`).join(", "));

const byLabel = (a: TableAssay, b: TableAssay) => b.rows.length - a.rows.length || a.label.localeCompare(b.label);

/** Rows of the column at least as potent as the threshold (lib/molecules/potency.ts meetsPotency). */
export function potentRows(column: TableAssay, threshold: number): number[] {
  const out: number[] = [];
  column.rows.forEach((row, i) => {
    const qualifier = column.qualifiers[i] as Qualifier;
    if (meetsPotency({ value: column.values[i]!, qualifier }, threshold, column.higherIsBetter)) out.push(row);
  });
  return out;
}

/** The table restricted to the given rows (ascending indices), with the assay columns re-indexed. */
function selectRows(table: MoleculeTable, keep: number[]): MoleculeTable {
  const newIndex = new Map(keep.map((row, i) => [row, i]));
  const pick = <T>(column: T[]) => keep.map((row) => column[row]!);
  const assays = table.assays
    .map((a) => {
      const out: TableAssay = { ...a, rows: [], values: [], qualifiers: "" };
      a.rows.forEach((row, i) => {
        const at = newIndex.get(row);
        if (at === undefined) return;
        out.rows.push(at);
        out.values.push(a.values[i]!);
        out.qualifiers += a.qualifiers[i]!;
      });
      return out;
    })
    .filter((a) => a.rows.length > 0);
  return {
    ...table,
    count: keep.length,
    code: pick(table.code),
    name: pick(table.name),
    aliases: pick(table.aliases),
    formula: pick(table.formula),
    ...(Object.fromEntries(tablePropertyKeys.map((k) => [k, pick(table[k])])) as { [K in TablePropertyKey]: number[] }),
    status: keep.map((row) => table.status[row]!).join(""),
    assays,
  };
}

/** One row as an object, for tests and scripts; potency by assay label, e.g. `{ "Pfal IC50": "<0.05" }`. */
export function tableRow(table: MoleculeTable, row: number) {
  const potency: Record<string, string> = {};
  for (const a of table.assays) {
    const i = a.rows.indexOf(row);
    if (i >= 0) potency[a.label] = `${a.qualifiers[i] === "=" ? "" : a.qualifiers[i]}${a.values[i]}`;
  }
  return {
    code: table.code[row]!,
    name: table.name[row]!,
    aliases: table.aliases[row]!,
    formula: table.formula[row]!,
    ...(Object.fromEntries(tablePropertyKeys.map((k) => [k, table[k][row]!])) as { [K in TablePropertyKey]: number }),
    status: table.status[row] === "p" ? ("parked" as const) : ("active" as const),
    potency,
  };
}
