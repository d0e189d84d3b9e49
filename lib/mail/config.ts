import { env } from "../env.js";
import { messageIdHost } from "./headers";

// E-mail settings from the validated environment (lib/env.js). Without NOTEBOOK_SMTP_URL e-mail is off: nothing is
// queued for sending, no process sends, and the pages that would send mail say that e-mail is off.

export interface MailSettings {
  enabled: boolean;
  /** smtp:// or smtps:// URL, as nodemailer reads it. */
  smtpUrl: string | undefined;
  /** The From of every message: an address or `Name <address>`. */
  from: string;
  /** Where links in messages point (required with SMTP). */
  publicUrl: string;
  siteName: string;
  messageIdHost: string;
  intervalMs: number;
  claimMs: number;
}

export function mailSettings(): MailSettings {
  const e = env();
  const publicUrl = (e.NOTEBOOK_PUBLIC_URL ?? "http://localhost:3000").replace(/\/$/, "");
  return {
    enabled: e.mailEnabled,
    smtpUrl: e.NOTEBOOK_SMTP_URL,
    from: e.NOTEBOOK_MAIL_FROM ?? `${e.NOTEBOOK_SITE_NAME} <notebook@${messageIdHost(e.NOTEBOOK_PUBLIC_URL)}>`,
    publicUrl,
    siteName: e.NOTEBOOK_SITE_NAME,
    messageIdHost: messageIdHost(e.NOTEBOOK_PUBLIC_URL),
    intervalMs: Math.round(e.NOTEBOOK_MAIL_INTERVAL * 1000),
    claimMs: Math.round(e.NOTEBOOK_MAIL_CLAIM_SECONDS * 1000),
  };
}

/** True when an SMTP server is configured. */
export function isMailEnabled(): boolean {
  return env().mailEnabled;
}
