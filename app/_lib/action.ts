import { getDb, type Db } from "@/db/index";
import { hitRateLimit } from "@/db/queries/rate-limits";
import type { Actor } from "@/lib/auth/policy";
import { env } from "@/lib/env.js";
import { AppError, toAppError, type ErrorCode } from "@/lib/errors";
import { currentActor } from "./session";

export type ActionResult<T = undefined> =
  | ({ ok: true } & (T extends undefined ? { data?: undefined } : { data: T }))
  | { ok: false; error: { code: ErrorCode; message: string; fields?: Record<string, string>; current?: unknown } };

/**
 * Every server action is a public endpoint: it runs through here, which finds the caller, counts
 * the write against the caller's rate limit and turns domain errors into a result the form shows.
 * Authorization itself happens in the query functions, which receive the actor.
 */
export async function runAction<T>(fn: (db: Db, actor: Actor) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const db = await getDb();
    const actor = await currentActor();
    if (actor) await hitRateLimit(db, `write:user:${actor.id}`, env().NOTEBOOK_RATE_LIMIT_WRITES, 60);
    const data = await fn(db, actor);
    return { ok: true, data } as ActionResult<T>;
  } catch (error) {
    const known = toAppError(error);
    if (known) {
      return {
        ok: false,
        error: {
          code: known.code,
          message: known.message,
          fields: known.details?.fields,
          current: known.is("conflict") ? known.details?.current : undefined,
        },
      };
    }
    console.error("[action] unexpected error", error);
    return { ok: false, error: { code: "internal", message: "Something went wrong on our side; nothing was changed." } };
  }
}

/**
 * A server action's form argument as sent. An action is a public endpoint whose arguments are whatever a client
 * encoded, not only what our form sends: anything but form data is a 400 result, not a TypeError.
 */
export function formArg(value: unknown): FormData {
  if (value instanceof FormData) return value;
  throw new AppError("bad_request", "This action takes the fields of its form.");
}

/** A server action's record-id argument: a positive integer, else a 404 result (no record has it). */
export function idArg(value: unknown, what = "record"): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647) return value;
  throw new AppError("not_found", `No such ${what}.`);
}

/** A path segment of a page an action goes back to, whatever text the client sent for it. */
export function segment(value: unknown): string {
  return encodeURIComponent(String(value));
}
