import { and, asc, eq, gt, gte, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { encodedLength } from "@/lib/search/graph";
import { SearchAborted, SearchIndex, SearchTimeout, type IndexFilter } from "@/lib/search/index";
import { classifyHeaderQuery } from "@/lib/search/classify";
import { parseMoleculeQuery, parseSubstructureQuery, QueryError, type SearchMode } from "@/lib/search/query";
import { FP_BYTES, searchRecordFromIdcode } from "@/lib/search/record";
import type { Db, Queryable } from "../index";
import { findMoleculeId } from "./molecules";
import { campaigns, molecules } from "../schema";

// Structure search over the registry. The index (lib/search/index.ts) lives in this process's memory, one per
// database handle. It is built from the database on first use (records missing from molecules.search_record are
// computed and written back, so the next start only loads them), and before every search it catches up with the
// database: molecules added since (id above the highest it holds) and the current set of parked molecules. That keeps
// several app processes sharing one PostgreSQL consistent without messages between them: what a search sees is what
// the database held when it started. Molecules are never deleted, only parked, so nothing else can change.

interface IndexState {
  index: SearchIndex;
  maxId: number;
  parked: Set<number>;
  buildMs: number;
}

// On globalThis: Next.js bundles pages and route handlers into separate module graphs, and each would otherwise hold
// its own copy of the index in one server process.
const globalIndexes = globalThis as unknown as { __moleculeSearchIndexes?: WeakMap<object, Promise<IndexState>> };
const states = (globalIndexes.__moleculeSearchIndexes ??= new WeakMap<object, Promise<IndexState>>());

/** The search index of this database, built on first call (logged with its time). */
export function searchIndexFor(db: Queryable): Promise<IndexState> {
  let state = states.get(db);
  if (!state) {
    state = buildIndex(db);
    states.set(db, state);
    state.catch(() => states.delete(db));
  }
  return state;
}

async function buildIndex(db: Queryable): Promise<IndexState> {
  const started = performance.now();
  const state: IndexState = { index: new SearchIndex(), maxId: 0, parked: new Set(), buildMs: 0 };
  const filled = await catchUp(db, state);
  state.buildMs = performance.now() - started;
  if (process.env.NODE_ENV !== "test") {
    console.log(
      `structure search index: ${state.index.size} molecules in ${state.buildMs.toFixed(0)} ms` +
        (filled > 0 ? ` (${filled} search records computed and stored)` : ""),
    );
  }
  return state;
}

const BATCH = 5000;

/** Loads molecules added since the last call; computes and stores missing records. Returns how many were computed. */
async function catchUp(db: Queryable, state: IndexState): Promise<number> {
  let computed = 0;
  for (;;) {
    const rows = await db
      .select({
        id: molecules.id,
        campaignId: molecules.campaignId,
        status: molecules.status,
        idcode: molecules.idcode,
        record: molecules.searchRecord,
      })
      .from(molecules)
      .where(gt(molecules.id, state.maxId))
      .orderBy(asc(molecules.id))
      .limit(BATCH);
    if (rows.length === 0) break;
    const missing: { id: number; record: Uint8Array }[] = [];
    for (const row of rows) {
      let record = row.record;
      // Missing, or written in another layout (its length does not add up): computed again.
      if (!record || record.length < FP_BYTES * 2 + 2 || record.length !== FP_BYTES * 2 + encodedLength(record, FP_BYTES * 2)) {
        record = searchRecordFromIdcode(row.idcode);
        missing.push({ id: row.id, record });
        // Computing records is CPU work (~0.2 ms each): let other requests run between small batches.
        if (missing.length % 200 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      state.index.add(row.id, row.campaignId, row.status === "active", row.idcode, record);
      if (row.status === "parked") state.parked.add(row.id);
      state.maxId = row.id;
    }
    for (const m of missing) {
      // Back-fill (molecules stored before search existed). Concurrent processes compute the same bytes.
      await db.update(molecules).set({ searchRecord: m.record }).where(eq(molecules.id, m.id));
    }
    computed += missing.length;
    if (rows.length < BATCH) break;
  }
  return computed;
}

/** Brings the index up to date with the database (new molecules, park/activate by any process). */
async function refresh(db: Queryable, state: IndexState): Promise<void> {
  await catchUp(db, state);
  const parkedRows = await db.select({ id: molecules.id }).from(molecules).where(eq(molecules.status, "parked"));
  const parked = new Set(parkedRows.map((r) => r.id));
  for (const id of parked) if (!state.parked.has(id)) state.index.setActive(id, false);
  for (const id of state.parked) if (!parked.has(id)) state.index.setActive(id, true);
  state.parked = parked;
}

export const searchParams = z.object({
  q: z.string().max(2000, "at most 2,000 characters"),
  mode: z.enum(["exact", "substructure", "similarity"]).default("substructure"),
  threshold: z.coerce.number().min(0.05, "at least 0.05").max(1, "at most 1").default(0.5),
  limit: z.coerce.number().int().min(1, "at least 1").max(500, "at most 500").default(50),
  cursor: z.string().max(200).optional(),
  campaign: z.string().max(100).optional(),
  status: z.enum(["active", "parked", "any"]).default("active"),
  /** "false": the first page as fast as possible, without counting every hit (substructure; total is then null). */
  total: z.enum(["true", "false"]).default("true"),
  mwMin: z.coerce.number().min(0).optional(),
  mwMax: z.coerce.number().min(0).optional(),
  clogpMin: z.coerce.number().min(-50).max(50).optional(),
  clogpMax: z.coerce.number().min(-50).max(50).optional(),
});

export type SearchParams = z.input<typeof searchParams>;

export interface MoleculeSearchHit {
  id: string;
  moleculeId: number;
  campaign: string;
  name: string | null;
  smiles: string;
  idcode: string;
  status: "active" | "parked";
  averageMass: number;
  clogp: number;
  similarity?: number;
  /** Matched atoms (substructure), in the atom order of the idcode. */
  atoms?: number[];
}

export interface MoleculeSearchResult {
  mode: SearchMode;
  hits: MoleculeSearchHit[];
  /** Every hit, not only this page; null when `total=false` asked for the first page only. */
  total: number | null;
  cursor: string | null;
  tookMs: number;
}

/** Time one search may take before it is stopped with a 422 naming the query. */
export const SEARCH_TIME_LIMIT_MS = 10_000;

function encodeCursor(mode: SearchMode, position: number): string {
  return Buffer.from(JSON.stringify({ m: mode, p: position })).toString("base64url");
}

function decodeCursor(mode: SearchMode, cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { m?: unknown; p?: unknown };
    if (value.m === mode && typeof value.p === "number" && Number.isInteger(value.p) && value.p >= 0) return value.p;
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "cursor: not a cursor of this search", { fields: { cursor: "not a cursor of this search" } });
}

function queryError(error: unknown): never {
  if (error instanceof QueryError) {
    throw new AppError("validation_failed", `q: ${error.message}`, { fields: { q: error.message } });
  }
  throw error;
}

export async function searchMolecules(
  db: Db,
  input: unknown,
  control: { signal?: AbortSignal; timeLimitMs?: number } = {},
): Promise<MoleculeSearchResult> {
  const started = performance.now();
  const parsed = searchParams.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "q"), i.message]));
    throw new AppError("validation_failed", Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; "), { fields });
  }
  const p = parsed.data;
  const filter: IndexFilter = { status: p.status };
  if (p.campaign) {
    const [campaign] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, p.campaign));
    if (!campaign) throw new AppError("not_found", `No campaign ${p.campaign}.`);
    filter.campaignId = campaign.id;
  }
  const ranges = [
    p.mwMin !== undefined ? gte(molecules.averageMass, p.mwMin) : undefined,
    p.mwMax !== undefined ? lte(molecules.averageMass, p.mwMax) : undefined,
    p.clogpMin !== undefined ? gte(molecules.clogp, p.clogpMin) : undefined,
    p.clogpMax !== undefined ? lte(molecules.clogp, p.clogpMax) : undefined,
    filter.campaignId != null ? eq(molecules.campaignId, filter.campaignId) : undefined,
  ].filter((c) => c !== undefined);
  if (ranges.length > (filter.campaignId != null ? 1 : 0)) {
    // Property ranges are selected by the database and handed to the index as the set of molecules it may return.
    const rows = await db.select({ id: molecules.id }).from(molecules).where(and(...ranges));
    filter.allowed = new Set(rows.map((r) => r.id));
  }
  const start = decodeCursor(p.mode, p.cursor);
  const deadline = Date.now() + (control.timeLimitMs ?? SEARCH_TIME_LIMIT_MS);
  const state = await searchIndexFor(db);
  await refresh(db, state);
  const scan = {
    deadline,
    signal: control.signal,
    idcodeOf: async (ids: number[]) => {
      const rows = await db.select({ id: molecules.id, idcode: molecules.idcode }).from(molecules).where(inArray(molecules.id, ids));
      return new Map(rows.map((r) => [r.id, r.idcode]));
    },
  };

  try {
    if (p.mode === "substructure") {
      let query;
      try {
        query = parseSubstructureQuery(p.q);
      } catch (error) {
        queryError(error);
      }
      const countAll = p.total === "true";
      const result = await state.index.substructure(query, { filter, start, limit: p.limit, countAll, ...scan });
      const rows = await moleculeRows(db, result.hits.map((h) => h.id));
      const hits = result.hits.map((h) => ({ ...rows.get(h.id)!, atoms: h.atoms }));
      // Without countAll the scan stopped at the first hit after this page: that row is where the next page starts.
      return done(p.mode, hits, result.total, result.next === null ? null : encodeCursor(p.mode, result.next), started);
    }
    let query;
    try {
      query = parseMoleculeQuery(p.q);
    } catch (error) {
      queryError(error);
    }
    if (p.mode === "exact") {
      // Canonical idcode only: exact search needs no fingerprint.
      const candidates = state.index.exactCandidates(query.idcode, filter);
      const rows = await moleculeRows(db, candidates);
      const hits = candidates.map((id) => rows.get(id)!).filter((row) => row && row.idcode === query.idcode);
      return done(p.mode, hits.slice(start, start + p.limit), hits.length, start + p.limit < hits.length ? encodeCursor(p.mode, start + p.limit) : null, started);
    }
    const fingerprint = new Uint32Array(query.record().buffer.slice(FP_BYTES, FP_BYTES * 2));
    const result = await state.index.similarity(fingerprint, { filter, threshold: p.threshold, start, limit: p.limit, ...scan });
    const rows = await moleculeRows(db, result.hits.map((h) => h.id));
    const hits = result.hits.map((h) => ({ ...rows.get(h.id)!, similarity: h.similarity }));
    return done(p.mode, hits, result.total, result.next === null ? null : encodeCursor(p.mode, result.next), started);
  } catch (error) {
    if (error instanceof SearchTimeout) {
      throw new AppError("validation_failed", `q: ${error.message}`, { fields: { q: error.message }, timeout: true });
    }
    if (error instanceof SearchAborted) throw new AppError("bad_request", error.message);
    throw error;
  }
}

function done(
  mode: SearchMode,
  hits: MoleculeSearchHit[],
  total: number | null,
  cursor: string | null,
  started: number,
): MoleculeSearchResult {
  return { mode, hits, total, cursor, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

async function moleculeRows(db: Queryable, ids: number[]): Promise<Map<number, MoleculeSearchHit>> {
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
      averageMass: molecules.averageMass,
      clogp: molecules.clogp,
    })
    .from(molecules)
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(inArray(molecules.id, ids));
  return new Map(rows.map((r) => [r.moleculeId, r]));
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
  const kind = classifyHeaderQuery(q);
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
