// The micro-cache of anonymous answers that sits in front of Next's request handler (see server.ts).
// Plain TypeScript without Node's HTTP types, so every rule below is unit-tested with a fake clock.
//
// Freshness (also in the README):
// - Every write that this process answers (any request other than GET and HEAD, whatever its status) moves the
//   *generation* on. An answer stored under an older generation is stale from that moment.
// - An answer is fresh while its generation is current and it was stored less than `ttlMs` ago. The TTL (plus
//   the time the render took) is how long a change made elsewhere (another server on the same PostgreSQL, the
//   admin command, a background job) may go unseen.
// - A stale answer is served only while a newer render of the same page is in flight, and only when its own
//   render began at most `maxStaleMs` ago (stored at most `ttlMs + maxStaleMs` ago when it is stale only by
//   age). So every write
//   this process finished more than `maxStaleMs` before a request arrived is in its answer (writes of other
//   processes: `ttlMs + maxStaleMs`), and a lone client that writes and then reads never gets a stale copy:
//   with no render in flight its read renders the page anew.
// - While the app process is down (killed, restarting), the last stored answer of a page is served whatever its
//   age (`lastKnown`): there is nothing newer to be had until it is back.
// - Concurrent misses of one page share one render (single flight); a render that began after the latest
//   write, or within `maxStaleMs`, is joined instead of started again.
import { LRUCache } from "lru-cache";

/** One stored answer: always status 200, identity-encoded, without Set-Cookie. */
export interface CachedAnswer {
  /** Header name (lower case) and value, as the render sent them, minus per-connection headers. */
  headers: [string, string | string[]][];
  /** The body cut at every occurrence of the nonce; `[body]` when the answer carries none. */
  segments: Buffer[];
  /** The CSP nonce of the render, replaced by a fresh one on every reply (see nonce.ts). */
  nonce: string | null;
  /** Body length in bytes (the same with any fresh nonce: nonces have a fixed length). */
  length: number;
  /** Values of the request headers the answer varies on (its Vary header, minus Accept-Encoding). */
  vary: Record<string, string>;
  /** Generation current when the render began. */
  generation: number;
  /** Clock time when the render began. */
  startedAt: number;
  /** Clock time when the render ended and the answer was stored. */
  storedAt: number;
  /** Gzip of the body, made on the first request that accepts it (only for answers without a nonce). */
  gzip?: Buffer;
}

/** A render in progress; requests that join it wait for `answer`. */
export interface Flight {
  readonly key: string;
  readonly generation: number;
  readonly startedAt: number;
  /** The stored answer, or null when the render was not cacheable (joiners then ask Next themselves). */
  readonly answer: Promise<CachedAnswer | null>;
}

export type Decision =
  | { kind: "hit"; answer: CachedAnswer; stale: boolean }
  | { kind: "join"; flight: Flight }
  | { kind: "render"; flight: Flight };

export interface PageCacheOptions {
  /** Upper bound of the bytes kept (bodies, headers, gzip copies). */
  maxBytes: number;
  /** Largest single answer kept; larger ones are always rendered. */
  maxEntryBytes?: number;
  /** How long an answer stays fresh without a write through this process. */
  ttlMs?: number;
  /** How old (since its render began) a stale answer may be and still be served while a new render runs. */
  maxStaleMs?: number;
  now?: () => number;
}

interface InternalFlight extends Flight {
  settle(answer: CachedAnswer | null): void;
}

export interface CacheStats {
  hits: number;
  staleHits: number;
  joins: number;
  renders: number;
  stored: number;
  bytes: number;
  entries: number;
}

export class PageCache {
  readonly ttlMs: number;
  readonly maxStaleMs: number;
  private readonly now: () => number;
  private readonly lru: LRUCache<string, CachedAnswer>;
  private readonly flights = new Map<string, InternalFlight>();
  private current = 0;
  private readonly counts = { hits: 0, staleHits: 0, joins: 0, renders: 0, stored: 0 };

  constructor(options: PageCacheOptions) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.maxStaleMs = options.maxStaleMs ?? 500;
    this.now = options.now ?? Date.now;
    this.lru = new LRUCache<string, CachedAnswer>({
      maxSize: Math.max(1, options.maxBytes),
      maxEntrySize: Math.min(options.maxEntryBytes ?? 4 * 1024 * 1024, Math.max(1, options.maxBytes)),
      sizeCalculation: answerSize,
    });
  }

  /** The current generation; bumped by `invalidate`. */
  get generation(): number {
    return this.current;
  }

  /** A write went through this process: everything stored so far is stale. */
  invalidate(): void {
    this.current++;
  }

  /**
   * What to do with a request for `key`. `varyOf(names)` gives the request's values of the named headers,
   * so that an answer that varies on a header is served only to requests that send the same value; when a
   * stored answer does not match, `null` is returned and the caller asks Next without the cache. With
   * `mayRender: false` (HEAD requests, which cannot fill the cache) only a servable stored answer is returned.
   */
  decide(key: string, varyOf: (names: string[]) => Record<string, string>, options: { mayRender?: boolean } = {}): Decision | null {
    const mayRender = options.mayRender ?? true;
    const now = this.now();
    const stored = this.lru.get(key);
    if (stored && !sameVary(stored.vary, varyOf(Object.keys(stored.vary)))) return null;
    if (stored && stored.generation === this.current && now - stored.storedAt < this.ttlMs) {
      this.counts.hits++;
      return { kind: "hit", answer: stored, stale: false };
    }
    const flight = this.flights.get(key);
    if (flight) {
      const servable = stored && (stored.generation === this.current ? now - stored.storedAt <= this.ttlMs + this.maxStaleMs : now - stored.startedAt <= this.maxStaleMs);
      if (stored && servable) {
        this.counts.staleHits++;
        return { kind: "hit", answer: stored, stale: true };
      }
      if (mayRender && (flight.generation === this.current || now - flight.startedAt <= this.maxStaleMs)) {
        this.counts.joins++;
        return { kind: "join", flight };
      }
    }
    if (!mayRender) return null;
    this.counts.renders++;
    return { kind: "render", flight: this.startFlight(key, now) };
  }

  /**
   * The last stored answer for `key`, however old, for a request whose headers match the ones it varies on: what is
   * served while the app process is down and cannot render (a page a few seconds old beats an error).
   */
  lastKnown(key: string, varyOf: (names: string[]) => Record<string, string>): CachedAnswer | null {
    const stored = this.lru.get(key);
    if (!stored || !sameVary(stored.vary, varyOf(Object.keys(stored.vary)))) return null;
    this.counts.staleHits++;
    return stored;
  }

  /**
   * The render of `flight` ended: store its answer (null: not cacheable) and wake the requests that joined it.
   * An answer never replaces one whose render began later.
   */
  complete(flight: Flight, answer: Omit<CachedAnswer, "generation" | "startedAt" | "storedAt"> | null): void {
    const own = flight as InternalFlight;
    if (this.flights.get(flight.key) === own) this.flights.delete(flight.key);
    if (!answer) return own.settle(null);
    const full: CachedAnswer = { ...answer, generation: flight.generation, startedAt: flight.startedAt, storedAt: this.now() };
    const existing = this.lru.peek(flight.key);
    if (!existing || existing.startedAt <= full.startedAt) {
      this.lru.set(flight.key, full);
      if (this.lru.has(flight.key)) this.counts.stored++;
    }
    own.settle(full);
  }

  /** Keep a gzip copy made for a stored answer (re-set so that its bytes count against the bound). */
  keepGzip(key: string, answer: CachedAnswer, gzip: Buffer): void {
    answer.gzip = gzip;
    if (this.lru.peek(key) === answer) this.lru.set(key, answer);
  }

  stats(): CacheStats {
    return { ...this.counts, bytes: this.lru.calculatedSize, entries: this.lru.size };
  }

  private startFlight(key: string, now: number): InternalFlight {
    let settle!: (answer: CachedAnswer | null) => void;
    const answer = new Promise<CachedAnswer | null>((resolve) => (settle = resolve));
    const flight: InternalFlight = { key, generation: this.current, startedAt: now, answer, settle };
    this.flights.set(key, flight);
    return flight;
  }
}

function sameVary(stored: Record<string, string>, request: Record<string, string>): boolean {
  for (const name of Object.keys(stored)) if (stored[name] !== (request[name] ?? "")) return false;
  return true;
}

/** Bytes an answer holds: body, gzip copy, headers, and a little for the object itself. */
export function answerSize(answer: CachedAnswer): number {
  let size = 256 + answer.length + (answer.gzip?.length ?? 0);
  for (const [name, value] of answer.headers) size += name.length + (Array.isArray(value) ? value.join("").length : value.length) + 16;
  return size;
}
