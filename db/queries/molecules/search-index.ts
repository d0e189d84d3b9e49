import { asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { searchPropertyKeys, type SearchPropertyKey } from "@/lib/molecules/properties";
import { SearchIndex } from "@/lib/search/index";
import { recordParts } from "@/lib/search/record";
import { recordsInSandbox } from "@/lib/search/sandbox";
import type { Queryable } from "../../index";
import { molecules } from "../../schema";

/** The columns of the properties the index keeps (lib/molecules/properties.ts, `inSearch`). */
export const INDEXED_COLUMNS = Object.fromEntries(searchPropertyKeys.map((k) => [k, molecules[k]])) as {
  [K in SearchPropertyKey]: (typeof molecules)[K];
};

// Structure search over the registry. The index (lib/search/index.ts) lives in this process's memory, one per
// database handle. It is built from the database on first use (records missing from molecules.search_record are
// computed and written back, so the next start only loads them), and before every search it catches up with the
// database in one indexed query: the rows whose search_version is above the highest it has seen. A molecule gets a
// new search_version when it is inserted and (by trigger) whenever its status changes, so that one query brings in
// new molecules and parks/activations made by any process. Versions are handed out when a transaction writes, not
// when it commits, so a number skipped over ("gap") may belong to a transaction still in flight: gaps are asked for
// again on the next searches until they turn up or expire. That keeps several app processes sharing one PostgreSQL
// consistent without messages between them: what a search sees is what the database held when it started.
// Molecules are never deleted, only parked, and their structure never changes.

export interface IndexState {
  index: SearchIndex;
  /** Highest search_version seen. */
  version: number;
  /** Versions below `version` not seen yet, with when they were first missed (ms). */
  gaps: Map<number, number>;
  buildMs: number;
}

/** How long a skipped search_version is asked for again: longer than any transaction that writes molecules. */
const GAP_LIFETIME_MS = 10 * 60_000;
/** Gaps kept at most (the oldest are dropped first); each costs one index probe per search. */
const MAX_GAPS = 1000;

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
  const state: IndexState = { index: new SearchIndex(), version: 0, gaps: new Map(), buildMs: 0 };
  const filled = await catchUp(db, state);
  state.index.compact();
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

/**
 * Brings the index up to date with the database: molecules added and statuses changed since the last call, by any
 * process. Computes and stores missing search records. Returns how many were computed.
 */
export async function catchUp(db: Queryable, state: IndexState): Promise<number> {
  let computed = 0;
  const now = Date.now();
  for (const [gap, since] of state.gaps) if (now - since > GAP_LIFETIME_MS) state.gaps.delete(gap);
  for (;;) {
    const gaps = [...state.gaps.keys()];
    const rows = await db
      .select({
        id: molecules.id,
        campaignId: molecules.campaignId,
        status: molecules.status,
        idcode: molecules.idcode,
        record: molecules.searchRecord,
        version: molecules.searchVersion,
        properties: INDEXED_COLUMNS,
      })
      .from(molecules)
      .where(
        gaps.length > 0
          ? or(gt(molecules.searchVersion, state.version), inArray(molecules.searchVersion, gaps))
          : gt(molecules.searchVersion, state.version),
      )
      .orderBy(asc(molecules.searchVersion))
      .limit(BATCH);
    if (rows.length === 0) break;
    // Missing, or in an earlier layout: computed again in the sandbox (RDKit reads the SMILES for the Morgan bits).
    const stale = rows.filter((row) => !state.index.has(row.id) && recordParts(row.record) === null);
    const made = new Map<number, Uint8Array>();
    if (stale.length > 0) {
      // RDKit reads the structure as it was registered (the SMILES or molfile given), as at registration. Read only
      // for these rows: a molfile is kilobytes, and every start reads every row.
      const texts = await db
        .select({
          id: molecules.id,
          idcode: molecules.idcode,
          text: sql<string>`coalesce(${molecules.inputSmiles}, ${molecules.molfile}, ${molecules.smiles})`,
        })
        .from(molecules)
        .where(
          inArray(
            molecules.id,
            stale.map((row) => row.id),
          ),
        );
      const records = await recordsInSandbox(texts);
      texts.forEach((row, i) => made.set(row.id, records[i]!));
    }
    for (const row of rows) {
      if (row.version <= state.version) {
        state.gaps.delete(row.version);
      } else {
        // Rows come in version order: the numbers skipped since the last one seen may still commit.
        for (let v = state.version + 1; v < row.version && v < state.version + MAX_GAPS + 1; v++) state.gaps.set(v, now);
        state.version = row.version;
      }
      if (state.index.has(row.id)) {
        state.index.setActive(row.id, row.status === "active");
        continue;
      }
      state.index.add(row.id, row.campaignId, row.status === "active", row.idcode, made.get(row.id) ?? row.record!, row.properties);
    }
    while (state.gaps.size > MAX_GAPS) state.gaps.delete(state.gaps.keys().next().value!);
    for (const [id, record] of made) {
      // Back-fill (molecules stored before search existed, or before this layout). Concurrent processes compute the
      // same bytes.
      await db.update(molecules).set({ searchRecord: record }).where(eq(molecules.id, id));
    }
    computed += made.size;
    if (rows.length < BATCH) break;
  }
  return computed;
}
