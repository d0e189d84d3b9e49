import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { predictionsPath } from "@/components/prediction-assay";
import { PredictionPlots } from "@/components/prediction-plots";
import { ScoreCells, ScoreHeads, ScoringNote } from "@/components/prediction-scores";
import { ResultTimeline, WaitingTable } from "@/components/prediction-set-tables";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";
import { predictableAssays, scoringSettings } from "@/db/queries/prediction-data";
import { getPredictionSet } from "@/db/queries/predictions";
import { toAppError } from "@/lib/errors";
import { molarUnit } from "@/lib/predictions/plot";
import { unitsFor } from "@/lib/predictions/units";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ sealed?: string; skipped?: string }> };

/** The set of this request, read once for metadata and page; null for an id that is not one. */
const loadSet = cache(async (id: string) => {
  if (!/^\d{1,9}$/.test(id)) return null;
  try {
    return await getPredictionSet(await getDb(), Number(id));
  } catch (error) {
    if (toAppError(error)?.is("not_found")) return null;
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const scored = await loadSet((await params).id);
  if (!scored) return { title: "Prediction set not found", robots: { index: false } };
  const { set } = scored;
  return {
    title: `${set.name} · predictions of ${set.assayLabel}`,
    description: `${set.rowCount} predictions of ${set.assayLabel}, sealed ${set.submittedAt.toISOString().slice(0, 10)} (SHA-256 ${set.hash.slice(0, 12)}…), scored against the results recorded since.`,
  };
}

/** One sealed prediction set: who and when, its seal, its scores, and its forecasts against the results as they came in. */
export default async function PredictionSetPage({ params, searchParams }: Props) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const scored = await loadSet(id);
  if (!scored) notFound();
  const { set, predictions, scores } = scored;
  const db = await getDb();
  const [campaign, assays, settings] = await Promise.all([
    getCampaign(db, scored.campaign),
    predictableAssays(db, set.campaignId),
    scoringSettings(db, set.campaignId),
  ]);
  // The assay's own molar unit when it has one (µM for the OSM IC50s), else pIC50 only.
  const recorded = assays.find((a) => a.label === set.assayLabel)?.units ?? [];
  const unit = unitsFor(set.assayLabel).scale === "molar" ? (molarUnit(recorded) ?? "µM") : null;
  const withResult = predictions.filter((p) => p.observed !== null);
  const waiting = predictions.filter((p) => p.observed === null);
  const skipped = Number(query.skipped ?? 0);
  const slug = scored.campaign;
  return (
    <div className="stack predictions-page">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`} className="tag">
          {campaign?.name ?? slug}
        </Link>{" "}
        · <Link href={predictionsPath(slug, "", set.assayLabel)}>predictions of {set.assayLabel}</Link>
      </p>
      <h1>{set.name}</h1>
      {query.sealed === "1" ? (
        <p className="notice" role="status" data-testid="sealed">
          Sealed at <RelativeTime date={set.submittedAt} /> with SHA-256 <code>{set.hash.slice(0, 16)}…</code>:{" "}
          {set.rowCount.toLocaleString("en")} {set.rowCount === 1 ? "prediction" : "predictions"} stored
          {Number.isSafeInteger(skipped) && skipped > 0 ? `, ${skipped} ${skipped === 1 ? "row" : "rows"} with errors left out` : ""}. It is
          scored here as results are recorded.
        </p>
      ) : null}
      <dl className="card identifiers" data-testid="set-details">
        <dt>By</dt>
        <dd>
          {scored.model ? (
            <>
              <span className="tag">campaign model</span>{" "}
              <Link href={predictionsPath(slug, "model", set.assayLabel)}>
                {scored.model.algorithm === "knn" ? "nearest neighbours" : "random forest"}
              </Link>
            </>
          ) : (
            (scored.submitter ?? <span className="meta">—</span>)
          )}
        </dd>
        <dt>Submitted</dt>
        <dd>
          <RelativeTime date={set.submittedAt} />
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code className="hash" data-testid="hash">
            {set.hash}
          </code>
          <div className="meta">sealed at submission; it cannot be changed</div>
        </dd>
        <dt>Assay</dt>
        <dd>{set.assayLabel}</dd>
        <dt>Values in</dt>
        <dd>{set.unit}</dd>
        <dt>Predictions</dt>
        <dd>{set.rowCount.toLocaleString("en")}</dd>
        {set.method ? (
          <>
            <dt>Method</dt>
            <dd>
              <a href={set.method} rel="external nofollow noopener noreferrer">
                {set.method}
              </a>
            </dd>
          </>
        ) : null}
        {set.description ? (
          <>
            <dt>How</dt>
            <dd className="set-description">{set.description}</dd>
          </>
        ) : null}
      </dl>

      <h2>Scores</h2>
      <div className="table-scroll">
        <table className="history measurements scoreboard" data-testid="set-scores">
          <caption className="visually-hidden">Scores of {set.name}</caption>
          <thead>
            <tr>
              <ScoreHeads k={settings.topK} />
            </tr>
          </thead>
          <tbody>
            <tr>
              <ScoreCells scores={scores} rows={set.rowCount} />
            </tr>
          </tbody>
        </table>
      </div>
      <ScoringNote activeThreshold={settings.activeThreshold} topK={settings.topK} />

      <h2>Predicted and measured</h2>
      {withResult.length ? (
        <PredictionPlots
          assay={set.assayLabel}
          unit={unit}
          rows={withResult.map((p) => ({
            label: p.molecule?.code ?? p.smiles ?? `row ${p.row}`,
            href: p.molecule ? `/molecules/${encodeURIComponent(p.molecule.code)}` : null,
            pic50: p.pic50,
            observed: p.observed,
          }))}
        />
      ) : (
        <p className="meta" data-testid="nothing-scored">
          Nothing to plot yet:{" "}
          {set.rowCount === 1
            ? "the predicted compound has no result recorded since the set was sealed."
            : `none of the ${set.rowCount.toLocaleString("en")} predicted compounds has a result recorded since the set was sealed.`}
        </p>
      )}

      <h2>Still waiting for results ({waiting.length.toLocaleString("en")})</h2>
      {waiting.length ? (
        <WaitingTable waiting={waiting} unit={unit} setUnit={set.unit} />
      ) : (
        <p className="meta">Every predicted compound has a result.</p>
      )}

      <h2>Results as they came in</h2>
      {withResult.length ? (
        <ResultTimeline scored={withResult} unit={unit} setUnit={set.unit} />
      ) : (
        <p className="meta">No result yet. Each one appears here, newest first, as it is recorded.</p>
      )}
      <p className="meta">
        As JSON: <a href={`/api/v1/predictions/${set.id}`}>/api/v1/predictions/{set.id}</a>
      </p>
    </div>
  );
}
