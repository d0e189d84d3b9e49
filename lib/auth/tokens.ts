import crypto from "node:crypto";

const PREFIX = "nbk_";

/** A new personal API token: shown to its owner once; only its hash is stored. */
export function newToken(): { token: string; hash: string; prefix: string } {
  const token = PREFIX + crypto.randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6) };
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Tokens have a fixed shape; anything else is rejected before touching the database. */
export function looksLikeToken(token: string): boolean {
  return /^nbk_[A-Za-z0-9_-]{43}$/.test(token);
}
