"use server";

import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { signIn, signOut } from "@/app/auth";
import { getDb } from "@/db/index";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { login as loginSchema } from "@/lib/campaigns/input";
import { env } from "@/lib/env.js";
import { isAppError } from "@/lib/errors";

/** Only same-site paths are followed after sign-in. */
function safeRedirect(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "/";
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}

async function limitSignIn(): Promise<string | null> {
  const h = await headers();
  const address = h.get("x-forwarded-for")?.split(",")[0]?.trim() || "direct";
  try {
    await hitRateLimit(await getDb(), `signin:${address}`, env().NOTEBOOK_RATE_LIMIT_SIGNIN, 60);
    return null;
  } catch (error) {
    if (isAppError(error)) return error.message;
    throw error;
  }
}

export async function signInWithGitHub(formData: FormData): Promise<void> {
  await signIn("github", { redirectTo: safeRedirect(formData instanceof FormData ? formData.get("next") : null) });
}

export interface LocalSignInState {
  error?: string;
}

export async function signInLocally(_state: LocalSignInState, formData: FormData): Promise<LocalSignInState> {
  if (!env().localSignIn) return { error: "Local sign-in is turned off on this notebook." };
  // A server action is a public endpoint: anything may arrive here, not only the form.
  if (!(formData instanceof FormData)) return { error: "Sign in with the form: a name is required." };
  const limited = await limitSignIn();
  if (limited) return { error: limited };
  const login = loginSchema.safeParse(formData.get("login"));
  if (!login.success) return { error: "Name: use letters, digits and single hyphens (like a GitHub login)." };
  try {
    await signIn("local", { login: login.data, redirectTo: safeRedirect(formData.get("next")) });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      return { error: "Local sign-in was refused: it only works on this machine (localhost), and not for accounts that sign in with GitHub." };
    }
    throw error; // the redirect after a successful sign-in
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/" });
}
