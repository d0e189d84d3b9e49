import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { type Actor, requireActor } from "@/lib/auth/policy";
import { hashToken, looksLikeToken, newToken } from "@/lib/auth/tokens";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { apiTokens, users, type User } from "../schema";

export interface TokenView {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.tokenPrefix,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

/** Returns the token itself once; only its hash is kept. */
export async function createToken(db: Queryable, userId: number, name: string): Promise<{ token: string; view: TokenView }> {
  const label = name.trim();
  if (!label || label.length > 100) throw new AppError("validation_failed", "name: must be 1 to 100 characters");
  const { token, hash, prefix } = newToken();
  const [view] = await db.insert(apiTokens).values({ userId, name: label, tokenHash: hash, tokenPrefix: prefix }).returning(tokenColumns);
  return { token, view: view! };
}

export async function listTokens(db: Queryable, actor: Actor): Promise<TokenView[]> {
  requireActor(actor);
  return db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.userId, actor.id)).orderBy(desc(apiTokens.id));
}

/** A user revokes one of their own tokens; someone else's token id answers 404, as if it did not exist. */
export async function revokeToken(db: Queryable, actor: Actor, tokenId: number): Promise<void> {
  requireActor(actor);
  const [revoked] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (!revoked) throw new AppError("not_found", `You have no active token with id ${tokenId}.`);
}

/** The user a bearer token belongs to, or a 401 for a malformed, unknown or revoked token. */
export async function userForToken(db: Queryable, token: string): Promise<User> {
  if (!looksLikeToken(token)) throw new AppError("unauthorized", "The API token is malformed.");
  const [row] = await db
    .select({ user: users, tokenId: apiTokens.id, revokedAt: apiTokens.revokedAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row || row.revokedAt) throw new AppError("unauthorized", "The API token is unknown or revoked.");
  // Record use at most once a minute, so reads do not turn into writes.
  const aMinuteAgo = new Date(Date.now() - 60_000);
  if (!row.lastUsedAt || row.lastUsedAt < aMinuteAgo) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, aMinuteAgo))));
  }
  return row.user;
}
