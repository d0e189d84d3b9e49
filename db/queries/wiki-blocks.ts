import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { searchQuery } from "@/lib/contract/search";
import { higherIsBetter } from "@/lib/molecules/assay";
import { comparePotency, meetsPotency, type Potency } from "@/lib/molecules/potency";
import { searchPropertyKeys, type SearchPropertyKey } from "@/lib/molecules/properties";
import { toAppError } from "@/lib/errors";
import type { ChartBlock, EntriesBlock, MoleculesBlock, Segment, TodosBlock } from "@/lib/wiki/blocks";
import type { Db, Queryable } from "../index";
import { molecules, todoMentions, type Campaign } from "../schema";
import { requireCampaign } from "./campaigns";
import { listEntries } from "./entry-lists";
import { assayPotencies, moleculeRows, searchHitIds } from "./molecules/search";
import { findMoleculeId, getMolecule } from "./molecules/index";
import { listTodos, todoPath } from "./todos";
import { evaluateSar, moleculeChangedAt, type SarResult } from "./wiki-sar";

/**
 * Evaluates the live blocks of a wiki page (lib/wiki/blocks.ts) against the data, every time the page is read: the
 * registry through the structure search index and the registry's own queries, entries through full-text search,
 * to-dos through their list. Each block answers its rows and `changedAt`, the newest time any data it shows was
 * written (a registration, a result, a parking, an edit), which is how a page tells a reader which blocks changed
 * since a visit or a date. A block whose query is wrong answers its error; the rest of the page is not affected.
 */

/** A molecule as a block shows it: a grid cell or a table row. */
export interface BlockMolecule {
  id: number;
  code: string;
  name: string | null;
  series: string | null;
  status: "active" | "parked";
  properties: { [K in SearchPropertyKey]: number };
  /** Best value per assay (all of them, for a card); `best` is the block's assay. */
  potency: Potency[];
  best: Potency | null;
  similarity?: number;
  registeredAt: Date;
  changedAt: Date;
}

export type BlockResult =
  | {
      kind: "molecules";
      view: "grid" | "table";
      assay: string | null;
      molecules: BlockMolecule[];
      total: number;
      searchPath: string | null;
      changedAt: Date | null;
    }
  | { kind: "sar"; sar: SarResult; view: "table" | "matrix" | "both"; changedAt: Date | null }
  | {
      kind: "chart";
      assay: string;
      unit: string | null;
      up: boolean;
      x: "date" | SearchPropertyKey;
      points: ChartPoint[];
      changedAt: Date | null;
    }
  | {
      kind: "entries";
      entries: { title: string; path: string; date: string; author: string; kind: "entry" | "page" }[];
      changedAt: Date | null;
    }
  | {
      kind: "todos";
      todos: { title: string; path: string; state: string; labels: string[]; issueNumber: number | null }[];
      changedAt: Date | null;
    }
  | { kind: "molecule"; molecule: BlockMolecule | null; code: string; changedAt: Date | null }
  | { kind: "error"; message: string; changedAt: null };

export interface ChartPoint {
  code: string;
  x: number;
  value: number;
  qualifier: "=" | "<" | ">";
}

export interface BlockContext {
  db: Db;
  campaign: Campaign;
  signal?: AbortSignal;
}

/** Time one block's structure search may take; a page has up to 20 blocks, and answers well before they all could. */
const BLOCK_TIME_LIMIT_MS = 5_000;
/** Candidates a sorted or filtered molecule block reads before it cuts to its limit. */
const MAX_CANDIDATES = 50_000;

/** Every live block of a page's segments, evaluated in order (blocks read one after another: two cores). */
export async function evaluateSegments(ctx: BlockContext, segments: readonly Segment[]): Promise<Map<number, BlockResult>> {
  const results = new Map<number, BlockResult>();
  for (const segment of segments) {
    if (segment.type === "markdown") continue;
    results.set(segment.index, await evaluateSegment(ctx, segment));
  }
  return results;
}

async function evaluateSegment(ctx: BlockContext, segment: Exclude<Segment, { type: "markdown" }>): Promise<BlockResult> {
  try {
    if (segment.type === "molecule") return await moleculeCard(ctx, segment.code);
    if (!segment.parsed.ok) return { kind: "error", message: segment.parsed.error, changedAt: null };
    const spec = segment.parsed.spec;
    switch (spec.kind) {
      case "molecules":
        return await moleculesBlock(ctx, spec);
      case "sar": {
        const sar = await evaluateSar(ctx, spec);
        return { kind: "sar", sar, view: spec.view, changedAt: sar.changedAt };
      }
      case "chart":
        return await chartBlock(ctx, spec);
      case "entries":
        return await entriesBlock(ctx, spec);
      case "todos":
        return await todosBlock(ctx, spec);
    }
  } catch (error) {
    // A block's own mistake (a bad SMARTS, an assay nobody measured, a search stopped at its time limit) is shown in
    // its place; so is a failure of ours, logged, so that one block never takes the page down with it.
    const known = toAppError(error);
    if (known) return { kind: "error", message: known.message, changedAt: null };
    console.error("[wiki] a live block failed", error);
    return { kind: "error", message: "Something went wrong on our side while reading its data.", changedAt: null };
  }
}

/** The campaign a block reads: the page's, or the one it names. */
async function blockCampaign(ctx: BlockContext, slug: string | undefined): Promise<Campaign> {
  return slug && slug !== ctx.campaign.slug ? requireCampaign(ctx.db, slug) : ctx.campaign;
}

type MoleculeFilter = Pick<MoleculesBlock, "query" | "mode" | "threshold" | "series" | "status" | "assay" | "potency" | "campaign">;

/**
 * The molecules a block's filters select, in the block's order, and the best value of each in its assay. A
 * structure query goes through the structure search (its index, its SMARTS semantics, its assay filters and sorts);
 * without one the registry is read by campaign, status and series.
 */
async function selectMolecules(
  ctx: BlockContext,
  spec: MoleculeFilter,
  sort: string,
): Promise<{ ids: number[]; potencies: Map<number, Potency> | null; similarity: Map<number, number> | null; campaign: Campaign }> {
  const campaign = await blockCampaign(ctx, spec.campaign);
  const potencies = spec.assay ? await assayPotencies(ctx.db, spec.assay, campaign.id) : null;
  let ids: number[];
  let similarity: Map<number, number> | null = null;
  if (spec.query) {
    const searchSort = sort === "id" || sort === "-id" ? "relevance" : sort;
    const query = searchQuery.parse({
      q: spec.query,
      mode: spec.mode,
      threshold: spec.threshold,
      campaign: campaign.slug,
      status: spec.status,
      sort: searchSort,
      ...(spec.assay ? { assay: spec.assay } : {}),
      ...(spec.potency !== undefined ? { potency: spec.potency } : {}),
    });
    const hits = await searchHitIds(ctx.db, query, { signal: ctx.signal, timeLimitMs: BLOCK_TIME_LIMIT_MS });
    ids = hits.ids;
    similarity = hits.similarity;
    if (spec.series !== undefined && ids.length) {
      const inSeries = new Set(
        (
          await ctx.db
            .select({ id: molecules.id })
            .from(molecules)
            .where(and(inArray(molecules.id, ids), sql`lower(${molecules.series}) = ${spec.series.toLowerCase()}`))
        ).map((r) => r.id),
      );
      ids = ids.filter((id) => inSeries.has(id));
    }
    if (sort === "-id") ids = [...ids].sort((a, b) => b - a);
  } else {
    const where: (SQL | undefined)[] = [eq(molecules.campaignId, campaign.id)];
    if (spec.status !== "any") where.push(eq(molecules.status, spec.status));
    if (spec.series !== undefined) where.push(sql`lower(${molecules.series}) = ${spec.series.toLowerCase()}`);
    const property = sort.replace(/^-/, "");
    const order = (searchPropertyKeys as readonly string[]).includes(property)
      ? [
          sort.startsWith("-") ? desc(molecules[property as SearchPropertyKey]) : asc(molecules[property as SearchPropertyKey]),
          asc(molecules.id),
        ]
      : [sort === "-id" ? desc(molecules.id) : asc(molecules.id)];
    ids = (
      await ctx.db
        .select({ id: molecules.id })
        .from(molecules)
        .where(and(...where))
        .orderBy(...order)
        .limit(MAX_CANDIDATES)
    ).map((r) => r.id);
    if (potencies && spec.potency !== undefined) {
      const threshold = spec.potency;
      ids = ids.filter((id) => {
        const best = potencies.get(id);
        return best !== undefined && meetsPotency(best, threshold, higherIsBetter(best.assay));
      });
    }
    if (sort === "potency" && potencies) {
      const rank = (id: number) => potencies.get(id);
      ids = ids
        .map((id, order) => ({ id, order, best: rank(id) }))
        .sort(
          (a, b) =>
            (a.best && b.best ? comparePotency(a.best, b.best, higherIsBetter(a.best.assay)) : a.best ? -1 : b.best ? 1 : 0) ||
            a.order - b.order,
        )
        .map((x) => x.id);
    }
  }
  return { ids, potencies, similarity, campaign };
}

/** The rows of these molecules, in this order, with when each last changed. */
async function blockMolecules(
  db: Queryable,
  ids: number[],
  potencies: Map<number, Potency> | null,
  similarity: Map<number, number> | null,
): Promise<BlockMolecule[]> {
  if (!ids.length) return [];
  const [rows, times] = await Promise.all([
    moleculeRows(db, ids),
    db
      .select({
        id: molecules.id,
        series: molecules.series,
        createdAt: molecules.createdAt,
        changedAt: moleculeChangedAt,
      })
      .from(molecules)
      .where(inArray(molecules.id, ids)),
  ]);
  const meta = new Map(times.map((t) => [t.id, t]));
  return ids.flatMap((id) => {
    const row = rows.get(id);
    const m = meta.get(id);
    if (!row || !m) return [];
    const properties = Object.fromEntries(searchPropertyKeys.map((k) => [k, row[k]])) as BlockMolecule["properties"];
    return [
      {
        id,
        code: row.id,
        name: row.name,
        series: m.series,
        status: row.status,
        properties,
        potency: row.potency,
        best: potencies?.get(id) ?? null,
        ...(similarity?.has(id) ? { similarity: similarity.get(id)! } : {}),
        registeredAt: m.createdAt,
        changedAt: new Date(m.changedAt),
      },
    ];
  });
}

const newest = (dates: readonly (Date | null | undefined)[]): Date | null =>
  dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);

async function moleculesBlock(ctx: BlockContext, spec: MoleculesBlock): Promise<BlockResult> {
  const { ids, potencies, similarity, campaign } = await selectMolecules(ctx, spec, spec.sort);
  const shown = await blockMolecules(ctx.db, ids.slice(0, spec.limit), potencies, similarity);
  // A molecule registered past the limit changes the count the block shows: the newest registration counts too.
  const newestId = ids.reduce<number | null>((a, id) => (a === null || id > a ? id : a), null);
  const [latest] = newestId ? await ctx.db.select({ at: molecules.createdAt }).from(molecules).where(eq(molecules.id, newestId)) : [];
  const params = new URLSearchParams({ campaign: campaign.slug });
  if (spec.query) {
    params.set("q", spec.query);
    params.set("mode", spec.mode);
  }
  return {
    kind: "molecules",
    view: spec.view,
    assay: potencies && spec.assay ? assayLabelOf(potencies, spec.assay) : null,
    molecules: shown,
    total: ids.length,
    searchPath: spec.query ? `/search/molecules?${params}` : `/campaigns/${campaign.slug}/molecules`,
    changedAt: newest([...shown.map((m) => m.changedAt), latest?.at]),
  };
}

/** The label of a block's assay column as pages show it ("Pfal IC50 (µM)"). */
function assayLabelOf(potencies: Map<number, Potency>, asked: string): string {
  const first = potencies.values().next().value;
  return first ? (first.unit ? `${first.label} (${first.unit})` : first.label) : asked;
}

async function chartBlock(ctx: BlockContext, spec: ChartBlock): Promise<BlockResult> {
  const { ids, potencies } = await selectMolecules(ctx, spec, "id");
  const measured = ids.filter((id) => potencies?.get(id)).slice(0, spec.limit);
  const shown = await blockMolecules(ctx.db, measured, potencies, null);
  const first = shown[0]?.best ?? null;
  return {
    kind: "chart",
    assay: potencies ? assayLabelOf(potencies, spec.assay) : spec.assay,
    unit: first?.unit ?? null,
    up: first ? higherIsBetter(first.assay) : false,
    x: spec.x as "date" | SearchPropertyKey,
    points: shown.map((m) => ({
      code: m.code,
      x: spec.x === "date" ? m.registeredAt.getTime() : m.properties[spec.x as SearchPropertyKey],
      value: m.best!.value,
      qualifier: m.best!.qualifier,
    })),
    changedAt: newest(shown.map((m) => m.changedAt)),
  };
}

/** The IDs a molecule is written by: its own and its aliases (mentions are kept as written). */
async function writtenIds(db: Queryable, code: string): Promise<string[]> {
  const molecule = await getMolecule(db, code);
  return molecule ? [molecule.code, ...molecule.aliases.map((a) => a.toUpperCase())] : [code];
}

async function entriesBlock(ctx: BlockContext, spec: EntriesBlock): Promise<BlockResult> {
  const campaign = await blockCampaign(ctx, spec.campaign);
  const found = await listEntries(ctx.db, {
    campaignId: campaign.id,
    q: spec.words,
    mentioning: spec.molecule ? await writtenIds(ctx.db, spec.molecule) : undefined,
    perPage: spec.limit,
    excerpt: 1,
  });
  // Newest work first even when words are searched: the block is "the latest entries that …".
  const list = [...found.entries].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
  return {
    kind: "entries",
    entries: list.map((e) => ({ title: e.title, path: e.path, date: e.date, author: e.author.login, kind: e.kind })),
    changedAt: newest(list.map((e) => e.updatedAt)),
  };
}

async function todosBlock(ctx: BlockContext, spec: TodosBlock): Promise<BlockResult> {
  let list = await listTodos(
    ctx.db,
    ctx.campaign.id,
    { state: spec.state, label: spec.label, q: spec.words },
    spec.molecule ? 1000 : spec.limit,
  );
  if (spec.molecule) {
    const codes = await writtenIds(ctx.db, spec.molecule);
    const mentioning = new Set(
      list.length
        ? (
            await ctx.db
              .select({ id: todoMentions.todoId })
              .from(todoMentions)
              .where(
                and(
                  inArray(
                    todoMentions.todoId,
                    list.map((t) => t.id),
                  ),
                  inArray(todoMentions.campaignCode, codes),
                ),
              )
          ).map((r) => r.id)
        : [],
    );
    list = list.filter((t) => mentioning.has(t.id)).slice(0, spec.limit);
  }
  return {
    kind: "todos",
    todos: list.map((t) => ({
      title: t.title,
      path: todoPath(ctx.campaign.slug, t.id),
      state: t.state,
      labels: t.labels,
      issueNumber: t.issueNumber,
    })),
    changedAt: newest(list.map((t) => t.updatedAt)),
  };
}

async function moleculeCard(ctx: BlockContext, code: string): Promise<BlockResult> {
  const id = await findMoleculeId(ctx.db, code);
  if (id === null) return { kind: "molecule", molecule: null, code, changedAt: null };
  const [molecule] = await blockMolecules(ctx.db, [id], null, null);
  return { kind: "molecule", molecule: molecule ?? null, code, changedAt: molecule?.changedAt ?? null };
}
