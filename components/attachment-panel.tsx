"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { attachmentMarkdown, attachmentsQueryKey, readError, uploadAttachment, type AttachmentJson } from "./attachment-upload";

/** Files of an entry: upload (size checked before sending, again on the server) and insert a link into the text. */
export function AttachmentPanel({ entryId, onInsert }: { entryId: number; onInsert: (markdown: string) => void }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const key = attachmentsQueryKey(entryId);
  const list = useQuery({
    queryKey: key,
    queryFn: async () => {
      const res = await fetch(`/api/v1/entries/${entryId}/attachments`);
      if (!res.ok) throw new Error(await readError(res));
      return ((await res.json()) as { attachments: AttachmentJson[] }).attachments;
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) => uploadAttachment(entryId, file),
    onSuccess: (a) => {
      void queryClient.invalidateQueries({ queryKey: key });
      onInsert(attachmentMarkdown(a));
    },
  });
  return (
    <div className="card">
      <div className="spread">
        <strong>Attachments</strong>
        <label className="button" style={{ fontWeight: 400, margin: 0 }}>
          {upload.isPending ? "Uploading…" : "Attach a file"}
          <input
            ref={input}
            type="file"
            className="visually-hidden"
            data-testid="attach"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) upload.mutate(file);
              if (input.current) input.current.value = "";
            }}
          />
        </label>
      </div>
      {upload.error ? <p className="field-error">{upload.error.message}</p> : null}
      <ul className="attachments">
        {list.data?.map((a) => (
          <li key={a.id}>
            <a href={a.url}>{a.filename}</a> <span className="meta">{(a.size / 1024).toFixed(1)} kB</span>{" "}
            <button type="button" onClick={() => onInsert(attachmentMarkdown(a))}>
              Insert link
            </button>
          </li>
        ))}
      </ul>
      <p className="meta">Images, PDFs, spectra and data files up to 10 MB each.</p>
    </div>
  );
}
