"use client";

import { useEffect, useRef, useState } from "react";
import { smilesBlock } from "@/lib/markdown/structures";
import { useStructurePreview } from "./molecule-preview";
import { StructureEditor } from "./structure-editor";

export interface InsertStructureProps {
  /** Gets the markdown of the drawn structure: a `smiles` block (lib/markdown/structures.ts draws it in the text). */
  onInsert: (markdown: string) => void;
  disabled?: boolean;
}

/**
 * "Insert structure": OpenChemLib's editor in a dialog; "Insert" hands over the drawing as a fenced `smiles` block,
 * which the entry shows as a picture with the SMILES under it. The SMILES is made in the browser by lib/chem, as the
 * register form's preview makes it (the chemist's own drawing, on the chemist's machine); the server draws it again
 * from the text, in its sandbox.
 *
 * Plain buttons, no <form>: the dialog sits inside the entry editor's form, and forms do not nest.
 */
export function InsertStructure({ onInsert, disabled }: InsertStructureProps) {
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
      <button type="button" onClick={() => setOpen(true)} disabled={disabled} data-testid="insert-structure">
        Insert structure
      </button>
      <dialog ref={dialog} className="structure-dialog" aria-labelledby="insert-structure-title" onClose={() => setOpen(false)}>
        {/* Mounted only while open: every opening starts from an empty canvas, and OpenChemLib loads on first use. */}
        {open ? (
          <DrawStructure
            onInsert={(markdown) => {
              onInsert(markdown);
              setOpen(false);
            }}
            onCancel={() => setOpen(false)}
          />
        ) : null}
      </dialog>
    </>
  );
}

function DrawStructure({ onInsert, onCancel }: { onInsert: (markdown: string) => void; onCancel: () => void }) {
  const [molfile, setMolfile] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = useStructurePreview({ molfile });

  // Read the drawing as it is at the click: the preview is debounced and may still show the one before the last stroke.
  const insert = async () => {
    setBusy(true);
    setError(null);
    try {
      const { parseStructure } = await import("@/lib/chem/structure");
      onInsert(smilesBlock(parseStructure({ molfile }, { molfile: "given" }).smiles));
    } catch (e) {
      setError(e instanceof Error && e.name === "ChemError" ? e.message : "OpenChemLib could not read this drawing.");
    } finally {
      setBusy(false);
    }
  };

  const shown = error ?? (preview.state === "error" ? preview.message : null);
  return (
    <div className="stack">
      <h2 id="insert-structure-title" className="structure-dialog-title">
        Insert a structure
      </h2>
      <StructureEditor start={{ format: "idcode", value: "" }} onChange={setMolfile} />
      <p className="meta structure-dialog-smiles" aria-live="polite" data-testid="insert-structure-smiles">
        {shown ? (
          <span className="field-error" role="alert">
            {shown}
          </span>
        ) : preview.state === "ok" ? (
          <>
            SMILES <code>{preview.structure.smiles}</code>
          </>
        ) : preview.state === "reading" ? (
          "Reading the drawing…"
        ) : (
          "Draw a structure: it goes into the text as a SMILES block, shown as a picture."
        )}
      </p>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={busy || molfile === "" || preview.state === "error"}
          onClick={() => void insert()}
        >
          Insert
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
