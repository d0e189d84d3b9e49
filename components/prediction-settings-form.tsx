"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/app/_lib/action";
import { saveScoringSettingsAction } from "@/app/campaigns/[slug]/predictions/actions";
import type { CompareMode } from "@/lib/molecules/input";
import { molarText } from "@/lib/predictions/plot";

function FieldError({ result, field }: { result: ActionResult<unknown> | null; field: string }) {
  const message = result && !result.ok ? result.error.fields?.[field] : undefined;
  return message ? <p className="field-error">{message}</p> : null;
}

/** The maintainers' scoring settings, on the scoreboard. The threshold is typed as pIC50 and shown in µM too. */
export function ScoringSettingsForm({
  slug,
  settings,
}: {
  slug: string;
  settings: { activeThreshold: number; topK: number; compare: CompareMode };
}) {
  const [result, action, pending] = useActionState(saveScoringSettingsAction.bind(null, slug), null);
  const [threshold, setThreshold] = useState(String(settings.activeThreshold));
  const asNumber = Number(threshold);
  const molar = threshold.trim() !== "" && Number.isFinite(asNumber) ? molarText(asNumber, "µM") : null;
  return (
    <form action={action} className="card" aria-labelledby="scoring-settings-title" data-testid="scoring-settings">
      <h2 id="scoring-settings-title" style={{ marginTop: 0 }}>
        How predictions are scored
      </h2>
      <p className="meta" style={{ marginTop: 0 }}>
        Maintainers only. Scores are computed when they are read, so every submission follows a change at once.
      </p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="activeThreshold">Active at pIC50 ≥</label>
          <input
            id="activeThreshold"
            name="activeThreshold"
            type="number"
            step="0.1"
            min="2"
            max="12"
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
          />
          <p className="meta" style={{ margin: "0.2rem 0 0", minHeight: "1.4em" }} aria-live="polite">
            {molar ? `IC50 ≤ ${molar}` : "\u00a0"}
          </p>
          <FieldError result={result} field="activeThreshold" />
        </div>
        <div className="field">
          <label htmlFor="topK">Top-k: k =</label>
          <input id="topK" name="topK" type="number" step="1" min="1" max="1000" defaultValue={settings.topK} />
          <FieldError result={result} field="topK" />
        </div>
        <div className="field" style={{ gridColumn: "span 2" }}>
          <label htmlFor="compare">A predicted SMILES is a molecule registered later when it is</label>
          <select id="compare" name="compare" defaultValue={settings.compare}>
            <option value="exact">identical, stereo and charges included</option>
            <option value="no-stereo">identical when stereo is ignored</option>
            <option value="parent">same parent, salts and charges stripped</option>
          </select>
          <FieldError result={result} field="compare" />
        </div>
      </div>
      <div className="row">
        <button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save scoring"}
        </button>
        {result?.ok ? <span className="meta">Saved; the scores above follow.</span> : null}
        {result && !result.ok && !result.error.fields ? <span className="field-error">{result.error.message}</span> : null}
      </div>
    </form>
  );
}
