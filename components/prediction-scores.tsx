import type { Interval, SetScores } from "@/lib/predictions/score";
import { MIN_INTERVAL_N } from "@/lib/predictions/score";
import { formatDecimal, molarText } from "@/lib/predictions/plot";

/**
 * A prediction set's scores as table cells, the same on the scoreboard and on the set's page: n scored of the rows,
 * RMSE and MAE (on pIC50, "=" results only), Spearman's ρ and Kendall's τ, each with its bootstrap 95 % interval
 * under it when there is one, and the top-k hits.
 */

export function ScoreHeads({ k }: { k: number }) {
  return (
    <>
      <th scope="col" className="num" title="predicted molecules with a result recorded after the submission, of the set's rows">
        Scored
      </th>
      <th scope="col" className="num" title="root-mean-square error on pIC50, “=” results only">
        RMSE
      </th>
      <th scope="col" className="num" title="mean absolute error on pIC50, “=” results only">
        MAE
      </th>
      <th scope="col" className="num">
        Spearman ρ
      </th>
      <th scope="col" className="num">
        Kendall τ
      </th>
      <th scope="col" className="num" title={`of the ${k} best-ranked scored molecules, how many are active`}>
        Top-{k} hits
      </th>
    </>
  );
}

function Metric({ value, interval }: { value: number | null; interval: Interval | null | undefined }) {
  return (
    <td className="num">
      {formatDecimal(value)}
      {interval ? (
        <span className="interval" title="bootstrap 95 % interval">
          {formatDecimal(interval[0])} – {formatDecimal(interval[1])}
        </span>
      ) : null}
    </td>
  );
}

export function ScoreCells({ scores, rows }: { scores: SetScores; rows: number }) {
  const i = scores.intervals;
  return (
    <>
      <td className="num">
        {scores.n.toLocaleString("en")} / {rows.toLocaleString("en")}
        {scores.n > scores.nExact ? <span className="interval">{scores.nExact.toLocaleString("en")} with “=”</span> : null}
      </td>
      <Metric value={scores.rmse} interval={i?.rmse} />
      <Metric value={scores.mae} interval={i?.mae} />
      <Metric value={scores.spearman} interval={i?.spearman} />
      <Metric value={scores.kendall} interval={i?.kendall} />
      <td className="num">{scores.topK.k > 0 ? `${scores.topK.hits} of ${scores.topK.k}` : "—"}</td>
    </>
  );
}

/** How the scores are computed, said once under each table of them. */
export function ScoringNote({ activeThreshold, topK }: { activeThreshold: number; topK: number }) {
  const molar = molarText(activeThreshold, "µM");
  return (
    <p className="meta" data-testid="scoring-note">
      Only results recorded after a set was submitted count. RMSE and MAE (on pIC50) use only results measured with “=”; for ρ, τ and the
      ranking a bound (“&gt; 10 µM”) counts as correct when the prediction is on its side. Intervals are bootstrap 95 % intervals, shown
      from {MIN_INTERVAL_N} scored molecules. Top-{topK} hits: of a set&apos;s {topK} best-ranked scored molecules, how many are active
      (pIC50 ≥ {formatDecimal(activeThreshold)}
      {molar ? `, IC50 ≤ ${molar}` : ""}).
    </p>
  );
}
