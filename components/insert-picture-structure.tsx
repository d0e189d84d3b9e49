"use client";

import { smilesBlock } from "@/lib/markdown/structures";
import { PictureStructures } from "./picture-structures";
import { StructureDialog } from "./structure-dialog";

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
  return (
    <StructureDialog
      label="Structure from picture"
      title="Structure from a picture"
      wide
      disabled={disabled}
      testId="structure-from-picture"
    >
      {(close) => (
        <PictureStructures
          available={available}
          actionLabel="Insert into entry"
          onUse={({ smiles }) => {
            onInsert(smilesBlock(smiles));
            close();
          }}
        />
      )}
    </StructureDialog>
  );
}
