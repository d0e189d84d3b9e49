/**
 * Morgan fingerprints as an inverted index: per bit, the rows that set it, ascending, as gaps from the row before
 * (LEB128 varints: one byte while the gap is under 128). A similarity search walks the lists of the query's bits only
 * (about 15 % of all the set bits for a drug-sized query) and counts common bits per row.
 */
export class PostingLists {
  private lists: Uint8Array[];
  private used: Uint32Array;
  private last: Int32Array;
  /** Bytes in use over all lists (spare capacity not counted). */
  bytes = 0;

  constructor(readonly bits: number) {
    this.lists = Array.from({ length: bits }, () => new Uint8Array(16));
    this.used = new Uint32Array(bits);
    this.last = new Int32Array(bits).fill(-1);
  }

  /** Appends `row` to the list of `bit`; rows arrive in increasing order. */
  add(bit: number, row: number): void {
    let gap = row - this.last[bit]!;
    this.last[bit] = row;
    let list = this.lists[bit]!;
    let at = this.used[bit]!;
    if (at + 5 > list.length) {
      const bigger = new Uint8Array(list.length * 2);
      bigger.set(list);
      list = bigger;
      this.lists[bit] = list;
    }
    const start = at;
    while (gap >= 0x80) {
      list[at++] = (gap & 0x7f) | 0x80;
      gap >>>= 7;
    }
    list[at++] = gap;
    this.used[bit] = at;
    this.bytes += at - start;
  }

  /** Adds one to `common[row]` for every row that sets `bit`. */
  count(bit: number, common: Uint16Array): void {
    const list = this.lists[bit]!;
    const end = this.used[bit]!;
    let row = -1;
    for (let at = 0; at < end; ) {
      let byte = list[at++]!;
      let gap = byte & 0x7f;
      for (let shift = 7; byte >= 0x80; shift += 7) {
        byte = list[at++]!;
        gap |= (byte & 0x7f) << shift;
      }
      row += gap;
      common[row]!++;
    }
  }

  /** Bytes the lists hold, spare capacity included. */
  capacityBytes(): number {
    return this.lists.reduce((sum, list) => sum + list.byteLength, 0);
  }
}
