"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";

/**
 * A button that opens a modal <dialog> of the entry editor ("Insert structure", "Structure from picture", "Scheme from
 * a picture"). The content is mounted only while the dialog is open, so every opening starts afresh (an empty canvas,
 * no picture, a request still running cancelled). Plain buttons, no <form>: the dialogs sit inside the entry editor's
 * form, and forms do not nest. `children` gets `close`, for the content's own "done" actions.
 */
export function StructureDialog({
  label,
  title,
  wide = false,
  disabled,
  testId,
  closeButton = true,
  children,
}: {
  label: string;
  title: string;
  wide?: boolean;
  disabled?: boolean;
  testId?: string;
  /** A "Close" button under the content (a content with its own Cancel leaves it out). */
  closeButton?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const close = () => setOpen(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={disabled} data-testid={testId}>
        {label}
      </button>
      <dialog ref={dialog} className={wide ? "structure-dialog wide" : "structure-dialog"} aria-labelledby={titleId} onClose={close}>
        {open ? (
          <div className="stack">
            <h2 id={titleId} className="structure-dialog-title">
              {title}
            </h2>
            {children(close)}
            {closeButton ? (
              <div className="row">
                <button type="button" onClick={close}>
                  Close
                </button>
              </div>
            ) : null}
          </div>
        ) : null}
      </dialog>
    </>
  );
}
