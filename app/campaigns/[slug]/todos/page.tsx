import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { readSyncLog, syncStatus } from "@/db/queries/github-sync";
import { getConnection, listTodos, todoFacets, type TodoFilters } from "@/db/queries/todos";
import { env } from "@/lib/env.js";
import { connectAction, createTodoAction, syncNowAction } from "./actions";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  return { title: campaign ? `To-dos · ${campaign.name}` : "Campaign not found" };
}

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never");

export default async function TodosPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  const filters: TodoFilters = {
    state: query.state === "closed" || query.state === "all" ? query.state : "open",
    label: query.label || undefined,
    assignee: query.assignee || undefined,
    q: query.q || undefined,
    conflicts: query.conflicts === "1",
  };
  const [role, connection, todos, facets, status, log] = await Promise.all([
    roleIn(db, campaign.id, actor?.id),
    getConnection(db, campaign.id),
    listTodos(db, campaign.id, filters),
    todoFacets(db, campaign.id),
    syncStatus(db, campaign.id),
    readSyncLog(db, campaign.id, 15),
  ]);
  return (
    <div className="stack">
      <div className="spread">
        <h1>To-dos · {campaign.name}</h1>
        <Link href={`/campaigns/${slug}`}>Back to the campaign</Link>
      </div>
      {query.error ? <p className="error" role="alert">{query.error}</p> : null}
      {connection ? (
        <p className="meta">
          Kept in sync with{" "}
          <a href={`${env().GITHUB_BASE_URL.replace(/\/$/, "")}/${connection.owner}/${connection.repo}/issues`}>
            {connection.owner}/{connection.repo}
          </a>{" "}
          issues.
        </p>
      ) : (
        <p>This campaign is not connected to a GitHub repository yet.</p>
      )}
      {status ? (
        <section className="card" aria-label="Sync status" data-testid="sync-status">
          <h2>Sync status</h2>
          <p>
            Last successful sync: <strong>{when(status.lastSyncAt)}</strong> · pending operations: <strong>{status.pending}</strong> · failed:{" "}
            <strong>{status.failed}</strong> · conflicts:{" "}
            <Link href={`/campaigns/${slug}/todos?conflicts=1&state=all`}>
              <strong>{status.conflicts}</strong>
            </Link>
          </p>
          {status.lastError ? <p className="error">Last error: {status.lastError}</p> : null}
          {status.errors.length ? (
            <ul>
              {status.errors.map((e) => (
                <li key={e.todoId}>
                  <Link href={`/campaigns/${slug}/todos/${e.todoId}`}>{e.title}</Link>: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          {role ? (
            <form action={syncNowAction.bind(null, slug)}>
              <button type="submit">Sync now</button>
            </form>
          ) : null}
          <details>
            <summary>Sync log</summary>
            <ul className="meta">
              {log.map((l) => (
                <li key={l.id}>
                  {when(l.createdAt)} · {l.operation} {l.issueNumber ? `#${l.issueNumber}` : ""} · {l.outcome}
                  {l.message ? ` · ${l.message}` : ""}
                  {l.deliveryId ? ` · delivery ${l.deliveryId}` : ""}
                </li>
              ))}
            </ul>
          </details>
        </section>
      ) : null}
      <form className="row" method="get">
        <select name="state" defaultValue={filters.state}>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          <option value="all">All</option>
        </select>
        <select name="label" defaultValue={filters.label ?? ""}>
          <option value="">Any label</option>
          {facets.labels.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
        <select name="assignee" defaultValue={filters.assignee ?? ""}>
          <option value="">Anyone</option>
          {facets.assignees.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <input name="q" placeholder="Search" defaultValue={filters.q ?? ""} />
        <button type="submit">Filter</button>
      </form>
      <table className="todos" data-testid="todo-list">
        <thead>
          <tr>
            <th>To-do</th>
            <th>State</th>
            <th>Labels</th>
            <th>Assignees</th>
            <th>Milestone</th>
            <th>Comments</th>
            <th>Last activity</th>
          </tr>
        </thead>
        <tbody>
          {todos.map((t) => (
            <tr key={t.id}>
              <td>
                <Link href={`/campaigns/${slug}/todos/${t.id}`}>{t.title}</Link>{" "}
                {t.issueNumber && t.htmlUrl ? <a href={t.htmlUrl}>#{t.issueNumber}</a> : <span className="meta">(not on GitHub yet)</span>}
                {Object.keys(t.conflicts).length ? <strong> · conflict</strong> : null}
                {t.remoteGone ? <span className="meta"> · {t.remoteGone} on GitHub</span> : null}
              </td>
              <td>{t.state}</td>
              <td>{t.labels.join(", ")}</td>
              <td>{t.assignees.join(", ")}</td>
              <td>{t.milestone ?? ""}</td>
              <td>{t.commentCount}</td>
              <td>{when(t.lastActivityAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {todos.length === 0 ? <p className="meta">No to-dos match.</p> : null}
      {role && connection ? (
        <form className="card stack todo-form" action={createTodoAction.bind(null, slug)} aria-label="New to-do">
          <h2>New to-do</h2>
          <label>
            Title <input name="title" required maxLength={256} />
          </label>
          <label>
            Body (markdown; molecule IDs like OSM-S-123 link to the molecule)
            <textarea name="body" rows={5} />
          </label>
          <label>
            Labels (comma-separated) <input name="labels" />
          </label>
          <label>
            Assignees (GitHub logins, comma-separated) <input name="assignees" />
          </label>
          <label>
            <input type="checkbox" name="moleculeLinks" /> Add structures and PubChem/ChEMBL links of mentioned molecules to the issue
          </label>
          <button type="submit">Create to-do</button>
        </form>
      ) : null}
      {role === "maintainer" ? (
        <details className="card">
          <summary>{connection ? "Change the repository connection" : "Connect a GitHub repository"}</summary>
          <form className="stack todo-form" action={connectAction.bind(null, slug)} aria-label="Connect repository">
            <label>
              Repository (owner/name) <input name="repository" required defaultValue={connection ? `${connection.owner}/${connection.repo}` : ""} />
            </label>
            <label>
              Authentication
              <select name="authKind" defaultValue={connection?.authKind ?? "app"}>
                <option value="app">GitHub App installation</option>
                <option value="token">Token</option>
              </select>
            </label>
            <label>
              Token <input name="token" type="password" autoComplete="off" />
            </label>
            <label>
              App ID <input name="appId" />
            </label>
            <label>
              Installation ID <input name="installationId" />
            </label>
            <label>
              App private key (PEM) <textarea name="privateKey" rows={3} />
            </label>
            <label>
              API base URL (GitHub Enterprise; empty for the configured GitHub) <input name="apiBaseUrl" />
            </label>
            <label>
              Webhook secret (empty: keep or generate one) <input name="webhookSecret" type="password" autoComplete="off" />
            </label>
            <button type="submit">Connect</button>
          </form>
          {connection ? (
            <p className="meta">
              Webhook: payload URL <code>{"<this site>"}/api/github/webhook</code>, content type <code>application/json</code>, secret:{" "}
              <code data-testid="webhook-secret">{connection.webhookSecret}</code>, events: Issues and Issue comments.
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}
