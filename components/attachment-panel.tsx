"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";

interface AttachmentJson {
  id: number;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

const MAX_BYTES = 10 * 1024 * 1024;

async function readError(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `Upload failed (${res.status}).`;
}

/** Files of an entry: upload (size checked before sending, again on the server) and insert a link into the text. */
export function AttachmentPanel({ entryId, onInsert }: { entryId: number; onInsert: (markdown: string) => void }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const key = ["attachments", entryId];
  const list = useQuery({
    queryKey: key,
    queryFn: async () => {
      const res = await fetch(`/api/v1/entries/${entryId}/attachments`);
      if (!res.ok) throw new Error(await readError(res));
      return ((await res.json()) as { attachments: AttachmentJson[] }).attachments;
    },
  });
  const upload = useMutation({
    mutationFn: async (file: File) => {
      if (file.size > MAX_BYTES) throw new Error(`${file.name} is larger than 10 MB.`);
      const form = new FormData();
      form.set("file", file);
      const res = await fetch(`/api/v1/entries/${entryId}/attachments`, { method: "POST", body: form });
      if (!res.ok) throw new Error(await readError(res));
      return (await res.json()) as AttachmentJson;
    },
    onSuccess: (a) => {
      void queryClient.invalidateQueries({ queryKey: key });
      onInsert(linkFor(a));
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
            <button type="button" onClick={() => onInsert(linkFor(a))}>
              Insert link
            </button>
          </li>
        ))}
      </ul>
      <p className="meta">Images, PDFs, spectra and data files up to 10 MB each.</p>
    </div>
  );
}

function linkFor(a: AttachmentJson): string {
  const path = new URL(a.url).pathname;
  return a.contentType.startsWith("image/") && a.contentType !== "image/svg+xml" ? `\n![${a.filename}](${path})\n` : `[${a.filename}](${path})`;
}
