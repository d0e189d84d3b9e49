import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { sealLinks, verifyChain, type ChainLinkView, type SealedRecord } from "@/lib/integrity/chain";
import { GENESIS_HASH, type ChainKind } from "@/lib/integrity/model";
import type { Queryable } from "../index";
import { campaigns, chainLinks, entries, events, measurements, molecules, predictionSets, revisions, type Campaign } from "../schema";
import { requireCampaign } from "./campaigns";

/**
 * Sealing and checking a campaign's hash chain (lib/integrity). Records are not sealed in the transaction that writes
 * them — that would make every save of every kind wait on one lock per campaign — but right after, by whichever
 * process gets there first: a sealing holds the campaign's row lock, reads the records no link covers yet, and
 * appends their links in one transaction, so two processes never seal a record twice (and the unique index on kind
 * and record would refuse it if they tried). The sealing runner (server/integrity-runner.ts) calls it every minute;
 * every check and every archive seals first, so what they show is complete.
 */

/** Records sealed per transaction: a 41,000-molecule import is sealed in a few steps, never in one huge one. */
const SEAL_BATCH = 5_000;

const revisionColumns = {
  id: revisions.id,
  entryId: revisions.entryId,
  number: revisions.number,
  authorId: revisions.authorId,
  title: revisions.title,
  body: revisions.body,
  reactions: revisions.reactions,
  message: revisions.message,
  createdAt: revisions.createdAt,
};
const moleculeColumns = {
  id: molecules.id,
  campaignCode: molecules.campaignCode,
  inputSmiles: molecules.inputSmiles,
  smiles: molecules.smiles,
  molfile: molecules.molfile,
  formula: molecules.formula,
  inchikey: molecules.inchikey,
  registeredById: molecules.registeredById,
  createdAt: molecules.createdAt,
};
const measurementColumns = {
  id: measurements.id,
  moleculeId: measurements.moleculeId,
  assay: measurements.assay,
  target: measurements.target,
  lab: measurements.lab,
  value: measurements.value,
  unit: measurements.unit,
  qualifier: measurements.qualifier,
  measuredOn: measurements.measuredOn,
  entryId: measurements.entryId,
  addedById: measurements.addedById,
  createdAt: measurements.createdAt,
};

const predictionColumns = {
  id: predictionSets.id,
  assayLabel: predictionSets.assayLabel,
  name: predictionSets.name,
  description: predictionSets.description,
  method: predictionSets.method,
  unit: predictionSets.unit,
  submittedById: predictionSets.submittedById,
  modelId: predictionSets.modelId,
  rowCount: predictionSets.rowCount,
  hash: predictionSets.hash,
  submittedAt: predictionSets.submittedAt,
};

const unsealed = (kind: ChainKind, id: typeof revisions.id | typeof molecules.id | typeof measurements.id | typeof predictionSets.id) =>
  sql`not exists (select 1 from ${chainLinks} l where l.kind = ${kind} and l.record_id = ${id})`;

/** The campaign's records no link covers yet, oldest first, at most `limit` of each kind. */
async function unsealedRecords(db: Queryable, campaignId: number, limit: number): Promise<SealedRecord[]> {
  const [revs, mols, meas, preds] = await Promise.all([
    db
      .select(revisionColumns)
      .from(revisions)
      .innerJoin(entries, eq(entries.id, revisions.entryId))
      .where(and(eq(entries.campaignId, campaignId), unsealed("revision", revisions.id)))
      .orderBy(asc(revisions.createdAt), asc(revisions.id))
      .limit(limit),
    db
      .select(moleculeColumns)
      .from(molecules)
      .where(and(eq(molecules.campaignId, campaignId), unsealed("molecule", molecules.id)))
      .orderBy(asc(molecules.createdAt), asc(molecules.id))
      .limit(limit),
    db
      .select(measurementColumns)
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(and(eq(molecules.campaignId, campaignId), unsealed("measurement", measurements.id)))
      .orderBy(asc(measurements.createdAt), asc(measurements.id))
      .limit(limit),
    db
      .select(predictionColumns)
      .from(predictionSets)
      .where(and(eq(predictionSets.campaignId, campaignId), unsealed("prediction", predictionSets.id)))
      .orderBy(asc(predictionSets.submittedAt), asc(predictionSets.id))
      .limit(limit),
  ]);
  return [
    ...revs.map((record) => ({ kind: "revision" as const, record })),
    ...mols.map((record) => ({ kind: "molecule" as const, record })),
    ...meas.map((record) => ({ kind: "measurement" as const, record })),
    ...preds.map((record) => ({ kind: "prediction" as const, record })),
  ];
}

async function chainHead(db: Queryable, campaignId: number): Promise<{ seq: number; hash: string; sealedAt: Date | null }> {
  const [last] = await db
    .select({ seq: chainLinks.seq, hash: chainLinks.hash, sealedAt: chainLinks.sealedAt })
    .from(chainLinks)
    .where(eq(chainLinks.campaignId, campaignId))
    .orderBy(desc(chainLinks.seq))
    .limit(1);
  return last ?? { seq: 0, hash: GENESIS_HASH, sealedAt: null };
}

/** Seals every record of a campaign that no link covers yet; answers how many were sealed. */
export async function sealCampaign(db: Queryable, campaignId: number): Promise<number> {
  let sealed = 0;
  for (;;) {
    const added = await db.transaction(async (tx) => {
      // The campaign's row is its chain's lock: one sealing at a time, in any process.
      await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
      const records = await unsealedRecords(tx, campaignId, SEAL_BATCH);
      if (records.length === 0) return 0;
      // The oldest SEAL_BATCH of all kinds together: a kind's later records wait for the next round.
      const links = sealLinks(await chainHead(tx, campaignId), records).slice(0, SEAL_BATCH);
      for (let i = 0; i < links.length; i += 1_000) {
        await tx.insert(chainLinks).values(links.slice(i, i + 1_000).map((l) => ({ ...l, campaignId })));
      }
      return links.length;
    });
    sealed += added;
    if (added < SEAL_BATCH) return sealed;
  }
}

/** Seals every campaign (the runner's tick); answers the records sealed. */
export async function sealAllCampaigns(db: Queryable): Promise<number> {
  const all = await db.select({ id: campaigns.id }).from(campaigns).orderBy(asc(campaigns.id));
  let sealed = 0;
  for (const c of all) sealed += await sealCampaign(db, c.id);
  return sealed;
}

export interface IntegrityReport {
  campaign: string;
  ok: boolean;
  /** Links checked, and the hash of the last one that verified. */
  links: number;
  head: string;
  /** When the newest link was sealed. */
  sealedAt: Date | null;
  /** The first link that does not verify, and why. */
  failure: { seq: number; kind: string; recordId: number; reason: string } | null;
}

/** The links of a campaign in order, read in pages (a chain may be long). */
export async function* chainOf(db: Queryable, campaignId: number): AsyncGenerator<ChainLinkView[]> {
  let after = 0;
  for (;;) {
    const page = await db
      .select({
        seq: chainLinks.seq,
        kind: chainLinks.kind,
        recordId: chainLinks.recordId,
        prevHash: chainLinks.prevHash,
        hash: chainLinks.hash,
      })
      .from(chainLinks)
      .where(and(eq(chainLinks.campaignId, campaignId), gt(chainLinks.seq, after)))
      .orderBy(asc(chainLinks.seq))
      .limit(10_000);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.seq;
  }
}

/** Every sealed record of a campaign as it is stored now, by kind and id: what the chain is checked against. */
export async function sealedRecords(db: Queryable, campaignId: number): Promise<Record<ChainKind, Map<number, Record<string, unknown>>>> {
  const [revs, mols, meas, preds] = await Promise.all([
    db
      .select(revisionColumns)
      .from(revisions)
      .innerJoin(entries, eq(entries.id, revisions.entryId))
      .where(eq(entries.campaignId, campaignId)),
    db.select(moleculeColumns).from(molecules).where(eq(molecules.campaignId, campaignId)),
    db
      .select(measurementColumns)
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(eq(molecules.campaignId, campaignId)),
    db.select(predictionColumns).from(predictionSets).where(eq(predictionSets.campaignId, campaignId)),
  ]);
  const byId = <T extends { id: number }>(rows: T[]) => new Map<number, Record<string, unknown>>(rows.map((r) => [r.id, r]));
  return { revision: byId(revs), molecule: byId(mols), measurement: byId(meas), prediction: byId(preds) };
}

/** Seals what is new, then checks the whole chain of a campaign against the records as they are stored now. */
export async function verifyCampaign(db: Queryable, slug: string): Promise<IntegrityReport> {
  const campaign = await requireCampaign(db, slug);
  await sealCampaign(db, campaign.id);
  const records = await sealedRecords(db, campaign.id);
  const links: ChainLinkView[] = [];
  for await (const page of chainOf(db, campaign.id)) links.push(...page);
  const verdict = verifyChain(links, (kind, id) => records[kind as ChainKind]?.get(id));
  const { sealedAt } = await chainHead(db, campaign.id);
  return {
    campaign: slug,
    ok: verdict.ok,
    links: verdict.links,
    head: verdict.head,
    sealedAt,
    failure: verdict.ok ? null : verdict.failure,
  };
}

/** The chain head a campaign page shows: the newest link's hash and when it was sealed. */
export async function campaignChainHead(
  db: Queryable,
  campaign: Pick<Campaign, "id">,
): Promise<{ seq: number; hash: string; sealedAt: Date | null }> {
  return chainHead(db, campaign.id);
}

/**
 * Publishes, once a day, each campaign's chain head as it stood at the start of the day (UTC midnight): a public,
 * dated record of the head that anyone can compare an archive against later. The head of a past midnight no longer
 * changes, so every process that looks agrees on it; the campaign's row lock makes one of them write it, and a head
 * already published (nothing sealed since) is not published again. A notebook's first day has nothing to publish.
 */
export async function publishChainHeads(db: Queryable, now = new Date()): Promise<number> {
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const day = midnight.toISOString().slice(0, 10);
  const all = await db
    .select({ id: campaigns.id, name: campaigns.name, slug: campaigns.slug, createdById: campaigns.createdById })
    .from(campaigns);
  let published = 0;
  for (const c of all) {
    const wrote = await db.transaction(async (tx) => {
      await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, c.id)).for("update");
      const [head] = await tx
        .select({ seq: chainLinks.seq, hash: chainLinks.hash })
        .from(chainLinks)
        .where(and(eq(chainLinks.campaignId, c.id), lt(chainLinks.sealedAt, midnight)))
        .orderBy(desc(chainLinks.seq))
        .limit(1);
      if (!head) return false;
      const [last] = await tx
        .select({ summary: events.summary })
        .from(events)
        .where(and(eq(events.campaignId, c.id), eq(events.kind, "integrity.published")))
        .orderBy(desc(events.id))
        .limit(1);
      if (last && (last.summary.includes(head.hash) || last.summary.includes(`at ${day} 00:00 UTC`))) return false;
      await tx.insert(events).values({
        kind: "integrity.published",
        campaignId: c.id,
        actorId: c.createdById,
        title: `Chain head of ${c.name} on ${day}: ${head.hash.slice(0, 12)}… after ${head.seq.toLocaleString("en")} records`,
        summary: `SHA-256 chain head ${head.hash} (link ${head.seq}) at ${day} 00:00 UTC. Check a copy with GET /api/v1/campaigns/${c.slug}/integrity or its archive's verify.mjs.`,
        path: `/campaigns/${c.slug}`,
      });
      return true;
    });
    if (wrote) published++;
  }
  return published;
}
