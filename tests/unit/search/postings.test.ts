import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/predictions/score";
import { PostingLists } from "@/lib/search/postings";

// The inverted index of Morgan bits against counting common bits row by row: with common bits kept as complements,
// rows banded by bit count, rows added after a compaction, and searches that use only some bands.

const BITS = 256;

/** Fingerprints with a few bits most rows set (kept as complements) and bit counts from 1 to 300 (every band). */
function fingerprints(n: number, seed: number): Uint16Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const set = new Set<number>();
    for (let bit = 0; bit < 4; bit++) if (random() < 0.9) set.add(bit);
    const size = random() < 0.1 ? Math.floor(random() * 300) : Math.floor(random() * 60);
    while (set.size < Math.min(size, BITS)) set.add(Math.floor(random() * BITS));
    if (set.size === 0) set.add(4 + Math.floor(random() * (BITS - 4)));
    return Uint16Array.from([...set].sort((a, b) => a - b));
  });
}

function commonBits(a: Uint16Array, b: Uint16Array): number {
  const inA = new Set(a);
  return [...b].filter((bit) => inA.has(bit)).length;
}

function counts(lists: PostingLists, rows: Uint16Array[], query: Uint16Array, least: number, most: number): Uint16Array {
  const popcounts = Uint16Array.from(rows, (row) => row.length);
  const common = new Uint16Array(rows.length);
  const walk = lists.begin(query, common, popcounts);
  for (const bit of query) walk.count(bit, least, most, common);
  return common;
}

describe("Morgan posting lists", () => {
  const rows = fingerprints(6000, 7);
  const queries = fingerprints(25, 11);
  const ranges: [number, number][] = [
    [0, 0xffff],
    [10, 40],
    [33, 34],
    [150, 299],
  ];

  function expectExact(lists: PostingLists, upTo: number): void {
    for (const query of queries) {
      for (const [least, most] of ranges) {
        const common = counts(lists, rows.slice(0, upTo), query, least, most);
        for (let row = 0; row < upTo; row++) {
          const bits = rows[row]!.length;
          if (bits < least || bits > most) continue;
          if (common[row] !== commonBits(query, rows[row]!)) {
            throw new Error(`row ${row} (${bits} bits), query of ${query.length}, bands ${least}-${most}: ${common[row]} common bits`);
          }
        }
      }
    }
  }

  it("counts common bits exactly before, across and after compactions", () => {
    const lists = new PostingLists(BITS);
    // 500 rows: all in the tail (no compaction yet).
    rows.slice(0, 500).forEach((bits, row) => lists.add(row, bits));
    expectExact(lists, 500);
    // 3,000 rows: the first search compacts; common bits become complements.
    rows.slice(500, 3000).forEach((bits, row) => lists.add(500 + row, bits));
    expectExact(lists, 3000);
    // A few rows more stay in the tail (dense bits listed as complements there too) ...
    rows.slice(3000, 3200).forEach((bits, row) => lists.add(3000 + row, bits));
    expectExact(lists, 3200);
    // ... and a compaction merges tail and bands.
    rows.slice(3200).forEach((bits, row) => lists.add(3200 + row, bits));
    lists.compact(Uint16Array.from(rows, (row) => row.length));
    expectExact(lists, rows.length);
  });

  it("keeps a bit that becomes rare again as a plain list", () => {
    const lists = new PostingLists(8);
    const common = Uint16Array.of(0, 1);
    const many = Array.from({ length: 1100 }, () => common);
    const few = Array.from({ length: 3000 }, () => Uint16Array.of(2));
    const all = [...many, ...few];
    const popcounts = Uint16Array.from(all, (row) => row.length);
    many.forEach((bits, row) => lists.add(row, bits));
    lists.compact(popcounts); // bits 0 and 1: every row has them
    expect(counts(lists, many, Uint16Array.of(0, 1), 0, 10).every((c) => c === 2)).toBe(true);
    few.forEach((bits, row) => lists.add(1100 + row, bits));
    lists.compact(popcounts); // now in a quarter of the rows
    const hits = counts(lists, all, Uint16Array.of(0, 2), 0, 10);
    expect([...hits.slice(0, 1100)].every((c) => c === 1)).toBe(true);
    expect([...hits.slice(1100)].every((c) => c === 1)).toBe(true);
  });

  it("counts the lists as they were when a search began, whatever is added or compacted while it yields", () => {
    const lists = new PostingLists(BITS);
    // 3,000 rows where bits 0-3 are common (kept as complements), then 6,000 without them: after the second
    // compaction they are plain lists again, which a walk begun before it must not mix with the complements.
    const later = Array.from({ length: 6000 }, (_, i) => Uint16Array.of(10 + (i % 7), 40 + (i % 11)));
    const all = [...rows.slice(0, 3000), ...later];
    const popcounts = Uint16Array.from(all, (row) => row.length);
    all.slice(0, 3000).forEach((bits, row) => lists.add(row, bits));
    lists.compact(popcounts);
    const query = Uint16Array.of(0, 1, 2, 3, 10, 40);
    const common = new Uint16Array(3000);
    const walk = lists.begin(query, common, popcounts);
    walk.count(query[0]!, 0, 0xffff, common);
    all.slice(3000).forEach((bits, row) => lists.add(3000 + row, bits));
    lists.compact(popcounts);
    for (const bit of query.slice(1)) walk.count(bit, 0, 0xffff, common);
    for (let row = 0; row < 3000; row++) expect(common[row], `row ${row}`).toBe(commonBits(query, all[row]!));
    // A search begun now sees the plain lists, and every row.
    expect([...counts(lists, all, query, 0, 0xffff)]).toEqual(all.map((row) => commonBits(query, row)));
  });

  it("refuses a row out of order", () => {
    const lists = new PostingLists(BITS);
    lists.add(0, Uint16Array.of(1));
    expect(() => lists.add(2, Uint16Array.of(1))).toThrow(/row 2/);
  });
});
