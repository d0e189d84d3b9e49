import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../index";
import { users, type User } from "../schema";

export interface GithubProfile {
  id: number;
  login: string;
  name?: string | null;
  avatarUrl?: string | null;
}

const byLogin = (login: string) => sql`lower(${users.login}) = lower(${login})`;

export async function getUserById(db: Queryable, id: number): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user ?? null;
}

export async function getUserByLogin(db: Queryable, login: string): Promise<User | null> {
  const [user] = await db.select().from(users).where(byLogin(login));
  return user ?? null;
}

/**
 * Sign-in with GitHub: the account is found by GitHub's numeric id. A person added by login before
 * they ever signed in (by a maintainer or the admin command) has a row without a GitHub id; the
 * first sign-in with that login claims it. If GitHub has since given the login to someone else,
 * the old holder's row is renamed out of the way: logins are display names, ids are identity.
 */
export async function upsertGithubUser(db: Queryable, profile: GithubProfile): Promise<User> {
  return db.transaction(async (tx) => {
    const [known] = await tx.select().from(users).where(eq(users.githubId, profile.id));
    const [holder] = await tx.select().from(users).where(byLogin(profile.login));
    if (holder && holder.id !== known?.id && holder.githubId !== null) {
      await tx
        .update(users)
        .set({ login: `${holder.login}~${holder.githubId}` })
        .where(eq(users.id, holder.id));
    }
    const details = { login: profile.login, name: profile.name ?? null, avatarUrl: profile.avatarUrl ?? null };
    if (known) {
      const [updated] = await tx.update(users).set(details).where(eq(users.id, known.id)).returning();
      return updated!;
    }
    if (holder && holder.githubId === null) {
      const [claimed] = await tx
        .update(users)
        .set({ ...details, githubId: profile.id })
        .where(and(eq(users.id, holder.id), isNull(users.githubId)))
        .returning();
      return claimed!;
    }
    const [created] = await tx
      .insert(users)
      .values({ ...details, githubId: profile.id })
      .returning();
    return created!;
  });
}

/** A user known only by login (local sign-in, the admin command, a member added before first sign-in). */
export async function ensureUserByLogin(db: Queryable, login: string): Promise<User> {
  const existing = await getUserByLogin(db, login);
  if (existing) return existing;
  const [created] = await db.insert(users).values({ login }).onConflictDoNothing().returning();
  return created ?? (await getUserByLogin(db, login))!;
}
