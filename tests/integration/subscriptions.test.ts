// Newsletter subscriptions without an account, through the route handlers as Next.js calls them and a real SMTP server
// on loopback: double opt-in by a link that expires, links that are forged, expired or replaced refused, the same answer
// for every address (no one learns who subscribes), unsubscribing by the List-Unsubscribe header's one-click POST
// (RFC 8058, no cookies), subscribing again, rate limits, header injection, and e-mail off.
import { beforeAll, beforeEach, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
  process.env.NOTEBOOK_PUBLIC_URL = "https://notebook.test";
  process.env.NOTEBOOK_MAIL_FROM = "Open Notebook <notebook@notebook.test>";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import * as subscribeRoute from "@/app/api/v1/campaigns/[slug]/subscriptions/route";
import * as confirmRoute from "@/app/api/v1/subscriptions/confirm/route";
import * as unsubscribeRoute from "@/app/api/v1/subscriptions/unsubscribe/route";
import { useDatabase, type Db } from "@/db/index";
import { outboxCounts, sendDueMail } from "@/db/queries/outbox";
import { checkConfirmLink, checkUnsubscribeLink, confirmedSubscribers } from "@/db/queries/subscriptions";
import { mailOutbox, subscriptions } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env.js";
import { hashMailToken } from "@/lib/mail/tokens";
import { useSmtpSink, type ReceivedMail } from "../fakes/smtp-sink";
import { describeEachDatabase } from "./support/databases";
import { makeCampaign } from "./support/seed";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: Handler, method: string, url: string, options: { params?: Record<string, string>; json?: unknown; form?: string; client?: string } = {}) {
  const headers = new Headers({ "x-forwarded-for": options.client ?? `198.51.100.${crypto.randomInt(1, 250)}` });
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  }
  if (options.form !== undefined) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = options.form;
  }
  const absolute = new URL(url, "https://notebook.test").href;
  const response = await handler(new Request(absolute, { method, headers, body }), { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, json };
}

const mail = useSmtpSink();

const address = () => `reader-${crypto.randomBytes(4).toString("hex")}@example.org`;
const CONFIRM_LINK = /https:\/\/notebook\.test\/subscriptions\/confirm\?token=([A-Za-z0-9_-]{43})/;

describeEachDatabase("newsletter subscriptions", (get) => {
  let db: Db;
  let slug: string;
  let campaignId: number;

  beforeAll(async () => {
    db = get().db;
    useDatabase(get());
    const made = await makeCampaign(db);
    slug = made.slug;
    campaignId = made.campaign.id;
  });
  beforeEach(() => {
    mail.sink.clear();
  });

  const subscribe = (email: string, client?: string) => call(subscribeRoute.POST, "POST", `/api/v1/campaigns/${slug}/subscriptions`, { params: { slug }, json: { email }, client });
  const confirm = (token: string) => call(confirmRoute.POST, "POST", `/api/v1/subscriptions/confirm?token=${encodeURIComponent(token)}`);
  /** Sends what is queued and answers the messages that went to `to`. */
  const mailTo = async (to: string): Promise<ReceivedMail[]> => {
    await sendDueMail(db, { transport: mail.transport });
    return mail.sink.received.filter((m) => m.to.includes(to));
  };
  const confirmToken = (mail: ReceivedMail | undefined) => {
    const match = CONFIRM_LINK.exec(mail?.text ?? "");
    expect(match, mail?.text).not.toBeNull();
    return match![1]!;
  };
  const subscribed = async () => (await confirmedSubscribers(db, campaignId)).map((s) => s.email);

  it("needs the confirmation link: a request mails one, the link confirms, and confirming twice says so", async () => {
    const email = address();
    const asked = await subscribe(email);
    expect(asked.status).toBe(202);
    const [confirmation, ...more] = await mailTo(email);
    expect(more).toEqual([]);
    expect(confirmation!.subject).toMatch(/^Confirm your subscription to Series /);
    expect(confirmation!.html).toContain("Confirm subscription");
    expect(await subscribed()).not.toContain(email);
    const token = confirmToken(confirmation);
    // Only the hash is stored.
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.email, email));
    expect(row).toMatchObject({ status: "pending", confirmTokenHash: hashMailToken(token) });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await checkConfirmLink(db, token)).toMatchObject({ state: "valid" });

    expect(await confirm(token)).toMatchObject({ status: 200, json: { status: "confirmed", campaign: slug } });
    expect(await subscribed()).toContain(email);
    expect(await confirm(token)).toMatchObject({ status: 200, json: { status: "already_confirmed" } });
    expect(await checkConfirmLink(db, token)).toMatchObject({ state: "done" });
    // The welcome message, once.
    const after = await mailTo(email);
    expect(after.map((m) => m.subject)).toEqual([confirmation!.subject, expect.stringMatching(/^You are subscribed to Series /)]);
  });

  it("refuses forged, malformed, expired and replaced confirmation links with a clear answer, changing nothing", async () => {
    expect(await confirm(crypto.randomBytes(32).toString("base64url"))).toMatchObject({ status: 404, json: { error: { code: "not_found", message: expect.stringMatching(/not valid/) } } });
    expect(await confirm("not-a-token")).toMatchObject({ status: 404 });
    expect(await checkConfirmLink(db, "not-a-token")).toEqual({ state: "invalid", campaign: null });

    const email = address();
    await subscribe(email);
    const first = confirmToken((await mailTo(email))[0]);
    await subscribe(email); // asked again: a new link replaces the first
    const second = confirmToken((await mailTo(email))[1]);
    expect(second).not.toBe(first);
    expect(await confirm(first)).toMatchObject({ status: 404 });

    await db.update(subscriptions).set({ confirmExpiresAt: new Date(Date.now() - 1000) }).where(eq(subscriptions.email, email));
    expect(await checkConfirmLink(db, second)).toMatchObject({ state: "expired", campaign: { slug } });
    expect(await confirm(second)).toMatchObject({ status: 410, json: { error: { code: "gone", message: expect.stringMatching(/expired/) } } });
    expect(await subscribed()).not.toContain(email);
  });

  it("answers every request the same, whether the address is new, pending, subscribed or unsubscribed", async () => {
    const pending = address();
    await subscribe(pending);
    const confirmed = address();
    await subscribe(confirmed);
    await confirm(confirmToken((await mailTo(confirmed))[0]));
    const gone = address();
    await db.insert(subscriptions).values({ campaignId, email: gone, status: "unsubscribed", unsubscribeTokenHash: hashMailToken(crypto.randomUUID()) });
    await sendDueMail(db, { transport: mail.transport }); // the welcome message
    mail.sink.clear();
    const answers = await Promise.all([address(), pending, confirmed, gone, confirmed.toUpperCase()].map((e) => subscribe(e)));
    for (const a of answers) expect({ status: a.status, json: a.json }).toEqual({ status: answers[0]!.status, json: answers[0]!.json });
    expect(answers[0]).toMatchObject({ status: 202, json: { status: "accepted" } });
    // A subscriber asking again is not sent anything (and not subscribed twice).
    await sendDueMail(db, { transport: mail.transport });
    expect(mail.sink.received.filter((m) => m.to.includes(confirmed) || m.to.includes(confirmed.toUpperCase()))).toEqual([]);
    const rows = await db.select().from(subscriptions).where(and(eq(subscriptions.campaignId, campaignId), sql`lower(${subscriptions.email}) = ${confirmed}`));
    expect(rows).toHaveLength(1);
  });

  it("unsubscribes by the List-Unsubscribe URL with a one-click POST without cookies, and subscribing again works", async () => {
    const email = address();
    await subscribe(email);
    await confirm(confirmToken((await mailTo(email))[0]));
    const welcome = (await mailTo(email)).find((m) => m.subject.startsWith("You are subscribed"))!;
    expect(welcome.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const url = /^<(https:\/\/notebook\.test\/api\/v1\/subscriptions\/unsubscribe\?token=[A-Za-z0-9_-]{43})>$/.exec(welcome.header("list-unsubscribe") ?? "")?.[1];
    expect(url, welcome.header("list-unsubscribe")).toBeDefined();
    expect(welcome.text).toContain(url);

    // A browser opening it gets a page with a button, and nothing changes.
    const opened = await call(unsubscribeRoute.GET, "GET", url!);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(url!.replace("/api/v1/subscriptions/unsubscribe", "/subscriptions/unsubscribe"));
    expect(await subscribed()).toContain(email);

    const token = new URL(url!).searchParams.get("token")!;
    expect(await checkUnsubscribeLink(db, token)).toMatchObject({ state: "valid", campaign: { slug } });
    const oneClick = await call(unsubscribeRoute.POST, "POST", url!, { form: "List-Unsubscribe=One-Click" });
    expect(oneClick).toMatchObject({ status: 200, json: { status: "unsubscribed", campaign: slug } });
    expect(await subscribed()).not.toContain(email);
    expect(await call(unsubscribeRoute.POST, "POST", url!, { form: "List-Unsubscribe=One-Click" })).toMatchObject({ json: { status: "already_unsubscribed" } });
    expect(await checkUnsubscribeLink(db, token)).toMatchObject({ state: "done" });
    const forged = url!.replace(/token=.*/, `token=${crypto.randomBytes(32).toString("base64url")}`);
    expect(await call(unsubscribeRoute.POST, "POST", forged, { form: "List-Unsubscribe=One-Click" })).toMatchObject({ status: 404 });

    // Subscribing again: a new confirmation, and the same unsubscribe link as before.
    mail.sink.clear();
    expect((await subscribe(email)).status).toBe(202);
    await confirm(confirmToken((await mailTo(email))[0]));
    expect(await subscribed()).toContain(email);
    const again = (await mailTo(email)).find((m) => m.subject.startsWith("You are subscribed"))!;
    expect(again.header("list-unsubscribe")).toBe(`<${url}>`);
  });

  it("refuses an address with a header smuggled in (422) and sends nothing", async () => {
    const before = await outboxCounts(db);
    for (const email of ["reader@example.org\r\nBcc: eve@example.org", "reader@example.org\nBcc: eve@example.org", "Reader <reader@example.org>", "a@b.org, c@d.org"]) {
      const answer = await subscribe(email);
      expect(answer, email).toMatchObject({ status: 422, json: { error: { code: "validation_failed", fields: { email: expect.stringMatching(/one e-mail address/) } } } });
    }
    expect(await outboxCounts(db)).toEqual(before);
  });

  it("limits requests: a flooding client gets 429; an address asked for over and over gets three links an hour, with the same 202", async () => {
    const email = address();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await subscribe(email, `203.0.113.${i + 1}`));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    const queued = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email));
    expect(queued).toHaveLength(3);

    const client = "192.0.2.77";
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await subscribe(address(), client)).status);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("says e-mail is off (503) and queues nothing without an SMTP server", async () => {
    const url = process.env.NOTEBOOK_SMTP_URL;
    delete process.env.NOTEBOOK_SMTP_URL;
    resetEnvForTests();
    try {
      const before = await outboxCounts(db);
      expect(await subscribe(address())).toMatchObject({ status: 503, json: { error: { code: "mail_off", message: expect.stringMatching(/E-mail is off/) } } });
      expect(await outboxCounts(db)).toEqual(before);
    } finally {
      process.env.NOTEBOOK_SMTP_URL = url;
      resetEnvForTests();
    }
  });

  it("answers 404 for a campaign that does not exist", async () => {
    const answer = await call(subscribeRoute.POST, "POST", "/api/v1/campaigns/no-such-campaign/subscriptions", { params: { slug: "no-such-campaign" }, json: { email: address() } });
    expect(answer.status).toBe(404);
  });
});
