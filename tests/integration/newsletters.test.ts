// The weekly newsletter on both databases: a week of real Series 4 activity (molecules from the OSM master list, a
// result that beats the campaign's best Pfal IC50, a parked analogue, to-dos opened and closed, discussion) drafts
// into the right items; maintainers edit it; sending queues one message per confirmed subscriber, with its own
// List-Unsubscribe, exactly once however often and however concurrently it is sent; with e-mail off it is archived.
import crypto from "node:crypto";
import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { createComment, markAnswered } from "@/db/queries/comments";
import { deleteEntry } from "@/db/queries/entries";
import {
  draftNewsletter,
  editNewsletter,
  editNewsletterItem,
  getNewsletter,
  listNewsletters,
  sendDueNewsletters,
  sendNewsletter,
  sentNewsletters,
} from "@/db/queries/newsletters";
import { unsubscribeUrlFor } from "@/db/queries/subscriptions";
import { mailOutbox, measurements, molecules, newsletterDeliveries, newsletters, subscriptions, todos } from "@/db/schema";
import type { Actor } from "@/lib/auth/policy";
import { createCommentInput } from "@/lib/contract/comments";
import { editNewsletterInput } from "@/lib/contract/newsletters";
import { resetEnvForTests } from "@/lib/env.js";
import { hashMailToken } from "@/lib/mail/tokens";
import { addWeeks, currentWeek, weekWindow } from "@/lib/newsletter/week";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseSheet } from "@/lib/sheets/sheet";
import { parseInput } from "@/lib/validation";
import { newsletterTick } from "@/server/newsletter-runner";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, connectRepository, createEntry, createTodo, parkMolecule, registerMolecule, updateTodo } from "./support/use-cases";

const MAIL_ENV = {
  NOTEBOOK_SMTP_URL: "smtp://127.0.0.1:1",
  NOTEBOOK_MAIL_FROM: "Open Notebook <notebook@notebook.test>",
  NOTEBOOK_PUBLIC_URL: "https://notebook.test",
};
const saved = Object.fromEntries(["AUTH_SECRET", ...Object.keys(MAIL_ENV)].map((k) => [k, process.env[k]]));

function mail(on: boolean): void {
  for (const [k, v] of Object.entries(MAIL_ENV)) {
    if (on) process.env[k] = v;
    else delete process.env[k];
  }
  resetEnvForTests();
}

beforeAll(() => {
  process.env.AUTH_SECRET = "newsletter-test-secret-0123456789";
  mail(false);
});
afterEach(() => mail(false));
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
  await closeSharedChemPool();
});

const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
const smilesOf = (id: string) => sheet.rows.find((r) => r.cells.OSM_ID!.split(";")[0] === id)!.cells.Canonical_Smiles!;

const DAY = 86_400_000;
const week = currentWeek();
const lastWeek = new Date(weekWindow(week).start.getTime() - 3 * DAY);

/** A comment, as the comments API takes it. */
const comment = (db: Db, actor: Actor, input: Record<string, unknown>) => createComment(db, actor, parseInput(createCommentInput, input));

/**
 * Series 4's week: OSM-S-208 (Pfal IC50 0.146 µM, Dundee) and OSM-S-175 were registered and measured last week;
 * this week OSM-S-272 is registered and measured at 0.143 µM (Dundee, a new best) and 49.3 nM against 3D7 (Broad, the
 * first of that assay), OSM-S-258 (registered earlier) is inactive at 10 µM and parked, OSM-S-265 is made and waits for
 * its assay; a to-do opened last week is closed, one is opened, one closed long ago stays out.
 */
async function series4Week(db: Db) {
  const chemist = await makeUser(db, "ada-bench");
  const outsider = await makeUser(db, "reader");
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], `S${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const { slug, maintainer, prefix } = made;
  const campaign = await requireCampaign(db, slug);
  const code = (osm: string) => osm.replace("OSM", prefix);
  const register = async (osm: string, name?: string) =>
    (await registerMolecule(db, chemist, { campaign: slug, smiles: smilesOf(osm), id: code(osm), name })).molecule;
  const backdate = (c: string) => db.update(molecules).set({ createdAt: lastWeek }).where(eq(molecules.campaignCode, c));

  for (const osm of ["OSM-S-208", "OSM-S-175", "OSM-S-258"]) {
    await register(osm);
    await backdate(code(osm));
  }
  // Measurements are append-only: last week's results are written with last week's time, as they were then.
  const idOf = async (c: string) => (await db.select({ id: molecules.id }).from(molecules).where(eq(molecules.campaignCode, c)))[0]!.id;
  await db.insert(measurements).values([
    { moleculeId: await idOf(code("OSM-S-208")), assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.146, unit: "µM", addedById: chemist.id, createdAt: lastWeek },
    { moleculeId: await idOf(code("OSM-S-175")), assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.451, unit: "µM", addedById: chemist.id, createdAt: lastWeek },
  ]);

  const s272 = await register("OSM-S-272", "difluorophenethyl ether");
  const s265 = await register("OSM-S-265");
  const entry = await createEntry(db, chemist, {
    campaign: slug,
    date: new Date().toISOString().slice(0, 10),
    title: `Ethers ${s272.code} and ${s265.code}`,
    body: `Made ${s272.code} (41 mg) and ${s265.code} (28 mg). Both sent to Dundee for *Pfal* IC50.`,
  });
  const gone = await createEntry(db, chemist, { campaign: slug, date: new Date().toISOString().slice(0, 10), title: "Typo entry", body: `${s265.code}` });
  await deleteEntry(db, maintainer, gone.id);
  await addMeasurement(db, chemist, s272.code, { assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.143, unit: "µM", entryId: entry.id });
  await addMeasurement(db, chemist, s272.code, { assay: "IC50", target: "Pfal (3D7)", lab: "Broad", value: 49.3, unit: "nM" });
  await addMeasurement(db, chemist, code("OSM-S-258"), { assay: "IC50", target: "Pfal", lab: "Syngene", value: 10, unit: "µM", qualifier: ">" });
  await parkMolecule(db, maintainer, code("OSM-S-258"), { reason: "Inactive at 10 µM (Syngene); the pyridyl loses potency" });

  await connectRepository(db, maintainer, slug, { repository: "osm/series-4", authKind: "token", token: "ghp_not-used-here" });
  const opened = await createTodo(db, chemist, slug, { title: `Resynthesize ${s272.code} for in vivo`, assignees: ["ada-bench"] });
  const closing = await createTodo(db, chemist, slug, { title: "Order 2-phenylethanol" });
  await db.update(todos).set({ createdAt: lastWeek, lastActivityAt: lastWeek }).where(eq(todos.id, closing.id));
  await updateTodo(db, chemist, closing.id, { state: "closed" });
  const old = await createTodo(db, chemist, slug, { title: "Closed long ago", state: "closed" });
  await db.update(todos).set({ createdAt: new Date("2026-01-05T00:00:00Z"), lastActivityAt: new Date("2026-01-05T00:00:00Z") }).where(eq(todos.id, old.id));

  await comment(db, outsider, { target: { kind: "entry", id: entry.id }, body: "Nice yield for an SNAr." });
  await comment(db, maintainer, { target: { kind: "entry", id: entry.id }, body: "Agreed, and clean by NMR." });
  const open = await comment(db, outsider, { target: { kind: "molecule", id: s272.code }, body: "Has anyone measured its **solubility**?", question: true });
  const answered = await comment(db, outsider, { target: { kind: "entry", id: entry.id }, body: "Which base was used?", question: true });
  await markAnswered(db, chemist, answered.id);

  return { ...made, campaign, chemist, outsider, code, entry, s272, s265, opened, closing, old, open, answered };
}

async function subscribe(db: Db, campaignId: number, n: number, status: "confirmed" | "pending" | "unsubscribed" = "confirmed") {
  const rows = Array.from({ length: n }, () => {
    const email = `reader-${crypto.randomBytes(4).toString("hex")}@example.org`;
    return { campaignId, email, status, unsubscribeTokenHash: hashMailToken(`${campaignId}:${email}`), confirmedAt: status === "confirmed" ? new Date() : null };
  });
  return db.insert(subscriptions).values(rows).returning();
}

const outboxFor = (db: Db, newsletterId: number) =>
  db.select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `newsletter:${newsletterId}:%`));

describeEachDatabase("the weekly newsletter", (get) => {
  it("drafts a week of real activity into the right items: a new best potency, structures, parked, to-dos closed, discussion, waiting for data", async () => {
    const { db } = get();
    const w = await series4Week(db);
    const draft = await draftNewsletter(db, w.slug, week);
    const keys = draft.content.items.map((i) => `${i.kind} ${i.key}`);
    expect(keys).toEqual([
      "best_potency best:Pfal IC50|µM",
      `entry entry:${w.entry.id}`,
      `molecule molecule:${w.s272.code}`,
      `molecule molecule:${w.s265.code}`,
      `result results:${w.s272.code}`,
      `result results:${w.code("OSM-S-258")}`,
      `parked parked:${w.code("OSM-S-258")}`,
      `todo_opened todo-opened:${w.opened.id}`,
      `todo_closed todo-closed:${w.closing.id}`,
      `discussion discussion:entry:${w.entry.id}`,
      `discussion discussion:molecule:${w.s272.code}`,
      `question question:${w.open.id}`,
      `waiting waiting:${w.entry.id}`,
    ]);
    const byKey = new Map(draft.content.items.map((i) => [i.key, i]));
    expect(byKey.get("best:Pfal IC50|µM")).toMatchObject({
      title: `New most potent compound for Pfal IC50: ${w.s272.code}`,
      summary: `${w.s272.code} · difluorophenethyl ether reached 0.143 µM (Dundee); the best before this week was ${w.code("OSM-S-208")} at 0.146 µM.`,
      image: { path: `/molecules/${w.s272.code}.png`, alt: `Structure of ${w.s272.code}` },
    });
    expect(byKey.get(`molecule:${w.s265.code}`)).toMatchObject({ summary: `C21H17N5O2, registered by ${w.chemist.login}.`, image: { path: `/molecules/${w.s265.code}.png` } });
    expect(byKey.get(`results:${w.s272.code}`)?.summary).toBe("Pfal IC50 0.143 µM (Dundee); Pfal (3D7) IC50 49.3 nM (Broad).");
    expect(byKey.get(`parked:${w.code("OSM-S-258")}`)?.summary).toBe("Why: Inactive at 10 µM (Syngene); the pyridyl loses potency");
    expect(byKey.get(`todo-closed:${w.closing.id}`)).toMatchObject({ title: "Closed: Order 2-phenylethanol", path: `/campaigns/${w.slug}/todos/${w.closing.id}` });
    expect(byKey.get(`discussion:entry:${w.entry.id}`)?.summary).toBe(`3 comments this week from ${[w.maintainer.login, w.outsider.login].sort().join(", ")}.`);
    expect(byKey.get(`question:${w.open.id}`)).toMatchObject({ title: "Has anyone measured its solubility?", path: `/molecules/${w.s272.code}#comment-${w.open.id}` });
    expect(byKey.get(`waiting:${w.entry.id}`)?.summary).toContain(`${w.s265.code} has no measurement yet`);

    // Stored as a draft, listed, and read back as the same issue; a week not begun has none, a bad week is named.
    expect(draft).toMatchObject({ status: "draft", sentAt: null, sendAt: null });
    expect((await getNewsletter(db, w.slug, week)).content).toEqual(draft.content);
    expect(await listNewsletters(db, w.slug)).toMatchObject([{ week, status: "draft", items: keys.length }]);
    await rejects(getNewsletter(db, w.slug, addWeeks(week, 1)), "not_found", /has not begun/);
    await rejects(getNewsletter(db, w.slug, "2026-W54"), "validation_failed", /^week: week 54 does not exist in 2026/);
    // Last week, seen from this week: OSM-S-208's result and registrations only.
    const before = await getNewsletter(db, w.slug, addWeeks(week, -1));
    expect(before.content.items.map((i) => i.kind)).toEqual(["molecule", "molecule", "molecule", "result", "result", "todo_opened"]);
  });

  it("lets maintainers add an editorial, pin, drop and time it; members and readers cannot", async () => {
    const { db } = get();
    const w = await series4Week(db);
    const sendAt = new Date(weekWindow(week).end.getTime() + 9 * 3_600_000).toISOString();
    const edited = await editNewsletter(db, w.maintainer, w.slug, week, parseInput(editNewsletterInput, { editorial: "A good week for the ethers.", sendAt }));
    expect(edited.issue.editorial).toBe("A good week for the ethers.");
    expect(edited.sendAt?.toISOString()).toBe(sendAt);
    await editNewsletterItem(db, w.maintainer, w.slug, week, `todo-closed:${w.closing.id}`, "pin");
    const dropped = await editNewsletterItem(db, w.maintainer, w.slug, week, `question:${w.open.id}`, "drop");
    expect(dropped.issue.pinned.map((i) => i.key)).toEqual([`todo-closed:${w.closing.id}`]);
    expect(dropped.issue.dropped.map((i) => i.key)).toEqual([`question:${w.open.id}`]);
    expect(dropped.issue.sections.map((s) => s.id)).not.toContain("questions");
    // The edits hold when the week is drafted again.
    const redrafted = await draftNewsletter(db, w.slug, week);
    expect(redrafted.issue.pinned.map((i) => i.key)).toEqual([`todo-closed:${w.closing.id}`]);
    expect(redrafted.edits).toMatchObject({ editorial: "A good week for the ethers.", dropped: [`question:${w.open.id}`] });

    await rejects(editNewsletter(db, w.chemist, w.slug, week, { editorial: "member" }), "forbidden", /Only maintainers/);
    await rejects(editNewsletter(db, w.outsider, w.slug, week, { editorial: "reader" }), "forbidden");
    await rejects(editNewsletter(db, null, w.slug, week, { editorial: "anonymous" }), "unauthorized");
    await rejects(sendNewsletter(db, w.chemist, w.slug, week), "forbidden");
    await rejects(sendNewsletter(db, null, w.slug, week), "unauthorized");
    expect((await getNewsletter(db, w.slug, week)).edits.editorial).toBe("A good week for the ethers.");
  });

  it("queues one message per confirmed subscriber with its own List-Unsubscribe; sending again queues none, then only a new subscriber's", async () => {
    const { db } = get();
    mail(true);
    const w = await series4Week(db);
    const readers = await subscribe(db, w.campaign.id, 3);
    await subscribe(db, w.campaign.id, 1, "pending");
    await subscribe(db, w.campaign.id, 1, "unsubscribed");
    await editNewsletter(db, w.maintainer, w.slug, week, { editorial: "Thanks to Dundee for the fast turnaround." });

    const first = await sendNewsletter(db, w.maintainer, w.slug, week);
    expect(first).toMatchObject({ mail: "on", queued: 3, alreadyDelivered: 0 });
    expect(first.newsletter).toMatchObject({ status: "sent", deliveries: 3 });
    const id = first.newsletter.id!;
    const queued = await outboxFor(db, id);
    expect(queued.map((m) => m.toAddress).sort()).toEqual(readers.map((r) => r.email).sort());
    for (const message of queued) {
      const reader = readers.find((r) => r.email === message.toAddress)!;
      const unsubscribe = unsubscribeUrlFor(reader);
      expect(message).toMatchObject({ kind: "newsletter", dedupeKey: `newsletter:${id}:${reader.id}`, status: "pending" });
      expect(message.subject.startsWith(`${w.campaign.name}: the week of `)).toBe(true);
      expect(message.headers).toEqual({ "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
      expect(unsubscribe).toMatch(/^https:\/\/notebook\.test\//);
      expect(message.html).toContain(`href="${unsubscribe.replaceAll("&", "&#38;")}"`);
      expect(message.html).toContain(`src="https://notebook.test/molecules/${w.s272.code}.png"`);
      expect(message.html).toContain("Thanks to Dundee for the fast turnaround.");
      expect(message.html).not.toMatch(/<script/i);
      expect(message.text).toContain(`Unsubscribe: ${unsubscribe}`);
      expect(message.text).toContain(`https://notebook.test/molecules/${w.s272.code}`);
      // Nobody's message carries another subscriber's link.
      for (const other of readers.filter((r) => r.id !== reader.id)) expect(message.html).not.toContain(unsubscribeUrlFor(other));
    }

    // Sent again: nobody who had it gets it twice; the archive stays as it went out, even as the week goes on.
    await addMeasurement(db, w.chemist, w.s265.code, { assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.02, unit: "µM" });
    const again = await sendNewsletter(db, w.maintainer, w.slug, week);
    expect(again).toMatchObject({ queued: 0, alreadyDelivered: 3 });
    expect(await outboxFor(db, id)).toHaveLength(3);
    expect(again.newsletter.content).toEqual(first.newsletter.content);
    await rejects(editNewsletter(db, w.maintainer, w.slug, week, { editorial: "too late" }), "conflict", /was sent on/);

    const [late] = await subscribe(db, w.campaign.id, 1);
    const third = await sendNewsletter(db, w.maintainer, w.slug, week);
    expect(third).toMatchObject({ queued: 1, alreadyDelivered: 3 });
    expect((await outboxFor(db, id)).map((m) => m.toAddress)).toContain(late!.email);
    const deliveries = await db.select().from(newsletterDeliveries).where(eq(newsletterDeliveries.newsletterId, id));
    expect(deliveries).toHaveLength(4);

    const feed = await sentNewsletters(db, w.slug);
    expect(feed.issues.map((i) => [i.week, i.editorial])).toEqual([[week, "Thanks to Dundee for the fast turnaround."]]);
  });

  it("sends each subscriber one message when maintainers send the same week at the same moment", async () => {
    const { db } = get();
    mail(true);
    const w = await series4Week(db);
    await subscribe(db, w.campaign.id, 12);
    const results = await Promise.all([1, 2, 3].map(() => sendNewsletter(db, w.maintainer, w.slug, week)));
    const id = results[0]!.newsletter.id!;
    expect(results.reduce((n, r) => n + r.queued, 0)).toBe(12);
    const rows = await outboxFor(db, id);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.toAddress)).size).toBe(12);
    const [sent] = await db.select().from(newsletters).where(eq(newsletters.id, id));
    expect(results.every((r) => r.newsletter.sentAt?.getTime() === sent!.sentAt!.getTime())).toBe(true);
  });

  it("with e-mail off, publishes and archives the newsletter and queues nothing", async () => {
    const { db } = get();
    const w = await series4Week(db);
    await subscribe(db, w.campaign.id, 2);
    const outcome = await sendNewsletter(db, w.maintainer, w.slug, week);
    expect(outcome).toMatchObject({ mail: "off", queued: 0, alreadyDelivered: 0, newsletter: { status: "sent", deliveries: 0 } });
    expect(await outboxFor(db, outcome.newsletter.id!)).toEqual([]);
    expect(await listNewsletters(db, w.slug, { sentOnly: true })).toMatchObject([{ week, status: "sent" }]);
  });

  it("runs weekly: drafts the week just ended once across processes, and sends a draft when its time comes (not an empty one)", async () => {
    const { db } = get();
    mail(true);
    const w = await series4Week(db);
    const quiet = await makeRegistry(db);
    await subscribe(db, w.campaign.id, 2);
    await subscribe(db, quiet.campaign.id, 1);
    // A maintainer wrote the editorial during the week (the row exists, with no send time yet).
    await editNewsletter(db, w.maintainer, w.slug, week, { editorial: "Written on Friday." });
    // Monday of next week, 00:05 UTC: two processes look at the clock at once; one drafts.
    const monday = new Date(weekWindow(week).end.getTime() + 5 * 60_000);
    const ticks = await Promise.all([newsletterTick(db, monday), newsletterTick(db, monday)]);
    expect(ticks.map((t) => t.drafted).sort()).toEqual([false, true]);
    expect((await newsletterTick(db, monday)).drafted).toBe(false);
    const drafted = await getNewsletter(db, w.slug, week, monday);
    expect(drafted).toMatchObject({ status: "draft", sendAt: new Date(weekWindow(week).end.getTime() + 33 * 3_600_000), edits: { editorial: "Written on Friday." } });
    expect(await listNewsletters(db, quiet.slug)).toMatchObject([{ week, items: 0, sendAt: null }]);
    // Nothing is due before Tuesday 09:00.
    // (The suite's other campaigns are drafted and sent too: only this test's are looked at.)
    const mine = async (at: Date) => (await sendDueNewsletters(db, at)).filter((d) => d.slug === w.slug || d.slug === quiet.slug);
    expect(await mine(monday)).toEqual([]);
    const tuesday = new Date(drafted.sendAt!.getTime() + 60_000);
    expect(await mine(tuesday)).toEqual([{ week, slug: w.slug, queued: 2 }]);
    expect(await mine(tuesday)).toEqual([]);
    expect(await outboxFor(db, drafted.id!)).toHaveLength(2);
    // An empty draft is not mailed even if someone gave it a time: its time is cleared.
    await db.update(newsletters).set({ sendAt: monday }).where(and(eq(newsletters.campaignId, quiet.campaign.id), eq(newsletters.week, week)));
    expect(await mine(tuesday)).toEqual([]);
    expect(await listNewsletters(db, quiet.slug)).toMatchObject([{ week, status: "draft", sendAt: null }]);
  });

  it("finishes a send that a crash interrupted, for subscribers confirmed by then only", async () => {
    const { db } = get();
    mail(true);
    const w = await series4Week(db);
    const readers = await subscribe(db, w.campaign.id, 3);
    const sent = await sendNewsletter(db, w.maintainer, w.slug, week);
    // As if the process died after queuing the first message: the others' deliveries and messages were never written.
    const keep = readers[0]!.id;
    await db.delete(newsletterDeliveries).where(and(eq(newsletterDeliveries.newsletterId, sent.newsletter.id!), sql`${newsletterDeliveries.subscriptionId} <> ${keep}`));
    await db.delete(mailOutbox).where(and(like(mailOutbox.dedupeKey, `newsletter:${sent.newsletter.id}:%`), sql`${mailOutbox.dedupeKey} <> ${`newsletter:${sent.newsletter.id}:${keep}`}`));
    const [later] = await subscribe(db, w.campaign.id, 1);
    await db.update(subscriptions).set({ confirmedAt: new Date(Date.now() + 60_000) }).where(eq(subscriptions.id, later!.id));
    await sendDueNewsletters(db, new Date(Date.now() + 120_000));
    const rows = await outboxFor(db, sent.newsletter.id!);
    expect(rows.map((r) => r.toAddress).sort()).toEqual(readers.map((r) => r.email).sort());
  });
});
