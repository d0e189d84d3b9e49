// A worker thread of `npm run bench:models` (tests/bench/models.mts), so that the MoleculeNet HIV run uses both cores:
// "read" fingerprints a share of the SMILES with RDKit (Morgan radius 2, 2048 bits, as the registry) and gives their
// scaffold keys (OpenChemLib, lib/models/scaffold.ts); "grow" grows some of the forest's trees (a tree depends only
// on the seed and its number, so which thread grows it does not change the forest). Relative imports: the thread loads
// this file with tsx's loader but outside the project's path aliases.
import { parentPort } from "node:worker_threads";
import { getRDKit } from "../../lib/chem/inchi";
import { growTree, type Bits, type ForestOptions, type Tree } from "../../lib/models/forest";
import { scaffoldKeyOfSmiles } from "../../lib/models/scaffold";
import { morganBits } from "../../lib/search/morgan";

export type WorkerTask =
  | { kind: "read"; smiles: string[] }
  | { kind: "grow"; bits: Uint16Array; offsets: Int32Array; labels: Float64Array; options: ForestOptions; trees: number[] };

export type WorkerAnswer =
  { kind: "read"; bits: Uint16Array; offsets: Int32Array; scaffolds: (string | null)[] } | { kind: "grow"; trees: Tree[] };

async function read(smiles: string[]): Promise<WorkerAnswer> {
  const rdkit = await getRDKit();
  const all: number[] = [];
  const offsets = new Int32Array(smiles.length + 1);
  const scaffolds: (string | null)[] = [];
  smiles.forEach((s, i) => {
    let bits: Uint16Array | null = null;
    try {
      bits = morganBits(rdkit, s);
    } catch {
      bits = null; // RDKit cannot read it: dropped, as MoleculeNet's featurizer drops it
    }
    let scaffold: string | null = null;
    if (bits) {
      try {
        scaffold = scaffoldKeyOfSmiles(s);
      } catch {
        scaffold = `unreadable:${s}`; // OpenChemLib cannot: a scaffold set of its own
      }
      all.push(...bits);
    }
    scaffolds.push(scaffold);
    offsets[i + 1] = all.length;
  });
  return { kind: "read", bits: Uint16Array.from(all), offsets, scaffolds };
}

export function unpack(bits: Uint16Array, offsets: Int32Array): Bits[] {
  return Array.from({ length: offsets.length - 1 }, (_, i) => bits.subarray(offsets[i], offsets[i + 1]));
}

parentPort?.on("message", (task: WorkerTask) => {
  void (async () => {
    if (task.kind === "read") {
      parentPort!.postMessage(await read(task.smiles));
    } else {
      const fingerprints = unpack(task.bits, task.offsets);
      const trees = task.trees.map((t) => growTree(fingerprints, task.labels, task.options, t));
      parentPort!.postMessage({ kind: "grow", trees } satisfies WorkerAnswer);
    }
  })();
});
