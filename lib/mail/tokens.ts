import crypto from "node:crypto";

// Tokens in links sent by mail (confirming an address or a subscription, unsubscribing). Only their SHA-256 is stored:
// a copy of the database does not let anyone confirm or unsubscribe in someone else's name.

/** How long a confirmation link works. */
export const CONFIRM_LINK_HOURS = 48;

/** 32 random bytes, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function hashMailToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** A new random token for a confirmation link, and the hash to store. */
export function newMailToken(): { token: string; hash: string } {
  const token = crypto.randomBytes(32).toString("base64url");
  return { token, hash: hashMailToken(token) };
}

/** Tokens have one shape; anything else is answered "not a valid link" without a database look-up. */
export function looksLikeMailToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN.test(value);
}

/**
 * The unsubscribe token of a subscription (campaign and address), derived with the server's secret rather than
 * stored: every newsletter carries it in its List-Unsubscribe header, and the database keeps only its hash. It stays
 * the same for the life of the subscription, so the link in any earlier message still works; changing AUTH_SECRET
 * makes the links in messages already sent stop working (README, E-mail).
 */
export function unsubscribeToken(secret: string, campaignId: number, email: string): string {
  return crypto.createHmac("sha256", secret).update(`newsletter-unsubscribe\n${campaignId}\n${email.toLowerCase()}`).digest("base64url");
}
