"use client";

import { useActionState } from "react";
import { signInLocally, type LocalSignInState } from "@/app/signin/actions";

export function LocalSignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<LocalSignInState, FormData>(signInLocally, {});
  return (
    <form action={action}>
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor="login">Your name (as on GitHub)</label>
        <input id="login" name="login" required autoComplete="username" pattern="[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}" />
        {state.error ? <p className="field-error">{state.error}</p> : null}
      </div>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in locally"}
      </button>
    </form>
  );
}
