"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { predictPastedAction } from "@/app/campaigns/[slug]/predictions/next/actions";
import type { PastedPrediction } from "@/db/queries/prediction-views";
import { formatDecimal, molarText } from "@/lib/predictions/plot";

/**
 * Paste SMILES (one per line, at most 20) and see what the campaign's model expects of each, beside the ranked
 * untested molecules. Every line is answered: its prediction, or why it could not be read.
 */
export function PredictStructuresForm({ slug, assay }: { slug: string; assay: string }) {
  const [text, setText] = useState("");
  const [result, setResult] = useState<ActionResult<PastedPrediction[]> | null>(null);
  const [pending, start] = useTransition();
  const error = result && !result.ok ? result.error : null;
  return (
    <form
      className="stack"
      data-testid="paste-form"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        start(async () => setResult(await predictPastedAction(slug, assay, data)));
      }}
    >
      <div className="field" style={{ marginBottom: 0 }}>
        <label htmlFor="paste-smiles">SMILES, one per line (at most 20)</label>
        <textarea
          id="paste-smiles"
          name="smiles"
          className="mono"
          rows={5}
          spellCheck={false}
          autoComplete="off"
          style={{ width: "100%" }}
          placeholder={"FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccncc4)n23\nClc1ccc(cc1)c2nnc3cncc(OCCc4ccc(F)c(F)c4)n23"}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {error?.fields?.smiles ? <p className="field-error">{error.fields.smiles}</p> : null}
      </div>
      <div className="row">
        <button type="submit" disabled={pending || text.trim() === ""}>
          {pending ? "Predicting…" : "Predict"}
        </button>
        {error && !error.fields ? (
          <span className="field-error" role="alert">
            {error.message}
          </span>
        ) : null}
      </div>
      {result?.ok ? <PastedTable results={result.data} /> : null}
    </form>
  );
}

function PastedTable({ results }: { results: PastedPrediction[] }) {
  return (
    <div className="table-scroll">
      <table className="history measurements prediction-rows" data-testid="pasted-predictions">
        <caption className="visually-hidden">Predictions for the pasted structures</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">Structure</th>
            <th scope="col" className="num">
              Predicted
            </th>
            <th scope="col" className="num">
              Similarity
            </th>
            <th scope="col">Nearest measured</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.line}>
              <td className="num">{r.line}</td>
              <td>
                <span className="molecule-chip">
                  {"answer" in r ? (
                    // eslint-disable-next-line @next/next/no-img-element -- our SVG route; the SMILES was read by the sandbox already
                    <img src={`/depictions/smiles.svg?s=${encodeURIComponent(r.smiles)}&w=96&h=64`} width={96} height={64} alt="" />
                  ) : null}
                  <code className="smiles-cell" title={r.smiles}>
                    {r.smiles}
                  </code>
                </span>
              </td>
              {"answer" in r ? (
                <>
                  <td className="num">
                    {molarText(r.answer.pic50, r.answer.unit) ?? ""}{" "}
                    <span className="meta">
                      (pIC50 {formatDecimal(r.answer.pic50)} ± {formatDecimal(r.answer.uncertainty)})
                    </span>
                  </td>
                  <td className="num">
                    {formatDecimal(r.answer.similarity)}
                    {r.answer.inDomain ? null : <span className="tag outside">outside what the model knows</span>}
                  </td>
                  <td>
                    {r.answer.neighbours.slice(0, 3).map((n) => (
                      <span key={n.molecule} className="nowrap" style={{ display: "block" }}>
                        <Link href={`/molecules/${encodeURIComponent(n.molecule)}`}>{n.molecule}</Link>{" "}
                        <span className="meta">({formatDecimal(n.similarity)})</span>
                      </span>
                    ))}
                  </td>
                </>
              ) : (
                <td colSpan={3} className="field-error">
                  {r.error}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
