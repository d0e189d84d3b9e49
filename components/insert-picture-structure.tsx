"use client";

import { useEffect, useRef, useState } from "react";
import { smilesBlock } from "@/lib/markdown/structures";
import { PictureStructures } from "./picture-structures";

/**
 * "Structure from picture" in the entry editor: the picture controls in a dialog; "Insert into entry" hands over the
 * chosen structure as a fenced `smiles` block, as "Insert structure" (insert-structure.tsx) does with a drawing.
 * Plain buttons, no <form>: the dialog sits inside the entry editor's form, and forms do not nest.
 */
export function InsertPictureStructure({
  available,
  onInsert,
  disabled,
}: {
  /** Whether OSRA is installed on the server (the dialog says how to install it when not). */
  available: boolean;
  onInsert: (markdown: string) => void;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={disabled} data-testid="structure-from-picture">
        Structure from picture
      </button>
      <dialog ref={dialog} className="structure-dialog wide" aria-labelledby="picture-structure-title" onClose={() => setOpen(false)}>
        {/* Mounted only while open: every opening starts without a picture, and a request still running is cancelled. */}
        {open ? (
          <div className="stack">
            <h2 id="picture-structure-title" className="structure-dialog-title">
              Structure from a picture
            </h2>
            <PictureStructures
              available={available}
              actionLabel="Insert into entry"
              onUse={({ smiles }) => {
                onInsert(smilesBlock(smiles));
                setOpen(false);
              }}
            />
            <div className="row">
              <button type="button" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
