/**
 * Receiving GitHub's webhooks: the signature (X-Hub-Signature-256, HMAC-SHA256 of the raw body with the
 * connection's secret) is checked with a constant-time compare before anything else is trusted; a delivery id seen
 * before is answered without doing the work again; the work itself is handed back to run after the answer (GitHub
 * gives a receiver 10 seconds).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SyncConnection as GitHubConnection, TodoSyncStore } from "./store";
import type { TodoSync } from "./sync";

export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024; // GitHub caps payloads at 25 MB

export function signatureFor(secret: string, raw: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
}

/** Constant-time check of an X-Hub-Signature-256 header against the raw body. */
export function verifySignature(secret: string, raw: Buffer, header: string | null): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signatureFor(secret, raw));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookAnswer {
  status: number;
  body: { ok: true; duplicate?: boolean; ignored?: string } | { error: { code: string; message: string } };
  /** Work to run after answering. */
  work?: () => Promise<void>;
}

const fail = (status: number, code: string, message: string): WebhookAnswer => ({ status, body: { error: { code, message } } });

export async function receiveWebhook(store: TodoSyncStore, sync: TodoSync, headers: Headers, raw: Buffer): Promise<WebhookAnswer> {
  const event = headers.get("x-github-event");
  const deliveryId = headers.get("x-github-delivery");
  const signature = headers.get("x-hub-signature-256");
  if (!signature) return fail(401, "unauthorized", "X-Hub-Signature-256 is missing");
  if (!event || !deliveryId) return fail(400, "bad_request", "X-GitHub-Event and X-GitHub-Delivery are required");
  if (raw.length > WEBHOOK_BODY_LIMIT) return fail(413, "payload_too_large", "webhook payloads are at most 25 MB");
  let payload: { action?: string; repository?: { full_name?: string } };
  try {
    payload = JSON.parse(raw.toString("utf8")) as typeof payload;
  } catch {
    // Unsigned junk must not learn more than a signed one: check against every secret is impossible without a
    // repository, so the answer is the same 401.
    return fail(401, "unauthorized", "signature does not match");
  }
  const [owner, repo] = (payload.repository?.full_name ?? "").split("/");
  const candidates = owner && repo ? await store.connectionsForRepository(owner, repo) : [];
  const matching: GitHubConnection[] = candidates.filter((c) => verifySignature(c.webhookSecret, raw, signature));
  if (!matching.length) return fail(401, "unauthorized", "signature does not match");
  if (event === "ping") return { status: 200, body: { ok: true, ignored: "ping" } };
  const fresh: GitHubConnection[] = [];
  for (const conn of matching) {
    // One row per delivery and campaign (a repository may feed several campaigns).
    const key = matching.length > 1 ? `${deliveryId}:${conn.campaignId}` : deliveryId;
    if (await store.recordDelivery({ deliveryId: key, campaignId: conn.campaignId, event, action: payload.action ?? null, payload })) fresh.push(conn);
  }
  if (!fresh.length) return { status: 200, body: { ok: true, duplicate: true } };
  return {
    status: 202,
    body: { ok: true },
    work: async () => {
      for (const conn of fresh) {
        const key = matching.length > 1 ? `${deliveryId}:${conn.campaignId}` : deliveryId;
        try {
          await sync.handleDelivery(conn, deliveryId, event, payload);
          await store.markDeliveryProcessed(key);
        } catch (error) {
          // The reconcile picks up whatever this delivery carried; say what went wrong.
          const message = error instanceof Error ? error.message : String(error);
          await store.appendSyncLog({ campaignId: conn.campaignId, operation: `webhook ${event}`, deliveryId, outcome: "error", message }).catch(() => {});
        }
      }
    },
  };
}
