import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { LocalSignInForm } from "@/components/local-signin-form";
import { env } from "@/lib/env.js";
import { signInWithGitHub } from "./actions";

export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

const ERRORS: Record<string, string> = {
  CredentialsSignin: "Local sign-in was refused.",
  OAuthCallbackError: "GitHub did not complete the sign-in. Try again.",
  AccessDenied: "Access was denied.",
  Configuration: "Sign-in is not configured correctly on this server.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const { next = "/", error } = await searchParams;
  if (await currentActor()) redirect(next.startsWith("/") && !next.startsWith("//") ? next : "/");
  const e = env();
  return (
    <div className="card stack" style={{ maxWidth: 480, margin: "2rem auto" }}>
      <h1>Sign in</h1>
      <p className="meta">Reading is open to everyone. Sign in to write entries in the campaigns you belong to.</p>
      {error ? <p className="notice warn">{ERRORS[error] ?? "Sign-in failed. Try again."}</p> : null}
      {e.githubOAuth ? (
        <form action={signInWithGitHub}>
          <input type="hidden" name="next" value={next} />
          <button type="submit" className="primary">
            Sign in with GitHub
          </button>
        </form>
      ) : null}
      {e.localSignIn ? (
        <>
          <p className="notice">
            No GitHub app is configured, so this notebook offers <strong>local sign-in</strong>: pick a name and you are that user. It
            works only on this machine (localhost).
          </p>
          <LocalSignInForm next={next} />
        </>
      ) : null}
      {!e.githubOAuth && !e.localSignIn ? <p className="notice warn">No sign-in method is configured on this server.</p> : null}
    </div>
  );
}
