/**
 * Morgan fingerprints as an inverted index: per bit, the rows that set it, as gaps from the row before (LEB128
 * varints: one byte while the gap is under 128). A similarity search walks the lists of the query's bits only and
 * counts common bits per row.
 *
 * Two things keep the walk short:
 * - **Bands of bit counts.** Tanimoto ≥ t needs a row's bit count b within [t·q, q/t] for a query of q bits, so each
 *   list is kept grouped by the band of its rows' bit counts, and a search walks only the bands it can use (a search
 *   at 0.5 skips about half of the rows of a drug-sized query's lists).
 * - **Complements for common bits.** A bit that more than half of the rows set (aromatic carbon, a methyl) keeps the
 *   rows that lack it: its count starts at one for every row and is taken back where the row lacks the bit, so no
 *   list holds more than half the rows.
 *
 * Rows come in increasing order and are never removed (a molecule's status does not touch its fingerprint). New rows
 * go to a tail of plain growing lists; the banded layout is rebuilt from everything ("compacted") when a search finds
 * the tail grown past an eighth of the rows, so its cost is shared over many additions.
 */
export class PostingLists {
  /** Compacted rows: 0 … mainRows − 1, in `data`, per bit and band from `offsets`. */
  private mainRows = 0;
  private data = new Uint8Array(0);
  /**
   * Start of each (bit, band) segment in `data`; per bit BANDS + 1 entries, the last one its end. Made by the first
   * compaction (a small index never needs it).
   */
  private offsets: Uint32Array | null = null;
  /** Bits stored as complements (set by more than half of the rows at the last compaction). */
  private dense: Uint8Array;
  private denseBits: number[] = [];
  /** Rows that set each bit. */
  private setCount: Uint32Array;
  /** Rows from mainRows on: per bit a growing list (complement for dense bits), absolute row gaps. */
  private tail: Uint8Array[];
  private tailUsed: Uint32Array;
  private tailLast: Int32Array;
  private tailBytes = 0;
  private rows = 0;
  private mark: Uint8Array;

  constructor(readonly bits: number) {
    this.dense = new Uint8Array(bits);
    this.setCount = new Uint32Array(bits);
    this.mark = new Uint8Array(bits);
    this.tail = Array.from({ length: bits }, () => new Uint8Array(8));
    this.tailUsed = new Uint32Array(bits);
    this.tailLast = new Int32Array(bits).fill(-1);
  }

  /** Bytes the lists use (spare capacity not counted): what grows with the rows. */
  get bytes(): number {
    return this.data.length + this.tailBytes;
  }

  /** Bytes of the tables whose size does not depend on the rows: the bands' offsets, the per-bit counters. */
  get fixedBytes(): number {
    return (this.offsets?.byteLength ?? 0) + this.setCount.byteLength;
  }

  /** Bytes the lists hold, spare capacity included. */
  capacityBytes(): number {
    return this.data.byteLength + this.fixedBytes + this.tail.reduce((sum, list) => sum + list.byteLength, 0);
  }

  /** Adds `row` (one more than the last row added) with its fingerprint's set bits, ascending. */
  add(row: number, rowBits: Uint16Array): void {
    if (row !== this.rows) throw new Error(`posting lists: row ${row} added after ${this.rows - 1}`);
    this.rows++;
    for (const bit of rowBits) {
      this.setCount[bit]!++;
      if (this.dense[bit] === 0) this.append(bit, row);
      else this.mark[bit] = 1;
    }
    if (this.denseBits.length === 0) return;
    for (const bit of this.denseBits) {
      if (this.mark[bit] === 0) this.append(bit, row);
      this.mark[bit] = 0;
    }
  }

  /**
   * Starts counting common bits with `query` (ascending bit positions) into `common` (zeroed, one entry per row):
   * then the walk's `count` for each of the query's bits. `popcounts`: each row's bit count (for a compaction due
   * first). The walk reads the lists as they are now: rows added, or a compaction made, while a search yields between
   * bits do not change what it counts.
   */
  begin(query: Uint16Array, common: Uint16Array, popcounts: Uint16Array): PostingWalk {
    if (this.rows - this.mainRows > Math.max(COMPACT_AFTER, this.mainRows >> 3)) this.compact(popcounts);
    let dense = 0;
    for (const bit of query) dense += this.dense[bit]!;
    if (dense > 0) common.fill(dense, 0, this.rows);
    return new PostingWalk(this.data, this.offsets, this.dense, this.tail.slice(), this.tailUsed.slice());
  }

  private append(bit: number, row: number): void {
    const gap = row - this.tailLast[bit]!;
    this.tailLast[bit] = row;
    let list = this.tail[bit]!;
    let at = this.tailUsed[bit]!;
    if (at + 5 > list.length) {
      const bigger = new Uint8Array(list.length * 2);
      bigger.set(list);
      list = bigger;
      this.tail[bit] = list;
    }
    const start = at;
    at = writeVarint(list, at, gap);
    this.tailUsed[bit] = at;
    this.tailBytes += at - start;
  }

  /** Rebuilds the banded lists from the compacted rows and the tail: every row is compacted afterwards. */
  compact(popcounts: Uint16Array): void {
    const n = this.rows;
    if (n === this.mainRows) return;
    // Rows of each band, ascending (a counting sort by band).
    const bandStart = new Uint32Array(BANDS + 1);
    for (let row = 0; row < n; row++) bandStart[bandOf(popcounts[row]!) + 1]!++;
    for (let band = 0; band < BANDS; band++) bandStart[band + 1]! += bandStart[band]!;
    const bandRows = new Uint32Array(n);
    const fill = bandStart.slice(0, BANDS);
    for (let row = 0; row < n; row++) bandRows[fill[bandOf(popcounts[row]!)]!++] = row;

    let out = new Uint8Array(Math.max(64, Math.ceil((this.data.length + this.tailBytes) * 1.25) + 5 * BANDS));
    const offsets = new Uint32Array(this.bits * (BANDS + 1));
    const dense = new Uint8Array(this.bits);
    const positives = new Uint32Array(n);
    const lacking = new Uint32Array(n);
    const inBand = new Uint32Array(BANDS + 1);
    let end = 0;
    for (let bit = 0; bit < this.bits; bit++) {
      // This bit's rows, grouped by band, ascending within each band.
      this.rowsOf(bit, popcounts, bandRows, bandStart, positives, inBand);
      const isDense = this.setCount[bit]! * 2 > n;
      dense[bit] = isDense ? 1 : 0;
      const base = bit * (BANDS + 1);
      for (let band = 0; band < BANDS; band++) {
        offsets[base + band] = end;
        if (out.length < end + 5 * (bandStart[band + 1]! - bandStart[band]!)) {
          const bigger = new Uint8Array(Math.max(out.length * 2, end + 5 * n));
          bigger.set(out.subarray(0, end));
          out = bigger;
        }
        // A common bit keeps the band's rows that lack it.
        const rows = isDense
          ? lacking.subarray(
              0,
              difference(bandRows, bandStart[band]!, bandStart[band + 1]!, positives, inBand[band]!, inBand[band + 1]!, lacking, 0),
            )
          : positives.subarray(inBand[band], inBand[band + 1]);
        let last = -1;
        for (const row of rows) {
          end = writeVarint(out, end, row - last);
          last = row;
        }
      }
      offsets[base + BANDS] = end;
    }
    this.data = out.slice(0, end);
    this.offsets = offsets;
    this.dense = dense;
    this.denseBits = [];
    for (let bit = 0; bit < this.bits; bit++) if (dense[bit]) this.denseBits.push(bit);
    this.mainRows = n;
    this.tail = Array.from({ length: this.bits }, () => new Uint8Array(8));
    this.tailUsed.fill(0);
    this.tailLast.fill(-1);
    this.tailBytes = 0;
  }

  /**
   * The rows that set `bit`, written into `out` grouped by band (ascending within each), `inBand[band]` where each
   * band's rows start (`inBand[BANDS]`: how many). `bandRows`/`bandStart`: every row, grouped by band, ascending.
   */
  private rowsOf(
    bit: number,
    popcounts: Uint16Array,
    bandRows: Uint32Array,
    bandStart: Uint32Array,
    out: Uint32Array,
    inBand: Uint32Array,
  ): void {
    const wasDense = this.dense[bit] === 1;
    const mainRows = this.mainRows;
    // The tail's entries for this bit (rows that set it, or lack it when it is dense), ascending.
    const tailRows = decode(this.tail[bit]!, 0, this.tailUsed[bit]!, []);
    // Rows of the tail that set the bit, by band (a counting sort), when they are listed as such.
    let tailByBand: Uint32Array | null = null;
    const tailFrom = new Uint32Array(BANDS + 1);
    if (!wasDense && tailRows.length > 0) {
      for (const r of tailRows) tailFrom[bandOf(popcounts[r]!) + 1]!++;
      for (let band = 0; band < BANDS; band++) tailFrom[band + 1]! += tailFrom[band]!;
      const at = tailFrom.slice(0, BANDS);
      tailByBand = new Uint32Array(tailRows.length);
      for (const r of tailRows) tailByBand[at[bandOf(popcounts[r]!)]!++] = r;
    }
    let count = 0;
    const base = bit * (BANDS + 1);
    const listed: number[] = [];
    for (let band = 0; band < BANDS; band++) {
      inBand[band] = count;
      listed.length = 0;
      if (this.offsets) decode(this.data, this.offsets[base + band]!, this.offsets[base + band + 1]!, listed);
      if (!wasDense) {
        for (const r of listed) out[count++] = r;
        if (tailByBand) for (let i = tailFrom[band]!; i < tailFrom[band + 1]!; i++) out[count++] = tailByBand[i]!;
        continue;
      }
      // Common: the band's rows (compacted ones first, then the tail's) that its complements do not list.
      const bandEnd = bandStart[band + 1]!;
      let tailFirst = bandStart[band]!;
      while (tailFirst < bandEnd && bandRows[tailFirst]! < mainRows) tailFirst++;
      count = difference(bandRows, bandStart[band]!, tailFirst, listed, 0, listed.length, out, count);
      count = difference(bandRows, tailFirst, bandEnd, tailRows, 0, tailRows.length, out, count);
    }
    inBand[BANDS] = count;
  }
}

/**
 * One search's view of the lists (PostingLists.begin): the compacted data and the tail as they were when it began.
 * A compaction replaces these arrays rather than changing them, and appends write past the lengths kept here.
 */
export class PostingWalk {
  constructor(
    private readonly data: Uint8Array,
    private readonly offsets: Uint32Array | null,
    private readonly dense: Uint8Array,
    private readonly tail: Uint8Array[],
    private readonly tailUsed: Uint32Array,
  ) {}

  /**
   * Counts one of the query's bits: afterwards `common` is exact for every row whose bit count lies in [least, most];
   * other rows get a meaningless count.
   */
  count(bit: number, least: number, most: number, common: Uint16Array): void {
    const sign = this.dense[bit] === 0 ? 1 : -1;
    const offsets = this.offsets;
    if (offsets !== null) {
      const base = bit * (BANDS + 1);
      const lastBand = bandOf(Math.min(most, 0xffff));
      for (let band = bandOf(Math.max(0, least)); band <= lastBand; band++) {
        walk(this.data, offsets[base + band]!, offsets[base + band + 1]!, common, sign);
      }
    }
    walk(this.tail[bit]!, 0, this.tailUsed[bit]!, common, sign);
  }
}

/** Rows added since the last compaction before a search compacts (at least; or an eighth of the compacted rows). */
const COMPACT_AFTER = 1024;

/** Bands of bit counts: 4 wide up to 128 bits (drug-sized molecules set 30-70), 16 wide up to 256, then one. */
const BANDS = 41;
function bandOf(popcount: number): number {
  return popcount < 128 ? popcount >> 2 : popcount < 256 ? 32 + ((popcount - 128) >> 4) : 40;
}

/**
 * Writes into `out` from `at` the values of a[aFrom, aTo) that are not in b[bFrom, bTo) (both ascending); returns
 * where the written values end.
 */
function difference(
  a: ArrayLike<number>,
  aFrom: number,
  aTo: number,
  b: ArrayLike<number>,
  bFrom: number,
  bTo: number,
  out: Uint32Array,
  at: number,
): number {
  let j = bFrom;
  for (let i = aFrom; i < aTo; i++) {
    const value = a[i]!;
    while (j < bTo && b[j]! < value) j++;
    if (j < bTo && b[j] === value) continue;
    out[at++] = value;
  }
  return at;
}

/** Appends the rows of the varint-gap list in list[from, to) to `rows`. */
function decode(list: Uint8Array, from: number, to: number, rows: number[]): number[] {
  let row = -1;
  for (let at = from; at < to;) {
    let byte = list[at++]!;
    let gap = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = list[at++]!;
      gap |= (byte & 0x7f) << shift;
    }
    row += gap;
    rows.push(row);
  }
  return rows;
}

function writeVarint(list: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    list[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  list[at++] = value;
  return at;
}

/**
 * Adds `sign` to `common[row]` for every row of the varint-gap list in list[from, to). The search's hot loop: decode's
 * loop written again rather than shared through a callback, which would cost a call per row.
 */
function walk(list: Uint8Array, from: number, to: number, common: Uint16Array, sign: 1 | -1): void {
  let row = -1;
  for (let at = from; at < to;) {
    let byte = list[at++]!;
    let gap = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = list[at++]!;
      gap |= (byte & 0x7f) << shift;
    }
    row += gap;
    common[row] = common[row]! + sign;
  }
}
