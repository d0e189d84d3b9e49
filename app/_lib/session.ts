import { cache } from "react";
import { auth } from "@/app/auth";
import type { Actor } from "@/lib/auth/policy";

/** The signed-in user of this request, from the session cookie; null for readers without an account. */
export const currentActor = cache(async (): Promise<Actor> => {
  const session = await auth();
  return session?.actor ?? null;
});
