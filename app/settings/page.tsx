import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { DeliveryPreferencesForm, EmailAddressForm } from "@/components/email-settings";
import { NewTokenForm, RevokeTokenButton } from "@/components/token-forms";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { campaignsOf } from "@/db/queries/campaigns";
import { getNotificationMailSettings } from "@/db/queries/notification-settings";
import { listTokens } from "@/db/queries/tokens";
import { isMailEnabled } from "@/lib/mail/config";

export const metadata: Metadata = { title: "Settings", robots: { index: false } };

export default async function SettingsPage() {
  const actor = await currentActor();
  if (!actor) redirect("/signin?next=/settings");
  const db = await getDb();
  const [tokens, campaigns, mail] = await Promise.all([listTokens(db, actor), campaignsOf(db, actor.id), getNotificationMailSettings(db, actor)]);
  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <h1>Settings</h1>
      <p>
        Signed in as <strong>{actor.login}</strong>.
      </p>
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Your campaigns</h2>
        {campaigns.length ? (
          <ul>
            {campaigns.map((c) => (
              <li key={c.slug}>
                <Link href={`/campaigns/${c.slug}`}>{c.name}</Link> <span className="meta">{c.role}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="meta">
            None yet. <Link href="/campaigns">Start one</Link> or ask a maintainer to add you.
          </p>
        )}
      </section>
      <section className="card stack" id="notifications">
        <h2 style={{ marginTop: 0 }}>E-mail and notifications</h2>
        <EmailAddressForm
          email={mail.email}
          confirmed={mail.confirmed}
          linkExpiresAt={mail.linkExpiresAt?.toISOString() ?? null}
          mailEnabled={isMailEnabled()}
        />
        <p className="meta">
          How each kind of notification reaches you. E-mail goes only to a confirmed address; digests go out once a day or once a week (UTC).
        </p>
        <DeliveryPreferencesForm delivery={mail.delivery} />
      </section>
      <section className="card stack">
        <h2 style={{ marginTop: 0 }}>API tokens</h2>
        <p className="meta">
          Scripts and bots use the JSON API (<a href="/api/v1/openapi.json">OpenAPI description</a>) with <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you. Only
          its hash is stored.
        </p>
        <NewTokenForm />
        <table className="history">
          <thead>
            <tr>
              <th>Name</th>
              <th>Token</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>
                  <RelativeTime date={t.createdAt} />
                </td>
                <td>{t.lastUsedAt ? <RelativeTime date={t.lastUsedAt} /> : "never"}</td>
                <td>{t.revokedAt ? <span className="meta">revoked</span> : <RevokeTokenButton id={t.id} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
