// Notifications by e-mail against a real SMTP server on loopback: a person's address is used only once confirmed by its
// link; "at once" sends one message per notification, once; digests go out once per period however many processes look;
// preferences are per kind and per person; links that are forged, expired or replaced are refused.
import { beforeAll, beforeEach, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
  process.env.NOTEBOOK_PUBLIC_URL = "https://notebook.test";
  process.env.NOTEBOOK_MAIL_FROM = "Open Notebook <notebook@notebook.test>";
});

import crypto from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/index";
import { mailDueNotifications } from "@/db/queries/notification-mail";
import {
  checkEmailLink,
  confirmNotificationEmail,
  getNotificationMailSettings,
  setNotificationEmail,
  setNotificationPreferences,
} from "@/db/queries/notification-settings";
import { sendDueMail } from "@/db/queries/outbox";
import { notifications, userEmails } from "@/db/schema";
import type { Actor } from "@/lib/auth/policy";
import { resetEnvForTests } from "@/lib/env.js";
import type { NotificationKind } from "@/lib/discussion/model";
import { useSmtpSink, type ReceivedMail } from "../fakes/smtp-sink";
import { describeEachDatabase } from "./support/databases";
import { makeUser } from "./support/seed";

const mail = useSmtpSink();

const CONFIRM_LINK = /https:\/\/notebook\.test\/settings\/email\/confirm\?token=([A-Za-z0-9_-]{43})/;

describeEachDatabase("notifications by e-mail", (get) => {
  let db: Db;
  beforeAll(() => {
    db = get().db;
  });
  beforeEach(() => mail.sink.clear());

  const mailTo = async (to: string): Promise<ReceivedMail[]> => {
    await sendDueMail(db, { transport: mail.transport });
    return mail.sink.received.filter((m) => m.to.includes(to));
  };
  const notify = async (actor: NonNullable<Actor>, kind: NotificationKind, title: string, createdAt?: Date) => {
    const [row] = await db
      .insert(notifications)
      .values({ userId: actor.id, kind, dedupeKey: `test:${crypto.randomUUID()}`, title, summary: `About ${title}`, path: "/entries/1#comment-2", ...(createdAt ? { createdAt } : {}) })
      .returning();
    return row!;
  };
  /** A person with a confirmed address. */
  const reader = async () => {
    const actor = await makeUser(db, "reader");
    const email = `${actor.login}@example.org`;
    await setNotificationEmail(db, actor, { email });
    const token = CONFIRM_LINK.exec((await mailTo(email))[0]?.text ?? "")?.[1];
    expect(await confirmNotificationEmail(db, token!)).toBe("confirmed");
    return { actor, email };
  };

  it("mails nothing until the address is confirmed by its link, then each notification once, at once", async () => {
    const actor = await makeUser(db, "chemist");
    const email = `${actor.login}@example.org`;
    await setNotificationPreferences(db, actor, { mention: "immediate" });
    expect(await setNotificationEmail(db, actor, { email })).toEqual({ sent: true });
    const [confirmation] = await mailTo(email);
    expect(confirmation!.subject).toBe("Confirm your address for Open Notebook");
    const token = CONFIRM_LINK.exec(confirmation!.text)![1]!;
    expect(await getNotificationMailSettings(db, actor)).toMatchObject({ email, confirmed: false, delivery: { mention: "immediate", reply: "in_app" } });

    const first = await notify(actor, "mention", "ada mentioned you on Day 3");
    expect((await mailDueNotifications(db)).immediate).toBe(0);
    expect(await checkEmailLink(db, token)).toEqual({ state: "valid", login: actor.login });
    expect(await confirmNotificationEmail(db, token)).toBe("confirmed");
    expect(await confirmNotificationEmail(db, token)).toBe("already_confirmed");

    await notify(actor, "reply", "a reply (in the app only)");
    await notify(actor, "mention", "a mention from two days ago", new Date(Date.now() - 48 * 3600 * 1000));
    expect((await mailDueNotifications(db)).immediate).toBe(1);
    expect((await mailDueNotifications(db)).immediate).toBe(0);
    const got = (await mailTo(email)).filter((m) => m !== confirmation);
    expect(got.map((m) => m.subject)).toEqual(["ada mentioned you on Day 3"]);
    expect(got[0]!.text).toContain("https://notebook.test/entries/1#comment-2");
    expect(got[0]!.text).toContain("https://notebook.test/settings");
    const rows = await db.select().from(notifications).where(eq(notifications.userId, actor.id));
    expect(rows.filter((r) => r.mailedAt).map((r) => r.id)).toEqual([first.id]);
  });

  it("sends a digest once per period whatever the number of processes, with what came since the last", async () => {
    const { actor, email } = await reader();
    await setNotificationPreferences(db, actor, { comment: "daily", measurement: "daily", mention: "immediate" });
    const titles = ["New comment on Day 1", "New comment on Day 2", "IC50 measured for OSM-S-7"];
    const created = [await notify(actor, "comment", titles[0]!), await notify(actor, "comment", titles[1]!), await notify(actor, "measurement", titles[2]!)];
    const day = new Date("2031-03-04T00:00:05Z");
    const runs = await Promise.all([1, 2, 3].map(() => mailDueNotifications(db, day)));
    expect(runs.reduce((n, r) => n + r.daily, 0)).toBe(1);
    let digests = (await mailTo(email)).filter((m) => m.subject.includes("daily digest"));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toBe("Open Notebook: Your daily digest (2031-03-04): 3 notifications");
    for (const t of titles) expect(digests[0]!.text).toContain(t);
    const marked = await db.select().from(notifications).where(inArray(notifications.id, created.map((c) => c.id)));
    expect(marked.every((n) => n.mailedAt)).toBe(true);

    await notify(actor, "comment", "Later the same day");
    expect((await mailDueNotifications(db, new Date("2031-03-04T18:00:00Z"))).daily).toBe(0);
    expect((await mailDueNotifications(db, new Date("2031-03-05T00:00:05Z"))).daily).toBe(1);
    digests = (await mailTo(email)).filter((m) => m.subject.includes("daily digest"));
    expect(digests.map((d) => d.subject)).toEqual([
      "Open Notebook: Your daily digest (2031-03-04): 3 notifications",
      "Open Notebook: Your daily digest (2031-03-05): 1 notification",
    ]);
    expect(digests[1]!.text).toContain("Later the same day");
  });

  it("keeps each person's address and preferences their own", async () => {
    const { actor: ada } = await reader();
    const eve = await makeUser(db, "eve");
    await setNotificationPreferences(db, eve, { mention: "weekly" });
    expect(await getNotificationMailSettings(db, eve)).toMatchObject({ email: null, confirmed: false, delivery: { mention: "weekly" } });
    expect(await getNotificationMailSettings(db, ada)).toMatchObject({ confirmed: true, delivery: { mention: "in_app" } });
    await expect(getNotificationMailSettings(db, null)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("refuses forged, expired and replaced confirmation links", async () => {
    const actor = await makeUser(db, "chemist");
    const email = `${actor.login}@example.org`;
    await expect(confirmNotificationEmail(db, crypto.randomBytes(32).toString("base64url"))).rejects.toMatchObject({ code: "not_found" });
    await expect(confirmNotificationEmail(db, "x")).rejects.toMatchObject({ code: "not_found" });
    await setNotificationEmail(db, actor, { email });
    const first = CONFIRM_LINK.exec((await mailTo(email))[0]!.text)![1]!;
    await setNotificationEmail(db, actor, { email: `new-${email}` });
    const second = CONFIRM_LINK.exec((await mailTo(`new-${email}`))[0]!.text)![1]!;
    await expect(confirmNotificationEmail(db, first)).rejects.toMatchObject({ code: "not_found" });
    await db.update(userEmails).set({ tokenExpiresAt: new Date(Date.now() - 1000) }).where(eq(userEmails.userId, actor.id));
    expect(await checkEmailLink(db, second)).toMatchObject({ state: "expired" });
    await expect(confirmNotificationEmail(db, second)).rejects.toMatchObject({ code: "gone" });
    expect(await getNotificationMailSettings(db, actor)).toMatchObject({ email: `new-${email}`, confirmed: false });
  });

  it("says e-mail is off when there is no SMTP server, and queues nothing", async () => {
    const url = process.env.NOTEBOOK_SMTP_URL;
    delete process.env.NOTEBOOK_SMTP_URL;
    resetEnvForTests();
    try {
      const actor = await makeUser(db, "chemist");
      await expect(setNotificationEmail(db, actor, { email: `${actor.login}@example.org` })).rejects.toMatchObject({ code: "mail_off" });
      expect(await mailDueNotifications(db)).toEqual({ immediate: 0, daily: 0, weekly: 0 });
    } finally {
      process.env.NOTEBOOK_SMTP_URL = url;
      resetEnvForTests();
    }
  });
});
