"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import type { LiveModel } from "@/db/queries/prediction-views";
import { formatDecimal, molarText } from "@/lib/predictions/plot";

/**
 * What the campaign's model expects of the structure being drawn or typed, under the registration form: asked
 * (POST /api/v1/predict) a while after the structure last changed and only for a structure the browser could read,
 * so that typing does not send a request per key nor a half-typed SMILES. A structure the model cannot read says
 * so quietly: that is normal while typing. The line keeps its height, so the form does not jump.
 */

interface Answer {
  assay: string;
  pic50: number;
  uncertainty: number;
  unit: string | null;
  similarity: number;
  inDomain: boolean;
  neighbours: { molecule: string; similarity: number; pic50: number }[];
}

const DEBOUNCE_MS = 400;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

async function predict(campaign: string, assay: string, smiles: string): Promise<Answer> {
  // Not aborted when the structure changes: an abandoned answer is dropped by the query, and a cancelled request
  // would read as a network failure.
  const res = await fetch("/api/v1/predict", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ campaign, assay, smiles }),
  });
  const body = (await res.json().catch(() => null)) as (Answer & { error?: { message?: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? `The model did not answer (${res.status}).`);
  return body;
}

export function LivePrediction({ campaign, model, smiles }: { campaign: string; model: LiveModel; smiles: string }) {
  const structure = useDebounced(smiles.trim(), DEBOUNCE_MS);
  const ready = model !== null && model.ready;
  const query = useQuery({
    queryKey: ["predict", campaign, model?.assay, structure],
    queryFn: () => predict(campaign, model!.assay, structure),
    enabled: ready && structure !== "",
    staleTime: 5 * 60_000,
    retry: false,
  });
  if (model === null) return null;
  let content: ReactNode = "\u00a0";
  if (smiles.trim() === "") content = "\u00a0";
  else if (!model.ready) content = `No model yet: ${model.reason}.`;
  else if (structure !== smiles.trim() || query.isPending) content = "Asking the campaign’s model…";
  else if (query.isError) content = `No prediction for this structure: ${query.error.message.replace(/^smiles: /, "")}`;
  else if (query.data) content = <Prediction answer={query.data} />;
  return (
    <p className="live-prediction meta" aria-live="polite" data-testid="live-prediction">
      {content}
    </p>
  );
}

function Prediction({ answer }: { answer: Answer }) {
  const molar = molarText(answer.pic50, answer.unit);
  return (
    <>
      Predicted {answer.assay} ≈ <strong>{molar ?? `pIC50 ${formatDecimal(answer.pic50)}`}</strong> (pIC50 {formatDecimal(answer.pic50)} ±{" "}
      {formatDecimal(answer.uncertainty)}){answer.neighbours.length ? "; nearest measured: " : ""}
      {answer.neighbours.slice(0, 3).map((n, i) => (
        <span key={n.molecule} className="nowrap">
          {i ? ", " : ""}
          <Link href={`/molecules/${encodeURIComponent(n.molecule)}`} target="_blank">
            {n.molecule}
          </Link>{" "}
          ({formatDecimal(n.similarity)})
        </span>
      ))}
      {answer.inDomain ? null : (
        <>
          {" "}
          <span className="tag outside">outside what the model knows</span>
        </>
      )}
    </>
  );
}
