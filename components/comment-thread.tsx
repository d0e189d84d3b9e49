"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { CommentBody } from "@/lib/contract/comments";
import { COMMENT_MAX } from "@/lib/discussion/input";
import { renderMarkdown, withUgcLinks } from "@/lib/markdown";
import { RelativeTime } from "./ui/relative-time";

export interface CommentThreadProps {
  target: { kind: "entry" | "molecule" | "reaction"; id: string | number };
  /** The comments as the server rendered the page with them. */
  initial: CommentBody[];
  campaign: string;
  /** The signed-in person's login, or null (then a sign-in link instead of the form). */
  viewer: string | null;
  /** Maintainers of the campaign may hide comments. */
  canModerate: boolean;
  /** Whoever may mark questions answered besides the asker (the owner of what it is on, maintainers). */
  canAnswer: boolean;
  signInPath: string;
  title?: string;
}

async function send<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new Error(json.error?.message ?? `The server answered ${response.status}.`);
  return json as T;
}

/** A discussion: anyone signed in comments, replies, asks a question; maintainers hide with a reason. */
export function CommentThread({
  target,
  initial,
  campaign,
  viewer,
  canModerate,
  canAnswer,
  signInPath,
  title = "Discussion",
}: CommentThreadProps) {
  const queryClient = useQueryClient();
  const param = `${target.kind}:${target.id}`;
  const key = ["comments", param];
  const list = useQuery({
    queryKey: key,
    queryFn: async () => (await send<{ comments: CommentBody[] }>(`/api/v1/comments?target=${encodeURIComponent(param)}`, "GET")).comments,
    initialData: initial,
    staleTime: 10_000,
  });
  const [body, setBody] = useState("");
  const [question, setQuestion] = useState(false);
  const [replyTo, setReplyTo] = useState<CommentBody | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const post = useMutation({
    mutationFn: () =>
      send<CommentBody>("/api/v1/comments", "POST", { target, body, question, ...(replyTo ? { replyTo: replyTo.id } : {}) }),
    onSuccess: () => {
      setBody("");
      setQuestion(false);
      setReplyTo(null);
      void refresh();
    },
  });
  const comments = list.data ?? [];
  const headingId = `discussion-${target.kind}-${String(target.id).replace(/\W/g, "-")}`;
  return (
    <section className="card comments" aria-labelledby={headingId} data-testid={`comments-${target.kind}`}>
      <h2 id={headingId} style={{ marginTop: 0 }}>
        {title} {comments.length ? <span className="meta">({comments.length})</span> : null}
      </h2>
      {comments.length === 0 ? <p className="meta">No comments yet.</p> : null}
      <ol className="comment-list">
        {comments.map((c) => (
          <CommentItem
            key={c.id}
            comment={c}
            parent={c.replyTo ? comments.find((p) => p.id === c.replyTo) : undefined}
            campaign={campaign}
            viewer={viewer}
            canModerate={canModerate}
            canAnswer={canAnswer || c.author === viewer}
            onReply={() => setReplyTo(c)}
            onChanged={refresh}
          />
        ))}
      </ol>
      {viewer ? (
        <form
          className="stack comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            post.mutate();
          }}
        >
          {replyTo ? (
            <p className="meta">
              Replying to {replyTo.author}{" "}
              <button type="button" onClick={() => setReplyTo(null)}>
                Cancel reply
              </button>
            </p>
          ) : null}
          <label htmlFor={`${headingId}-body`}>Your comment (markdown; @login to mention someone, OSM-S-123 to link a molecule)</label>
          <textarea
            id={`${headingId}-body`}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            maxLength={COMMENT_MAX}
            rows={4}
            required
          />
          <div className="row">
            <label className="meta">
              <input type="checkbox" checked={question} onChange={(e) => setQuestion(e.target.checked)} /> This is a question
            </label>
            <button type="submit" className="primary" disabled={post.isPending || body.trim() === ""}>
              {post.isPending ? "Posting…" : "Post comment"}
            </button>
          </div>
          {post.error ? (
            <p className="field-error" role="alert">
              {post.error.message}
            </p>
          ) : null}
        </form>
      ) : (
        <p className="meta">
          <Link href={signInPath}>Sign in</Link> to comment: anyone can take part.
        </p>
      )}
    </section>
  );
}

function CommentItem({
  comment: c,
  parent,
  campaign,
  viewer,
  canModerate,
  canAnswer,
  onReply,
  onChanged,
}: {
  comment: CommentBody;
  parent?: CommentBody;
  campaign: string;
  viewer: string | null;
  canModerate: boolean;
  canAnswer: boolean;
  onReply: () => void;
  onChanged: () => Promise<unknown>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(c.body);
  const [error, setError] = useState<string | null>(null);
  const act = (run: () => Promise<unknown>) => {
    setError(null);
    run()
      .then(() => onChanged())
      .catch((e: unknown) => setError((e as Error).message));
  };
  const html = renderMarkdown(c.body, { campaign });
  const body = <div className="prose comment-body" dangerouslySetInnerHTML={{ __html: c.ugc ? withUgcLinks(html) : html }} />;
  return (
    <li id={`comment-${c.id}`} className={`comment${c.hidden ? " hidden-comment" : ""}`} data-testid="comment">
      <p className="meta comment-meta">
        <strong>{c.author}</strong> · <RelativeTime date={new Date(c.createdAt)} />
        {c.versions.length > 1 ? ` · edited (${c.versions.length} versions)` : ""}
        {c.question ? <span className={`tag ${c.answered ? "answered" : "question"}`}>{c.answered ? "answered" : "question"}</span> : null}
        {parent ? (
          <>
            {" "}
            · in reply to <a href={`#comment-${parent.id}`}>{parent.author}</a>
          </>
        ) : null}
      </p>
      {c.hidden ? (
        <details>
          <summary className="meta">
            Hidden by {c.hidden.by ?? "a maintainer"}: {c.hidden.reason}
          </summary>
          {body}
        </details>
      ) : editing ? (
        <div className="stack">
          <textarea
            aria-label="Edit your comment"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={4}
            maxLength={COMMENT_MAX}
          />
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={() => act(async () => (await send(`/api/v1/comments/${c.id}`, "PATCH", { body: text }), setEditing(false)))}
            >
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        body
      )}
      {c.versions.length > 1 && !c.hidden ? (
        <details className="meta">
          <summary>Earlier versions</summary>
          <ol>
            {c.versions.slice(0, -1).map((v) => (
              <li key={v.number}>
                <pre className="comment-version">{v.body}</pre>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {viewer && !c.hidden ? (
        <div className="row comment-actions">
          <button type="button" onClick={onReply}>
            Reply
          </button>
          {c.author === viewer && !editing ? (
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          {c.question && !c.answered && canAnswer ? (
            <button type="button" onClick={() => act(() => send(`/api/v1/comments/${c.id}/answered`, "POST"))}>
              Mark answered
            </button>
          ) : null}
          {canModerate ? (
            <button
              type="button"
              onClick={() => {
                const reason = window.prompt("Why hide this comment? (shown in its place)");
                if (reason) act(() => send(`/api/v1/comments/${c.id}/hide`, "POST", { reason }));
              }}
            >
              Hide
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
