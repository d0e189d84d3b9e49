"use client";

import { useRef, useState, useTransition } from "react";
import { submitPredictionsAction, type SubmitRefusal } from "@/app/campaigns/[slug]/predictions/new/actions";

const MAX_BYTES = 2_000_000;

const EXAMPLE = `molecule,smiles,value,uncertainty,rank
OSM-S-175,,6.2,0.4,1
,COc1ccc(cc1)c2nnc3cncc(OC)n23,5.8,0.5,2`;

/** The refusal in the form's words (the use case's names the API's confirm parameter). */
function rowsMessage(refusal: SubmitRefusal): string {
  const head = refusal.message.replace(/ Fix them, or submit again with confirm.*$/, "");
  return refusal.good ? `${head} Fix them in the CSV and submit again, or seal the good rows without them.` : head;
}

export interface AssayUnits {
  label: string;
  /** What a prediction for it may be given in: pIC50 first, then molar units (lib/predictions/units.ts unitsFor). */
  units: string[];
}

/**
 * The submission form: the set's details, the assay and the unit, and the CSV uploaded or pasted. The CSV stays in
 * the browser, so that after a refusal listing bad rows, "submit the good rows anyway" sends it again unchanged.
 */
export function PredictionSubmitForm({ slug, assays, initialAssay }: { slug: string; assays: AssayUnits[]; initialAssay: string }) {
  const [assay, setAssay] = useState(initialAssay);
  const [unit, setUnit] = useState("pIC50");
  const [csv, setCsv] = useState("");
  const [file, setFile] = useState<{ name: string; lines: number } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<SubmitRefusal | null>(null);
  const [pending, start] = useTransition();
  const fileInput = useRef<HTMLInputElement>(null);
  const units = assays.find((a) => a.label === assay)?.units ?? ["pIC50"];
  const fieldError = (name: string) => (refusal?.fields[name] ? <p className="field-error">{refusal.fields[name]}</p> : null);

  const changeCsv = (value: string, from: { name: string } | null) => {
    setCsv(value);
    setFile(from ? { name: from.name, lines: value.split(/\r\n|\r|\n/).filter((l) => l.trim()).length } : null);
    setRefusal(null); // the rows it listed were of the earlier text
  };

  return (
    <form
      className="stack prediction-submit"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget, e.nativeEvent.submitter);
        data.set("csv", csv);
        start(async () => setRefusal(await submitPredictionsAction(slug, data)));
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor="name">Name of the set</label>
          <input id="name" name="name" required maxLength={200} placeholder="e.g. Random forest on ECFP4, round 1" />
          {fieldError("name")}
        </div>
        <div className="field">
          <label htmlFor="assay">Assay</label>
          <select
            id="assay"
            name="assay"
            value={assay}
            onChange={(e) => {
              const next = e.target.value;
              setAssay(next);
              const allowed = assays.find((a) => a.label === next)?.units ?? ["pIC50"];
              if (!allowed.includes(unit)) setUnit(allowed[0] ?? "pIC50");
            }}
          >
            {assays.map((a) => (
              <option key={a.label} value={a.label}>
                {a.label}
              </option>
            ))}
          </select>
          {fieldError("assay")}
        </div>
        <div className="field">
          <label htmlFor="unit">Values are in</label>
          <select id="unit" name="unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
            {units.map((u) => (
              <option key={u} value={u}>
                {u === "pIC50" ? "pIC50 (−log10 of the molar value)" : `${u} (as ${assay})`}
              </option>
            ))}
          </select>
          {fieldError("unit")}
        </div>
        <div className="field">
          <label htmlFor="method">Link to the method</label>
          <input id="method" name="method" type="url" maxLength={500} placeholder="https://github.com/…" />
          {fieldError("method")}
        </div>
      </div>
      <div className="field">
        <label htmlFor="description">How the predictions were made</label>
        <textarea id="description" name="description" rows={3} maxLength={5000} style={{ width: "100%" }} />
        {fieldError("description")}
      </div>

      <div className="prediction-csv">
        <div className="field">
          <span className="label">Predictions (CSV)</span>
          <div className="row" style={{ marginBottom: "0.4rem" }}>
            <label className="button" style={{ fontWeight: 400, margin: 0 }}>
              Upload a CSV file
              <input
                ref={fileInput}
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
                className="visually-hidden"
                data-testid="csv-upload"
                onChange={(e) => {
                  const chosen = e.target.files?.[0];
                  if (fileInput.current) fileInput.current.value = "";
                  if (!chosen) return;
                  if (chosen.size > MAX_BYTES) {
                    setFileError(`${chosen.name} is larger than 2 MB (10,000 rows at most); split the set.`);
                    return;
                  }
                  setFileError(null);
                  void chosen.text().then((t) => changeCsv(t, chosen));
                }}
              />
            </label>
            {file ? (
              <span className="meta" data-testid="csv-file">
                {file.name}: {file.lines.toLocaleString("en")} lines, kept here until the set is sealed ·{" "}
                <button type="button" className="link-button" onClick={() => changeCsv("", null)}>
                  paste instead
                </button>
              </span>
            ) : (
              <span className="meta">or paste the text below</span>
            )}
          </div>
          {file ? null : (
            <>
              <label htmlFor="csv" className="visually-hidden">
                CSV text
              </label>
              <textarea
                id="csv"
                className="mono"
                rows={8}
                spellCheck={false}
                autoComplete="off"
                placeholder={EXAMPLE}
                value={csv}
                onChange={(e) => changeCsv(e.target.value, null)}
              />
            </>
          )}
          {fileError ? <p className="field-error">{fileError}</p> : null}
          {fieldError("file")}
        </div>
        <aside className="meta csv-help">
          <strong>Columns</strong> (by name, any order; others are ignored):
          <ul>
            <li>
              <code>molecule</code> (a campaign ID) <em>or</em> <code>smiles</code> (a compound not registered yet), one per row
            </li>
            <li>
              <code>value</code>: the prediction, in the unit chosen above
            </li>
            <li>
              <code>uncertainty</code> (optional, same unit) and <code>rank</code> (optional, 1 = most promising)
            </li>
          </ul>
          For example:
          <pre>{EXAMPLE}</pre>
        </aside>
      </div>

      <div className="row">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? "Sealing…" : "Submit and seal"}
        </button>
        <span className="meta">A sealed set cannot be changed or withdrawn; a new version is a new submission.</span>
      </div>

      {refusal && refusal.rows.length ? (
        <div className="notice warn" role="alert" data-testid="row-errors">
          <p style={{ margin: "0 0 0.5rem" }}>{rowsMessage(refusal)}</p>
          <div className="table-scroll">
            <table className="history measurements">
              <caption className="visually-hidden">Rows with errors</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Row
                  </th>
                  <th scope="col">Column</th>
                  <th scope="col">What is wrong</th>
                </tr>
              </thead>
              <tbody>
                {refusal.rows.map((r) => (
                  <tr key={`${r.row}:${r.field}`}>
                    <td className="num">{r.row}</td>
                    <td>{r.field}</td>
                    <td>{r.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {refusal.good ? (
            <p style={{ margin: "0.6rem 0 0" }}>
              <button type="submit" name="confirm" value="true" disabled={pending}>
                Submit the {refusal.good.toLocaleString("en")} good {refusal.good === 1 ? "row" : "rows"} anyway
              </button>{" "}
              <span className="meta">The rows above are left out of the sealed set.</span>
            </p>
          ) : null}
        </div>
      ) : refusal && !Object.keys(refusal.fields).length ? (
        <p className="notice warn" role="alert">
          {refusal.message}
        </p>
      ) : null}
    </form>
  );
}
