import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { MarkdownView } from "@/components/markdown-view";
import { getDb } from "@/db/index";
import { roleIn } from "@/db/queries/campaigns";
import { getTodo } from "@/db/queries/todos";
import { resolveAction, updateTodoAction } from "../actions";

type Props = { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ error?: string }> };

async function load(slug: string, id: string) {
  if (!/^\d{1,9}$/.test(id)) return null;
  const todo = await getTodo(await getDb(), Number(id));
  return todo && todo.campaignSlug === slug ? todo : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, id } = await params;
  const todo = await load(slug, id);
  return { title: todo ? `${todo.title} · to-do of ${todo.campaignName}` : "To-do not found" };
}

const show = (value: unknown) => (Array.isArray(value) ? value.join(", ") || "(none)" : String(value));

export default async function TodoPage({ params, searchParams }: Props) {
  const [{ slug, id }, { error }] = await Promise.all([params, searchParams]);
  const todo = await load(slug, id);
  if (!todo) notFound();
  const actor = await currentActor();
  const role = await roleIn(await getDb(), todo.campaignId, actor?.id);
  const conflicts = Object.entries(todo.conflicts);
  const editable = Boolean(role) && !todo.remoteGone;
  return (
    <div className="stack">
      <p className="meta">
        <Link href={`/campaigns/${slug}/todos`}>To-dos of {todo.campaignName}</Link>
        {todo.htmlUrl && todo.issueNumber ? (
          <>
            {" "}
            · <a href={todo.htmlUrl}>#{todo.issueNumber} on GitHub</a>
          </>
        ) : (
          " · not on GitHub yet"
        )}
      </p>
      <h1 data-testid="todo-title">{todo.title}</h1>
      <p className="meta" data-testid="todo-meta">
        {todo.state} · labels: {show(todo.labels)} · assignees: {show(todo.assignees)}
        {todo.milestone ? ` · milestone ${todo.milestone}` : ""} · {todo.commentCount} comments
      </p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {todo.remoteGone ? <p className="error">The issue was {todo.remoteGone} on GitHub; this to-do is kept here, read-only.</p> : null}
      {todo.syncError ? <p className="error">Sync: {todo.syncError}</p> : null}
      {conflicts.length ? (
        <section className="card stack" aria-label="Conflicts" data-testid="conflicts">
          <h2>Changed here and on GitHub</h2>
          {conflicts.map(([field, c]) => (
            <div key={field} className="stack">
              <strong>{field}</strong>
              <div>Notebook: {show(c?.local)}</div>
              <div>GitHub: {show(c?.remote)}</div>
              {editable ? (
                <div className="row">
                  <form action={resolveAction.bind(null, slug, todo.id, field, "notebook")}>
                    <button type="submit">Keep the notebook&apos;s</button>
                  </form>
                  <form action={resolveAction.bind(null, slug, todo.id, field, "github")}>
                    <button type="submit">Keep GitHub&apos;s</button>
                  </form>
                </div>
              ) : null}
            </div>
          ))}
        </section>
      ) : null}
      <MarkdownView body={todo.body} campaign={slug} />
      {editable ? (
        <form className="card stack todo-form" action={updateTodoAction.bind(null, slug, todo.id)} aria-label="Edit to-do" autoComplete="off" key={todo.updatedAt.toISOString()}>
          <h2>Edit</h2>
          <input type="hidden" name="seen_title" value={todo.title} />
          <input type="hidden" name="seen_body" value={todo.body} />
          <input type="hidden" name="seen_state" value={todo.state} />
          <input type="hidden" name="seen_labels" value={todo.labels.join(", ")} />
          <input type="hidden" name="seen_assignees" value={todo.assignees.join(", ")} />
          <label>
            Title <input name="title" defaultValue={todo.title} required maxLength={256} disabled={Boolean(todo.conflicts.title)} />
          </label>
          <label>
            Body <textarea name="body" rows={8} defaultValue={todo.body} disabled={Boolean(todo.conflicts.body)} />
          </label>
          <label>
            State
            <select name="state" defaultValue={todo.state} disabled={Boolean(todo.conflicts.state)}>
              <option value="open">Open</option>
              <option value="closed">Closed</option>
            </select>
          </label>
          <label>
            Labels <input name="labels" defaultValue={todo.labels.join(", ")} />
          </label>
          <label>
            Assignees <input name="assignees" defaultValue={todo.assignees.join(", ")} />
          </label>
          <button type="submit">Save</button>
        </form>
      ) : null}
    </div>
  );
}
