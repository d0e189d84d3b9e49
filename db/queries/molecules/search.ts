import { eq, inArray, sql } from "drizzle-orm";
import type { SearchQuery, SearchSort } from "@/lib/contract/search";
import { AppError } from "@/lib/errors";
import { searchPropertyKeys, type SearchPropertyKey } from "@/lib/molecules/properties";
import { higherIsBetter } from "@/lib/molecules/assay";
import { bestPotency, meetsPotency, potencyKey, type MeasuredValue, type Potency } from "@/lib/molecules/potency";
import type { IndexFilter, PropertyRange, SearchIndex } from "@/lib/search/index";
import { substructureQueryOf, type SearchMode, type SubstructureQuery } from "@/lib/search/query";
import { classifyInSandbox, prepareInSandbox, sandboxVerifier } from "@/lib/search/sandbox";
import type { Db, Queryable } from "../../index";
import { campaigns, measurements, molecules } from "../../schema";
import { catchUp, INDEXED_COLUMNS, searchIndexFor } from "./search-index";
import { findMoleculeId, groupByMolecule, potencyColumns } from "./index";

export { searchIndexFor } from "./search-index";

// Structure search over the registry: the request's filters and sort around the in-memory index
// (./molecule-search-index.ts keeps it in step with the database), and the rows shown for each hit.

/** Sorting needs every hit in hand: a search with more hits than this is asked to narrow down instead. */
export const MAX_SORTED_HITS = 100_000;

export type MoleculeSearchHit = SearchHitBase & { [K in SearchPropertyKey]: number };

interface SearchHitBase {
  id: string;
  moleculeId: number;
  campaign: string;
  name: string | null;
  smiles: string;
  idcode: string;
  status: "active" | "parked";
  /** Best value per assay and target (lib/molecules/potency.ts), as on the molecule page. */
  potency: Potency[];
  similarity?: number;
  /** Matched atoms (substructure), in the atom order of the idcode. */
  atoms?: number[];
}

export interface MoleculeSearchResult {
  mode: SearchMode;
  sort: SearchSort;
  hits: MoleculeSearchHit[];
  /** Every hit, not only this page; null when `total=false` asked for the first page only. */
  total: number | null;
  cursor: string | null;
  tookMs: number;
}

/** Time one search may take before it is stopped with a 422 naming the query. */
export const SEARCH_TIME_LIMIT_MS = 10_000;

function encodeCursor(mode: SearchMode, sort: SearchSort, position: number): string {
  return Buffer.from(JSON.stringify({ m: mode, s: sort, p: position })).toString("base64url");
}

function decodeCursor(mode: SearchMode, sort: SearchSort, cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { m?: unknown; s?: unknown; p?: unknown };
    const p = value.p;
    if (value.m === mode && (value.s ?? "relevance") === sort && typeof p === "number" && Number.isInteger(p) && p >= 0) return p;
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "cursor: not a cursor of this search", { fields: { cursor: "not a cursor of this search" } });
}

function range(min: number | undefined, max: number | undefined): PropertyRange | undefined {
  return min === undefined && max === undefined ? undefined : { min, max };
}

/** One hit before its row is read: the molecule, and the similarity or matched atoms. */
type IndexHit = { id: number; similarity?: number; atoms?: number[] };

export async function searchMolecules(
  db: Db,
  query: SearchQuery,
  control: { signal?: AbortSignal; timeLimitMs?: number } = {},
): Promise<MoleculeSearchResult> {
  const started = performance.now();
  const found = await findHits(db, query, control, null);
  const { p, index, scan, rows: prefetched } = found;
  let { page } = found;
  let next = page.next;
  if (found.everyHit) {
    // Sorted: every hit is in hand, in order; this page is a slice, its matched atoms found now.
    let shown = page.hits.slice(found.start, found.start + p.limit);
    if (found.substructureQuery) {
      const ids = shown.map((h) => h.id);
      const atoms = await index.atomsOf(found.substructureQuery, ids, scan);
      shown = shown.map((h) => ({ ...h, atoms: h.atoms ?? atoms.get(h.id) ?? [] }));
    }
    next = found.start + p.limit < page.hits.length ? found.start + p.limit : null;
    page = { hits: shown, total: page.hits.length, next: null };
  }
  const rows = prefetched ?? (await moleculeRows(db, page.hits.map((h) => h.id)));
  const hits = page.hits.map(({ id, ...hit }) => ({ ...rows.get(id)!, ...hit }));
  return {
    mode: p.mode,
    sort: p.sort,
    hits,
    total: page.total,
    cursor: next === null ? null : encodeCursor(p.mode, p.sort, next),
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** A download holds at most this many hits; a search with more is asked to narrow down. */
export const MAX_EXPORTED_HITS = 50_000;

/**
 * Every hit of a search, in the order its pages show them (cursor and limit are ignored), for a download: molecule
 * ids and, for a similarity search, each one's similarity.
 */
export async function searchHitIds(
  db: Db,
  query: SearchQuery,
  control: { signal?: AbortSignal; timeLimitMs?: number } = {},
): Promise<{ mode: SearchMode; campaign: string | null; ids: number[]; similarity: Map<number, number> | null }> {
  const { p, page } = await findHits(db, query, control, MAX_EXPORTED_HITS);
  return {
    mode: p.mode,
    campaign: p.campaign ?? null,
    ids: page.hits.map((h) => h.id),
    similarity: p.mode === "similarity" ? new Map(page.hits.map((h) => [h.id, h.similarity ?? 0])) : null,
  };
}

/**
 * The hits of a search: this page's (relevance order, with matched atoms or similarity), or every hit in the asked
 * order when the search is sorted or `everyHitUpTo` asks for all of them (at most that many; ids only).
 */
async function findHits(db: Db, p: SearchQuery, control: { signal?: AbortSignal; timeLimitMs?: number }, everyHitUpTo: number | null) {
  const ranges: NonNullable<IndexFilter["ranges"]> = {};
  for (const key of searchPropertyKeys) {
    const bounds = range(p[`${key}Min`], p[`${key}Max`]);
    if (bounds) ranges[key] = bounds;
  }
  const filter: IndexFilter = { status: p.status, ranges };
  if (p.campaign) {
    const [campaign] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, p.campaign));
    if (!campaign) throw new AppError("not_found", `No campaign ${p.campaign}.`);
    filter.campaignId = campaign.id;
  }
  // Best values in the chosen assay, for the potency filter and the potency sort.
  const potencies = p.assay !== undefined ? await assayPotencies(db, p.assay, filter.campaignId ?? null) : null;
  if (potencies && p.potency !== undefined) {
    const threshold = p.potency;
    filter.allowed = new Set(
      [...potencies].filter(([, best]) => meetsPotency(best, threshold, higherIsBetter(best.assay))).map(([id]) => id),
    );
  }
  const start = everyHitUpTo === null ? decodeCursor(p.mode, p.sort, p.cursor) : 0;
  const deadline = Date.now() + (control.timeLimitMs ?? SEARCH_TIME_LIMIT_MS);
  const state = await searchIndexFor(db);
  await catchUp(db, state);
  const index = state.index;
  const scan = {
    deadline,
    signal: control.signal,
    // Molecules our matcher does not decide in this process are verified in the sandbox, within the same deadline.
    verify: sandboxVerifier({ deadline, signal: control.signal }),
  };
  const sorted = p.sort !== "relevance";
  // A sorted list needs every hit; a relevance-ordered one only this page (and the count).
  const cap = everyHitUpTo ?? (sorted ? MAX_SORTED_HITS : null);
  const everyHit = cap !== null;
  const want = everyHit ? { start: 0, limit: cap + 1 } : { start, limit: p.limit };

  let page: { hits: IndexHit[]; total: number | null; next: number | null };
  let rows: Awaited<ReturnType<typeof moleculeRows>> | null = null;
  let substructureQuery: SubstructureQuery | null = null;
  // The query is read in the sandbox: OpenChemLib on untrusted text may take without end (see lib/search/query.ts).
  const prepared = await prepareInSandbox(p.mode, p.q, { deadline, signal: control.signal });
  {
    if (prepared.mode === "substructure") {
      const query = substructureQueryOf(prepared);
      // Every hit is searched for ids only; the shown page's matched atoms are found after sorting.
      page = await index.substructure(query, { filter, ...want, countAll: everyHit || p.total === "true", atoms: !everyHit, ...scan });
      substructureQuery = query;
    } else {
      const query = prepared;
      if (p.mode === "exact") {
        // Canonical idcode only: exact search needs no fingerprint. Candidates share the idcode's hash; their rows
        // (read once, and used for the page) confirm them.
        const candidates = index.exactCandidates(query.idcode, filter);
        rows = await moleculeRows(db, candidates);
        const all = candidates.filter((id) => rows!.get(id)?.idcode === query.idcode).map((id) => ({ id }));
        const end = want.start + want.limit;
        page = { hits: all.slice(want.start, end), total: all.length, next: end < all.length ? end : null };
      } else {
        // A similarity query is always prepared with its fingerprint (prepareQuery).
        page = await index.similarity(query.fingerprint!, { filter, threshold: p.threshold, ...want, ...scan });
      }
    }
  }
  if (everyHit) {
    if (page.hits.length > cap) {
      const [field, what] = everyHitUpTo !== null ? ["q", "download"] : ["sort", "sort"];
      throw new AppError(
        "validation_failed",
        `${field}: more than ${cap.toLocaleString("en")} molecules match; narrow the search to ${what} them`,
        {
          fields: { [field]: `too many hits to ${what}` },
        },
      );
    }
    page = { hits: sortHits(page.hits, p.sort, index, potencies), total: page.hits.length, next: null };
  }
  return { p, index, scan, start, page, rows, everyHit, substructureQuery: everyHit ? substructureQuery : null };
}

/** Hits in the asked order; ties (and molecules without the value, which go last) keep relevance order. */
function sortHits(hits: IndexHit[], sort: SearchSort, index: SearchIndex, potencies: Map<number, Potency> | null): IndexHit[] {
  const keyed = hits.map((hit, order) => {
    let key = Number.NaN;
    if (sort === "potency") {
      const best = potencies?.get(hit.id);
      // Most potent first: ascending for IC50-like endpoints, descending for pIC50 and % inhibition.
      if (best) key = higherIsBetter(best.assay) ? -best.value : best.value;
    } else {
      const value = index.propertiesOf(hit.id)?.[sort.replace(/^-/, "") as SearchPropertyKey];
      if (value !== undefined && !Number.isNaN(value)) key = sort.startsWith("-") ? -value : value;
    }
    return { hit, order, key };
  });
  keyed.sort((a, b) => {
    const aMissing = Number.isNaN(a.key);
    const bMissing = Number.isNaN(b.key);
    if (aMissing !== bMissing) return aMissing ? 1 : -1;
    return (aMissing ? 0 : a.key - b.key) || a.order - b.order;
  });
  return keyed.map((k) => k.hit);
}

/**
 * The best value of every molecule measured in one assay column, in one campaign or all. The column is named by its
 * key ("Pfal IC50|µM", as lib/molecules/potency.ts groups measurements), by the label the pages show ("Pfal IC50
 * (µM)"), or by the assay alone ("Pfal IC50") when it has one unit; any case. An assay with no measurements there is
 * a 422 that lists the ones there are: a search sorted by an assay nobody measured would silently be no sort at all.
 */
export async function assayPotencies(db: Queryable, asked: string, campaignId: number | null): Promise<Map<number, Potency>> {
  const rows = await db
    .select(potencyColumns)
    .from(measurements)
    .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
    .where(campaignId === null ? undefined : eq(molecules.campaignId, campaignId));
  const byKey = new Map<string, Map<number, Potency>>();
  const labels = new Map<string, string>();
  for (const [id, values] of groupByMolecule(rows)) {
    for (const best of bestPotency(values)) {
      const key = potencyKey(best);
      labels.set(key, best.unit ? `${best.label} (${best.unit})` : best.label);
      let column = byKey.get(key);
      if (!column) byKey.set(key, (column = new Map<number, Potency>()));
      column.set(id, best);
    }
  }
  const wanted = asked.trim().toLowerCase();
  const names = (key: string) => [key, labels.get(key)!, key.split("|")[0]!].map((n) => n.toLowerCase());
  let matches = [...byKey.keys()].filter((key) => names(key).slice(0, 2).includes(wanted));
  if (matches.length === 0) matches = [...byKey.keys()].filter((key) => names(key)[2] === wanted);
  if (matches.length === 1) return byKey.get(matches[0]!)!;
  const known = [...labels.values()].sort((a, b) => a.localeCompare(b));
  const message =
    matches.length > 1
      ? `"${asked}" is measured in several units; give one of ${matches.map((k) => labels.get(k)).join(", ")}`
      : known.length === 0
        ? "no molecule here has measurements yet"
        : `no measurements of "${asked}" here; the assays are ${known.join(", ")}`;
  throw new AppError("validation_failed", `assay: ${message}`, { fields: { assay: message }, assays: known });
}

/** The assay columns that have measurements (in one campaign or all), most measured first: the search form's choices. */
export async function searchAssays(db: Queryable, campaign?: string): Promise<{ key: string; label: string; molecules: number }[]> {
  const rows = await db
    .select({ ...potencyColumns, campaign: campaigns.slug })
    .from(measurements)
    .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(campaign ? eq(campaigns.slug, campaign) : undefined);
  const counts = new Map<string, { key: string; label: string; molecules: number }>();
  for (const values of groupByMolecule(rows).values()) {
    for (const best of bestPotency(values)) {
      const key = potencyKey(best);
      const entry = counts.get(key) ?? { key, label: best.unit ? `${best.label} (${best.unit})` : best.label, molecules: 0 };
      entry.molecules++;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.molecules - a.molecules || a.label.localeCompare(b.label));
}

/** The rows shown for hits, with their measurements' best values, in one query. */
export async function moleculeRows(db: Queryable, ids: number[]): Promise<Map<number, Omit<MoleculeSearchHit, "similarity" | "atoms">>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      moleculeId: molecules.id,
      id: molecules.campaignCode,
      campaign: campaigns.slug,
      name: molecules.name,
      smiles: molecules.smiles,
      idcode: molecules.idcode,
      status: molecules.status,
      ...INDEXED_COLUMNS,
      measured: sql<MeasuredValue[] | string | null>`(
        select json_agg(json_build_object('assay', m.assay, 'target', m.target, 'unit', m.unit,
          'qualifier', m.qualifier, 'value', m.value))
        from ${measurements} m where m.molecule_id = ${molecules.id})`,
    })
    .from(molecules)
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(inArray(molecules.id, ids));
  return new Map(
    rows.map(({ measured, ...row }) => {
      const values = (typeof measured === "string" ? JSON.parse(measured) : (measured ?? [])) as MeasuredValue[];
      return [row.moleculeId, { ...row, potency: bestPotency(values.map((v) => ({ ...v, value: Number(v.value) }))) }];
    }),
  );
}

/**
 * Where the header search box sends its text: a molecule's page (campaign ID, alias or InChIKey of one molecule), a
 * structure search (SMILES/SMARTS), or the full-text search of entries (words, and anything else).
 */
export async function routeHeaderQuery(
  db: Queryable,
  text: string,
): Promise<{ kind: "molecule"; code: string } | { kind: "structure" } | { kind: "text" }> {
  const q = text.trim();
  const kind = await classifyInSandbox(q, { deadline: Date.now() + 2_000 });
  if (kind === "inchikey") {
    const rows = await db.select({ code: molecules.campaignCode }).from(molecules).where(eq(molecules.inchikey, q)).limit(2);
    if (rows.length === 1) return { kind: "molecule", code: rows[0]!.code };
    return { kind: "text" };
  }
  // IDs and aliases before structures: an alias such as "MMV669844" is not a SMILES, but "C1" could be both.
  if (!/^\d+$/.test(q) && q.length <= 100) {
    const id = await findMoleculeId(db, q);
    if (id !== null) {
      const [row] = await db.select({ code: molecules.campaignCode }).from(molecules).where(eq(molecules.id, id));
      if (row) return { kind: "molecule", code: row.code };
    }
  }
  return kind === "structure" ? { kind: "structure" } : { kind: "text" };
}
