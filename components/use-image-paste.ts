"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import { attachmentMarkdown, attachmentsQueryKey, uploadAttachment } from "./attachment-upload";

/**
 * Images pasted into the editor's text, and files dropped on it, become attachments of the entry: each is uploaded
 * (one at a time, through the attachment panel's upload) and its markdown is handed to `onInsert` as soon as it is
 * stored. Spread `handlers` on the <textarea>; show `message` near it (or follow `onStatus`).
 *
 * Pasted text always stays text: a spreadsheet or a word processor puts a picture of the copied cells on the
 * clipboard beside the text, and the chemist pasting a table wants the table. Before the entry's first save there is
 * nothing to attach to: the files are refused with a message saying so, instead of being lost silently.
 */

export type ImagePasteStatus =
  | { state: "idle" }
  | { state: "unsaved" }
  | { state: "uploading"; file: string; index: number; total: number }
  | { state: "done"; files: string[]; failed: { file: string; message: string }[] };

export interface ImagePasteOptions {
  /** The entry the files are attached to; undefined before its first save. */
  entryId: number | undefined;
  /** Inserts markdown at the cursor (the editor's insertAtCursor). */
  onInsert: (markdown: string) => void;
  /** Every change of status, for an editor that shows progress its own way. */
  onStatus?: (status: ImagePasteStatus) => void;
}

export interface ImagePaste {
  handlers: {
    onPaste: (event: ClipboardEvent<HTMLTextAreaElement>) => void;
    onDrop: (event: DragEvent<HTMLTextAreaElement>) => void;
    onDragOver: (event: DragEvent<HTMLTextAreaElement>) => void;
  };
  status: ImagePasteStatus;
  /** The status in words, or null when there is nothing to say. */
  message: string | null;
}

export function useImagePaste({ entryId, onInsert, onStatus }: ImagePasteOptions): ImagePaste {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<ImagePasteStatus>({ state: "idle" });
  // Uploads run one after another, also across pastes: the order of the inserted images is the order of the pastes.
  const queue = useRef<Promise<void>>(Promise.resolve());
  // The callbacks of the latest render, for uploads that finish after a re-render.
  const latest = useRef({ onInsert, onStatus });
  useEffect(() => {
    latest.current = { onInsert, onStatus };
  });

  const report = useCallback((next: ImagePasteStatus) => {
    setStatus(next);
    latest.current.onStatus?.(next);
  }, []);

  const attach = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      if (entryId === undefined) return report({ state: "unsaved" });
      queue.current = queue.current.then(async () => {
        const done: string[] = [];
        const failed: { file: string; message: string }[] = [];
        for (const [index, file] of files.entries()) {
          report({ state: "uploading", file: file.name, index: index + 1, total: files.length });
          try {
            const attachment = await uploadAttachment(entryId, file);
            latest.current.onInsert(attachmentMarkdown(attachment));
            done.push(attachment.filename);
          } catch (error) {
            failed.push({ file: file.name, message: error instanceof Error ? error.message : String(error) });
          }
        }
        if (done.length > 0) void queryClient.invalidateQueries({ queryKey: attachmentsQueryKey(entryId) });
        report({ state: "done", files: done, failed });
      });
    },
    [entryId, queryClient, report],
  );

  const handlers: ImagePaste["handlers"] = {
    onPaste: (event) => {
      const files = filesToAttach(event.clipboardData, "paste", new Date());
      if (files.length === 0) return;
      event.preventDefault();
      attach(files);
    },
    onDrop: (event) => {
      const files = filesToAttach(event.dataTransfer, "drop", new Date());
      if (files.length === 0) return; // dragged text is moved as text
      event.preventDefault(); // else the browser leaves the editor to show the file
      attach(files);
    },
    onDragOver: (event) => {
      if (event.dataTransfer.types.includes("Files")) event.preventDefault(); // lets the drop happen here
    },
  };

  return { handlers, status, message: describeImagePaste(status) };
}

/**
 * The files a paste or a drop brings: for a paste, its images, unless it carries text (then the text is pasted as
 * usual); for a drop, every file. Pasted images get a name that says when they were pasted: browsers call every one
 * of them "image.png".
 */
export function filesToAttach(data: Pick<DataTransfer, "files" | "types" | "getData"> | null, how: "paste" | "drop", now: Date): File[] {
  if (!data) return [];
  const files = Array.from(data.files);
  if (how === "drop") return files;
  if (data.types.includes("text/plain") && data.getData("text/plain").trim() !== "") return [];
  return files
    .filter((file) => file.type.startsWith("image/"))
    .map((file, i, images) =>
      /^image\.\w+$/i.test(file.name) || file.name === "" ? renamed(file, now, images.length > 1 ? i + 1 : null) : file,
    );
}

function renamed(file: File, now: Date, number: number | null): File {
  const extension = /^image\/(png|jpeg|gif|webp)$/.exec(file.type)?.[1]?.replace("jpeg", "jpg") ?? file.name.split(".").pop() ?? "png";
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return new File([file], `pasted-${stamp}${number === null ? "" : `-${number}`}.${extension}`, {
    type: file.type,
    lastModified: file.lastModified,
  });
}

export function describeImagePaste(status: ImagePasteStatus): string | null {
  switch (status.state) {
    case "idle":
      return null;
    case "unsaved":
      return "Files can be attached after the first save: save the entry, then paste or drop them again.";
    case "uploading":
      return status.total > 1 ? `Uploading ${status.file} (${status.index} of ${status.total})…` : `Uploading ${status.file}…`;
    case "done": {
      const failed = status.failed.map((f) => `${f.file}: ${f.message}`).join(" ");
      if (status.files.length === 0) return `Not attached. ${failed}`;
      const attached = status.files.length === 1 ? `Attached ${status.files[0]}.` : `Attached ${status.files.length} files.`;
      return failed ? `${attached} Not attached: ${failed}` : attached;
    }
  }
}
