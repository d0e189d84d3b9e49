"use client";

import { useState } from "react";
import { smilesBlock } from "@/lib/markdown/structures";
import { useStructurePreview } from "./molecule-preview";
import { StructureDialog } from "./structure-dialog";
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
  // The editor is mounted only while the dialog is open: every opening starts from an empty canvas, and OpenChemLib
  // loads on first use.
  return (
    <StructureDialog label="Insert structure" title="Insert a structure" disabled={disabled} testId="insert-structure" closeButton={false}>
      {(close) => (
        <DrawStructure
          onInsert={(markdown) => {
            onInsert(markdown);
            close();
          }}
          onCancel={close}
        />
      )}
    </StructureDialog>
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
    <>
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
    </>
  );
}
