import { expect } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { registrySettings } from "@/db/queries/molecules/registry";
import { AppError, toAppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/policy";
import type { Role } from "@/db/schema";
import { makeCampaign } from "./seed";
import { setRegistrySettings } from "./use-cases";

/**
 * Expects the promise to fail with an error that the boundary (route handler or server action, through toAppError)
 * answers with this code; returns the AppError the client gets.
 */
export async function rejects<C extends AppError["code"]>(promise: Promise<unknown>, code: C, text?: string | RegExp): Promise<AppError<C>> {
  const thrown = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  const error = toAppError(thrown) ?? thrown;
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code, (error as Error).message).toBe(code);
  if (text) expect((error as AppError).message).toMatch(text);
  return error as AppError<C>;
}

/** A campaign with an ID prefix of its own (unique in the suite's database) and default site A. */
export async function makeRegistry(db: Db, members: { actor: NonNullable<Actor>; role: Role }[] = [], prefix?: string) {
  const made = await makeCampaign(db, members);
  if (prefix) await setRegistrySettings(db, made.maintainer, made.slug, { prefix, defaultSite: "A" });
  const settings = await registrySettings(db, await requireCampaign(db, made.slug));
  return { ...made, prefix: settings.prefix };
}

/** The database's message for a refused statement (drizzle wraps the driver's error as its cause). */
export function refusal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "accepted",
    (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
  );
}
