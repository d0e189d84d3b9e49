"use client";

import { useRef, useState } from "react";
import { searchProperties } from "@/lib/molecules/properties";
import { CampaignSelect } from "./campaign-select";
import { PictureStructures } from "./picture-structures";
import { StructureEditor } from "./structure-editor";

export interface MoleculeSearchValues {
  q: string;
  mode: "exact" | "substructure" | "similarity";
  threshold: string;
  campaign: string;
  status: string;
  /** Range filters of the properties structure search holds: `averageMassMin`, `clogpMax`, ... */
  ranges: Record<string, string>;
  /** Assay column key ("Pfal IC50|µM") for the potency filter and the potency sort. */
  assay: string;
  potency: string;
  sort: string;
  /** "true": also search the structures recognized in entries' pictures. */
  recognized: string;
}

export interface SearchAssayChoice {
  key: string;
  label: string;
  molecules: number;
}

/**
 * The structure search form: type a SMILES/SMARTS or draw the query (the drawing is turned into a SMILES in the
 * browser by OpenChemLib, loaded only when the Draw tab opens) or read it from a picture, choose the mode, narrow by campaign, status,
 * property ranges and measured potency, and choose the order. A plain GET form: results are a server-rendered page
 * with a shareable address.
 */
export function MoleculeSearchForm({
  values,
  campaigns,
  assays,
  pictures,
}: {
  values: MoleculeSearchValues;
  campaigns: { slug: string; name: string }[];
  assays: SearchAssayChoice[];
  /** Whether structures can be read from pictures here (OSRA installed on the server). */
  pictures: boolean;
}) {
  const [q, setQ] = useState(values.q);
  const [mode, setMode] = useState(values.mode);
  const [tab, setTab] = useState<"type" | "draw" | "picture">("type");
  // Once opened, the Picture tab stays mounted (hidden): the picture and what was read in it are still there on return.
  const [pictureOpened, setPictureOpened] = useState(false);
  const query = useRef<HTMLInputElement>(null);
  const [drawError, setDrawError] = useState<string | null>(null);

  const drawn = async (molfile: string) => {
    if (molfile === "") return setQ("");
    try {
      const { Molecule } = await import("openchemlib");
      setQ(Molecule.fromMolfile(molfile).toSmiles());
      setDrawError(null);
    } catch {
      setDrawError("This drawing could not be turned into a SMILES.");
    }
  };

  return (
    <form action="/search/molecules" className="stack molecule-search-form" role="search" aria-label="Structure search">
      <div className="tabs" role="tablist">
        {(["type", "draw", "picture"] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={tab === t ? "active" : ""}
            onClick={() => {
              if (t === "picture") setPictureOpened(true);
              setTab(t);
            }}
          >
            {{ type: "Type", draw: "Draw", picture: "Picture" }[t]}
          </button>
        ))}
      </div>
      {tab === "draw" ? <StructureEditor start={{ format: "smiles", value: q }} onChange={(molfile) => void drawn(molfile)} /> : null}
      {pictureOpened ? (
        <div hidden={tab !== "picture"}>
          <PictureStructures
            available={pictures}
            actionLabel="Search with it"
            onUse={({ smiles }) => {
              // Into the query field only: the chemist chooses the mode and filters, then searches.
              setQ(smiles);
              query.current?.focus();
            }}
          />
        </div>
      ) : null}
      {drawError ? <p className="field-error">{drawError}</p> : null}
      <div className="row">
        <input
          ref={query}
          name="q"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="SMILES or SMARTS, e.g. c1ccc2[nH]ccc2c1 or [#6]~[#7;R]"
          aria-label="Query structure (SMILES or SMARTS)"
          style={{ flex: 1, fontFamily: "monospace" }}
          spellCheck={false}
          autoComplete="off"
        />
        <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as MoleculeSearchValues["mode"])} aria-label="Search mode">
          <option value="substructure">Substructure</option>
          <option value="exact">Exact</option>
          <option value="similarity">Similarity</option>
        </select>
        {mode === "similarity" ? (
          <label className="row">
            Tanimoto ≥{" "}
            <input
              name="threshold"
              type="number"
              min="0.05"
              max="1"
              step="0.05"
              defaultValue={values.threshold || "0.5"}
              style={{ width: "5em" }}
            />
          </label>
        ) : null}
        <button type="submit" className="primary">
          Search
        </button>
      </div>
      <div className="row meta">
        <CampaignSelect campaigns={campaigns} value={values.campaign} />
        <select name="status" defaultValue={values.status || "active"} aria-label="Status">
          <option value="active">Active</option>
          <option value="parked">Parked</option>
          <option value="any">Active and parked</option>
        </select>
        {searchProperties.map((p) => (
          <label key={p.key}>
            {p.label}{" "}
            <input
              name={`${p.key}Min`}
              type="number"
              step="any"
              defaultValue={values.ranges[`${p.key}Min`]}
              aria-label={`Lowest ${p.label}`}
              style={{ width: "5em" }}
            />{" "}
            –{" "}
            <input
              name={`${p.key}Max`}
              type="number"
              step="any"
              defaultValue={values.ranges[`${p.key}Max`]}
              aria-label={`Highest ${p.label}`}
              style={{ width: "5em" }}
            />
          </label>
        ))}
      </div>
      <div className="row meta">
        <select name="assay" defaultValue={values.assay} aria-label="Assay">
          <option value="">{assays.length === 0 ? "No measurements yet" : "Any potency"}</option>
          {assays.map((a) => (
            <option key={a.key} value={a.key}>
              {a.label} · {a.molecules.toLocaleString("en")} measured
            </option>
          ))}
        </select>
        <label title="Best value at least this potent: at most this for IC50-like endpoints, at least this for pIC50 and % inhibition">
          at least as potent as{" "}
          <input
            name="potency"
            type="number"
            step="any"
            defaultValue={values.potency}
            aria-label="Potency threshold"
            style={{ width: "5em" }}
          />
        </label>
        <label title="Structures OSRA found in pictures attached to entries: listed apart, not registered">
          <input name="recognized" type="checkbox" value="true" defaultChecked={values.recognized === "true"} /> also search structures
          recognized in attachments
        </label>
        <label>
          Sort by{" "}
          <select name="sort" defaultValue={values.sort || "relevance"} aria-label="Sort by">
            <option value="relevance">{mode === "similarity" ? "Similarity" : "Registration order"}</option>
            <option value="potency">Potency in the chosen assay</option>
            {searchProperties.flatMap((p) => [
              <option key={p.key} value={p.key}>
                {p.label}, lowest first
              </option>,
              <option key={`-${p.key}`} value={`-${p.key}`}>
                {p.label}, highest first
              </option>,
            ])}
          </select>
        </label>
      </div>
    </form>
  );
}
