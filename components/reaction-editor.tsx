"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useState } from "react";
import { computeReaction, formatAmount, ROLES, type ComputedRow, type Role } from "@/lib/stoichiometry/compute";
import {
  emptyReaction,
  emptyRow,
  isMoleculeId,
  draftToInput,
  type DraftRow,
  type NumberField,
  type ReactionDraft,
} from "@/lib/stoichiometry/draft";
import { describeFigures, formatMass, formatMmol, formatMw, formatPercent } from "@/lib/stoichiometry/format";
import { rowsFromScheme, schemeComponents, SchemeError } from "@/lib/stoichiometry/scheme";
import { SchemeFromPicture } from "./scheme-from-picture";

// OpenChemLib's reaction editor draws on a canvas and needs `window`: loaded in the browser only, when opened.
const CanvasReactionEditor = dynamic(() => import("react-ocl").then((m) => m.CanvasReactionEditor), {
  ssr: false,
  loading: () => <p className="meta">Loading the reaction editor…</p>,
});

/** A row's structure as the browser reads it, for the live table (the server reads it again on save). */
interface Structure {
  kind: "molecule" | "smiles";
  mw: number;
  formula: string;
  code?: string;
}

async function readStructure(text: string): Promise<Structure> {
  const molecule = async () => {
    const response = await fetch(`/api/v1/molecules/${encodeURIComponent(text)}`);
    if (!response.ok) throw new Error(response.status === 404 ? `no molecule or SMILES “${text}”` : "the registry did not answer");
    const m = (await response.json()) as { id: string; formula: string; properties: { averageMass: number | null } };
    return { kind: "molecule" as const, mw: m.properties.averageMass ?? Number.NaN, formula: m.formula, code: m.id };
  };
  if (isMoleculeId(text)) return molecule();
  const { Molecule } = await import("openchemlib");
  try {
    const formula = Molecule.fromSmiles(text).getMolecularFormula();
    return { kind: "smiles", mw: formula.relativeWeight, formula: formula.formula };
  } catch {
    // Not SMILES: perhaps an alias of a registered molecule (an MMV number, an older ID).
    return molecule();
  }
}

const AMOUNTS: { field: NumberField; label: string; unit: string; computed: (c: ComputedRow) => string }[] = [
  { field: "massMg", label: "Mass", unit: "mg", computed: (c) => (c.massMg !== null ? formatAmount(c.massMg) : "") },
  { field: "volumeUl", label: "Volume", unit: "µL", computed: (c) => (c.volumeUl !== null ? formatAmount(c.volumeUl) : "") },
  { field: "mmol", label: "Amount", unit: "mmol", computed: (c) => (c.mmol !== null ? formatAmount(c.mmol) : "") },
  { field: "equivalents", label: "Equiv.", unit: "", computed: (c) => (c.equivalents !== null ? formatAmount(c.equivalents) : "") },
];

export interface ReactionEditorProps {
  value: ReactionDraft[];
  onChange: (next: ReactionDraft[]) => void;
  /** Field errors by path ("reactions.0.rows.2.massMg"), from the server or the draft's own check. */
  errors?: Record<string, string>;
  /** The entry's JCAMP-DX attachments, for linking a product's spectrum. */
  spectra?: { id: number; filename: string }[];
  /** Whether OSRA is installed on the server: each block then offers "Scheme from a picture". */
  pictures?: boolean;
}

/** The reaction blocks of the entry editor: a scheme, a stoichiometry table computed live, per reaction. */
export function ReactionEditor({ value, onChange, errors = {}, spectra = [], pictures = false }: ReactionEditorProps) {
  const set = (i: number, next: ReactionDraft) => onChange(value.map((r, k) => (k === i ? next : r)));
  return (
    <div className="stack" data-testid="reactions-editor">
      {value.map((reaction, i) => (
        <ReactionBlock
          key={reaction.id ?? `new-${i}`}
          index={i}
          reaction={reaction}
          onChange={(next) => set(i, next)}
          onRemove={() => onChange(value.filter((_, k) => k !== i))}
          errors={errors}
          spectra={spectra}
          pictures={pictures}
        />
      ))}
      <div>
        <button type="button" onClick={() => onChange([...value, emptyReaction()])}>
          Add reaction
        </button>
      </div>
    </div>
  );
}

function ReactionBlock({
  index,
  reaction,
  onChange,
  onRemove,
  errors,
  spectra,
  pictures,
}: {
  index: number;
  reaction: ReactionDraft;
  onChange: (next: ReactionDraft) => void;
  onRemove: () => void;
  errors: Record<string, string>;
  spectra: { id: number; filename: string }[];
  pictures: boolean;
}) {
  const [drawing, setDrawing] = useState(false);
  const [drawn, setDrawn] = useState("");
  const [schemeError, setSchemeError] = useState<string | null>(null);
  const prefix = `reactions.${index}`;
  const texts = reaction.rows.map((r) => r.structure.trim());
  const structures = useQueries({
    queries: texts.map((text) => ({
      queryKey: ["structure", text],
      queryFn: () => readStructure(text),
      enabled: text !== "",
      staleTime: Infinity,
      retry: false,
    })),
  });
  // The same conversion as the save (cells that are not numbers count as empty here; the save names them).
  const rows = (draftToInput([reaction]).reactions[0]!.rows ?? []).map((row, j) => ({
    ...row,
    structureMw: structures[j]?.data?.mw ?? null,
  }));
  const result = computeReaction(rows);
  const problems = new Map(
    result.problems.map((p) => [p.row === null ? `${prefix}.${p.field}` : `${prefix}.rows.${p.row}.${p.field}`, p.message]),
  );
  const message = (path: string) => errors[path] ?? problems.get(path);

  const setRow = (j: number, patch: Partial<DraftRow>) =>
    onChange({ ...reaction, rows: reaction.rows.map((r, k) => (k === j ? { ...r, ...patch } : r)) });
  /** Sets the scheme and the rows it stands for; false when nothing changed (declined, or not reaction SMILES). */
  const fillFromScheme = (smiles: string): boolean => {
    try {
      const filled = rowsFromScheme(schemeComponents(smiles)).map((r) => ({
        ...emptyRow(r.role),
        structure: r.smiles ?? "",
        coefficient: r.coefficient ? String(r.coefficient) : "",
      }));
      const typed = reaction.rows.some((r) => r.structure || r.name || r.massMg || r.mmol || r.volumeUl || r.equivalents);
      if (typed && !window.confirm("Replace the table's rows with the scheme's structures?")) return false;
      onChange({ ...reaction, smiles, rows: filled });
      setSchemeError(null);
      return true;
    } catch (error) {
      setSchemeError(error instanceof SchemeError ? `The scheme ${error.message}` : String(error));
      return false;
    }
  };
  const figures = result.reaction;

  return (
    <fieldset className="reaction-editor" data-testid="reaction-editor">
      <legend>Reaction {index + 1}</legend>
      <div className="row">
        <input
          aria-label={`Reaction ${index + 1} title`}
          placeholder="Title, e.g. SNAr with 2-phenylethanol"
          value={reaction.title}
          onChange={(e) => onChange({ ...reaction, title: e.target.value })}
          style={{ flex: 1, minWidth: 220 }}
          maxLength={200}
        />
        <button type="button" onClick={onRemove}>
          Remove reaction
        </button>
      </div>
      <div className="row">
        <input
          aria-label={`Reaction ${index + 1} scheme (reaction SMILES)`}
          className="mono"
          placeholder="Scheme as reaction SMILES: reactants>reagents>products"
          value={reaction.smiles}
          onChange={(e) => onChange({ ...reaction, smiles: e.target.value })}
          style={{ flex: 1, minWidth: 260 }}
        />
        <button type="button" onClick={() => setDrawing((d) => !d)}>
          {drawing ? "Close drawing" : "Draw scheme"}
        </button>
        <button type="button" disabled={!reaction.smiles.trim()} onClick={() => fillFromScheme(reaction.smiles.trim())}>
          Fill table from scheme
        </button>
        {pictures ? <SchemeFromPicture onUse={fillFromScheme} /> : null}
      </div>
      {schemeError || message(`${prefix}.smiles`) ? <p className="field-error">{schemeError ?? message(`${prefix}.smiles`)}</p> : null}
      {drawing ? (
        <div className="stack">
          <div className="structure-editor">
            <CanvasReactionEditor
              inputFormat="smiles"
              inputValue={reaction.smiles}
              width="100%"
              height={360}
              onChange={(event) => setDrawn(event.getSmiles())}
            />
          </div>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={!drawn}
              onClick={() => {
                setDrawing(false);
                fillFromScheme(drawn);
              }}
            >
              Use this scheme
            </button>
          </div>
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="stoichiometry" data-testid="stoichiometry-editor">
          <thead>
            <tr>
              <th>Role</th>
              <th>Structure (ID or SMILES)</th>
              <th>Name</th>
              <th>MW</th>
              <th>Purity %</th>
              <th>Density g/mL</th>
              <th>Conc. M</th>
              {AMOUNTS.map((a) => (
                <th key={a.field}>
                  {a.label}
                  {a.unit ? ` (${a.unit})` : ""}
                </th>
              ))}
              <th>Coeff.</th>
              <th title="The reference (limiting) row: equivalents are relative to it">Ref.</th>
              <th>Product</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {reaction.rows.map((row, j) => {
              const out = result.rows[j];
              const path = `${prefix}.rows.${j}`;
              const structure = structures[j];
              const input = (field: NumberField, placeholder: string, label: string) => (
                <>
                  <input
                    inputMode="decimal"
                    aria-label={`Row ${j + 1} ${label}`}
                    className={placeholder ? "computed-hint" : undefined}
                    placeholder={placeholder}
                    value={row[field]}
                    onChange={(e) => setRow(j, { [field]: e.target.value })}
                  />
                  {message(`${path}.${field}`) ? <p className="field-error">{message(`${path}.${field}`)}</p> : null}
                </>
              );
              return (
                <tr key={j} className={`role-${row.role}`}>
                  <td>
                    <select aria-label={`Row ${j + 1} role`} value={row.role} onChange={(e) => setRow(j, { role: e.target.value as Role })}>
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td style={{ minWidth: 180 }}>
                    <input
                      aria-label={`Row ${j + 1} structure`}
                      className="mono"
                      value={row.structure}
                      onChange={(e) => setRow(j, { structure: e.target.value })}
                      placeholder="OSM-S-123 or SMILES"
                    />
                    <p className="meta" style={{ margin: 0, fontSize: "0.75rem" }}>
                      {structure?.isFetching ? (
                        "reading…"
                      ) : structure?.error ? (
                        <span className="field-error">{structure.error.message}</span>
                      ) : structure?.data ? (
                        `${structure.data.code ? `${structure.data.code} · ` : ""}${structure.data.formula}`
                      ) : (
                        ""
                      )}
                    </p>
                    {(message(`${path}.molecule`) ?? message(`${path}.smiles`)) ? (
                      <p className="field-error">{message(`${path}.molecule`) ?? message(`${path}.smiles`)}</p>
                    ) : null}
                  </td>
                  <td>
                    <input
                      aria-label={`Row ${j + 1} name`}
                      value={row.name}
                      onChange={(e) => setRow(j, { name: e.target.value })}
                      placeholder={row.role === "solvent" ? "THF" : ""}
                    />
                  </td>
                  <td>{input("mw", out?.mw != null ? formatMw(out.mw) : "", "MW")}</td>
                  <td>{input("purity", "", "purity")}</td>
                  <td>{input("density", "", "density")}</td>
                  <td>{input("concentration", "", "concentration")}</td>
                  {AMOUNTS.map((a) => (
                    <td key={a.field}>{input(a.field, out && row.role !== "product" ? a.computed(out) : "", a.label.toLowerCase())}</td>
                  ))}
                  <td>{input("coefficient", "1", "coefficient")}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Row ${j + 1} is the reference`}
                      checked={row.reference}
                      onChange={(e) =>
                        onChange({
                          ...reaction,
                          rows: reaction.rows.map((r, k) => ({ ...r, reference: k === j ? e.target.checked : false })),
                        })
                      }
                    />
                    {message(`${path}.reference`) ? <p className="field-error">{message(`${path}.reference`)}</p> : null}
                  </td>
                  <td style={{ minWidth: 150 }}>
                    {row.role === "product" ? (
                      <>
                        {input("isolatedMg", "isolated mg", "isolated mass")}
                        <p className="meta" data-testid="product-figures" style={{ margin: 0, fontSize: "0.8rem" }}>
                          {out?.theoreticalMg != null ? `theor. ${formatMass(out.theoreticalMg)} (${formatMmol(out.theoreticalMmol)})` : ""}
                          {out?.yieldPercent != null ? ` · yield ${formatPercent(out.yieldPercent)}` : ""}
                        </p>
                        {spectra.length ? (
                          <select
                            aria-label={`Row ${j + 1} spectrum`}
                            value={row.spectrum}
                            onChange={(e) => setRow(j, { spectrum: e.target.value })}
                          >
                            <option value="">no spectrum</option>
                            {spectra.map((s) => (
                              <option key={s.id} value={s.id}>
                                {s.filename}
                              </option>
                            ))}
                          </select>
                        ) : null}
                        {message(`${path}.spectrum`) ? <p className="field-error">{message(`${path}.spectrum`)}</p> : null}
                      </>
                    ) : null}
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Remove row ${j + 1}`}
                      onClick={() => onChange({ ...reaction, rows: reaction.rows.filter((_, k) => k !== j) })}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {message(`${prefix}.rows`) ? <p className="field-error">{message(`${prefix}.rows`)}</p> : null}
      <div className="row">
        <button type="button" onClick={() => onChange({ ...reaction, rows: [...reaction.rows, emptyRow("reagent")] })}>
          Add row
        </button>
        <span className="meta" data-testid="live-figures">
          {describeFigures(figures).join(" · ")}
        </span>
      </div>
    </fieldset>
  );
}

/** The entry's JCAMP-DX attachments, for the product rows' spectrum choice. */
export function useSpectra(entryId: number | undefined): { id: number; filename: string }[] {
  // The attachment panel's own query (same key, same answer): one request for both, refreshed together on upload.
  const query = useQuery({
    queryKey: ["attachments", entryId],
    enabled: entryId !== undefined,
    queryFn: async () => {
      const response = await fetch(`/api/v1/entries/${entryId}/attachments`);
      if (!response.ok) throw new Error(`The attachments did not load (${response.status}).`);
      return ((await response.json()) as { attachments: { id: number; filename: string; contentType: string }[] }).attachments;
    },
    select: (attachments) =>
      attachments.filter((a) => a.contentType === "chemical/x-jcamp-dx").map((a) => ({ id: a.id, filename: a.filename })),
  });
  return query.data ?? [];
}
