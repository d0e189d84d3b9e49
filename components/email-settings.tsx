"use client";

import { startTransition, useActionState, useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { removeEmailAction, setEmailAction, setPreferencesAction } from "@/app/settings/actions";
import { type DeliveryMode, type NotificationKind, notificationKindLabels, notificationKinds } from "@/lib/discussion/model";

const deliveryLabels: Record<DeliveryMode, string> = {
  in_app: "In the app only",
  immediate: "E-mail at once",
  daily: "Daily digest",
  weekly: "Weekly digest",
};

function Problem({ result }: { result: ActionResult<unknown> | null }) {
  if (!result || result.ok) return null;
  return <p className="field-error">{result.error.fields?.email ?? result.error.message}</p>;
}

/** The address notifications go to, confirmed by a mailed link before anything else is sent to it. */
export function EmailAddressForm(props: { email: string | null; confirmed: boolean; linkExpiresAt: string | null; mailEnabled: boolean }) {
  const [result, action, pending] = useActionState(setEmailAction, null);
  const [removing, startRemoving] = useTransition();
  const sent = result?.ok && (result.data as { sent: boolean } | undefined)?.sent;
  return (
    <div className="stack">
      {props.email ? (
        <p data-testid="email-status">
          <strong>{props.email}</strong>{" "}
          {props.confirmed ? (
            <span className="meta">confirmed</span>
          ) : (
            <span className="meta">
              waiting for confirmation: open the link mailed to it{props.linkExpiresAt ? ` (it works until ${new Date(props.linkExpiresAt).toUTCString()})` : ""}
            </span>
          )}{" "}
          <button type="button" className="danger" disabled={removing} onClick={() => startRemoving(async () => void (await removeEmailAction()))}>
            Remove
          </button>
        </p>
      ) : (
        <p className="meta">No address yet: notifications stay in the app.</p>
      )}
      {props.mailEnabled ? (
        <form action={action} className="row">
          <label htmlFor="notification-email" className="visually-hidden">
            E-mail address for notifications
          </label>
          <input id="notification-email" name="email" type="email" required maxLength={254} placeholder="you@example.org" autoComplete="email" style={{ flex: 1 }} />
          <button type="submit" disabled={pending}>
            {props.email ? "Change address" : "Set address"}
          </button>
        </form>
      ) : (
        <p className="notice warn">E-mail is off on this notebook (no SMTP server is configured): notifications stay in the app.</p>
      )}
      {sent ? <p className="notice">A confirmation link is on its way to that address. Mail goes there once it is opened.</p> : null}
      <Problem result={result} />
    </div>
  );
}

/** Per kind of notification: in the app only, e-mail at once, or a daily or weekly digest. */
export function DeliveryPreferencesForm({ delivery }: { delivery: Record<NotificationKind, DeliveryMode> }) {
  const [result, action, pending] = useActionState(setPreferencesAction, null);
  const [chosen, setChosen] = useState(delivery);
  // Submitted by hand, not as `<form action>`: React resets a form after its action, and the selects would show the
  // first option instead of what was just saved.
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <table className="history">
        <tbody>
          {notificationKinds.map((kind) => (
            <tr key={kind}>
              <td>
                <label htmlFor={`delivery-${kind}`}>{notificationKindLabels[kind]}</label>
              </td>
              <td>
                <select id={`delivery-${kind}`} name={kind} value={chosen[kind]} onChange={(e) => setChosen({ ...chosen, [kind]: e.target.value as DeliveryMode })}>
                  {Object.entries(deliveryLabels).map(([mode, label]) => (
                    <option key={mode} value={mode}>
                      {label}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="submit" className="primary" disabled={pending}>
          Save
        </button>
        {result?.ok ? <span className="meta">Saved.</span> : null}
      </div>
      <Problem result={result} />
    </form>
  );
}
