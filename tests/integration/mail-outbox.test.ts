// The mail outbox against a real SMTP server on loopback (tests/fakes/smtp-sink.ts, read back with mailparser): queueing
// is idempotent, each message goes out once with the Message-ID fixed when it was queued, failures are retried with the
// same Message-ID and given up after their attempts, a lapsed claim is sent by another process, and senders running at
// once never send one message twice. Also runOnce, the once-per-period claim of scheduled work.
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
  process.env.NOTEBOOK_PUBLIC_URL = "https://notebook.test";
  process.env.NOTEBOOK_MAIL_FROM = "Open Notebook <notebook@notebook.test>";
});

import crypto from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/index";
import { claimDueMail, enqueueMail, outboxCounts, sendDueMail, type MailMessage } from "@/db/queries/outbox";
import { runOnce } from "@/db/queries/scheduled";
import { mailOutbox, scheduledRuns } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env.js";
import { isAppError } from "@/lib/errors";
import { smtpTransport, type MailTransport } from "@/lib/mail/transport";
import { duplicates, startSmtpSink, type SmtpSink } from "../fakes/smtp-sink";
import { describeEachDatabase } from "./support/databases";

let sink: SmtpSink;
const transports: MailTransport[] = [];
const transport = () => {
  const t = smtpTransport(sink.url);
  transports.push(t);
  return t;
};

beforeAll(async () => {
  sink = await startSmtpSink();
  process.env.NOTEBOOK_SMTP_URL = sink.url;
  resetEnvForTests();
});
afterAll(async () => {
  for (const t of transports) t.close();
  await sink.close();
  delete process.env.NOTEBOOK_SMTP_URL;
  resetEnvForTests();
});

const tag = () => crypto.randomBytes(4).toString("hex");
const message = (over: Partial<MailMessage> = {}): MailMessage => {
  const t = tag();
  return {
    dedupeKey: `test:${t}`,
    kind: "test",
    to: `reader-${t}@example.org`,
    subject: `Hello ${t}`,
    html: `<p>Hello <b>${t}</b></p>`,
    text: `Hello ${t}`,
    ...over,
  };
};
const rowOf = async (db: Db, id: number) => (await db.select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0]!;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describeEachDatabase("mail outbox", (get) => {
  let db: Db;
  beforeAll(() => {
    db = get().db;
  });
  beforeEach(async () => {
    // Messages other tests left due must not be sent by this test's sender.
    await db.update(mailOutbox).set({ status: "failed" }).where(eq(mailOutbox.status, "pending"));
    sink.clear();
    sink.hooks = {};
  });

  it("queues a message once per dedupe key and fixes its Message-ID when it is written", async () => {
    const m = message();
    const first = await enqueueMail(db, m);
    const again = await db.transaction((tx) => enqueueMail(tx, { ...m, subject: "changed" }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const row = await rowOf(db, first.id);
    expect(row).toMatchObject({ status: "pending", attempts: 0, subject: m.subject, toAddress: m.to });
    expect(row.messageId).toMatch(/^<[0-9a-f]{32}@notebook\.test>$/);
    expect((await db.select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, m.dedupeKey))).length).toBe(1);
  });

  it("refuses an address or a header that would smuggle in another header, and queues nothing", async () => {
    const before = await outboxCounts(db);
    const refused = async (m: MailMessage) => {
      const error = await enqueueMail(db, m).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(error), String(error)).toBe(true);
      expect((error as { status: number }).status).toBe(422);
    };
    await refused(message({ to: "ada@example.org\r\nBcc: eve@example.org" }));
    await refused(message({ to: "Ada <ada@example.org>" }));
    await refused(message({ subject: "Hello\r\nBcc: eve@example.org" }));
    await refused(message({ subject: "Hello\nBcc: eve@example.org" }));
    await refused(message({ headers: { Bcc: "eve@example.org" } }));
    await refused(message({ headers: { "X-Note": "x\r\nBcc: eve@example.org" } }));
    expect(await outboxCounts(db)).toEqual(before);
  });

  it("sends a queued message once, HTML and plain text, with its stored Message-ID and headers", async () => {
    const m = message({ headers: { "List-Unsubscribe": "<https://notebook.test/u?token=x>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } });
    const { id } = await enqueueMail(db, m);
    const report = await sendDueMail(db, { transport: transport() });
    expect(report).toMatchObject({ sent: 1, failed: 0, retrying: 0 });
    const row = await rowOf(db, id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, claimedBy: null, lastError: null });
    expect(sink.received).toHaveLength(1);
    const got = sink.received[0]!;
    expect(got).toMatchObject({ messageId: row.messageId, to: [m.to], from: "notebook@notebook.test", subject: m.subject });
    expect(got.text.trim()).toBe(m.text);
    expect(got.html).toContain(`<b>${m.text.slice(6)}</b>`);
    expect(got.header("list-unsubscribe")).toBe("<https://notebook.test/u?token=x>");
    expect(got.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(await sendDueMail(db, { transport: transport() })).toMatchObject({ sent: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it("retries a temporary failure with the same Message-ID, gives up after its attempts, and at once on a 5xx", async () => {
    let refusals = 1;
    sink.hooks.rcpt = (address) => {
      if (address.startsWith("flaky-") && refusals-- > 0) return { code: 451, message: "Greylisted, try again later" };
      if (address.startsWith("down-")) return { code: 451, message: "Mailbox busy" };
      if (address.startsWith("gone-")) return { code: 550, message: "No such user" };
      return undefined;
    };
    const flaky = await enqueueMail(db, message({ to: `flaky-${tag()}@example.org` }));
    const down = await enqueueMail(db, message({ to: `down-${tag()}@example.org` }));
    const gone = await enqueueMail(db, message({ to: `gone-${tag()}@example.org` }));
    // One claim per call; retries wait 1 s, then 2 s (the delay doubles).
    const options = { transport: transport(), retryBaseMs: 1000, maxAttempts: 3, maxBatches: 1 };
    expect(await sendDueMail(db, options)).toMatchObject({ sent: 0, retrying: 2, failed: 1 });
    expect(await rowOf(db, gone.id)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringMatching(/550 No such user/) });
    expect(await rowOf(db, flaky.id)).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringMatching(/451 Greylisted/) });
    expect(await sendDueMail(db, options)).toMatchObject({ sent: 0, retrying: 0 }); // not due yet
    await sleep(1100);
    expect(await sendDueMail(db, options)).toMatchObject({ sent: 1, retrying: 1, failed: 0 });
    await sleep(2100);
    expect(await sendDueMail(db, options)).toMatchObject({ sent: 0, retrying: 0, failed: 1 });
    const flakyRow = await rowOf(db, flaky.id);
    expect(flakyRow).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(await rowOf(db, down.id)).toMatchObject({ status: "failed", attempts: 3, lastError: expect.stringMatching(/451 Mailbox busy/) });
    expect(sink.received.map((r) => r.messageId)).toEqual([flakyRow.messageId]);
  });

  it("retries a message whose SMTP answer was lost with the same Message-ID, so the receiver can tell the copies are one", async () => {
    const { id } = await enqueueMail(db, message());
    const real = transport();
    let lose = true;
    const losing: MailTransport = {
      async send(mail) {
        await real.send(mail);
        if (lose) {
          lose = false;
          throw new Error("connection reset before the answer was read");
        }
      },
      close: () => {},
    };
    expect(await sendDueMail(db, { transport: losing, retryBaseMs: 300, maxBatches: 1 })).toMatchObject({ sent: 0, retrying: 1 });
    await sleep(350);
    expect(await sendDueMail(db, { transport: losing, retryBaseMs: 300 })).toMatchObject({ sent: 1 });
    const row = await rowOf(db, id);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(sink.received.map((r) => r.messageId)).toEqual([row.messageId, row.messageId]);
  });

  it("sends the messages of a process that died after claiming them once its claim lapses, with their Message-IDs", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await enqueueMail(db, message())).id);
    const claimed = await claimDueMail(db, "dead-process:1", 10, 300);
    expect(claimed.map((c) => c.id)).toEqual(ids);
    // While the claim holds, nobody else takes them.
    expect(await sendDueMail(db, { transport: transport(), owner: "alive:2" })).toMatchObject({ sent: 0 });
    await sleep(400);
    expect(await sendDueMail(db, { transport: transport(), owner: "alive:2" })).toMatchObject({ sent: 3 });
    const rows = await Promise.all(ids.map((id) => rowOf(db, id)));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(rows.map(() => ["sent", 2]));
    expect(sink.received.map((r) => r.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
    expect(duplicates(sink.received.map((r) => r.messageId))).toEqual({});
  });

  it("never sends one message twice with three senders at once, each message arriving once by Message-ID and by recipient", async () => {
    const count = 45;
    const queued: MailMessage[] = [];
    for (let i = 0; i < count; i++) queued.push(message());
    await db.transaction(async (tx) => {
      for (const m of queued) await enqueueMail(tx, m);
    });
    sink.hooks.beforeAnswer = () => sleep(2); // a little time in every delivery, so the senders overlap
    const reports = await Promise.all(
      ["a", "b", "c"].map((name) => sendDueMail(db, { transport: transport(), owner: `sender-${name}`, batchSize: 4, claimMs: 60_000 })),
    );
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(count);
    expect(sink.received).toHaveLength(count);
    expect(duplicates(sink.received.map((r) => r.messageId))).toEqual({});
    expect(duplicates(sink.received.flatMap((r) => r.to))).toEqual({});
    expect(new Set(sink.received.flatMap((r) => r.to))).toEqual(new Set(queued.map((m) => m.to)));
    const sent = await db.select().from(mailOutbox).where(inArray(mailOutbox.dedupeKey, queued.map((m) => m.dedupeKey)));
    expect(sent.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    if (get().kind === "postgres") expect(reports.filter((r) => r.sent > 0).length, JSON.stringify(reports)).toBeGreaterThan(1);
  });

  it("runs scheduled work once per period across callers, again after a failed run, and takes over a run that died", async () => {
    const name = `test-run:${tag()}`;
    let runs = 0;
    const work = async () => {
      runs++;
      await sleep(20);
      return runs;
    };
    const outcomes = await Promise.all([1, 2, 3].map(() => runOnce(db, name, "2026-W49", work)));
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(runs).toBe(1);
    expect(await runOnce(db, name, "2026-W49", work)).toEqual({ ran: false });
    expect(await runOnce(db, name, "2026-W50", work)).toEqual({ ran: true, result: 2 });

    await expect(runOnce(db, name, "2026-W51", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await runOnce(db, name, "2026-W51", work)).toEqual({ ran: true, result: 3 });

    // A process claimed W52 and died: the claim stays unfinished; after staleAfterMs the next caller takes it over.
    await db.insert(scheduledRuns).values({ name, period: "2026-W52", startedAt: new Date(Date.now() - 60_000) });
    expect(await runOnce(db, name, "2026-W52", work, { staleAfterMs: 120_000 })).toEqual({ ran: false });
    expect(await runOnce(db, name, "2026-W52", work, { staleAfterMs: 30_000 })).toEqual({ ran: true, result: 4 });
    expect(await runOnce(db, name, "2026-W52", work, { staleAfterMs: 1 })).toEqual({ ran: false }); // finished: never again
  });
});
