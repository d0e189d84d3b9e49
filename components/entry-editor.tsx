"use client";

import { useRouter } from "next/navigation";
import { useCallback, useDeferredValue, useEffect, useRef, useState, useTransition } from "react";
import { saveEntryAction } from "@/app/entries/actions";
import { renderMarkdown } from "@/lib/markdown";
import { draftFromStored, draftToInput, type ReactionDraft } from "@/lib/stoichiometry/draft";
import type { ReactionInput } from "@/lib/stoichiometry/input";
import type { StoredReaction } from "@/lib/stoichiometry/reaction";
import { AttachmentPanel } from "./attachment-panel";
import { ConflictPanel, type TheirVersion } from "./conflict-panel";
import { InsertPictureStructure } from "./insert-picture-structure";
import { InsertStructure } from "./insert-structure";
import { ReactionEditor, useSpectra } from "./reaction-editor";
import { useImagePaste } from "./use-image-paste";

export interface EditorProps {
  campaign: { slug: string; name: string };
  entry?: { id: number; revisionId: number; title: string; body: string; date: string; reactions: StoredReaction[] };
  /** A new entry started from a template: its title, body and reaction skeleton. */
  start?: { template: number; title: string; body: string; reactions: ReactionInput[] };
  defaultDate: string;
  /** "page": a wiki page (no date of work, no reactions; live blocks are drawn when the page is read). */
  kind?: "entry" | "page";
  /** Whether OSRA is installed on the server: "Structure from picture" is offered where the page says (undefined: not). */
  pictures?: boolean;
}

interface Draft {
  title: string;
  body: string;
  date: string;
  reactions?: ReactionDraft[];
  savedAt: number;
}

/**
 * The entry editor: markdown with a live preview. Text typed here is also kept in the browser
 * until the server acknowledges a save, so a closed tab or a failed save never loses it.
 */
export function EntryEditor({ campaign, entry, start, defaultDate, kind = "entry", pictures }: EditorProps) {
  const router = useRouter();
  const page = kind === "page";
  const draftKey = entry
    ? `notebook:draft:entry:${entry.id}:${entry.revisionId}`
    : `notebook:draft:new${page ? "-page" : ""}:${campaign.slug}${start ? `:template:${start.template}` : ""}`;
  const initial = entry ?? start;
  const [savedReactions] = useState(() =>
    JSON.stringify((initial?.reactions ?? []).map((r) => draftFromStored({ ...r, rows: r.rows ?? [] }))),
  );
  const [title, setTitle] = useState(initial?.title ?? "");
  const [body, setBody] = useState(initial?.body ?? "");
  const [reactions, setReactions] = useState<ReactionDraft[]>(() => JSON.parse(savedReactions) as ReactionDraft[]);
  const spectra = useSpectra(entry?.id);
  const [date, setDate] = useState(entry?.date ?? defaultDate);
  const [message, setMessage] = useState("");
  const [base, setBase] = useState(entry?.revisionId);
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const [theirs, setTheirs] = useState<TheirVersion | null>(null);
  const [status, setStatus] = useState<string>("");
  const [restored, setRestored] = useState(false);
  // The text fields are read-only until the unsaved draft (if any) has been restored: typed before that, text could
  // be replaced by the draft, or the draft inserted into it.
  const [ready, setReady] = useState(false);
  const [pending, startTransition] = useTransition();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  /** Whether the chemist has been in the notes since the page loaded (then insertions go at the caret). */
  const caretPlaced = useRef(false);
  const preview = useDeferredValue(body);

  useEffect(() => {
    setReady(true);
    const saved = localStorage.getItem(draftKey);
    if (!saved) return;
    const draft = JSON.parse(saved) as Draft;
    const draftReactions = JSON.stringify(draft.reactions ?? []);
    if (
      draft.body !== (initial?.body ?? "") ||
      draft.title !== (initial?.title ?? "") ||
      (draft.reactions && draftReactions !== savedReactions)
    ) {
      setTitle(draft.title);
      setBody(draft.body);
      setDate(draft.date);
      if (draft.reactions) setReactions(draft.reactions);
      setRestored(true);
    }
  }, [draftKey, initial?.body, initial?.title, savedReactions]);

  useEffect(() => {
    const changed = title !== (initial?.title ?? "") || body !== (initial?.body ?? "") || JSON.stringify(reactions) !== savedReactions;
    if (changed) localStorage.setItem(draftKey, JSON.stringify({ title, body, date, reactions, savedAt: Date.now() } satisfies Draft));
  }, [draftKey, title, body, date, reactions, initial?.title, initial?.body, savedReactions]);

  const save = useCallback(
    (stay: boolean, overrideBase?: number) => {
      setError(null);
      const converted = draftToInput(reactions);
      if (Object.keys(converted.errors).length) {
        setError({ message: "Some cells of a reaction table are not numbers.", fields: converted.errors });
        return;
      }
      startTransition(async () => {
        const result = await saveEntryAction({
          entryId: entry?.id,
          campaign: entry ? undefined : campaign.slug,
          ...(page && !entry ? { kind: "page" as const } : {}),
          title,
          body,
          ...(page ? {} : { reactions: converted.reactions, date }),
          message: message || undefined,
          baseRevision: entry ? (overrideBase ?? base) : undefined,
        });
        if (!result.ok) {
          if (result.error.code === "conflict" && result.error.current) setTheirs(result.error.current as TheirVersion);
          setError({ message: result.error.message, fields: result.error.fields });
          return;
        }
        localStorage.removeItem(draftKey);
        setTheirs(null);
        setRestored(false);
        setBase(result.data.revisionId);
        setMessage("");
        setStatus(result.data.changed ? `Saved at ${new Date().toLocaleTimeString()}` : "No changes to save");
        if (!stay) router.push(result.data.path);
        else if (!entry) router.replace(`${result.data.path}/edit`);
        else router.refresh();
      });
    },
    [entry, campaign.slug, title, body, reactions, date, message, base, draftKey, router],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") {
        e.preventDefault();
        save(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save]);

  // At the caret when the notes have the focus (or had it last); otherwise on a line of its own at the end, so a link
  // never lands glued to the first word of the text.
  const insertAtCursor = (text: string) => {
    const el = bodyRef.current;
    if (el !== null && caretPlaced.current) {
      const at = el.selectionStart;
      setBody((b) => `${b.slice(0, at)}${text}${b.slice(at)}`);
    } else setBody((b) => (b.trim() === "" ? text : `${b.replace(/\s*$/, "")}\n\n${text}`));
  };
  const paste = useImagePaste({ entryId: entry?.id, onInsert: insertAtCursor });

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save(false);
      }}
    >
      {restored ? (
        <p className="notice">
          Restored text you had not saved yet.{" "}
          <button
            type="button"
            onClick={() => {
              localStorage.removeItem(draftKey);
              setTitle(initial?.title ?? "");
              setBody(initial?.body ?? "");
              setReactions(JSON.parse(savedReactions) as ReactionDraft[]);
              setRestored(false);
            }}
          >
            Discard it
          </button>
        </p>
      ) : null}
      {error && !theirs ? (
        <p className="notice warn" role="alert">
          {error.message}
        </p>
      ) : null}
      {theirs ? (
        <ConflictPanel
          theirs={theirs}
          mine={{ title, body }}
          onKeepMine={() => {
            setBase(theirs.revisionId);
            save(false, theirs.revisionId);
          }}
          onTakeTheirs={() => {
            setTitle(theirs.title);
            setBody(theirs.body);
            setBase(theirs.revisionId);
            setTheirs(null);
            setError(null);
          }}
        />
      ) : null}
      <div className="row">
        <div className="field" style={{ flex: 1, minWidth: 260 }}>
          <label htmlFor="title">Title</label>
          <input
            id="title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            readOnly={!ready}
            required
            maxLength={200}
            style={{ width: "100%" }}
          />
          {error?.fields?.title ? <p className="field-error">{error.fields.title}</p> : null}
        </div>
        {page ? null : (
          <div className="field">
            <label htmlFor="date">Date of work</label>
            <input id="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
            {error?.fields?.date ? <p className="field-error">{error.fields.date}</p> : null}
          </div>
        )}
      </div>
      <div className="editor">
        <div>
          <label htmlFor="body">{page ? "Page (markdown with live blocks)" : "Notes (markdown)"}</label>
          <textarea
            id="body"
            ref={bodyRef}
            className="mono"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onFocus={() => (caretPlaced.current = true)}
            readOnly={!ready}
            {...paste.handlers}
          />
          <div className="row">
            <InsertStructure onInsert={insertAtCursor} />
            {pictures === undefined ? null : <InsertPictureStructure available={pictures} onInsert={insertAtCursor} />}
            <span className="meta">Paste or drop images into the notes to attach them.</span>
          </div>
          {paste.message ? (
            <p className="meta" role="status">
              {paste.message}
            </p>
          ) : null}
          {error?.fields?.body ? <p className="field-error">{error.fields.body}</p> : null}
        </div>
        <div>
          <span className="meta" style={{ fontWeight: 600 }}>
            Preview
          </span>
          {page ? (
            <p className="meta">
              Live blocks (```molecules, ```sar, ```chart, ```entries, ```todos) show as written here and are drawn from the data when the
              page is read.
            </p>
          ) : null}
          <div
            className="preview prose"
            data-testid="preview"
            dangerouslySetInnerHTML={{ __html: renderMarkdown(preview, { campaign: campaign.slug }) }}
          />
        </div>
      </div>
      {page ? null : (
        <div className="stack">
          <strong>Reactions</strong>
          <ReactionEditor value={reactions} onChange={setReactions} errors={error?.fields} spectra={spectra} pictures={pictures} />
        </div>
      )}
      {entry ? <AttachmentPanel entryId={entry.id} onInsert={insertAtCursor} /> : <p className="meta">Save once to attach files.</p>}
      <div className="row">
        {entry ? (
          <input
            aria-label="What changed (optional)"
            placeholder="What changed? (optional, shown in the feed)"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            maxLength={500}
            style={{ flex: 1, minWidth: 240 }}
          />
        ) : null}
        <button type="submit" className="primary" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
        <button type="button" disabled={pending} onClick={() => save(true)} title="Ctrl+S">
          Save and keep editing
        </button>
        <span className="meta" role="status">
          {status}
        </span>
      </div>
    </form>
  );
}
