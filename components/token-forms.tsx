"use client";

import { useActionState, useTransition } from "react";
import { createTokenAction, revokeTokenAction } from "@/app/settings/actions";

export function NewTokenForm() {
  const [result, action, pending] = useActionState(createTokenAction, null);
  const created = result?.ok ? (result.data as { token: string; name: string }) : null;
  return (
    <form action={action} className="stack">
      <div className="row">
        <label htmlFor="token-name" className="visually-hidden">
          Token name
        </label>
        <input id="token-name" name="name" required maxLength={100} placeholder="What is it for? e.g. plate-reader bot" style={{ flex: 1 }} />
        <button type="submit" className="primary" disabled={pending}>
          Create token
        </button>
      </div>
      {result && !result.ok ? <p className="field-error">{result.error.message}</p> : null}
      {created ? (
        <div className="notice">
          <p style={{ marginTop: 0 }}>
            Token “{created.name}” created. Copy it now: it is shown only once.
          </p>
          <code data-testid="new-token">{created.token}</code>
        </div>
      ) : null}
    </form>
  );
}

export function RevokeTokenButton({ id }: { id: number }) {
  const [pending, start] = useTransition();
  return (
    <button type="button" className="danger" disabled={pending} onClick={() => start(async () => void (await revokeTokenAction(id)))}>
      Revoke
    </button>
  );
}
