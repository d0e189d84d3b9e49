"use client";

import { useEffect, useState } from "react";
import type { ParsedStructure, StructureInput } from "@/lib/chem/structure";
import { Formula } from "./molecule-properties";

export type StructurePreviewState =
  | { state: "empty" }
  | { state: "reading" }
  | { state: "ok"; structure: ParsedStructure & { molfile: string }; svg: string }
  | { state: "error"; message: string };

interface Toolkit {
  parse: (input: StructureInput) => ParsedStructure & { molfile: string };
  draw: (idcode: string) => string;
}

let toolkit: Promise<Toolkit> | undefined;

/**
 * lib/chem in the browser: the very code the server registers with, so the preview's formula, mass and error
 * messages are the ones the server will give. Loaded on first use (OpenChemLib is a megabyte of JavaScript).
 */
function loadToolkit(): Promise<Toolkit> {
  toolkit ??= Promise.all([import("@/lib/chem/structure"), import("@/lib/chem/depict")]).then(([structure, depict]) => ({
    parse: (input: StructureInput) => structure.parseStructure(input),
    draw: (idcode: string) => depict.depictSvg(idcode, { width: 300, height: 200, id: "structure-preview" }),
  }));
  return toolkit;
}

/** Parses the structure a while after the chemist stops typing (debounced), and keeps only the newest answer. */
export function useStructurePreview(input: StructureInput, delayMs = 300): StructurePreviewState {
  const [preview, setPreview] = useState<StructurePreviewState>({ state: "empty" });
  const smiles = input.smiles ?? "";
  const molfile = input.molfile ?? "";
  useEffect(() => {
    if (smiles.trim() === "" && molfile.trim() === "") {
      setPreview({ state: "empty" });
      return;
    }
    let current = true;
    setPreview((p) => (p.state === "ok" ? p : { state: "reading" }));
    const timer = setTimeout(() => {
      loadToolkit()
        .then((chem) => {
          if (!current) return;
          const structure = chem.parse(smiles.trim() ? { smiles } : { molfile });
          setPreview({ state: "ok", structure, svg: chem.draw(structure.idcode) });
        })
        .catch((error: unknown) => {
          if (!current) return;
          // ChemErrors carry a message for the chemist; anything else is the toolkit failing on odd input.
          const message =
            error instanceof Error && error.name === "ChemError" ? error.message : "OpenChemLib could not read this structure.";
          setPreview({ state: "error", message });
        });
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [smiles, molfile, delayMs]);
  return preview;
}

/** The live preview: drawing, formula and mass, or why the input does not parse. */
export function StructurePreview({ preview }: { preview: StructurePreviewState }) {
  return (
    <div className="card structure-preview" aria-live="polite" data-testid="structure-preview">
      {preview.state === "ok" ? (
        <>
          {/* A data: URL in an <img>: the drawing cannot run script, whatever the input was. */}
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL, nothing to optimize */}
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(preview.svg)}`}
            width={300}
            height={200}
            alt="Preview of the structure"
            className="structure"
          />
          <p className="meta" style={{ margin: 0 }}>
            <Formula formula={preview.structure.formula} /> · {preview.structure.averageMass.toFixed(2)} g/mol · cLogP{" "}
            {preview.structure.clogp.toFixed(2)}
          </p>
        </>
      ) : preview.state === "error" ? (
        <p className="field-error" role="alert" data-testid="structure-error">
          {preview.message}
        </p>
      ) : (
        <p className="meta">{preview.state === "reading" ? "Reading the structure…" : "The structure appears here as you type."}</p>
      )}
    </div>
  );
}
