"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { createCampaignAction, removeMemberAction, setLicenseAction, setMemberAction } from "@/app/campaigns/actions";
import { DEFAULT_LICENSE, licenseOf, licenses } from "@/lib/campaigns/licenses";

function FieldError({ result, field }: { result: ActionResult<unknown> | null; field: string }) {
  const message = result && !result.ok ? result.error.fields?.[field] : undefined;
  return message ? <p className="field-error">{message}</p> : null;
}

function FormError({ result }: { result: ActionResult<unknown> | null }) {
  return result && !result.ok && !result.error.fields ? <p className="notice warn">{result.error.message}</p> : null;
}

export function NewCampaignForm() {
  const [result, action, pending] = useActionState(createCampaignAction, null);
  return (
    <form action={action} className="card">
      <h2 style={{ marginTop: 0 }}>Start a campaign</h2>
      <FormError result={result} />
      <div className="field">
        <label htmlFor="name">Name</label>
        <input id="name" name="name" required maxLength={120} placeholder="Series 4" />
        <FieldError result={result} field="name" />
      </div>
      <div className="field">
        <label htmlFor="slug">Short name for links</label>
        <input id="slug" name="slug" required maxLength={50} placeholder="series-4" pattern="[a-z0-9][a-z0-9\-]*[a-z0-9]" />
        <FieldError result={result} field="slug" />
      </div>
      <div className="field">
        <label htmlFor="description">What is it about?</label>
        <textarea id="description" name="description" rows={3} maxLength={2000} />
        <FieldError result={result} field="description" />
      </div>
      <div className="field">
        <label htmlFor="license">Licence of its data</label>
        <LicenseSelect id="license" value={DEFAULT_LICENSE} />
        <p className="meta">Entries, molecules, results and exports are published under it; maintainers can change it later.</p>
        <FieldError result={result} field="license" />
      </div>
      <button type="submit" className="primary" disabled={pending}>
        Start campaign
      </button>
    </form>
  );
}

export function AddMemberForm({ slug }: { slug: string }) {
  const [result, action, pending] = useActionState(setMemberAction.bind(null, slug), null);
  return (
    <form action={action}>
      <FormError result={result} />
      <div className="row">
        <label htmlFor="member-login" className="visually-hidden">
          GitHub login
        </label>
        <input id="member-login" name="login" required placeholder="GitHub login" style={{ flex: 1 }} />
        <select name="role" aria-label="Role" defaultValue="member">
          <option value="member">member</option>
          <option value="maintainer">maintainer</option>
        </select>
        <button type="submit" disabled={pending}>
          Add
        </button>
      </div>
      <FieldError result={result} field="login" />
      {result?.ok ? <p className="meta">Saved.</p> : null}
    </form>
  );
}

export function RemoveMemberButton({ slug, login }: { slug: string; login: string }) {
  const [result, action, pending] = useActionState(async () => removeMemberAction(slug, login), null);
  return (
    <form action={action} style={{ display: "inline" }}>
      <button type="submit" className="danger" disabled={pending} title={`Remove ${login}`}>
        Remove
      </button>
      {result && !result.ok ? <span className="field-error"> {result.error.message}</span> : null}
    </form>
  );
}

function LicenseSelect({ id, value }: { id: string; value: string }) {
  return (
    <select id={id} name="license" defaultValue={value}>
      {licenses.map((l) => (
        <option key={l.id} value={l.id}>
          {l.short} — {l.name}
        </option>
      ))}
    </select>
  );
}

/** Maintainers: the licence the campaign's data is published under from now on. */
export function LicenseForm({ slug, license }: { slug: string; license: string }) {
  const [result, action, pending] = useActionState(setLicenseAction.bind(null, slug), null);
  const current = result?.ok ? (result.data as { license: string }).license : license;
  return (
    <form action={action} className="stack" data-testid="license-form">
      <FormError result={result} />
      <label htmlFor="campaign-license">Licence of the data</label>
      <div className="row">
        <LicenseSelect key={current} id="campaign-license" value={current} />
        <button type="submit" disabled={pending}>
          Change
        </button>
      </div>
      <FieldError result={result} field="license" />
      {result?.ok ? <p className="meta">Now {licenseOf(current).short}: from now on pages, feeds, the API and exports say so.</p> : null}
    </form>
  );
}
