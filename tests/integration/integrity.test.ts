// A campaign's verifiable history on both databases: revisions, registrations and measurements are sealed into a
// hash chain; the whole chain verifies; a row edited directly in the database (behind the notebook's back, triggers
// disabled as an intruder with the database's password would) fails verification at exactly that record; sealing
// from several processes at once seals each record once; the head of each past midnight is published in the feed.
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { campaignChainHead, publishChainHeads, sealCampaign, verifyCampaign } from "@/db/queries/integrity";
import { chainLinks, events, measurements, molecules, revisions } from "@/db/schema";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, refusal } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, createEntry, registerMolecule, updateEntry } from "./support/use-cases";

afterAll(async () => {
  await closeSharedChemPool();
});

const today = () => new Date().toISOString().slice(0, 10);

async function campaignWithHistory(db: Db) {
  const chemist = await makeUser(db, "ada-bench");
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], `H${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const entry = await createEntry(db, chemist, { campaign: made.slug, date: today(), title: "SNAr", body: "NaH, THF, 0 °C." });
  await updateEntry(db, chemist, entry.id, { body: "NaH, THF, 0 °C; 3 h.", baseRevision: entry.revisionId });
  const a = (await registerMolecule(db, chemist, { campaign: made.slug, smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23" })).molecule;
  const b = (await registerMolecule(db, chemist, { campaign: made.slug, smiles: "Clc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23" })).molecule;
  await addMeasurement(db, chemist, a.code, { assay: "IC50", target: "Pfal", value: 0.534, unit: "µM", entryId: entry.id });
  await addMeasurement(db, chemist, b.code, { assay: "IC50", target: "Pfal", value: 0.0574, unit: "µM" });
  const campaign = await requireCampaign(db, made.slug);
  return { ...made, campaign, chemist, entry, a, b };
}

/** Runs a statement with the table's append-only triggers off, as someone with the database's password could. */
async function behindTheBack(db: Db, table: "revisions" | "measurements", statement: ReturnType<typeof sql>) {
  await db.execute(sql.raw(`alter table ${table} disable trigger user`));
  try {
    await db.execute(statement);
  } finally {
    await db.execute(sql.raw(`alter table ${table} enable trigger user`));
  }
}

describeEachDatabase("a campaign's hash chain", (get) => {
  it("seals every revision, registration and measurement once, and verifies; new records extend the chain", async () => {
    const { db } = get();
    const w = await campaignWithHistory(db);
    expect(await sealCampaign(db, w.campaign.id)).toBe(6); // 2 revisions, 2 molecules, 2 measurements
    expect(await sealCampaign(db, w.campaign.id)).toBe(0);
    const report = await verifyCampaign(db, w.slug);
    expect(report).toMatchObject({ ok: true, links: 6, failure: null });
    expect(report.head).toBe((await campaignChainHead(db, w.campaign)).hash);

    await addMeasurement(db, w.chemist, w.b.code, { assay: "IC50", target: "Pfal (K1)", value: 0.2, unit: "µM" });
    const longer = await verifyCampaign(db, w.slug); // seals the new result first
    expect(longer).toMatchObject({ ok: true, links: 7 });
    const [last] = await db
      .select()
      .from(chainLinks)
      .where(and(eq(chainLinks.campaignId, w.campaign.id), eq(chainLinks.seq, 7)));
    expect(last).toMatchObject({ kind: "measurement", prevHash: report.head, hash: longer.head });
    // The chain itself is append-only.
    expect(await refusal(db.execute(sql`update chain_links set hash = ${"0".repeat(64)} where campaign_id = ${w.campaign.id}`))).toMatch(
      /append-only/,
    );
  });

  it("fails verification at exactly the record edited directly in the database", async () => {
    const { db } = get();
    const w = await campaignWithHistory(db);
    await sealCampaign(db, w.campaign.id);
    const linkOf = async (kind: "revision" | "molecule" | "measurement", recordId: number) =>
      (
        await db
          .select({ seq: chainLinks.seq })
          .from(chainLinks)
          .where(and(eq(chainLinks.kind, kind), eq(chainLinks.recordId, recordId)))
      )[0]!.seq;

    // A potency made better than it was measured.
    const [result] = await db.select({ id: measurements.id }).from(measurements).where(eq(measurements.moleculeId, w.a.id));
    await behindTheBack(db, "measurements", sql`update measurements set value = 0.0534 where id = ${result!.id}`);
    const broken = await verifyCampaign(db, w.slug);
    expect(broken.ok).toBe(false);
    expect(broken.failure).toEqual({
      seq: await linkOf("measurement", result!.id),
      kind: "measurement",
      recordId: result!.id,
      reason: "the record was changed after it was sealed",
    });
    await behindTheBack(db, "measurements", sql`update measurements set value = 0.534 where id = ${result!.id}`);
    expect((await verifyCampaign(db, w.slug)).ok).toBe(true);

    // A revision's text rewritten.
    const [first] = await db
      .select({ id: revisions.id })
      .from(revisions)
      .where(and(eq(revisions.entryId, w.entry.id), eq(revisions.number, 1)));
    await behindTheBack(db, "revisions", sql`update revisions set body = 'NaH, DMF, rt.' where id = ${first!.id}`);
    expect((await verifyCampaign(db, w.slug)).failure).toMatchObject({
      kind: "revision",
      recordId: first!.id,
      seq: await linkOf("revision", first!.id),
    });
    await behindTheBack(db, "revisions", sql`update revisions set body = 'NaH, THF, 0 °C.' where id = ${first!.id}`);

    // A registered structure swapped (molecules are not append-only: parking changes them, which the chain allows).
    await db.update(molecules).set({ status: "parked", parkReason: "inactive", parkedAt: new Date() }).where(eq(molecules.id, w.b.id));
    expect((await verifyCampaign(db, w.slug)).ok).toBe(true);
    await db.update(molecules).set({ smiles: "Brc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23" }).where(eq(molecules.id, w.b.id));
    expect((await verifyCampaign(db, w.slug)).failure).toMatchObject({
      kind: "molecule",
      recordId: w.b.id,
      reason: "the record was changed after it was sealed",
    });
  });

  it("seals each record once when several processes seal at the same time", async () => {
    const { db } = get();
    const w = await campaignWithHistory(db);
    const counts = await Promise.all([sealCampaign(db, w.campaign.id), sealCampaign(db, w.campaign.id), sealCampaign(db, w.campaign.id)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(6);
    const links = await db.select().from(chainLinks).where(eq(chainLinks.campaignId, w.campaign.id));
    expect(links.map((l) => l.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await verifyCampaign(db, w.slug)).ok).toBe(true);
  });

  it("publishes the chain head as it stood at midnight, once a day and only when it moved", async () => {
    const { db } = get();
    const w = await campaignWithHistory(db);
    await sealCampaign(db, w.campaign.id);
    const now = new Date();
    const day = 86_400_000;
    const published = () =>
      db
        .select()
        .from(events)
        .where(and(eq(events.campaignId, w.campaign.id), eq(events.kind, "integrity.published")));
    // Everything was sealed today: there is no head of a past midnight to publish yet.
    await publishChainHeads(db, now);
    expect(await published()).toEqual([]);
    await publishChainHeads(db, new Date(now.getTime() + day));
    await publishChainHeads(db, new Date(now.getTime() + day));
    const [first, ...none] = await published();
    expect(none).toEqual([]);
    expect(first!.summary).toContain((await campaignChainHead(db, w.campaign)).hash);
    // The next day without anything new: nothing to publish. After a new result, the day after: published again.
    await publishChainHeads(db, new Date(now.getTime() + 2 * day));
    expect(await published()).toHaveLength(1);
    await addMeasurement(db, w.chemist, w.a.code, { assay: "IC50", target: "Pfal (3D7)", value: 0.4, unit: "µM" });
    await sealCampaign(db, w.campaign.id);
    await publishChainHeads(db, new Date(now.getTime() + 3 * day));
    const both = await published();
    expect(both).toHaveLength(2);
    expect(both[1]!.summary).toContain((await campaignChainHead(db, w.campaign)).hash);
  });
});
