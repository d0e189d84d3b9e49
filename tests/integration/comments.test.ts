/**
 * Discussion and notifications on both databases: anyone signed in comments; a mention notifies exactly once (edits
 * and reprocessing never again); replies, owners and watchers are told; a maintainer hides with a reason; versions
 * are append-only; links of unknown commenters are nofollow; floods are refused.
 */
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createComment, editComment, hideComment, listComments, markAnswered } from "@/db/queries/comments";
import { findMoleculeId } from "@/db/queries/molecules";
import { listNotifications, markRead, unreadCount } from "@/db/queries/notifications";
import { setWatching } from "@/db/queries/watches";
import { commentVersions, notifications } from "@/db/schema";
import { createCommentInput } from "@/lib/contract/comments";
import { parseInput } from "@/lib/validation";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, refusal, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, createEntry, registerMolecule } from "./support/use-cases";

const comment = (input: unknown) => parseInput(createCommentInput, input);

describeEachDatabase("comments and notifications", (get) => {
  it("a non-member comments and mentions a member, who is notified exactly once", async () => {
    const { db } = get();
    const author = await makeUser(db);
    const member = await makeUser(db);
    const visitor = await makeUser(db);
    const { slug } = await makeRegistry(db, [
      { actor: author, role: "member" },
      { actor: member, role: "member" },
    ]);
    const entry = await createEntry(db, author, { campaign: slug, date: "2024-03-05", title: "SNAr", body: "text" });
    const c = await createComment(db, visitor, comment({ target: { kind: "entry", id: entry.id }, body: `Did you dry the THF, @${member.login}? See https://example.org/thf` }), "203.0.113.9");
    expect(c).toMatchObject({ author: visitor.login, ugc: true, versions: [{ number: 1 }] });
    const inbox = await listNotifications(db, member);
    expect(inbox).toMatchObject([{ kind: "mention", title: `${visitor.login} mentioned you on SNAr`, path: `/entries/${entry.id}#comment-${c.id}`, read: false }]);
    // The entry's author hears of the comment on their entry; the commenter of nothing.
    expect((await listNotifications(db, author)).map((n) => n.kind)).toEqual(["comment"]);
    expect(await listNotifications(db, visitor)).toEqual([]);
    // Editing keeps the first text and does not notify again, even mentioning the same person twice more.
    const edited = await editComment(db, visitor, c.id, `Did you dry the THF, @${member.login}? (@${member.login.toUpperCase()})`);
    expect(edited.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(await unreadCount(db, member.id)).toBe(1);
    await rejects(editComment(db, member, c.id, "not mine"), "forbidden");
    // Versions are history: the database refuses to change them.
    expect(await refusal(db.update(commentVersions).set({ body: "rewritten" }).where(eq(commentVersions.commentId, c.id)))).toMatch(/append-only/);
    // A reply tells the one replied to, once.
    await createComment(db, member, comment({ target: { kind: "entry", id: entry.id }, body: "Yes, over sieves.", replyTo: c.id }));
    expect((await listNotifications(db, visitor)).map((n) => n.kind)).toEqual(["reply"]);
    expect(await markRead(db, visitor, [inbox[0]!.id])).toBe(0); // someone else's notification: untouched
    expect(await markRead(db, member)).toBe(1);
    expect(await unreadCount(db, member.id)).toBe(0);
    const rows = await db.select().from(notifications).where(eq(notifications.dedupeKey, `comment:${c.id}`));
    expect(rows.map((r) => r.kind).sort()).toEqual(["comment", "mention"]); // the author and the member: one each
  });

  it("tells watchers of comments and new results, hides with a reason, and answers questions", async () => {
    const { db } = get();
    const maintainer = await makeUser(db);
    const chemist = await makeUser(db);
    const watcher = await makeUser(db);
    const visitor = await makeUser(db);
    const { slug } = await makeRegistry(db, [
      { actor: maintainer, role: "maintainer" },
      { actor: chemist, role: "member" },
    ]);
    const { molecule } = await registerMolecule(db, chemist, { campaign: slug, smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23" });
    await setWatching(db, watcher, "molecule", (await findMoleculeId(db, molecule.code))!, true);
    const q = await createComment(db, visitor, comment({ target: { kind: "molecule", id: molecule.code }, body: "Is the ether stable in plasma?", question: true }));
    expect((await listNotifications(db, watcher)).map((x) => x.kind)).toEqual(["comment"]);
    expect((await listNotifications(db, chemist)).map((x) => x.kind)).toEqual(["comment"]); // registered it
    await addMeasurement(db, chemist, molecule.code, { assay: "IC50", target: "Pfal (3D7)", value: 0.21, unit: "µM" });
    expect((await listNotifications(db, watcher))[0]).toMatchObject({ kind: "measurement", title: `New result for ${molecule.code}: IC50 0.21 µM` });
    // Questions: only the asker, the owner or a maintainer marks them answered.
    await rejects(markAnswered(db, watcher, q.id), "forbidden");
    expect((await markAnswered(db, chemist, q.id)).answered).toBe(true);
    // Hiding: maintainers only, with a reason; the comment stays, marked.
    const spam = await createComment(db, visitor, comment({ target: { kind: "molecule", id: molecule.code }, body: "Cheap pills at https://spam.example" }));
    await rejects(hideComment(db, chemist, spam.id, "spam"), "forbidden");
    const hidden = await hideComment(db, maintainer, spam.id, "advertising");
    expect(hidden.hidden).toMatchObject({ reason: "advertising", by: maintainer.login });
    expect((await listComments(db, { kind: "molecule", id: molecule.code })).map((x) => x.id)).toEqual([q.id, spam.id]);
    await rejects(editComment(db, visitor, spam.id, "edited"), "conflict");
  });

  it("refuses bad comments and floods with a clear message, and writes nothing", async () => {
    const { db } = get();
    const member = await makeUser(db);
    const visitor = await makeUser(db);
    const { slug } = await makeRegistry(db, [{ actor: member, role: "member" }]);
    const entry = await createEntry(db, member, { campaign: slug, date: "2024-03-05", title: "Flood", body: "" });
    expect(() => comment({ target: { kind: "entry", id: entry.id }, body: "" })).toThrow(/body: must not be empty/);
    expect(() => comment({ target: { kind: "entry", id: entry.id }, body: "x".repeat(10_001) })).toThrow(/at most 10,000/);
    expect(() => comment({ target: { kind: "entry", id: entry.id }, body: "bell \u0007" })).toThrow(/U\+0007/);
    expect(() => comment({ target: { kind: "page", id: 1 }, body: "x" })).toThrow(/target.kind/);
    await rejects(createComment(db, visitor, comment({ target: { kind: "entry", id: 999_999 }, body: "x" })), "not_found");
    await rejects(createComment(db, visitor, comment({ target: { kind: "reaction", id: `${entry.id}/r9` }, body: "x" })), "not_found");
    await rejects(createComment(db, null, comment({ target: { kind: "entry", id: entry.id }, body: "x" })), "unauthorized");
    for (let i = 0; i < 6; i++) await createComment(db, visitor, comment({ target: { kind: "entry", id: entry.id }, body: `comment ${i}` }));
    const error = await rejects(createComment(db, visitor, comment({ target: { kind: "entry", id: entry.id }, body: "one too many" })), "rate_limited");
    expect(error.message).toMatch(/try again in \d+ s/);
    expect((await listComments(db, { kind: "entry", id: entry.id })).map((c) => c.body)).not.toContain("one too many");
    // The member's links are followed; an unknown commenter's are not until three of theirs stood.
    const list = await listComments(db, { kind: "entry", id: entry.id });
    expect(list.map((c) => c.ugc)).toEqual([true, true, true, false, false, false]);
    expect(await db.select().from(notifications).where(eq(notifications.userId, visitor.id))).toEqual([]);
  });
});
