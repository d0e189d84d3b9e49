import nodemailer from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared/index.js";

// The one place that talks SMTP (nodemailer). The outbox (db/queries/outbox.ts) hands it stored messages; tests hand
// the outbox a transport to a real SMTP server on loopback.

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Fixed when the message was queued: every attempt carries the same one. */
  messageId: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** An SMTP failure that will not go away by trying again (a 5xx answer: no such mailbox, refused). */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * A transport to the SMTP server of `url` (smtp:// or smtps://, credentials in the URL). One connection at a time,
 * kept open between messages: the outbox sends one message after the other and marks each sent before the next.
 */
export function smtpTransport(url: string, options: { name?: string } = {}): MailTransport {
  // nodemailer reads a URL or an options object, not both: read the URL here and add the pool's options.
  const transporter = nodemailer.createTransport({
    ...parseConnectionUrl(url),
    pool: true,
    maxConnections: 1,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    ...(options.name ? { name: options.name } : {}),
  });
  return {
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
      });
    },
    close: () => transporter.close(),
  };
}
