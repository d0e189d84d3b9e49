// lib/mail: what goes into a message's headers (nothing that can start another header), the List-Unsubscribe pair of
// RFC 8058, Message-IDs, tokens, the HTML and plain-text parts, periods and retry delays, and the environment.
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvForTests } from "@/lib/env.js";
import { isAppError } from "@/lib/errors";
import {
  assertHeaderValue,
  checkExtraHeaders,
  headerText,
  isMailAddress,
  listUnsubscribeHeaders,
  messageIdHost,
  newMessageId,
  requireMailAddress,
} from "@/lib/mail/headers";
import { subscriptionConfirmMail } from "@/lib/mail/messages";
import { escapeHtml, renderMail } from "@/lib/mail/render";
import { dayPeriod, isoWeekPeriod, retryDelayMs } from "@/lib/mail/schedule";
import { hashMailToken, looksLikeMailToken, newMailToken, unsubscribeToken } from "@/lib/mail/tokens";

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isAppError(error), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("addresses and header values", () => {
  it("accepts one plain address and refuses anything that could carry a second header or recipient", () => {
    for (const ok of ["ada@example.org", "a.b+tag@sub.example.co.uk", "x_y@a-b.io"]) expect(isMailAddress(ok), ok).toBe(true);
    for (const bad of [
      "ada@example.org\r\nBcc: eve@example.org",
      "ada@example.org\nBcc: eve@example.org",
      "Ada <ada@example.org>",
      "ada@example.org, eve@example.org",
      "ada@@example.org",
      "ada@localhost",
      "@example.org",
      ".ada@example.org",
      "ada@example..org",
      `${"a".repeat(65)}@example.org`,
      "",
    ]) {
      expect(isMailAddress(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(refusal(() => requireMailAddress("a@b.org\r\nBcc: c@d.org", "to"))).toBe("to: must be one e-mail address");
  });

  it("flattens people's text onto one header line and refuses a raw value with CR or LF", () => {
    expect(headerText("New comment\r\nBcc: eve@example.org")).toBe("New comment Bcc: eve@example.org");
    expect(headerText("  tabs\tand\u0000nul  ")).toBe("tabs and nul");
    expect(headerText("x".repeat(300), 20)).toBe(`${"x".repeat(19)}…`);
    expect(refusal(() => assertHeaderValue("Subject", "Hello\r\nBcc: eve@example.org"))).toMatch(/Subject must be one line/);
    expect(() => assertHeaderValue("Subject", "Hello, world")).not.toThrow();
  });

  it("lets extra headers through only under their own names, one line each, never the notebook's own", () => {
    expect(checkExtraHeaders({ "X-Campaign": "series-4" })).toEqual({ "X-Campaign": "series-4" });
    expect(refusal(() => checkExtraHeaders({ Bcc: "eve@example.org" }))).toMatch(/Bcc is set by the notebook/);
    expect(refusal(() => checkExtraHeaders({ "Message-ID": "<x@y>" }))).toMatch(/set by the notebook/);
    expect(refusal(() => checkExtraHeaders({ "X-A": "ok\r\nBcc: eve@example.org" }))).toMatch(/one line/);
    expect(refusal(() => checkExtraHeaders({ "X-A\r\nBcc": "eve@example.org" }))).toMatch(/not a mail header name/);
  });

  it("writes List-Unsubscribe and List-Unsubscribe-Post as RFC 8058 wants them", () => {
    expect(listUnsubscribeHeaders("https://notebook.example.org/api/v1/subscriptions/unsubscribe?token=abc")).toEqual({
      "List-Unsubscribe": "<https://notebook.example.org/api/v1/subscriptions/unsubscribe?token=abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(() => listUnsubscribeHeaders("javascript:alert(1)")).toThrow(/not a web URL/);
  });

  it("makes Message-IDs <random@host of the public URL>, or @notebook.local", () => {
    expect(messageIdHost("https://notebook.example.org/")).toBe("notebook.example.org");
    expect(messageIdHost(undefined)).toBe("notebook.local");
    expect(messageIdHost("http://[::1]:3000")).toBe("notebook.local");
    const a = newMessageId("notebook.example.org");
    expect(a).toMatch(/^<[0-9a-f]{32}@notebook\.example\.org>$/);
    expect(newMessageId("notebook.example.org")).not.toBe(a);
  });
});

describe("tokens", () => {
  it("stores only a SHA-256 of a random token, and knows a token by its shape", () => {
    const { token, hash } = newMailToken();
    expect(looksLikeMailToken(token)).toBe(true);
    expect(hash).toBe(hashMailToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    for (const bad of ["", "short", `${token}x`, token.replace(/.$/, "!"), 42]) expect(looksLikeMailToken(bad)).toBe(false);
  });

  it("derives the same unsubscribe token for a subscription every time, different for another address, campaign or secret", () => {
    const t = unsubscribeToken("secret-1", 7, "Ada@Example.org");
    expect(looksLikeMailToken(t)).toBe(true);
    expect(unsubscribeToken("secret-1", 7, "ada@example.org")).toBe(t);
    expect(unsubscribeToken("secret-1", 8, "ada@example.org")).not.toBe(t);
    expect(unsubscribeToken("secret-1", 7, "eve@example.org")).not.toBe(t);
    expect(unsubscribeToken("secret-2", 7, "ada@example.org")).not.toBe(t);
  });
});

describe("rendering", () => {
  it("writes an HTML and a plain-text part from one layout, escaping every text", async () => {
    const mail = await renderMail({
      heading: "New <script>alert(1)</script> & more",
      blocks: [
        { kind: "paragraph", text: '<mj-include path="/etc/passwd" /> "quoted"' },
        { kind: "item", title: "OSM-S-123 <b>", url: "https://notebook.example.org/molecules/OSM-S-123?a=1&b=2", summary: "IC50 < 1 µM" },
        { kind: "button", label: "Open", url: "https://notebook.example.org/" },
      ],
      footer: ["Why you get this"],
      footerLinks: [{ label: "Settings", url: "https://notebook.example.org/settings" }],
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("New &lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    expect(mail.html).not.toContain("root:"); // mj-include was text, not an include
    expect(mail.html).toContain("&lt;mj-include");
    expect(mail.html).toContain('href="https://notebook.example.org/molecules/OSM-S-123?a=1&amp;b=2"');
    expect(mail.text).toContain("New <script>alert(1)</script> & more");
    expect(mail.text).toContain("* OSM-S-123 <b>\n  IC50 < 1 µM\n  https://notebook.example.org/molecules/OSM-S-123?a=1&b=2");
    expect(mail.text).toContain("Open:\nhttps://notebook.example.org/");
    expect(mail.text).toContain("Settings: https://notebook.example.org/settings");
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("puts only web links into mail", async () => {
    await expect(renderMail({ heading: "x", blocks: [{ kind: "button", label: "x", url: "javascript:alert(1)" }], footer: [] })).rejects.toThrow(/Only web links/);
  });

  it("keeps a campaign name with a line break out of the subject's header line", async () => {
    const mail = await subscriptionConfirmMail({
      siteName: "Open Notebook",
      campaignName: "Series 4\r\nBcc: eve@example.org",
      confirmUrl: "https://notebook.example.org/subscriptions/confirm?token=t",
      campaignUrl: "https://notebook.example.org/campaigns/s4",
    });
    expect(mail.subject).toBe("Confirm your subscription to Series 4 Bcc: eve@example.org");
    expect(mail.text).toContain("https://notebook.example.org/subscriptions/confirm?token=t");
    expect(mail.html).toContain("Confirm subscription");
  });
});

describe("periods and retries", () => {
  it("names UTC days and ISO weeks", () => {
    expect(dayPeriod(new Date("2026-12-05T23:59:59Z"))).toBe("2026-12-05");
    expect(isoWeekPeriod(new Date("2026-01-01T00:00:00Z"))).toBe("2026-W01");
    expect(isoWeekPeriod(new Date("2024-12-30T12:00:00Z"))).toBe("2025-W01");
    expect(isoWeekPeriod(new Date("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeekPeriod(new Date("2026-12-05T12:00:00Z"))).toBe("2026-W49");
    expect(isoWeekPeriod(new Date("2026-12-07T00:00:00Z"))).toBe("2026-W50");
  });

  it("waits longer after each failed attempt, at most two hours", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(30)).toBe(2 * 60 * 60 * 1000);
  });
});

describe("the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvForTests();
  });

  const load = (vars: Record<string, string | undefined>) => {
    process.env = { ...saved, AUTH_SECRET: "unit-test-secret-0123456789", ...vars };
    resetEnvForTests();
    try {
      return env();
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("has e-mail off without an SMTP URL, and on with one, a sender and a public URL", () => {
    expect(load({ NOTEBOOK_SMTP_URL: undefined })).toMatchObject({ mailEnabled: false });
    expect(load({ NOTEBOOK_SMTP_URL: "smtps://u:p@mail.example.org:465", NOTEBOOK_MAIL_FROM: "Open Notebook <nb@example.org>", NOTEBOOK_PUBLIC_URL: "https://nb.example.org" })).toMatchObject({
      mailEnabled: true,
      NOTEBOOK_MAIL_INTERVAL: 5,
      NOTEBOOK_MAIL_CLAIM_SECONDS: 300,
    });
  });

  it("refuses a bad SMTP URL, a missing sender or public URL, and a sender with a line break", () => {
    expect(load({ NOTEBOOK_SMTP_URL: "http://mail.example.org" })).toMatch(/NOTEBOOK_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(load({ NOTEBOOK_SMTP_URL: "smtp://127.0.0.1:2525", NOTEBOOK_PUBLIC_URL: "https://nb.example.org" })).toMatch(/NOTEBOOK_MAIL_FROM is required/);
    expect(load({ NOTEBOOK_SMTP_URL: "smtp://127.0.0.1:2525", NOTEBOOK_MAIL_FROM: "nb@example.org" })).toMatch(/NOTEBOOK_PUBLIC_URL is required/);
    expect(load({ NOTEBOOK_MAIL_FROM: "Notebook <nb@example.org>\r\nBcc: eve@example.org" })).toMatch(/NOTEBOOK_MAIL_FROM must be an address/);
    expect(load({ NOTEBOOK_MAIL_FROM: "Notebook\r\nBcc: eve@example.org <nb@example.org>" })).toMatch(/NOTEBOOK_MAIL_FROM must be an address/);
  });
});
