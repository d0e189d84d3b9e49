import { mulberry32 } from "../predictions/score";
import { MORGAN } from "../search/morgan";

/**
 * A random forest on binary sparse fingerprints: the sorted positions of the set bits of RDKit's Morgan fingerprint
 * (lib/search/morgan.ts), 2048 bits of which a drug-sized molecule sets 30-70. Regression on pIC50, and binary
 * classification when the values are 0/1 (for two classes the Gini decrease is twice the variance decrease, so the
 * same split rule serves both and a leaf's mean is the share of actives).
 *
 * Our own, not mljs `ml-random-forest` (2.1.0, on ml-cart 2.1.1), measured side by side on OSM Series 4 (167
 * molecules with a Pfal IC50, 58 scaffolds; 100 trees, a third of the features per split; the same scaffold-grouped
 * 5-fold CV and time split, i.e. six forests; one core of this shared, busy machine):
 *   ours, minLeaf 1          CV RMSE 0.73, Spearman 0.30; time split RMSE 0.63, Spearman 0.54;   0.4 s CPU
 *   ours, minLeaf 2          CV RMSE 0.71, Spearman 0.33; time split RMSE 0.64, Spearman 0.48;   0.2 s CPU
 *   ml-random-forest, min 2  CV RMSE 0.72, Spearman 0.31; time split RMSE 0.63, Spearman 0.48;   ~420 s CPU (638 s)
 * The same accuracy, about a thousand times faster: ml-cart takes a dense matrix (2048 numbers per molecule;
 * MoleculeNet HIV's 33,000 training molecules would be 540 MB of doubles before it starts) and sorts and scans every
 * candidate feature as a continuous one. Here a split is "bit set or not": a node's per-bit counts and value sums
 * score every candidate split at once, and they come from the parent (only the smaller child is counted, the larger
 * is the parent minus it), so a fully grown tree on HIV's 33,000 molecules takes about 0.2 s.
 *
 * As Breiman's forest: each tree grows on a bootstrap sample; at each node `maxFeatures` of the bits that vary among
 * the node's molecules are drawn and the best of them is taken (scikit-learn likewise skips constant features
 * when it draws); a node stops splitting below 2 × minLeaf molecules or when no split reduces the variance.
 * Deterministic for a seed: tree t draws from its own generator seeded from (seed, t), so trees can be grown in any
 * order or on several threads and give the same forest.
 */

/** A fingerprint as the models read it: the sorted positions of its set bits. */
export type Bits = Uint16Array;

export const FINGERPRINT_BITS = MORGAN.nBits;

export interface ForestOptions {
  /** Default 150. */
  trees?: number;
  /**
   * How many of the bits that vary in a node are tried: "third" (the default; Breiman's p/3 for regression),
   * "sqrt" (the usual choice for a classifier), or a share between 0 and 1.
   */
  maxFeatures?: "sqrt" | "third" | number;
  /** Molecules at least in each leaf. Default 1 (fully grown trees, as scikit-learn). */
  minLeaf?: number;
  /** Default 1. */
  seed?: number;
}

/**
 * One tree as plain arrays, its nodes in pre-order: `bit[i]` is the bit node i tests, or -1 for a leaf. For a split
 * node, its child for "bit not set" is node i + 1 and `next[i]` is the index of its child for "bit set"; for a leaf,
 * `next[i]` is its value.
 */
export interface Tree {
  bit: number[];
  next: number[];
}

/** The forest, already plain JSON (arrays of numbers only): what a trained model stores. */
export interface Forest {
  trees: Tree[];
}

const DEFAULTS = { trees: 150, minLeaf: 1, seed: 1 };

/** Trains a forest of regression trees on fingerprints and their values (0/1 for a classifier). */
export function trainForest(fingerprints: readonly Bits[], values: ArrayLike<number>, options: ForestOptions = {}): Forest {
  const count = options.trees ?? DEFAULTS.trees;
  const trees: Tree[] = [];
  for (let t = 0; t < count; t++) trees.push(growTree(fingerprints, values, options, t));
  return { trees };
}

/**
 * Per bit, how many of a node's molecules have it and the sum of their values, with the list of the bits present
 * (so that nothing walks all 2048 bits); and the node's own sums.
 */
interface NodeStats {
  have: Int32Array;
  sum: Float64Array;
  present: Int32Array;
  count: number;
  total: number;
  squares: number;
}

/**
 * Scratch buffers, reused from tree to tree (one tree grows at a time in a thread): a small forest's trees are so
 * quick that allocating 32 kB of statistics per level of each made up most of their time. A NodeStats kept here has
 * its `present` list covering all its non-zero entries; at most SPARE are kept (8 MB), the rest are left to the GC.
 */
const spare: NodeStats[] = [];
const SPARE = 256;
const varying = new Int32Array(FINGERPRINT_BITS);

/** Tree number `index` of the forest trainForest makes with these options (for growing trees on several threads). */
export function growTree(fingerprints: readonly Bits[], values: ArrayLike<number>, options: ForestOptions, index: number): Tree {
  const n = fingerprints.length;
  if (n === 0) throw new Error("a forest needs at least one molecule");
  if (values.length !== n) throw new Error("one value per fingerprint");
  const minLeaf = Math.max(1, options.minLeaf ?? DEFAULTS.minLeaf);
  const tries = featureCount(options.maxFeatures ?? "third");
  const random = generator(options.seed ?? DEFAULTS.seed, index);

  const samples = new Int32Array(n);
  for (let i = 0; i < n; i++) samples[i] = Math.floor(random() * n);

  // A node's statistics come from its parent's: only the smaller child is counted, the larger is the parent minus
  // it. Without this, a fully grown tree on imbalanced data (HIV: 4 % active) recounts its big inactive node at
  // every one of hundreds of levels.
  const take = (): NodeStats =>
    spare.pop() ?? {
      have: new Int32Array(FINGERPRINT_BITS),
      sum: new Float64Array(FINGERPRINT_BITS),
      present: new Int32Array(FINGERPRINT_BITS),
      count: 0,
      total: 0,
      squares: 0,
    };
  const count = (stats: NodeStats, from: number, to: number): NodeStats => {
    const { have, sum, present } = stats;
    for (let k = 0; k < stats.count; k++) {
      have[present[k]!] = 0;
      sum[present[k]!] = 0;
    }
    let found = 0;
    let total = 0;
    let squares = 0;
    for (let i = from; i < to; i++) {
      const s = samples[i]!;
      const y = values[s]!;
      total += y;
      squares += y * y;
      const fp = fingerprints[s]!;
      for (let k = 0; k < fp.length; k++) {
        const b = fp[k]!;
        if (have[b] === 0) present[found++] = b;
        have[b]!++;
        sum[b]! += y;
      }
    }
    stats.count = found;
    stats.total = total;
    stats.squares = squares;
    return stats;
  };

  const bit: number[] = [];
  const next: number[] = [];
  // Pending nodes: [start, end, parent]; parent < 0 for the "bit not set" child, which is always the next node made.
  const stack: number[] = [0, n, -1];
  const pending: NodeStats[] = [count(take(), 0, n)];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const stats = pending.pop()!;
    const node = bit.length;
    if (parent >= 0) next[parent] = node;

    const { have, sum, total, squares } = stats;
    const size = end - start;
    const base = (total * total) / size;
    let best = -1;
    if (size >= 2 * minLeaf && squares - base > 1e-12 * Math.max(1, squares)) {
      // The bits that vary here, drawn from without replacement until `tries` have been looked at and one of them
      // could split (a bit that leaves a side below minLeaf does not count as found).
      let pool = 0;
      let kept = 0;
      for (let k = 0; k < stats.count; k++) {
        const b = stats.present[k]!;
        if (have[b] === 0) {
          sum[b] = 0; // gone from this node (the smaller child took all of it): drop it, and any rounding left
          continue;
        }
        stats.present[kept++] = b;
        if (have[b]! < size) varying[pool++] = b;
      }
      stats.count = kept;
      const want = tries(pool);
      let bestScore = base + 1e-12 * Math.max(1, Math.abs(base));
      for (let j = 0; j < pool && (j < want || best < 0); j++) {
        const pick = j + Math.floor(random() * (pool - j));
        const b = varying[pick]!;
        varying[pick] = varying[j]!;
        varying[j] = b;
        const left = have[b]!;
        if (left < minLeaf || size - left < minLeaf) continue;
        const inside = sum[b]!;
        const score = (inside * inside) / left + ((total - inside) * (total - inside)) / (size - left);
        if (score > bestScore) {
          bestScore = score;
          best = b;
        }
      }
    }
    if (best < 0) {
      bit.push(-1);
      next.push(Number((total / size).toPrecision(7)));
      if (spare.length < SPARE) spare.push(stats);
      continue;
    }
    // Molecules without the bit first: [start, middle) goes to node + 1, [middle, end) to the "bit set" child.
    let middle = start;
    for (let i = start; i < end; i++) {
      const s = samples[i]!;
      if (!hasBit(fingerprints[s]!, best)) {
        samples[i] = samples[middle]!;
        samples[middle++] = s;
      }
    }
    const unsetIsSmaller = middle - start < end - middle;
    const small = unsetIsSmaller ? count(take(), start, middle) : count(take(), middle, end);
    for (let k = 0; k < small.count; k++) {
      const b = small.present[k]!;
      have[b]! -= small.have[b]!;
      sum[b]! -= small.sum[b]!;
    }
    stats.total -= small.total;
    stats.squares -= small.squares;
    bit.push(best);
    next.push(0);
    stack.push(middle, end, node, start, middle, -1);
    pending.push(unsetIsSmaller ? stats : small, unsetIsSmaller ? small : stats);
  }
  return { bit, next };
}

/** Every tree's value for one fingerprint (given as its bits set in `mask`, one byte per bit). */
export function treeValues(forest: Forest, mask: Uint8Array): number[] {
  return forest.trees.map((tree) => {
    let node = 0;
    for (let b = tree.bit[0]!; b >= 0; b = tree.bit[node]!) node = mask[b] ? tree.next[node]! : node + 1;
    return tree.next[node]!;
  });
}

/** The forest's prediction, the mean over trees, and its uncertainty, their standard deviation. */
export function predictForest(forest: Forest, fingerprint: ArrayLike<number>): { value: number; uncertainty: number } {
  const values = treeValues(forest, bitMask(fingerprint));
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let spread = 0;
  for (const v of values) spread += (v - mean) ** 2;
  return { value: mean, uncertainty: Math.sqrt(spread / values.length) };
}

/** One byte per fingerprint bit, 1 where the bit is set (bits outside the fingerprint's range are ignored). */
export function bitMask(fingerprint: ArrayLike<number>, into = new Uint8Array(FINGERPRINT_BITS)): Uint8Array {
  into.fill(0);
  for (let i = 0; i < fingerprint.length; i++) {
    const b = fingerprint[i]!;
    if (b >= 0 && b < FINGERPRINT_BITS) into[b] = 1;
  }
  return into;
}

function hasBit(fingerprint: Bits, b: number): boolean {
  let low = 0;
  let high = fingerprint.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fingerprint[mid]! < b) low = mid + 1;
    else high = mid;
  }
  return low < fingerprint.length && fingerprint[low] === b;
}

function featureCount(option: "sqrt" | "third" | number): (pool: number) => number {
  if (option === "sqrt") return (pool) => Math.max(1, Math.ceil(Math.sqrt(pool)));
  if (option === "third") return (pool) => Math.max(1, Math.ceil(pool / 3));
  if (!(option > 0 && option <= 1)) throw new Error("maxFeatures must be a share between 0 and 1");
  return (pool) => Math.max(1, Math.ceil(pool * option));
}

/** A seeded generator for tree `index`: its own stream (mulberry32 of a mixed seed), whatever order trees are grown in. */
function generator(seed: number, index: number): () => number {
  return mulberry32((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}
