// Over 400 lines on purpose: one class, whose typed-array storage and three scans (substructure, similarity, exact)
// share private state that splitting would have to expose.
import { FP_WORDS } from "./fingerprint";
import { createGraphView, viewGraph } from "./graph";
import { MatchBudgetExceeded, Matcher, type MatchBudget } from "./match";
import type { SubstructureQuery } from "./query";
import { MORGAN } from "./morgan";
import { PostingLists } from "./postings";
import { IN_IDCODE_ORDER, recordParts } from "./record";
import { searchPropertyKeys, type SearchPropertyKey } from "../molecules/properties";

/**
 * The in-memory structure-search index: one row per molecule, in contiguous typed arrays (no object per molecule).
 * Per row: molecule id, campaign, status, a 32-bit hash of the canonical idcode (exact search), average mass and
 * cLogP (range filters, sorting), the screen fingerprint (16 words), the similarity fingerprint (RDKit's Morgan,
 * radius 2, 2048 bits: its bit count per row, its bits in an inverted index of per-bit row lists), and
 * the compact graph of RDKit's reading of the molecule (graph.ts; in one growing byte buffer, with its offset). On the
 * HIV set about 140 B of graph, 64 B of screen, ~50 B of posting lists and 27 B of columns per molecule
 * (bench:search prints it).
 *
 * Substructure search scans the screen words (a molecule is a candidate when it has every bit the query requires),
 * then verifies candidates with our matcher on the compact graph; first hits come back as soon as a page is full,
 * and the total is the complete count. Scans run in chunks so a deadline and the client's abort are honoured.
 */
export interface IndexFilter {
  campaignId?: number | null;
  /** Default: active molecules only. */
  status?: "active" | "parked" | "any";
  /** Inclusive ranges of the properties the index keeps; a molecule without the property (NaN) is outside. */
  ranges?: Partial<Record<SearchPropertyKey, PropertyRange>>;
  /** Only these molecule ids (e.g. those potent enough in an assay, selected in the database). */
  allowed?: ReadonlySet<number> | null;
}

export interface PropertyRange {
  min?: number;
  max?: number;
}

/**
 * Properties the index keeps per molecule, for range filters and sorting without the database: those marked
 * `inSearch` in lib/molecules/properties.ts.
 */
export type IndexedProperties = { [K in SearchPropertyKey]: number };

const NO_PROPERTIES = Object.fromEntries(searchPropertyKeys.map((k) => [k, Number.NaN])) as IndexedProperties;

export interface ScanControl {
  /** ms since epoch after which the scan stops with SearchTimeout. */
  deadline?: number;
  signal?: AbortSignal;
  /**
   * Verifies molecules in the sandbox processes (lib/search/sandboxed.ts): those our matcher gave up on here after
   * MAX_INLINE_STEPS, so a pathological query cannot hold this process; they are sent as their encoded graphs.
   * Matched atoms, or null, per graph. Without it (a query read in this process, as tests do) our matcher never gives
   * up early.
   */
  verify?: (text: string, graphs: Uint8Array[]) => Promise<(number[] | null)[]>;
}

/**
 * Matching steps one molecule may take in this process before it is handed to the sandbox (tens of milliseconds):
 * a search then yields to other requests between molecules.
 */
export const MAX_INLINE_STEPS = 1 << 20;

/** Thrown by the budget when one molecule's match has taken MAX_INLINE_STEPS; the molecule is verified elsewhere. */
class MatchDeferred extends Error {}

export class SearchTimeout extends Error {
  constructor(message = "The search took longer than its time limit; narrow the query.") {
    super(message);
    this.name = "SearchTimeout";
  }
}

export class SearchAborted extends Error {
  constructor() {
    super("The search was cancelled.");
    this.name = "SearchAborted";
  }
}

export interface SubstructureHit {
  id: number;
  /** Matched atoms, in the atom order of the molecule's idcode; absent when the search was asked for ids only. */
  atoms?: number[];
}

export interface SimilarityHit {
  id: number;
  similarity: number;
}

/** Molecules sent to the sandbox in one verify job. */
const VERIFY_BATCH = 100;

/**
 * The matching budget of a scan: past the deadline it stops the search (MatchBudgetExceeded); past MAX_INLINE_STEPS
 * on one molecule (counted from `moleculeStart`) it hands that molecule to the sandbox, when there is one.
 */
function moleculeBudget(control: ScanControl): MatchBudget & { moleculeStart: number } {
  const inline = control.verify ? MAX_INLINE_STEPS : Number.POSITIVE_INFINITY;
  const budget = {
    steps: 0,
    moleculeStart: 0,
    check: () => {
      if (control.deadline !== undefined && Date.now() > control.deadline) throw new MatchBudgetExceeded();
      if (budget.steps - budget.moleculeStart > inline) throw new MatchDeferred();
    },
  };
  return budget;
}

/** How long a scan may hold the process before it yields to other requests. */
const YIELD_AFTER_MS = 4;

const STATUS_ACTIVE = 1;
const STATUS_PARKED = 2;
const STATUS_MASK = 3;
/** Status bit: the graph's atoms are not in idcode order, so matched atoms cannot be shown on the depiction. */
const UNORDERED = 4;
const CHUNK = 4096;
/** More common bits than any row has: a bit count no row of which can reach the threshold. */
const NEVER = 1 << 17;

export function idcodeHash(idcode: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < idcode.length; i++) h = Math.imul(h ^ idcode.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class SearchIndex {
  size = 0;
  private ids = new Int32Array(1024);
  private campaign = new Int32Array(1024);
  private status = new Uint8Array(1024);
  private hash = new Uint32Array(1024);
  private properties = Object.fromEntries(searchPropertyKeys.map((k) => [k, new Float32Array(1024)])) as Record<
    SearchPropertyKey,
    Float32Array
  >;
  /** Bits set in each similarity fingerprint: bounds Tanimoto before the fingerprints are compared. */
  private simBits = new Uint16Array(1024);
  private screen = new Uint32Array(1024 * FP_WORDS);
  /** The Morgan fingerprints as an inverted index (postings.ts). */
  private postings = new PostingLists(MORGAN.nBits);
  /** The most bits any row's Morgan fingerprint sets. */
  private maxSimBits = 0;
  private graphOffset = new Uint32Array(1024);
  private graphs = new Uint8Array(1024 * 160);
  private graphEnd = 0;
  /**
   * Molecules arrive in id order (loaded by id, new ones get higher ids), so rows are found by binary search over the
   * ids column; a map of every id takes over only if one ever arrives out of order.
   */
  private outOfOrder: Map<number, number> | null = null;

  /**
   * Bytes of index data per molecule in use (arrays grow by doubling; spare capacity is not counted), with the
   * tables of fixed size shared out over the molecules unless `fixed: false`.
   */
  bytesPerMolecule(options: { fixed?: boolean } = {}): number {
    if (this.size === 0) return 0;
    // id, campaign, status, idcode hash, the kept properties, Morgan bit count, graph offset, screen
    const perRow = 4 + 4 + 1 + 4 + searchPropertyKeys.length * 4 + 2 + 4 + FP_WORDS * 4;
    const fixed = options.fixed === false ? 0 : this.postings.fixedBytes;
    return (perRow * this.size + this.postings.bytes + fixed + this.graphEnd + (this.outOfOrder?.size ?? 0) * 40) / this.size;
  }

  /**
   * Puts every molecule added so far into the similarity index's banded layout (postings.ts): after a bulk load, so
   * that the first search does not pay for it (a search does it itself when many molecules were added).
   */
  compact(): void {
    this.postings.compact(this.simBits);
  }

  /** Bytes the arrays hold, spare capacity included. */
  memoryBytes(): number {
    return (
      this.ids.byteLength +
      this.campaign.byteLength +
      this.status.byteLength +
      this.hash.byteLength +
      Object.values(this.properties).reduce((sum, column) => sum + column.byteLength, 0) +
      this.simBits.byteLength +
      this.screen.byteLength +
      this.postings.capacityBytes() +
      this.graphOffset.byteLength +
      this.graphs.byteLength
    );
  }

  has(id: number): boolean {
    return this.rowOfId(id) !== undefined;
  }

  private rowOfId(id: number): number | undefined {
    if (this.outOfOrder !== null) return this.outOfOrder.get(id);
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * Adds a molecule, or replaces its status if already present. `record` is in record.ts's layout (a record that
   * is not is refused: callers compute it again).
   */
  add(
    id: number,
    campaignId: number,
    active: boolean,
    idcode: string,
    record: Uint8Array,
    properties: IndexedProperties = NO_PROPERTIES,
  ): void {
    const existing = this.rowOfId(id);
    if (existing !== undefined) {
      this.setActive(id, active);
      return;
    }
    const parts = recordParts(record);
    if (!parts) throw new Error(`molecule ${id}: its search record is not in the current layout`);
    this.ensureCapacity(this.size + 1, parts.graph.length);
    const row = this.size++;
    this.ids[row] = id;
    this.campaign[row] = campaignId;
    this.status[row] = (active ? STATUS_ACTIVE : STATUS_PARKED) | ((parts.flags & IN_IDCODE_ORDER) === 0 ? UNORDERED : 0);
    this.hash[row] = idcodeHash(idcode);
    for (const key of searchPropertyKeys) this.properties[key][row] = properties[key];
    this.screen.set(parts.screen, row * FP_WORDS);
    this.simBits[row] = parts.morgan.length;
    this.maxSimBits = Math.max(this.maxSimBits, parts.morgan.length);
    this.postings.add(row, parts.morgan);
    this.graphOffset[row] = this.graphEnd;
    this.graphs.set(parts.graph, this.graphEnd);
    this.graphEnd += parts.graph.length;
    if (this.outOfOrder !== null) this.outOfOrder.set(id, row);
    else if (row > 0 && this.ids[row - 1]! > id) {
      // Out of id order (rare: ids are loaded in order and new molecules get higher ones): bisection no longer
      // holds, so from now on rows are found through a map of every id.
      this.outOfOrder = new Map();
      for (let r = 0; r <= row; r++) this.outOfOrder.set(this.ids[r]!, r);
    }
  }

  setActive(id: number, active: boolean): void {
    const row = this.rowOfId(id);
    if (row !== undefined) this.status[row] = (this.status[row]! & ~STATUS_MASK) | (active ? STATUS_ACTIVE : STATUS_PARKED);
  }

  private ensureCapacity(rows: number, graphBytes: number): void {
    if (rows > this.ids.length) {
      const cap = Math.max(rows, this.ids.length * 2);
      this.ids = grow(this.ids, cap);
      this.campaign = grow(this.campaign, cap);
      this.status = grow(this.status, cap);
      this.hash = grow(this.hash, cap);
      for (const key of searchPropertyKeys) this.properties[key] = grow(this.properties[key], cap);
      this.simBits = grow(this.simBits, cap);
      this.graphOffset = grow(this.graphOffset, cap);
      this.screen = grow(this.screen, cap * FP_WORDS);
    }
    if (this.graphEnd + graphBytes > this.graphs.length) {
      this.graphs = grow(this.graphs, Math.max(this.graphEnd + graphBytes, this.graphs.length * 2));
    }
  }

  private passes(row: number, filter: IndexFilter): boolean {
    const status = filter.status ?? "active";
    if (status === "active" && (this.status[row]! & STATUS_MASK) !== STATUS_ACTIVE) return false;
    if (status === "parked" && (this.status[row]! & STATUS_MASK) !== STATUS_PARKED) return false;
    if (filter.campaignId != null && this.campaign[row] !== filter.campaignId) return false;
    if (filter.ranges) {
      for (const key of searchPropertyKeys) {
        const range = filter.ranges[key];
        if (range && !inRange(this.properties[key][row]!, range)) return false;
      }
    }
    return !filter.allowed || filter.allowed.has(this.ids[row]!);
  }

  /** The kept properties of a molecule (NaN where unknown), or undefined when it is not in the index. */
  propertiesOf(id: number): IndexedProperties | undefined {
    const row = this.rowOfId(id);
    return row === undefined
      ? undefined
      : (Object.fromEntries(searchPropertyKeys.map((k) => [k, this.properties[k][row]!])) as IndexedProperties);
  }

  /** Ids of molecules whose canonical idcode hashes like `idcode` (callers confirm equality on the stored idcode). */
  exactCandidates(idcode: string, filter: IndexFilter = {}): number[] {
    const h = idcodeHash(idcode);
    const out: number[] = [];
    for (let row = 0; row < this.size; row++) if (this.hash[row] === h && this.passes(row, filter)) out.push(this.ids[row]!);
    return out;
  }

  /**
   * Substructure hits from row `start`: up to `limit` hits with matched atoms (or, with `atoms: false`, ids only:
   * cheaper for a long list that is sorted before a page of it is shown), then (with `countAll`) the number of further
   * hits, so `total` is exact. `next` is the row to continue from, or null at the end.
   */
  async substructure(
    query: SubstructureQuery,
    options: { filter?: IndexFilter; start?: number; limit: number; countAll?: boolean; atoms?: boolean } & ScanControl,
  ): Promise<{ hits: SubstructureHit[]; total: number | null; next: number | null }> {
    const withAtoms = options.atoms ?? true;
    const filter = options.filter ?? {};
    const q = query.screen;
    const matcher = new Matcher(query.compiled);
    let view = createGraphView();
    const budget = moleculeBudget(options);
    const since = { at: performance.now() };
    const hits: SubstructureHit[] = [];
    let counted = 0;
    let next: number | null = null;
    const fallbackRows: number[] = [];
    const start = options.start ?? 0;
    const screen = this.screen;
    try {
      // With countAll, rows before the cursor are scanned too (counted only), so the total is the whole result.
      for (let chunk = options.countAll ? 0 : start; chunk < this.size; chunk += CHUNK) {
        await this.checkpoint(options, since);
        const end = Math.min(this.size, chunk + CHUNK);
        rows: for (let row = chunk; row < end; row++) {
          const base = row * FP_WORDS;
          for (let w = 0; w < FP_WORDS; w++) if ((q[w]! & ~screen[base + w]!) !== 0) continue rows;
          if (!this.passes(row, filter)) continue;
          view = viewGraph(this.graphs, this.graphOffset[row], view);
          budget.moleculeStart = budget.steps;
          try {
            if (row < start) {
              if (matcher.test(view, budget)) counted++;
            } else if (hits.length < options.limit) {
              if (!withAtoms) {
                if (matcher.test(view, budget)) hits.push({ id: this.ids[row]! });
                continue;
              }
              const map = matcher.find(view, budget);
              if (map) hits.push({ id: this.ids[row]!, atoms: this.shownAtoms(row, map) });
            } else if (next === null) {
              if (matcher.test(view, budget)) {
                next = row;
                counted++;
                if (!options.countAll) break;
              }
            } else if (matcher.test(view, budget)) counted++;
          } catch (error) {
            if (!(error instanceof MatchDeferred)) throw error;
            fallbackRows.push(row);
          }
        }
        if (next !== null && !options.countAll) break;
      }
      if (fallbackRows.length > 0) {
        const extra = await this.verifyElsewhere(query, fallbackRows, options);
        // Fallback hits are merged in row order so pages stay stable.
        for (const hit of extra) {
          if (hit.row < start) {
            counted++;
            continue;
          }
          if (hits.length < options.limit && (next === null || hit.row < next)) {
            hits.push({ id: hit.id, atoms: hit.atoms });
          } else {
            counted++;
            if (next === null || hit.row < next) next = hit.row;
          }
        }
        hits.sort((a, b) => this.rowOfId(a.id)! - this.rowOfId(b.id)!);
        while (hits.length > options.limit) {
          const last = hits.pop()!;
          counted++;
          const row = this.rowOfId(last.id)!;
          if (next === null || row < next) next = row;
        }
      }
    } catch (error) {
      if (error instanceof MatchBudgetExceeded) throw new SearchTimeout();
      throw error;
    }
    // Without countAll the total is known only when the whole list was scanned: from the first row to the end.
    const total = options.countAll || (next === null && start === 0) ? hits.length + counted : null;
    return { hits, total, next };
  }

  /** Matched atoms of some hits (a page of a sorted list searched with `atoms: false`), by id. */
  async atomsOf(query: SubstructureQuery, ids: number[], control: ScanControl = {}): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    const matcher = new Matcher(query.compiled);
    let view = createGraphView();
    // Checked per molecule and, within a long match, by the matcher every so many steps.
    const budget = moleculeBudget(control);
    const fallbackRows: number[] = [];
    try {
      for (const id of ids) {
        budget.check();
        const row = this.rowOfId(id);
        if (row === undefined) continue;
        view = viewGraph(this.graphs, this.graphOffset[row], view);
        budget.moleculeStart = budget.steps;
        try {
          const map = matcher.find(view, budget);
          if (map) out.set(id, this.shownAtoms(row, map));
        } catch (error) {
          if (!(error instanceof MatchDeferred)) throw error;
          fallbackRows.push(row);
        }
      }
    } catch (error) {
      if (error instanceof MatchBudgetExceeded) throw new SearchTimeout();
      throw error;
    }
    if (fallbackRows.length > 0) {
      for (const hit of await this.verifyElsewhere(query, fallbackRows, control)) out.set(hit.id, hit.atoms);
    }
    return out;
  }

  /** Matched atoms as the depiction numbers them; none when the row's graph is not in idcode order. */
  private shownAtoms(row: number, map: ArrayLike<number>): number[] {
    return (this.status[row]! & UNORDERED) !== 0 ? [] : Array.from(map);
  }

  /** Molecules our matcher here gave up on: verified in the sandbox (control.verify), or here without a step limit. */
  private async verifyElsewhere(
    query: SubstructureQuery,
    rows: number[],
    control: ScanControl,
  ): Promise<{ row: number; id: number; atoms: number[] }[]> {
    const out: { row: number; id: number; atoms: number[] }[] = [];
    const since = { at: performance.now() };
    const graphOf = (row: number) => {
      const offset = this.graphOffset[row]!;
      const end = row + 1 < this.size ? this.graphOffset[row + 1]! : this.graphEnd;
      return this.graphs.slice(offset, end);
    };
    const verify = control.verify;
    for (let i = 0; i < rows.length; i += VERIFY_BATCH) {
      await this.checkpoint(control, since);
      const batch = rows.slice(i, i + VERIFY_BATCH);
      let answers: (number[] | null)[];
      if (verify) answers = await verify(query.text, batch.map(graphOf));
      else {
        const matcher = new Matcher(query.compiled);
        answers = batch.map((row) => {
          const map = matcher.find(viewGraph(graphOf(row)));
          return map ? Array.from(map) : null;
        });
      }
      batch.forEach((row, k) => {
        const atoms = answers[k];
        if (atoms) out.push({ row, id: this.ids[row]!, atoms: this.shownAtoms(row, atoms) });
      });
    }
    return out;
  }

  /** Similarity hits at or above `threshold`, best first (ties by id), from rank `start`; `limit` of them. */
  async similarity(
    fingerprint: Uint16Array,
    options: { filter?: IndexFilter; threshold: number; start?: number; limit: number } & ScanControl,
  ): Promise<{ hits: SimilarityHit[]; total: number; next: number | null }> {
    const filter = options.filter ?? {};
    const start = options.start ?? 0;
    const keep = start + options.limit;
    // Top k: a sorted buffer of the best `keep` (score desc, id asc); a molecule enters only when it beats the
    // buffer's last. Every molecule at or above the threshold is counted for the total.
    const bestScore = new Float64Array(Math.min(keep, this.size) + 1);
    const bestRow = new Int32Array(bestScore.length);
    let kept = 0;
    let total = 0;
    const better = (s: number, row: number, i: number) =>
      s > bestScore[i]! || (s === bestScore[i]! && this.ids[row]! < this.ids[bestRow[i]!]!);
    const since = { at: performance.now() };
    const queryBits = fingerprint.length;
    // Tanimoto = common / (q + b − common) grows with the common bits, so for a row of b bits there is a least number
    // of common bits that reaches a score, found with the very expression that scores the row (exact in floating
    // point): `passNeed[b]` for the threshold (more than b when no row of b bits can reach it), `topNeed[b]` for the
    // last of the best `keep` once that buffer is full. A row is scored only when it reaches them: an integer compare.
    const score = (c: number, bits: number) => {
      const either = queryBits + bits - c;
      return either === 0 ? 0 : c / either;
    };
    const leastCommon = (bits: number, target: number) => {
      const most = Math.min(bits, queryBits);
      let c = Math.min(most + 1, Math.max(0, Math.ceil((target * (queryBits + bits)) / (1 + target))));
      while (c > 0 && score(c - 1, bits) >= target) c--;
      while (c <= most && score(c, bits) < target) c++;
      return c;
    };
    // The bit counts a row can have and reach the threshold: the posting lists count common bits for those rows only,
    // and every other row is ruled out here whatever its (meaningless) count.
    const passNeed = new Int32Array(this.maxSimBits + 1);
    let fewest = this.maxSimBits + 1;
    let most = -1;
    for (let bits = 0; bits <= this.maxSimBits; bits++) {
      passNeed[bits] = leastCommon(bits, options.threshold);
      if (passNeed[bits]! <= Math.min(bits, queryBits)) {
        fewest = Math.min(fewest, bits);
        most = bits;
      }
    }
    for (let bits = 0; bits <= this.maxSimBits; bits++) if (bits < fewest || bits > most) passNeed[bits] = NEVER;
    // The rows there are now: molecules added while this search yields are not part of it.
    const size = this.size;
    const common = new Uint16Array(size);
    if (most >= 0) {
      // Common bits per row, counted by walking the posting lists of the query's bits.
      const walk = this.postings.begin(fingerprint, common, this.simBits);
      for (let q = 0; q < queryBits; q++) {
        if ((q & 7) === 0) await this.checkpoint(options, since);
        walk.count(fingerprint[q]!, fewest, most, common);
      }
    }
    // Filled lazily: an entry is good while its generation is the buffer's (each entry into the full buffer raises it).
    const topNeed = new Int32Array(this.maxSimBits + 1);
    const topGeneration = new Int32Array(this.maxSimBits + 1).fill(-1);
    let generation = 0;
    const simBits = this.simBits;
    for (let chunk = 0; chunk < size; chunk += CHUNK * 4) {
      await this.checkpoint(options, since);
      const end = Math.min(size, chunk + CHUNK * 4);
      for (let row = chunk; row < end; row++) {
        const bits = simBits[row]!;
        const c = common[row]!;
        if (c < passNeed[bits]! || !this.passes(row, filter)) continue;
        total++;
        if (kept === keep) {
          if (topGeneration[bits] !== generation) {
            topNeed[bits] = leastCommon(bits, bestScore[kept - 1]!);
            topGeneration[bits] = generation;
          }
          if (c < topNeed[bits]!) continue;
        }
        const s = score(c, bits);
        if (kept === keep && !better(s, row, kept - 1)) continue;
        let i = kept < keep ? kept++ : kept - 1;
        while (i > 0 && better(s, row, i - 1)) {
          bestScore[i] = bestScore[i - 1]!;
          bestRow[i] = bestRow[i - 1]!;
          i--;
        }
        bestScore[i] = s;
        bestRow[i] = row;
        if (kept === keep) generation++;
      }
    }
    const hits: SimilarityHit[] = [];
    for (let i = start; i < kept; i++) {
      // The score as RDKit computes it, unrounded: the same number a chemist gets from RDKit for the same pair.
      hits.push({ id: this.ids[bestRow[i]!]!, similarity: bestScore[i]! });
    }
    return { hits, total, next: keep < total ? keep : null };
  }

  /**
   * Between pieces of a scan: stops it when its client went away or its deadline passed, and yields to other requests
   * once it has held this process for YIELD_AFTER_MS (a fast search never waits for the event loop; a long one lets
   * others in every few milliseconds). `since` is the scan's own clock, started when it began.
   */
  private async checkpoint(control: ScanControl, since: { at: number }): Promise<void> {
    if (control.signal?.aborted) throw new SearchAborted();
    if (control.deadline !== undefined && Date.now() > control.deadline) throw new SearchTimeout();
    if (performance.now() - since.at < YIELD_AFTER_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since.at = performance.now();
    if (control.signal?.aborted) throw new SearchAborted();
    if (control.deadline !== undefined && Date.now() > control.deadline) throw new SearchTimeout();
  }
}

function inRange(value: number, range: PropertyRange): boolean {
  // Float32 keeps about 7 digits: compare at that precision so a bound typed as the shown value is inclusive.
  const v = Math.fround(value);
  return (range.min === undefined || v >= Math.fround(range.min)) && (range.max === undefined || v <= Math.fround(range.max));
}

function grow<T extends Int32Array | Uint32Array | Uint8Array | Uint16Array | Float32Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}
