import { lt, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { rateLimits } from "../schema";

/**
 * Count one action against a fixed-window limit shared by every app process (the counter is a row
 * in the database), and refuse with 429 once the window's budget is spent.
 */
export async function hitRateLimit(
  db: Queryable,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<void> {
  const now = Date.now();
  const windowStart = new Date(now - (now % (windowSeconds * 1000)));
  const expiresAt = new Date(windowStart.getTime() + windowSeconds * 1000);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1, expiresAt })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  if (Math.random() < 0.01) await db.delete(rateLimits).where(lt(rateLimits.expiresAt, new Date(now)));
  if (row && row.count > limit) {
    const retryAfter = Math.max(1, Math.ceil((expiresAt.getTime() - now) / 1000));
    throw new AppError("rate_limited", `Too many requests: try again in ${retryAfter} s.`, { retryAfter });
  }
}
