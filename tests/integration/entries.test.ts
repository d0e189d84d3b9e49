import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { deleteEntry, getEntry, restoreEntry } from "@/db/queries/entries";
import { getRevision, listEntries, listRevisions } from "@/db/queries/entry-lists";
import { entries, revisions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { today } from "@/lib/entries/input";
import { describeEachDatabase } from "./support/databases";
import { makeCampaign, makeUser } from "./support/seed";
import { createEntry, updateEntry } from "./support/use-cases";

async function rejects<C extends AppError["code"]>(promise: Promise<unknown>, code: C, field?: string): Promise<AppError<C>> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (field) expect((error as AppError).message).toContain(field);
  return error as AppError<C>;
}

describeEachDatabase("entries", (get) => {
  it("writes the first revision with the entry and dates it by the server, not the client", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const before = Date.now();
    const entry = await createEntry(db, author, { campaign: slug, date: "2024-03-01", title: "Amide coupling of OSM-S-106", body: "Stirred **overnight**." });
    expect(entry.date).toBe("2024-03-01");
    expect(entry.createdAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(entry.revisionNumber).toBe(1);
    const [first] = await listRevisions(db, entry.id);
    expect(first).toMatchObject({ id: entry.revisionId, number: 1, title: "Amide coupling of OSM-S-106", body: "Stirred **overnight**." });
  });

  it("an edit inserts one revision and changes none of the existing ones", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "Day 1", body: "v1" });
    const second = await updateEntry(db, author, entry.id, { body: "v2", baseRevision: entry.revisionId });
    const before = await db.select().from(revisions).where(eq(revisions.entryId, entry.id));
    const third = await updateEntry(db, author, entry.id, { body: "v3", title: "Day 1, again", baseRevision: second.entry.revisionId });
    const after = await db.select().from(revisions).where(eq(revisions.entryId, entry.id));
    expect(after).toHaveLength(before.length + 1);
    for (const row of before) expect(after.find((r) => r.id === row.id)).toEqual(row);
    expect(third.entry).toMatchObject({ title: "Day 1, again", body: "v3", revisionNumber: 3 });
    expect((await getRevision(db, entry.id, 1))?.body).toBe("v1");
  });

  it("the database refuses to update, delete or truncate revisions", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "Immutable", body: "x" });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => "accepted",
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(await refusal(db.update(revisions).set({ body: "rewritten" }).where(eq(revisions.entryId, entry.id)))).toMatch(/append-only/);
    expect(await refusal(db.delete(revisions).where(eq(revisions.entryId, entry.id)))).toMatch(/append-only/);
    expect(await refusal(db.execute(sql`truncate revisions cascade`))).toMatch(/append-only/);
    expect((await getRevision(db, entry.id, 1))?.body).toBe("x");
  });

  it("a save based on a stale revision is a conflict that carries the newer version and writes nothing", async () => {
    const { db } = get();
    const alice = await makeUser(db, "alice");
    const { slug, maintainer } = await makeCampaign(db, [{ actor: alice, role: "member" }]);
    const entry = await createEntry(db, alice, { campaign: slug, date: today(), title: "Shared", body: "original" });
    await updateEntry(db, maintainer, entry.id, { body: "maintainer's edit", baseRevision: entry.revisionId });
    const error = await rejects(updateEntry(db, alice, entry.id, { body: "alice's edit", baseRevision: entry.revisionId }), "conflict");
    expect(error.status).toBe(409);
    expect(error.details?.current).toMatchObject({ body: "maintainer's edit", number: 2, author: maintainer.login });
    expect(await listRevisions(db, entry.id)).toHaveLength(2);
    expect((await getEntry(db, entry.id))?.body).toBe("maintainer's edit");
  });

  it("of two concurrent saves on the same base exactly one wins", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug, maintainer } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "Race", body: "0" });
    const results = await Promise.allSettled([
      updateEntry(db, author, entry.id, { body: "author", baseRevision: entry.revisionId }),
      updateEntry(db, maintainer, entry.id, { body: "maintainer", baseRevision: entry.revisionId }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("conflict");
    expect(await listRevisions(db, entry.id)).toHaveLength(2);
  });

  it("a member cannot edit or delete another member's entry; a maintainer can", async () => {
    const { db } = get();
    const alice = await makeUser(db, "alice");
    const bob = await makeUser(db, "bob");
    const { slug, maintainer } = await makeCampaign(db, [
      { actor: alice, role: "member" },
      { actor: bob, role: "member" },
    ]);
    const entry = await createEntry(db, alice, { campaign: slug, date: today(), title: "Alice's", body: "mine" });
    await rejects(updateEntry(db, bob, entry.id, { body: "bob was here", baseRevision: entry.revisionId }), "forbidden");
    await rejects(deleteEntry(db, bob, entry.id), "forbidden");
    const outsider = await makeUser(db, "outsider");
    await rejects(updateEntry(db, outsider, entry.id, { body: "x", baseRevision: entry.revisionId }), "forbidden");
    await rejects(createEntry(db, outsider, { campaign: slug, date: today(), title: "Not a member", body: "" }), "forbidden");
    expect(await listRevisions(db, entry.id)).toHaveLength(1);
    const edited = await updateEntry(db, maintainer, entry.id, { body: "fixed a typo", baseRevision: entry.revisionId });
    expect(edited.changed).toBe(true);
  });

  it("nobody writes without signing in", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "Public", body: "read me" });
    await rejects(createEntry(db, null, { campaign: slug, date: today(), title: "anon", body: "" }), "unauthorized");
    await rejects(updateEntry(db, null, entry.id, { body: "anon", baseRevision: entry.revisionId }), "unauthorized");
    await rejects(deleteEntry(db, null, entry.id), "unauthorized");
    await rejects(restoreEntry(db, null, entry.id), "unauthorized");
    expect(await listRevisions(db, entry.id)).toHaveLength(1);
  });

  it("bad input names the field and writes nothing", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug, campaign } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const count = async () => (await db.select().from(entries).where(eq(entries.campaignId, campaign.id))).length;
    await rejects(createEntry(db, author, { campaign: slug, date: today(), title: "x".repeat(201), body: "" }), "validation_failed", "title");
    await rejects(createEntry(db, author, { campaign: slug, date: "2024-02-30", title: "t", body: "" }), "validation_failed", "date");
    await rejects(createEntry(db, author, { campaign: slug, date: "yesterday", title: "t", body: "" }), "validation_failed", "date");
    await rejects(createEntry(db, author, { campaign: slug, date: "2999-01-01", title: "t", body: "" }), "validation_failed", "date");
    await rejects(createEntry(db, author, { campaign: slug, date: today(), title: "t", body: "x".repeat(500_001) }), "payload_too_large", "body");
    await rejects(createEntry(db, author, { campaign: slug, date: today(), title: "t", body: "", extra: 1 }), "validation_failed");
    await rejects(createEntry(db, author, { campaign: "no-such-campaign", date: today(), title: "t", body: "" }), "not_found");
    expect(await count()).toBe(0);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "t", body: "" });
    await rejects(updateEntry(db, author, entry.id, { body: "no base" }), "validation_failed", "baseRevision");
    expect(await listRevisions(db, entry.id)).toHaveLength(1);
  });

  it("soft delete hides an entry but keeps its history; only a maintainer restores it", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug, campaign, maintainer } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "Failed batch", body: "discard" });
    await deleteEntry(db, author, entry.id);
    expect((await listEntries(db, { campaignId: campaign.id })).entries).toHaveLength(0);
    expect((await getEntry(db, entry.id))?.deletedAt).toBeInstanceOf(Date);
    expect(await listRevisions(db, entry.id)).toHaveLength(1);
    await rejects(updateEntry(db, author, entry.id, { body: "x", baseRevision: entry.revisionId }), "conflict");
    await rejects(restoreEntry(db, author, entry.id), "forbidden");
    await restoreEntry(db, maintainer, entry.id);
    expect((await listEntries(db, { campaignId: campaign.id })).entries.map((e) => e.id)).toEqual([entry.id]);
  });

  it("a save that changes nothing adds no revision", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const entry = await createEntry(db, author, { campaign: slug, date: today(), title: "Same", body: "same" });
    const result = await updateEntry(db, author, entry.id, { title: "Same", body: "same", baseRevision: entry.revisionId });
    expect(result.changed).toBe(false);
    expect(result.entry.revisionId).toBe(entry.revisionId);
  });
});

describeEachDatabase("full-text search", (get) => {
  it("matches word forms, ranks title matches first, and highlights matches as text", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug, campaign } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    const inBody = await createEntry(db, author, { campaign: slug, date: today(), title: "Friday", body: "Tried the **amide coupling** with HATU again; it failed." });
    const inTitle = await createEntry(db, author, { campaign: slug, date: today(), title: "Amide couplings that worked", body: "HATU, DIPEA, DMF." });
    await createEntry(db, author, { campaign: slug, date: today(), title: "Unrelated", body: "Recrystallised from ethanol." });
    const result = await listEntries(db, { campaignId: campaign.id, q: "coupled amides" });
    expect(result.entries.map((e) => e.id)).toEqual([inTitle.id, inBody.id]);
    const snippet = result.entries[1]!.snippet!;
    expect(snippet).toContain("\u0001coupling\u0002");
    expect(snippet).not.toContain("**");
    expect(result.entries[0]!.titleHighlighted).toContain("\u0001Amide\u0002");
    const excluded = await listEntries(db, { campaignId: campaign.id, q: "HATU -failed" });
    expect(excluded.entries.map((e) => e.id)).toEqual([inTitle.id]);
    await deleteEntry(db, author, inTitle.id);
    expect((await listEntries(db, { campaignId: campaign.id, q: "amide" })).entries.map((e) => e.id)).toEqual([inBody.id]);
  });
});

describeEachDatabase("entry text", (get) => {
  it("refuses control characters that would corrupt feeds, naming the field and the character", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const { slug, campaign } = await makeCampaign(db, [{ actor: author, role: "member" }]);
    await rejects(createEntry(db, author, { campaign: slug, date: today(), title: "Peaks", body: "Peak table\u000b 1.23 ppm" }), "validation_failed", "body: contains the control character U+000B at position 11");
    expect((await listEntries(db, { campaignId: campaign.id })).entries).toHaveLength(0);
    const ok = await createEntry(db, author, { campaign: slug, date: today(), title: "Peaks", body: "tab\tand\r\nnewlines are fine" });
    expect(ok.body).toBe("tab\tand\r\nnewlines are fine");
  });
});
