"use client";

import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { registerMoleculeAction, type RegisterOutcome } from "@/app/campaigns/[slug]/molecules/new/actions";
import type { LiveModel } from "@/db/queries/prediction-views";
import { LivePrediction } from "./live-prediction";
import { MoleculeImage } from "./molecule-image";
import { StructurePreview, useStructurePreview } from "./molecule-preview";
import { PictureStructures } from "./picture-structures";
import { StructureEditor, type EditorStart } from "./structure-editor";

type Source = "smiles" | "molfile" | "draw" | "picture";

const TABS: { source: Source; label: string }[] = [
  { source: "smiles", label: "SMILES" },
  { source: "molfile", label: "Molfile" },
  { source: "draw", label: "Draw" },
  { source: "picture", label: "Picture" },
];

const MOLFILE_MAX_BYTES = 200_000;

/** Why the registry says "already registered", per duplicate check. */
const SAME: Record<string, string> = {
  exact: "It is the same structure, stereo and charges included.",
  "no-stereo": "It is the same structure when stereo is ignored.",
  parent: "It has the same parent structure once salts and charges are stripped.",
};

/** The first record of an SD file, or the text as it is: a molfile ends at "M  END". */
function firstMolfile(text: string): string {
  const end = text.indexOf("M  END");
  return end === -1 ? text : text.slice(0, end + "M  END".length) + "\n";
}

export function RegisterMoleculeForm({
  slug,
  prefix,
  defaultSite,
  maintainer,
  model = null,
  pictures,
}: {
  slug: string;
  prefix: string;
  defaultSite: string;
  maintainer: boolean;
  /** What the campaign's model can say about the structure while it is drawn (null: nothing to say). */
  model?: LiveModel;
  /** Whether structures can be read from pictures here (OSRA installed on the server). */
  pictures: boolean;
}) {
  const [source, setSource] = useState<Source>("smiles");
  const [smiles, setSmiles] = useState("");
  const [molfile, setMolfile] = useState("");
  const [drawn, setDrawn] = useState("");
  const [editorStart, setEditorStart] = useState<EditorStart>({ format: "idcode", value: "" });
  const [fileError, setFileError] = useState<string | null>(null);
  const [result, setResult] = useState<ActionResult<RegisterOutcome> | null>(null);
  const [pending, start] = useTransition();
  // Once opened, the Picture tab stays mounted (hidden): going back to it finds the picture and what was read in it.
  const [pictureOpened, setPictureOpened] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  // The Picture tab registers nothing itself: a structure picked there goes to the Draw tab first.
  const input = source === "smiles" ? { smiles } : { molfile: source === "molfile" ? molfile : source === "draw" ? drawn : "" };
  const preview = useStructurePreview(input);
  const error = result && !result.ok ? result.error : null;
  const duplicate = result?.ok && result.data.kind === "duplicate" ? result.data.existing : null;
  const fieldError = (name: string) => (error?.fields?.[name] ? <p className="field-error">{error.fields[name]}</p> : null);

  const changeStructure = (set: (v: string) => void) => (value: string) => {
    set(value);
    setResult(null); // an earlier "already registered" answer was about the earlier structure
  };

  const openTab = (next: Source) => {
    if (next === "draw" && source === "picture") {
      // The drawing as it was left (or as taken from a picture); an empty molfile is no molfile to the editor.
      setEditorStart(drawn ? { format: "molfile", value: drawn } : { format: "idcode", value: "" });
    } else if (next === "draw" && source !== "draw") {
      // Carry what was typed into the editor, when it reads; the editor would throw on text that does not.
      const readable = preview.state === "ok";
      setEditorStart(readable ? { format: "idcode", value: preview.structure.idcode } : { format: "idcode", value: "" });
      setDrawn(readable ? preview.structure.molfile : "");
    }
    if (next === "picture") setPictureOpened(true);
    setSource(next);
    setResult(null);
  };

  // A structure read from a picture opens in the editor, so the chemist sees it (and may still change it) before Register.
  const takeFromPicture = (picked: { molfile: string }) => {
    setEditorStart({ format: "molfile", value: picked.molfile });
    setDrawn(picked.molfile);
    setSource("draw");
    setResult(null);
  };

  return (
    <form
      className="stack register-form"
      onSubmit={(e) => {
        e.preventDefault();
        const submitter = e.nativeEvent.submitter;
        const data = new FormData(e.currentTarget, submitter);
        data.set("source", source === "smiles" ? "smiles" : "molfile");
        if (source === "draw") data.set("molfile", drawn);
        start(async () => setResult(await registerMoleculeAction(slug, data)));
      }}
    >
      <div className="tabs" role="tablist" aria-label="Structure from">
        {TABS.map((t) => (
          <button
            key={t.source}
            type="button"
            role="tab"
            aria-selected={source === t.source}
            className={source === t.source ? "active" : undefined}
            onClick={() => openTab(t.source)}
          >
            {t.label}
          </button>
        ))}
      </div>

      {pictureOpened ? (
        <div hidden={source !== "picture"}>
          <PictureStructures available={pictures} actionLabel="Use this structure" onUse={takeFromPicture} />
        </div>
      ) : null}
      <div className="register-structure" style={source === "picture" ? { display: "none" } : undefined}>
        <div>
          {source === "smiles" ? (
            <div className="field">
              <label htmlFor="smiles">SMILES</label>
              <textarea
                id="smiles"
                name="smiles"
                className="mono"
                rows={4}
                maxLength={2000}
                spellCheck={false}
                autoComplete="off"
                placeholder="FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23"
                value={smiles}
                onChange={(e) => changeStructure(setSmiles)(e.target.value)}
              />
              {fieldError("smiles")}
            </div>
          ) : source === "molfile" ? (
            <div className="field">
              <label htmlFor="molfile">Molfile (V2000 or V3000)</label>
              <textarea
                id="molfile"
                name="molfile"
                className="mono"
                rows={12}
                spellCheck={false}
                value={molfile}
                onChange={(e) => changeStructure(setMolfile)(e.target.value)}
              />
              <div className="row" style={{ marginTop: "0.4rem" }}>
                <label className="button" style={{ fontWeight: 400, margin: 0 }}>
                  Upload a .mol or .sdf file
                  <input
                    ref={fileInput}
                    type="file"
                    accept=".mol,.sdf,.sd,.mdl,chemical/x-mdl-molfile,chemical/x-mdl-sdfile"
                    className="visually-hidden"
                    data-testid="molfile-upload"
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      if (fileInput.current) fileInput.current.value = "";
                      if (!file) return;
                      if (file.size > MOLFILE_MAX_BYTES) {
                        setFileError(`${file.name} is larger than 200 kB; upload a single structure.`);
                        return;
                      }
                      setFileError(null);
                      void file.text().then((t) => changeStructure(setMolfile)(firstMolfile(t)));
                    }}
                  />
                </label>
                <span className="meta">An SD file’s first record is used.</span>
              </div>
              {fileError ? <p className="field-error">{fileError}</p> : null}
              {fieldError("molfile")}
            </div>
          ) : source === "draw" ? (
            <div className="field">
              <span className="label">Draw the structure</span>
              <StructureEditor start={editorStart} onChange={changeStructure(setDrawn)} />
              {fieldError("molfile")}
            </div>
          ) : null}
        </div>
        <StructurePreview preview={preview} />
      </div>
      <LivePrediction campaign={slug} model={model} smiles={preview.state === "ok" ? preview.structure.smiles : ""} />

      <div className="form-grid">
        <div className="field">
          <label htmlFor="name">Name</label>
          <input id="name" name="name" maxLength={200} placeholder="optional, e.g. the compound’s trivial name" />
          {fieldError("name")}
        </div>
        <div className="field">
          <label htmlFor="id">Campaign ID</label>
          <input
            id="id"
            name="id"
            maxLength={30}
            placeholder={`next free: ${prefix}-${defaultSite}-…`}
            spellCheck={false}
            autoComplete="off"
          />
          {fieldError("id")}
        </div>
        <div className="field">
          <label htmlFor="site">Site letter</label>
          <input
            id="site"
            name="site"
            maxLength={1}
            placeholder={defaultSite}
            style={{ width: "4rem" }}
            title="The letter of your lab in new IDs"
          />
          {fieldError("site")}
        </div>
        <div className="field">
          <label htmlFor="aliases">Aliases</label>
          <input id="aliases" name="aliases" maxLength={2000} placeholder="e.g. MMV669846, an older ID" />
          {fieldError("aliases")}
        </div>
        <div className="field">
          <label htmlFor="compare">Same structure means</label>
          <select id="compare" name="compare" defaultValue="exact">
            <option value="exact">identical, stereo and charges included</option>
            <option value="no-stereo">identical when stereo is ignored</option>
            <option value="parent">same parent, salts and charges stripped</option>
          </select>
          {fieldError("compare")}
        </div>
      </div>
      {fieldError("parentId")}
      <div className="row">
        <button type="submit" className="primary" disabled={pending || preview.state === "error" || preview.state === "empty"}>
          {pending ? "Registering…" : "Register molecule"}
        </button>
        <span className="meta">
          {source === "picture"
            ? "Choose a structure read from the picture: it opens in the editor, and Register sends it."
            : "Properties and the InChIKey are computed on the server."}
        </span>
      </div>
      {/* After the main button: Enter in a field submits the first submit button of the form, which must not be "register anyway". */}
      {duplicate ? (
        <div className="notice duplicate" role="alert" data-testid="duplicate">
          <MoleculeImage code={duplicate.id} width={180} height={120} alt={`Structure of ${duplicate.id}`} eager />
          <div className="stack">
            <strong style={{ display: "block" }}>
              Already registered as <Link href={duplicate.path}>{duplicate.id}</Link>
              {duplicate.name ? ` (${duplicate.name})` : ""}.
            </strong>
            <span>{SAME[duplicate.compare] ?? SAME.exact} Nothing new was registered.</span>
            {maintainer ? (
              <div>
                <button type="submit" name="allowDuplicateOf" value={duplicate.id} disabled={pending}>
                  Register a distinct batch or salt form of {duplicate.id}
                </button>
              </div>
            ) : (
              <span className="meta">A maintainer can register a distinct batch or salt form of it.</span>
            )}
          </div>
        </div>
      ) : null}
      {error && !error.fields ? (
        <p className="notice warn" role="alert">
          {error.message}
        </p>
      ) : null}
    </form>
  );
}
