"use client";

import dynamic from "next/dynamic";
import { useState } from "react";

// OpenChemLib's editor draws on a canvas and needs `window`: loaded in the browser only, when the Draw tab opens.
const CanvasMoleculeEditor = dynamic(() => import("react-ocl").then((m) => m.CanvasMoleculeEditor), {
  ssr: false,
  loading: () => <p className="meta structure-editor-loading">Loading the structure editor…</p>,
});

export interface EditorStart {
  format: "smiles" | "molfile" | "idcode";
  value: string;
}

/**
 * OpenChemLib's structure editor (through react-ocl). It keeps its own state: `start` only seeds it (e.g. with the
 * SMILES typed in the other tab), and every drawing change reports a molfile, or "" when the canvas is empty.
 */
export function StructureEditor({ start, onChange }: { start: EditorStart; onChange: (molfile: string) => void }) {
  // Seed once: a new inputValue would make react-ocl reset the drawing.
  const [seed] = useState(start);
  return (
    <div className="structure-editor" data-testid="structure-editor">
      <CanvasMoleculeEditor
        inputFormat={seed.format}
        inputValue={seed.value}
        width="100%"
        height={420}
        onChange={(event) => onChange(event.getMolecule().getAllAtoms() > 0 ? event.getMolfile() : "")}
      />
    </div>
  );
}
