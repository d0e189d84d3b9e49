// Mail through the production server: three app processes on one PostgreSQL send the outbox together to a real SMTP
// server on loopback (tests/fakes/smtp-sink.ts). The process that is sending is killed (SIGKILL) in the middle of its
// batch, while a message waits for the server's answer; every queued message still arrives exactly once, counted at the
// sink by Message-ID and by recipient. Then a subscription goes the whole way on the surviving servers: the
// confirmation page, the confirmation, the welcome message, and its List-Unsubscribe one-click POST without cookies.
import postgres from "postgres";
import { currentWeek } from "@/lib/newsletter/week";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duplicates, startSmtpSink, type ReceivedMail, type SmtpSink } from "../fakes/smtp-sink";
import { ApiClient, expectStatus } from "./support/api-client";
import { launchBrowser, newPage, screenshot } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createToken, postgresStore, type PostgresStore } from "./support/seed";
import { appProcessPid, killNotebook, startNotebook, type Notebook } from "./support/server";

const POSTGRES_URL = process.env.TEST_DATABASE_URL;
const PUBLIC_URL = "http://notebook.test";
const SLUG = "mailing";
const MESSAGES = 90;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// runIf: only PostgreSQL is shared by several processes (tests/e2e/multiprocess.test.ts checks PGlite turns a second away).
describe.runIf(POSTGRES_URL)("mail from three app processes on one PostgreSQL", () => {
  let store: PostgresStore;
  let sink: SmtpSink;
  let sql: postgres.Sql;
  let servers: Notebook[] = [];
  let killed: { server: Notebook; owner: string; messageId: string } | undefined;
  let maintainerToken: string;
  const dead = new Set<Notebook>();
  const live = () => servers.find((s) => !dead.has(s))!;

  /**
   * Holds every delivery until `gate` opens, then, once `after` messages have arrived, kills (SIGKILL) the process that
   * is sending the next one while it waits for the server's answer. Resolves the kill's details through `onKill`.
   */
  function killSenderMidBatch(gate: Promise<void>, after: number, onKill: (k: { server: Notebook; owner: string; messageId: string }) => void) {
    let done = false;
    sink.hooks.beforeAnswer = async (mail: ReceivedMail) => {
      await gate;
      await sleep(25);
      if (done || sink.received.length < after) return;
      // Claimed before the first await: two deliveries arriving together must not both kill their sender.
      done = true;
      const [row] = await sql<{ claimed_by: string | null }[]>`select claimed_by from mail_outbox where message_id = ${mail.messageId}`;
      const pid = Number(row?.claimed_by?.split(":")[1]);
      const server = servers.find((s) => appProcessPid(s) === pid && !dead.has(s));
      if (!server) throw new Error(`no server runs the sender ${row?.claimed_by}`);
      dead.add(server);
      onKill({ server, owner: row!.claimed_by!, messageId: mail.messageId });
      await killNotebook(server); // SIGKILL while this message waits for its 250
      expect(await sink.sessionClosed(mail.session)).toBe(true);
    };
  }

  beforeAll(async () => {
    store = await postgresStore(POSTGRES_URL!);
    sql = postgres(store.url, { max: 2, onnotice: () => {} });
    sink = await startSmtpSink();
    const token = (maintainerToken = await createToken(store, "maintainer"));
    const env = {
      ...store.env,
      NOTEBOOK_SMTP_URL: sink.url,
      NOTEBOOK_MAIL_FROM: "Open Notebook <notebook@notebook.test>",
      NOTEBOOK_PUBLIC_URL: PUBLIC_URL,
      NOTEBOOK_MAIL_INTERVAL: "0.2",
      NOTEBOOK_MAIL_CLAIM_SECONDS: "5",
      NOTEBOOK_RATE_LIMIT_WRITES: "10000",
      NOTEBOOK_RATE_LIMIT_SUBSCRIBE: "10000",
    };
    servers = await Promise.all([0, 1, 2].map(() => startNotebook({ env })));
    await new ApiClient(servers[0]!.url, token).createCampaign({ name: "Mailing", slug: SLUG });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await sink?.close();
    await sql?.end();
    await store?.dispose();
  });

  it("delivers every queued message exactly once although the sending process is killed mid-batch", async () => {
    // Deliveries wait until every message is queued (each process then holds a claimed batch), and then take a little
    // while each, so each process is in the middle of a batch most of the time.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    killSenderMidBatch(gate, 15, (k) => (killed = k));

    const recipients = Array.from({ length: MESSAGES }, (_, i) => `reader-${i}@example.org`);
    await Promise.all(
      [0, 1, 2].map(async (k) => {
        const api = new ApiClient(servers[k]!.url);
        for (const email of recipients.filter((_, i) => i % 3 === k)) {
          const answer = await api.post(`/api/v1/campaigns/${SLUG}/subscriptions`, { email });
          expect(answer.status, answer.text).toBe(202);
        }
      }),
    );
    open();

    // Everything queued is sent in the end; the dead process's claims lapse after 5 s and the others send them.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [counted] = await sql<{ pending: number }[]>`select count(*)::int as pending from mail_outbox where status <> 'sent'`;
      const pending = counted!.pending;
      if (pending === 0 && sink.received.length >= MESSAGES) break;
      if (Date.now() > deadline) throw new Error(`${pending} messages not sent, ${sink.received.length} received`);
      await sleep(250);
    }
    await sleep(1000); // anything sent twice would arrive now

    expect(killed, "the sending process was killed mid-batch").toBeDefined();
    const rows = await sql<{ message_id: string; to_address: string; attempts: number }[]>`select message_id, to_address, attempts from mail_outbox`;
    expect(rows).toHaveLength(MESSAGES);
    expect(sink.received).toHaveLength(MESSAGES);
    expect(duplicates(sink.received.map((m) => m.messageId))).toEqual({});
    expect(duplicates(sink.received.flatMap((m) => m.to))).toEqual({});
    expect(new Set(sink.received.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => r.message_id)));
    expect(new Set(sink.received.flatMap((m) => m.to))).toEqual(new Set(recipients));
    // The message in flight at the kill was not delivered then, and was delivered once later with its Message-ID.
    expect(sink.dropped.map((m) => m.messageId)).toEqual([killed!.messageId]);
    expect(sink.received.filter((m) => m.messageId === killed!.messageId)).toHaveLength(1);
    // Messages the killed process had claimed and not sent went out from the others after its claim lapsed.
    expect(rows.filter((r) => r.attempts >= 2).length).toBeGreaterThanOrEqual(1);
  });

  // The kill is the test above's (the same outbox carries every message); here the surviving processes send together.
  it("sends the week's newsletter to every confirmed subscriber exactly once from the processes sending together, and a second send sends none", async () => {
    // The 90 readers confirmed (the confirmation itself is the next test's); a week with something in it.
    await sql`update subscriptions set status = 'confirmed', confirmed_at = now(), confirm_token_hash = null`;
    // A server still alive, whichever process the kill below takes.
    const maintainer = () => new ApiClient(live().url, maintainerToken);
    await maintainer().createEntry({ campaign: SLUG, date: new Date().toISOString().slice(0, 10), title: "Column of the ether", body: "212 mg, white solid." });
    sink.clear();
    sink.hooks.beforeAnswer = undefined;
    const week = currentWeek();
    const sent = await maintainer().post<{ queued: number }>(`/api/v1/campaigns/${SLUG}/newsletters/${week}/send`);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body.queued).toBe(MESSAGES);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const [counted] = await sql<{ pending: number }[]>`select count(*)::int as pending from mail_outbox where status <> 'sent'`;
      if (counted!.pending === 0 && sink.received.length >= MESSAGES) break;
      if (Date.now() > deadline) throw new Error(`${counted!.pending} newsletters not sent, ${sink.received.length} received`);
      await sleep(250);
    }
    await sleep(1000); // anything sent twice would arrive now
    const letters = sink.received.filter((m) => m.header("list-unsubscribe-post") === "List-Unsubscribe=One-Click" && !/subscribed to|Confirm/i.test(m.subject));
    expect(letters).toHaveLength(MESSAGES);
    expect(duplicates(letters.flatMap((m) => m.to))).toEqual({});
    expect(new Set(letters.flatMap((m) => m.to)).size).toBe(MESSAGES);
    // Sending the same week again reaches nobody new.
    const again = await maintainer().post<{ queued: number }>(`/api/v1/campaigns/${SLUG}/newsletters/${week}/send`);
    expect(again.status, again.text).toBe(200);
    expect(again.body.queued).toBe(0);
    await sleep(1500);
    expect(sink.received.filter((m) => !letters.includes(m))).toEqual([]);
    sink.hooks.beforeAnswer = undefined;
  });

  it("confirms a subscription through its page and link, and ends it with the List-Unsubscribe one-click POST", async () => {
    const live = servers.find((s) => !dead.has(s))!;
    sink.hooks.beforeAnswer = undefined;
    sink.clear();
    const email = "one-click@example.org";
    expectStatus(await new ApiClient(live.url).post(`/api/v1/campaigns/${SLUG}/subscriptions`, { email }), 202);
    const [confirmation] = await sink.waitFor(1);
    const link = /http:\/\/notebook\.test(\/subscriptions\/confirm\?token=[A-Za-z0-9_-]{43})/.exec(confirmation!.text)?.[1];
    expect(link, confirmation!.text).toBeDefined();
    const page = await fetch(live.url + link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm subscription");

    const token = new URL(PUBLIC_URL + link).searchParams.get("token")!;
    expectStatus(await new ApiClient(live.url).post(`/api/v1/subscriptions/confirm?token=${token}`), 200);
    const [, welcome] = await sink.waitFor(2);
    expect(welcome!.subject).toBe("You are subscribed to Mailing");
    expect(welcome!.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const unsubscribe = /^<http:\/\/notebook\.test(\/api\/v1\/subscriptions\/unsubscribe\?token=[A-Za-z0-9_-]{43})>$/.exec(welcome!.header("list-unsubscribe") ?? "")?.[1];
    expect(unsubscribe, welcome!.header("list-unsubscribe")).toBeDefined();

    // What a mail client does (RFC 8058): POST the body, no cookies, no other context.
    const oneClick = await fetch(live.url + unsubscribe, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ status: "unsubscribed", campaign: SLUG });
    const [row] = await sql<{ status: string }[]>`select status from subscriptions where email = ${email}`;
    expect(row!.status).toBe("unsubscribed");
    // Opened in a browser instead, the same URL leads to a page that asks first (here: says it is done).
    const opened = await fetch(live.url + unsubscribe, { redirect: "manual" });
    expect(opened.status).toBe(303);
    const location = new URL(opened.headers.get("location")!);
    expect(location.pathname).toBe("/subscriptions/unsubscribe");
    const done = await fetch(live.url + location.pathname + location.search);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You are unsubscribed");
  });

  it("in the browser: Get the newsletter on the campaign page, confirm from the mail, and e-mail settings for notifications", async () => {
    const live = servers.find((s) => !dead.has(s))!;
    sink.clear();
    const browser = await launchBrowser();
    try {
      const tab = await newPage(browser, live.url);
      const { page } = tab;
      await page.goto(`/campaigns/${SLUG}`);
      const signup = page.getByTestId("newsletter-signup");
      await signup.getByLabel("E-mail address").fill("browser@example.org");
      await signup.getByRole("button", { name: "Subscribe" }).click();
      await signup.getByText("Check your inbox").waitFor();
      await screenshot(page, "newsletter-signup");
      const [confirmation] = await sink.waitFor(1);
      const link = /http:\/\/notebook\.test(\/subscriptions\/confirm\?token=[A-Za-z0-9_-]{43})/.exec(confirmation!.text)![1]!;
      await page.goto(link);
      await page.getByRole("button", { name: "Confirm subscription" }).click();
      await page.getByRole("heading", { name: "You are subscribed" }).waitFor();
      await screenshot(page, "subscription-confirmed");

      await signInLocally(page, "reader");
      await page.goto("/settings");
      await page.getByLabel("E-mail address for notifications").fill("reader@example.org");
      await page.getByRole("button", { name: "Set address" }).click();
      await page.getByText("A confirmation link is on its way").waitFor();
      const mails = await sink.waitFor(3); // the confirmation, the welcome, the address's confirmation
      const toReader = mails.find((m) => m.to.includes("reader@example.org"))!;
      const confirmLink = /http:\/\/notebook\.test(\/settings\/email\/confirm\?token=[A-Za-z0-9_-]{43})/.exec(toReader.text)![1]!;
      await page.goto(confirmLink);
      await page.getByRole("button", { name: "Confirm address" }).click();
      await page.getByRole("heading", { name: "Address confirmed" }).waitFor();
      await page.goto("/settings");
      expect(await page.getByTestId("email-status").innerText()).toContain("reader@example.org confirmed");
      await page.getByLabel("Someone mentions you (@login)").selectOption("immediate");
      await page.getByLabel("A reply to your comment").selectOption("daily");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Saved.").waitFor();
      expect(await page.getByLabel("Someone mentions you (@login)").inputValue()).toBe("immediate");
      await page.reload();
      expect(await page.getByLabel("Someone mentions you (@login)").inputValue()).toBe("immediate");
      expect(await page.getByLabel("A reply to your comment").inputValue()).toBe("daily");
      await screenshot(page, "email-settings");
      const prefs = await sql<{ kind: string; delivery: string }[]>`
        select p.kind, p.delivery from notification_preferences p join users u on u.id = p.user_id where u.login = 'reader' order by p.kind`;
      expect(prefs.filter((p) => p.delivery !== "in_app")).toEqual([
        { kind: "mention", delivery: "immediate" },
        { kind: "reply", delivery: "daily" },
      ]);
      expect(tab.problems()).toBe("");
    } finally {
      await browser.close();
    }
  });
});
