import { afterAll, beforeAll } from "vitest";
import { resetEnvForTests } from "@/lib/env.js";
import { smtpTransport, type MailTransport } from "@/lib/mail/transport";
// A real SMTP server on loopback (the `smtp-server` package) standing in for the notebook's mail provider. Messages are
// read back with `mailparser`. A message counts as delivered when the sink answered its DATA with 250 to a client that
// was still connected: exactly what an SMTP server has accepted. Hooks let a test delay or refuse a message, refuse a
// recipient with a temporary (4xx) or permanent (5xx) answer, or do something (kill the sender) while a message
// waits for its answer.
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";

export interface ReceivedMail {
  messageId: string;
  /** The envelope's recipients (RCPT TO). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Header lines as sent, by lower-case name: the value after the colon, unfolded. */
  header(name: string): string | undefined;
  /** Which client connection sent it. */
  session: string;
}

export interface SinkHooks {
  /** An answer for RCPT TO, e.g. {code: 451, message: "try later"}; nothing = accept. */
  rcpt?: (address: string) => { code: number; message: string } | undefined;
  /**
   * Called once a message's data has arrived, before the sink answers. Answer "refuse" to refuse it (451). While it
   * runs the sender waits for the answer: a test can kill the sender here.
   */
  beforeAnswer?: (mail: ReceivedMail) => Promise<"accept" | "refuse" | void> | "accept" | "refuse" | void;
}

export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:<port> (no TLS, no authentication). */
  url: string;
  /** Every message the sink accepted, in order. */
  received: ReceivedMail[];
  /** Messages whose client was gone before the answer (not delivered). */
  dropped: ReceivedMail[];
  hooks: SinkHooks;
  /** Resolves once the client of a session has disconnected (false after timeoutMs). */
  sessionClosed(session: string, timeoutMs?: number): Promise<boolean>;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  clear(): void;
  close(): Promise<void>;
}

function unfold(line: string): string {
  return line.replace(/\r?\n[ \t]+/g, " ");
}

export async function startSmtpSink(hooks: SinkHooks = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const dropped: ReceivedMail[] = [];
  const closed = new Set<string>();
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const sink = { hooks } as SmtpSink;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const refusal = sink.hooks.rcpt?.(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        void (async () => {
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          const lines = new Map<string, string>();
          for (const { key, line } of parsed.headerLines) {
            lines.set(key.toLowerCase(), unfold(line).slice(line.indexOf(":") + 1).trim());
          }
          const mail: ReceivedMail = {
            messageId: parsed.messageId ?? "",
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            header: (name) => lines.get(name.toLowerCase()),
            session: session.id,
          };
          const decision = await sink.hooks.beforeAnswer?.(mail);
          if (closed.has(session.id)) {
            dropped.push(mail);
            notify();
            return callback(new Error("client gone"));
          }
          if (decision === "refuse") return callback(Object.assign(new Error("Refused by the test"), { responseCode: 451 }));
          received.push(mail);
          notify();
          callback();
        })().catch((error: unknown) => callback(error as Error));
      });
    },
    onClose(session: SMTPServerSession) {
      closed.add(session.id);
      notify();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  server.on("error", () => {}); // a client killed mid-conversation is a test's point, not a failure of the sink
  const address = server.server.address() as AddressInfo;
  Object.assign(sink, {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    dropped,
    sessionClosed: async (id: string, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!closed.has(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return closed.has(id);
    },
    clear: () => {
      received.length = 0;
      dropped.length = 0;
    },
    waitFor: (count: number, timeoutMs = 20_000) =>
      new Promise<ReceivedMail[]>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(received);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP sink: ${received.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return sink;
}

/** How often each value occurs, only those seen more than once. */
export function duplicates(values: string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}

/**
 * A sink for a whole test file, with e-mail switched on (NOTEBOOK_SMTP_URL pointing at it) while the file runs, and
 * a transport to it. Read `sink` and `transport` from the returned object inside tests (they exist once beforeAll ran).
 */
export function useSmtpSink(): { sink: SmtpSink; transport: MailTransport } {
  const state = {} as { sink: SmtpSink; transport: MailTransport };
  beforeAll(async () => {
    state.sink = await startSmtpSink();
    state.transport = smtpTransport(state.sink.url);
    process.env.NOTEBOOK_SMTP_URL = state.sink.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    state.transport.close();
    await state.sink.close();
    delete process.env.NOTEBOOK_SMTP_URL;
    resetEnvForTests();
  });
  return state;
}
