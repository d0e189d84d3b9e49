"use client";

import { useState, useTransition } from "react";
import { saveTemplateAction } from "@/app/entries/actions";

/** "Save as template": the entry's title, body and reaction skeleton become a template "New entry" can start from. */
export function SaveTemplateForm({ entryId, suggestion }: { entryId: number; suggestion: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(suggestion);
  const [status, setStatus] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Save as template
      </button>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const result = await saveTemplateAction({ entryId, name });
          setStatus(result.ok ? `Saved as the template “${result.data.name}”.` : result.error.message);
        });
      }}
    >
      <label htmlFor="template-name">Template name</label>
      <input id="template-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} required />
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save template"}
      </button>
      {status ? (
        <p className="meta" role="status">
          {status}
        </p>
      ) : null}
    </form>
  );
}
