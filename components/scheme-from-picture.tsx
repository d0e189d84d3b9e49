"use client";

import { useState } from "react";
import { schemeFromStructures, type SchemeReading } from "@/lib/ocsr/scheme";
import { noSchemeReason, schemeSides, type Recognition } from "./picture-recognition";
import { PictureStructures } from "./picture-structures";
import { StructureDialog } from "./structure-dialog";

/**
 * "Scheme from a picture" in a reaction block (issue 18): the picture controls in a dialog, and below what OSRA read,
 * the reaction those structures make up (lib/ocsr/scheme.ts: OSRA has no reaction mode, so the arrow is taken to be
 * the widest gap between them). The chemist checks and edits the reaction SMILES; only "Use this scheme" hands it to
 * the block, which fills its rows as "Fill table from scheme" does. Plain buttons, no <form>: the dialog sits inside
 * the entry editor's form.
 */
export function SchemeFromPicture({
  onUse,
}: {
  /** Sets the block's scheme and fills its rows; false when nothing was filled (the chemist kept the rows typed). */
  onUse: (reactionSmiles: string) => boolean;
}) {
  return (
    <StructureDialog label="Scheme from a picture" title="Scheme from a picture" wide>
      {(close) => (
        <PictureStructures
          available
          summary={(answer) => (
            <SchemeProposal
              key={answerKey(answer)}
              answer={answer}
              onUse={(smiles) => {
                if (onUse(smiles)) close();
              }}
            />
          )}
        />
      )}
    </StructureDialog>
  );
}

/** A new answer (another picture) starts the proposal afresh, dropping what was typed over the last one. */
const answerKey = (answer: Recognition) => answer.structures.map((s) => `${s.page}:${s.box.x}:${s.box.y}:${s.smiles}`).join(" ");

function SchemeProposal({ answer, onUse }: { answer: Recognition; onUse: (reactionSmiles: string) => void }) {
  const reading = schemeFromStructures(answer.structures);
  if (reading === null) {
    // "Nothing recognized" is said by the picture controls already.
    return answer.structures.length === 0 ? null : (
      <p className="notice" data-testid="scheme-too-few">
        {noSchemeReason(answer.structures)}
      </p>
    );
  }
  return <SchemeText reading={reading} onUse={onUse} />;
}

function SchemeText({ reading, onUse }: { reading: SchemeReading; onUse: (reactionSmiles: string) => void }) {
  const [text, setText] = useState(reading.reactionSmiles);
  const sides = schemeSides(text);
  return (
    <section className="card scheme-proposal stack" data-testid="scheme-proposal" aria-label="Proposed scheme">
      <label className="scheme-text">
        Reaction SMILES read from the picture
        <textarea
          className="mono"
          rows={3}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={"error" in sides}
        />
      </label>
      {"error" in sides ? (
        <p className="field-error" role="alert">
          {sides.error}
        </p>
      ) : (
        <div className="scheme-drawn" aria-label="The scheme drawn">
          <SchemeSide structures={sides.reactants} role="Reactant" />
          <span className="scheme-arrow">
            {/* Agents typed in (reactants>agents>products) go over the arrow, as in a drawn scheme. */}
            {sides.agents.length > 0 ? <code title="Reagents and catalysts">{sides.agents.join(" · ")}</code> : null}
            <span aria-hidden="true">→</span>
          </span>
          <SchemeSide structures={sides.products} role="Product" />
        </div>
      )}
      <p className="meta" style={{ margin: 0 }}>
        OSRA reads structures, not arrows: the arrow was taken to be the widest gap between the structures (reading{" "}
        {reading.direction === "row" ? "left to right" : "top to bottom"}). Check that each structure is on the right side of it, and edit
        the SMILES if not.
      </p>
      <div className="row">
        <button type="button" className="primary" disabled={"error" in sides} onClick={() => onUse(text.trim())}>
          Use this scheme
        </button>
      </div>
    </section>
  );
}

function SchemeSide({ structures, role }: { structures: string[]; role: "Reactant" | "Product" }) {
  return (
    <ul className="scheme-side">
      {structures.map((smiles, i) => (
        <li key={`${i}:${smiles}`}>
          {i > 0 ? (
            <span className="scheme-plus" aria-hidden="true">
              +
            </span>
          ) : null}
          {/* eslint-disable-next-line @next/next/no-img-element -- our own SVG route, drawn from the SMILES in the sandbox */}
          <img
            src={`/depictions/smiles.svg?s=${encodeURIComponent(smiles)}&w=120&h=80`}
            width={120}
            height={80}
            alt={`${role} ${i + 1}`}
            title={smiles}
          />
        </li>
      ))}
    </ul>
  );
}
