/**
 * The mail loop of an app process: every NOTEBOOK_MAIL_INTERVAL seconds it queues the notifications due by e-mail
 * (db/queries/notification-mail.ts) and sends what is due in the outbox (db/queries/outbox.ts). Every app process runs
 * one; they share the work through claims in the database, so each message goes out once. Started from
 * instrumentation.ts, never during `next build`, and only when e-mail is on (NOTEBOOK_SMTP_URL).
 */
import { getDb } from "@/db/index";
import { mailDueNotifications } from "@/db/queries/notification-mail";
import { sendDueMail } from "@/db/queries/outbox";
import { mailSettings } from "@/lib/mail/config";
import { smtpTransport, type MailTransport } from "@/lib/mail/transport";

const key = Symbol.for("open-notebook.mail-runner");
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as { timer?: NodeJS.Timeout; transport?: MailTransport };

export function startMailRunner(): void {
  const settings = mailSettings();
  if (holder.timer || !settings.enabled || !settings.smtpUrl) return;
  const transport = (holder.transport = smtpTransport(settings.smtpUrl));
  let busy = false;
  const tick = async () => {
    if (busy) return; // the previous tick is still sending
    busy = true;
    try {
      const db = await getDb();
      await mailDueNotifications(db);
      await sendDueMail(db, { transport });
    } catch (error) {
      console.error("[mail]", error);
    } finally {
      busy = false;
    }
  };
  holder.timer = setInterval(() => void tick(), settings.intervalMs);
  holder.timer.unref();
  void tick();
}
