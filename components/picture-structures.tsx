"use client";

import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import { Formula } from "./molecule-properties";
import {
  boxOnPicture,
  describeAgreement,
  describeGuess,
  PICTURE_ACCEPT,
  type Recognition,
  type RecognizedStructure,
} from "./picture-recognition";
import { StructureEditor } from "./structure-editor";
import { usePictureRecognition, type ShownPicture } from "./use-picture-recognition";

/** What a host gets when the chemist picks a structure: as recognized, or as corrected in the editor. */
export interface PictureStructure {
  smiles: string;
  molfile: string;
}

/** The host's action on one structure: "Use this structure", "Search with it", "Insert into entry". */
interface StructureAction {
  label: string;
  onUse: (structure: PictureStructure) => void;
}

export type PictureStructuresProps = {
  /** Whether OSRA is installed on the server (lib/ocsr/osra.ts `osraAvailable()`, asked by the page). */
  available: boolean;
  /** Shown above the structures read, given the whole answer: what they make up together (a reaction scheme). */
  summary?: (answer: Recognition) => ReactNode;
} & (
  | { actionLabel: string; onUse: (structure: PictureStructure) => void }
  /** No action per structure: the host acts on the answer as a whole, in its summary. */
  | { actionLabel?: undefined; onUse?: undefined }
);

/**
 * "From a picture" (issue 18): the chemist pastes, drops or chooses a picture or PDF; the server reads it with OSRA
 * (POST /api/v1/recognize) and every structure found is shown beside the picture, redrawn by OpenChemLib, with its
 * SMILES, formula, how sure the reading is and the registered molecule it matches. Nothing goes anywhere until the
 * chemist presses the host's action on one, after correcting it in the structure editor if needed.
 *
 * Only plain buttons (no <form>): the control sits inside the register and search forms and the entry editor's form.
 */
export function PictureStructures({ available, summary, actionLabel, onUse }: PictureStructuresProps) {
  const { picture, refused, read, choose, handlers } = usePictureRecognition();
  if (!available) {
    return (
      <div className="picture-structures" data-testid="picture-structures">
        <p className="notice">
          Reading structures from pictures needs OSRA on the server: install it with <code>apt-get install osra</code> (Debian/Ubuntu).
        </p>
      </div>
    );
  }
  const answer = read.data;
  const action = actionLabel !== undefined ? { label: actionLabel, onUse } : null;
  // Paste anywhere in the control: the drop zone takes the focus, the buttons of the results pass the event up to here.
  return (
    <div className="picture-structures stack" data-testid="picture-structures" onPaste={handlers.onPaste}>
      <div
        className="picture-drop"
        tabIndex={0}
        role="group"
        aria-label="Picture to read structures from: paste, drop or choose a file"
        data-testid="picture-drop"
        onDrop={handlers.onDrop}
        onDragOver={handlers.onDragOver}
      >
        <p style={{ margin: 0 }}>
          Paste a picture here (click, then Ctrl+V), drop one, or{" "}
          <label className="button">
            choose a picture or PDF
            <input
              type="file"
              accept={PICTURE_ACCEPT}
              className="visually-hidden"
              onChange={(e) => {
                choose(e.target.files);
                e.target.value = ""; // the same file chosen again is read again
              }}
            />
          </label>
        </p>
        <p className="meta" style={{ margin: 0 }}>
          PNG, JPEG, GIF, TIFF, WebP or PDF up to 20 MB. The structures found are shown here; nothing is used until you choose one.
        </p>
      </div>
      {refused ? (
        <p className="field-error" role="alert">
          {refused}
        </p>
      ) : null}
      {read.isPending ? (
        <p className="meta" role="status" data-testid="picture-reading">
          Reading the picture… (a few seconds)
        </p>
      ) : null}
      {read.isError ? (
        <p className="notice warn" role="alert" data-testid="picture-error">
          {read.error.message}
        </p>
      ) : null}
      {picture ? (
        <div className="picture-result" data-testid="picture-result">
          <PictureShown key={picture.url ?? picture.name} picture={picture} structures={answer?.structures ?? []} />
          <div className="stack">
            {answer && answer.structures.length === 0 ? <p className="notice">Nothing recognized in this picture.</p> : null}
            {answer?.warnings.map((w) => (
              <p key={w} className="notice warn">
                {w}
              </p>
            ))}
            {answer && summary ? summary(answer) : null}
            {answer && answer.structures.length > 0 ? (
              <ol className="recognized-structures">
                {answer.structures.map((s, i) => (
                  <RecognizedCard
                    key={`${s.page}:${s.box.x}:${s.box.y}:${s.smiles}`}
                    number={i + 1}
                    structure={s}
                    showPage={picture.url === null || answer.structures.some((t) => t.page > 1)}
                    action={action}
                  />
                ))}
              </ol>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** The picture as sent, with numbered outlines where structures were found (a PDF: only its name). */
function PictureShown({ picture, structures }: { picture: ShownPicture; structures: RecognizedStructure[] }) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [broken, setBroken] = useState(false);
  if (picture.url === null || broken) {
    return (
      <figure className="picture-source picture-file">
        <figcaption>
          <strong>{picture.name}</strong>
          <span className="meta"> {broken ? "(this browser cannot show it)" : ""}</span>
        </figcaption>
      </figure>
    );
  }
  return (
    <figure className="picture-source">
      <div className="picture-frame">
        {/* eslint-disable-next-line @next/next/no-img-element -- an object URL of the chemist's own file, nothing to optimize */}
        <img
          src={picture.url}
          alt={`The picture read: ${picture.name}`}
          onLoad={(e) => setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
          onError={() => setBroken(true)}
        />
        {size
          ? structures.map((s, i) => {
              const place = s.page === 1 ? boxOnPicture(s.box, size) : null;
              return place ? (
                <span key={i} className="picture-box" style={place} aria-hidden="true">
                  <span>{i + 1}</span>
                </span>
              ) : null;
            })
          : null}
      </div>
      <figcaption className="meta">{picture.name}</figcaption>
    </figure>
  );
}

function RecognizedCard({
  number,
  structure,
  showPage,
  action,
}: {
  number: number;
  structure: RecognizedStructure;
  showPage: boolean;
  action: StructureAction | null;
}) {
  const drawing = useDrawing(structure.molfile);
  const [correcting, setCorrecting] = useState(false);
  return (
    <li className="card recognized-structure" data-testid="recognized-structure">
      <div className="recognized-summary">
        <span className="picture-number" aria-label={`Structure ${number}`}>
          {number}
        </span>
        {drawing.state === "error" ? (
          <p className="field-error">OpenChemLib could not draw this structure.</p>
        ) : drawing.state === "ok" ? (
          // A data: URL in an <img>: the drawing cannot run script, whatever OSRA wrote.
          // eslint-disable-next-line @next/next/no-img-element -- a data: URL, nothing to optimize
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(drawing.svg)}`}
            width={240}
            height={160}
            alt={`Recognized structure ${number}`}
            className="structure"
          />
        ) : (
          <p className="meta recognized-drawing-wait">Drawing…</p>
        )}
        <div className="recognized-facts">
          <code className="recognized-smiles" data-testid="recognized-smiles">
            {structure.smiles}
          </code>
          <span>
            <Formula formula={structure.formula} />
          </span>
          <span className="meta" title="OSRA's confidence estimate: higher is better, about 2 and up for a clean drawing">
            confidence {structure.confidence.toFixed(2)} · {describeAgreement(structure.agreement)}
            {showPage ? ` · page ${structure.page}` : ""}
          </span>
          {describeGuess(structure.guessed) ? (
            <span className="notice warn recognized-guess" data-testid="recognized-guess">
              {describeGuess(structure.guessed)}
            </span>
          ) : null}
          {structure.match ? (
            <span>
              matches <Link href={structure.match.path}>{structure.match.id}</Link>
            </span>
          ) : null}
        </div>
      </div>
      {action ? (
        <div className="row">
          <button type="button" className="primary" onClick={() => action.onUse({ smiles: structure.smiles, molfile: structure.molfile })}>
            {action.label}
          </button>
          <button type="button" onClick={() => setCorrecting((c) => !c)} aria-expanded={correcting}>
            Correct in editor
          </button>
        </div>
      ) : null}
      {action && correcting ? <CorrectStructure molfile={structure.molfile} action={action} onCancel={() => setCorrecting(false)} /> : null}
    </li>
  );
}

/** The structure editor started from the recognized drawing; the corrected one is handed over with a SMILES made here. */
function CorrectStructure({ molfile, action, onCancel }: { molfile: string; action: StructureAction; onCancel: () => void }) {
  const [drawn, setDrawn] = useState(molfile);
  const [error, setError] = useState<string | null>(null);
  const use = async () => {
    try {
      // lib/chem, as the register form's preview reads a drawing: the same checks the server makes.
      const { parseStructure } = await import("@/lib/chem/structure");
      const { smiles } = parseStructure({ molfile: drawn }, { molfile: "given" });
      setError(null);
      action.onUse({ smiles, molfile: drawn });
    } catch (e) {
      setError(e instanceof Error && e.name === "ChemError" ? e.message : "OpenChemLib could not read this drawing.");
    }
  };
  return (
    <div className="stack recognized-correct">
      <StructureEditor start={{ format: "molfile", value: molfile }} onChange={setDrawn} />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row">
        <button type="button" className="primary" disabled={drawn === ""} onClick={() => void use()}>
          {action.label} as corrected
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

type Drawing = { state: "drawing" } | { state: "ok"; svg: string } | { state: "error" };

/** The structure redrawn by OpenChemLib (loaded on first use), as SVG text. */
function useDrawing(molfile: string): Drawing {
  const [drawing, setDrawing] = useState<Drawing>({ state: "drawing" });
  useEffect(() => {
    let current = true;
    Promise.all([import("openchemlib"), import("@/lib/chem/depict")])
      .then(([{ Molecule }, { depictSvg }]) => {
        const idcode = Molecule.fromMolfile(molfile).getIDCode();
        if (current) setDrawing({ state: "ok", svg: depictSvg(idcode, { width: 240, height: 160 }) });
      })
      .catch(() => {
        if (current) setDrawing({ state: "error" });
      });
    return () => {
      current = false;
    };
  }, [molfile]);
  return drawing;
}
