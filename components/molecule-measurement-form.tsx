"use client";

import { useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { addMeasurementAction } from "@/app/molecules/[code]/actions";

export interface ReportingEntry {
  id: number;
  title: string;
  date: string;
}

const ASSAYS = ["IC50", "EC50", "pIC50", "Ki", "MIC", "% inhibition", "Solubility", "Microsomal CLint"];
const UNITS = ["µM", "nM", "mM", "µg/mL", "%", "h", "mL/min/g"];

/**
 * Add an assay result. Results are append-only like revisions: a wrong value is corrected by adding the right one,
 * with the entry that explains it, so the form says so instead of offering an edit button.
 */
export function MeasurementForm({ code, entries, today }: { code: string; entries: ReportingEntry[]; today: string }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const error = result && !result.ok ? result.error : null;
  const fieldError = (name: string) => (error?.fields?.[name] ? <p className="field-error">{error.fields[name]}</p> : null);
  return (
    <form
      ref={formRef}
      className="card measurement-form"
      aria-label="Add a measurement"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        start(async () => {
          const answer = await addMeasurementAction(code, null, data);
          setResult(answer);
          if (answer.ok) formRef.current?.reset();
        });
      }}
    >
      <strong>Add a measurement</strong>
      {error && !error.fields ? <p className="notice warn">{error.message}</p> : null}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="m-assay">Assay</label>
          <input id="m-assay" name="assay" required maxLength={100} list="m-assays" placeholder="IC50" />
          <datalist id="m-assays">
            {ASSAYS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          {fieldError("assay")}
        </div>
        <div className="field">
          <label htmlFor="m-target">Target / strain</label>
          <input id="m-target" name="target" maxLength={100} placeholder="Pfal (3D7)" />
          {fieldError("target")}
        </div>
        <div className="field">
          <label htmlFor="m-lab">Lab</label>
          <input id="m-lab" name="lab" maxLength={100} placeholder="Avery" />
          {fieldError("lab")}
        </div>
        <div className="field">
          <label htmlFor="m-value">Value</label>
          <div className="row" style={{ gap: "0.3rem", flexWrap: "nowrap" }}>
            <select name="qualifier" aria-label="Qualifier" defaultValue="=">
              <option value="=">=</option>
              <option value="<">&lt;</option>
              <option value=">">&gt;</option>
            </select>
            <input id="m-value" name="value" required inputMode="decimal" placeholder="0.35" style={{ width: "6rem" }} />
            <input name="unit" aria-label="Unit" list="m-units" defaultValue="µM" maxLength={24} style={{ width: "5.5rem" }} />
            <datalist id="m-units">
              {UNITS.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </div>
          {fieldError("value") ?? fieldError("unit") ?? fieldError("qualifier")}
        </div>
        <div className="field">
          <label htmlFor="m-date">Measured on</label>
          <input id="m-date" name="measuredOn" type="date" max={today} />
          {fieldError("measuredOn")}
        </div>
        <div className="field">
          <label htmlFor="m-entry">Reported in</label>
          <select id="m-entry" name="entryId" defaultValue="">
            <option value="">— no entry —</option>
            {entries.map((e) => (
              <option key={e.id} value={e.id}>
                {e.date} · {e.title.length > 50 ? `${e.title.slice(0, 49)}…` : e.title}
              </option>
            ))}
          </select>
          {fieldError("entryId")}
        </div>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? "Adding…" : "Add measurement"}
        </button>
        <span className="meta" role="status">
          {result?.ok ? "Added." : "Measurements are kept as written; correct one by adding the right value."}
        </span>
      </div>
      {entries.length === 0 ? <p className="meta">Write this molecule’s ID in an entry of its campaign to pick that entry here.</p> : null}
    </form>
  );
}
