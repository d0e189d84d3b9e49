import { fork, type ChildProcess } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { allocateNumbers } from "@/db/queries/molecules/registry";
import { moleculeValues, registryContext } from "@/db/queries/molecules/writes";
import { molecules } from "@/db/schema";
import type { ParsedStructure } from "@/lib/chem/structure";
import { formatCampaignId } from "@/lib/molecules/campaign-id";
import type { KeyedStructure } from "./import-design-worker.mts";
import { LEVELS, type Level } from "./import-levels";

// bench:import's measurement of the design issue 12 proposes, before building it: every structure read once by RDKit
// in two worker processes (import-design-worker.mts: keys, InChI, Morgan bits, search graph; OpenChemLib only for the
// properties), batches of 200 written as the product's fast path writes them (one block of numbers, one insert),
// the workers parsing the next two batches meanwhile. The keys go into the idcode columns, which have the indexes a
// key column would have. Not the product's import: what it would cost.

const BATCH = 200;
const CHUNK = 32;

interface Reply {
  id: number;
  out: (KeyedStructure | null)[];
  ms: number;
}

export interface DesignRun {
  seconds: number;
  waitingMs: number;
  writingMs: number;
  workerMs: number;
  stored: number;
}

/** Two design workers and a parse of a batch spread over them in chunks, as the import's pool spreads one. */
async function designWorkers(level?: Level) {
  const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "import-design-worker.mts");
  const workers = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<ChildProcess>((resolve) => {
          const child = fork(workerFile, [], { execArgv: ["--import", "tsx"], serialization: "advanced" });
          child.once("message", () => resolve(child));
        }),
    ),
  );
  const idle = [...workers];
  const waiting: (() => void)[] = [];
  const pending = new Map<number, (reply: Reply) => void>();
  let workerMs = 0;
  let nextId = 0;
  for (const worker of workers) {
    worker.on("message", (reply: Reply) => {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
      idle.push(worker);
      waiting.shift()?.();
    });
  }
  const parse = async (chunk: string[]): Promise<(KeyedStructure | null)[]> => {
    while (idle.length === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    const worker = idle.pop()!;
    const id = nextId++;
    const reply = await new Promise<Reply>((resolve) => {
      pending.set(id, resolve);
      worker.send({ id, smiles: chunk, level });
    });
    workerMs += reply.ms;
    return reply.out;
  };
  return {
    parseBatch: async (batch: string[]) => {
      const chunks: Promise<(KeyedStructure | null)[]>[] = [];
      for (let i = 0; i < batch.length; i += CHUNK) chunks.push(parse(batch.slice(i, i + CHUNK)));
      return (await Promise.all(chunks)).flat();
    },
    workerMs: () => workerMs,
    close: () => workers.forEach((worker) => worker.kill()),
  };
}

export async function keyedImport(database: Database, actorId: number, slug: string, smiles: readonly string[]): Promise<DesignRun> {
  const { parseBatch, workerMs, close } = await designWorkers();
  try {
    const { db } = database;
    const campaign = await requireCampaign(db, slug);
    const ctx = await registryContext(db, campaign, actorId);
    const started = performance.now();
    const batches: string[][] = [];
    for (let i = 0; i < smiles.length; i += BATCH) batches.push(smiles.slice(i, i + BATCH));
    const ahead = batches.slice(0, 2).map(parseBatch);
    let waitingMs = 0;
    let writingMs = 0;
    let stored = 0;
    for (let b = 0; b < batches.length; b++) {
      const waitStart = performance.now();
      const parsed = await ahead.shift()!;
      const writeStart = performance.now();
      waitingMs += writeStart - waitStart;
      if (b + 2 < batches.length) ahead.push(parseBatch(batches[b + 2]!));
      const rows = parsed.flatMap((structure, i) => (structure ? [{ structure, smiles: batches[b]![i]! }] : []));
      const seen = new Set<string>();
      const fresh = rows.filter((row) => !seen.has(row.structure.key) && seen.add(row.structure.key));
      await db.transaction(async (tx) => {
        const keys = fresh.map((row) => row.structure.key);
        // The duplicate check the product's fast path makes per batch, on the key's hash index.
        const known = await tx
          .select({ id: molecules.id })
          .from(molecules)
          .where(and(eq(molecules.campaignId, campaign.id), inArray(molecules.idcode, keys)));
        if (known.length > 0) throw new Error("the HIV set has no duplicate structures");
        const first = await allocateNumbers(tx, campaign.id, ctx.prefix, ctx.defaultSite, fresh.length);
        const values = fresh.map(({ structure: s, smiles: given }, i) => {
          const number = first + i;
          const { key, keyNoStereo, parentKey, inchi, record, ...properties } = s;
          const structure = { idcode: key, idcodeNoStereo: keyNoStereo, parentIdcode: parentKey, smiles: key, molfile: null, ...properties } satisfies ParsedStructure;
          return moleculeValues(ctx, { code: formatCampaignId({ prefix: ctx.prefix, site: ctx.defaultSite, number }), site: ctx.defaultSite, number }, {
            name: null,
            series: null,
            inputSmiles: given,
            structure,
            inchi,
            searchRecord: record,
            keys: { key, keyNoStereo, parentKey },
            aliases: [],
          });
        });
        await tx.insert(molecules).values(values).returning({ id: molecules.id });
      });
      stored += fresh.length;
      writingMs += performance.now() - writeStart;
    }
    return { seconds: (performance.now() - started) / 1000, waitingMs, writingMs, workerMs: workerMs(), stored };
  } finally {
    close();
  }
}

/**
 * The design's chemistry alone, level by level (import-design-worker.mts LEVELS), on both cores with nothing
 * written: all rows parsed in batches, two batches in flight as in the import. The first level is the work the
 * cartridge does (canonical SMILES, InChIKey, Morgan bits) in RDKit's WebAssembly: what no design with this toolkit
 * on these cores can go under. Returns the seconds of each level.
 */
export async function workLadder(smiles: readonly string[]): Promise<Map<Level, number>> {
  const seconds = new Map<Level, number>();
  for (const level of LEVELS) {
    const { parseBatch, close } = await designWorkers(level);
    try {
      const started = performance.now();
      const inFlight: Promise<unknown>[] = [];
      for (let i = 0; i < smiles.length; i += BATCH) {
        inFlight.push(parseBatch(smiles.slice(i, i + BATCH)));
        if (inFlight.length >= 2) await inFlight.shift();
      }
      await Promise.all(inFlight);
      seconds.set(level, (performance.now() - started) / 1000);
    } finally {
      close();
    }
  }
  return seconds;
}
