"use client";

import { useActionState } from "react";
import { subscribeAction } from "@/app/subscriptions/actions";

/** "Get the newsletter" on a campaign page: an address, then a confirmation link by mail (double opt-in). */
export function NewsletterSignup({ slug, mailEnabled }: { slug: string; mailEnabled: boolean }) {
  const [result, action, pending] = useActionState(subscribeAction.bind(null, slug), null);
  return (
    <div className="card stack" data-testid="newsletter-signup">
      <h2 style={{ marginTop: 0 }}>Get the newsletter</h2>
      {mailEnabled ? (
        <>
          <p className="meta">What happened in the campaign, once a week, by e-mail. No account needed; your address is shown to no one.</p>
          {result?.ok ? (
            <p className="notice" role="status">
              Check your inbox: if the address can receive mail, a confirmation link is on its way. The subscription starts when you open it.
            </p>
          ) : (
            <form action={action} className="stack">
              <div className="row">
                <label htmlFor="newsletter-email" className="visually-hidden">
                  E-mail address
                </label>
                <input id="newsletter-email" name="email" type="email" required maxLength={254} placeholder="you@example.org" autoComplete="email" style={{ flex: 1 }} />
                <button type="submit" className="primary" disabled={pending}>
                  Subscribe
                </button>
              </div>
              {result && !result.ok ? <p className="field-error">{result.error.fields?.email ?? result.error.message}</p> : null}
            </form>
          )}
        </>
      ) : (
        <p className="meta">E-mail is off on this notebook, so the newsletter is not sent by mail. Follow the campaign through its feed instead.</p>
      )}
    </div>
  );
}
