import type { Evaluation } from "@/lib/models/evaluate";
import { formatDecimal } from "@/lib/predictions/plot";
import { readComparison, type ComparisonFigures, type SplitFigures } from "@/lib/predictions/reading";

/**
 * A model's honest evaluation (lib/models/evaluate.ts): for each split, the model against the two references a
 * chemist gets for free, measured on the same molecules, and one sentence reading the table.
 */

const ROWS: { key: keyof ComparisonFigures; label: string; title: string }[] = [
  { key: "model", label: "The model", title: "the campaign's model, never shown the molecules it predicts" },
  { key: "mean", label: "Training mean", title: "every molecule predicted as the mean of the training molecules" },
  { key: "nearest", label: "Nearest neighbour", title: "every molecule predicted as its most similar training molecule (Tanimoto)" },
];

function SplitTable({ caption, figures, testId }: { caption: string; figures: ComparisonFigures; testId: string }) {
  const k = figures.model.topK.k;
  return (
    <div className="table-scroll">
      <table className="history measurements scoreboard" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Predictor</th>
            <th scope="col" className="num">
              n
            </th>
            <th scope="col" className="num">
              RMSE
            </th>
            <th scope="col" className="num">
              MAE
            </th>
            <th scope="col" className="num">
              Spearman ρ
            </th>
            <th
              scope="col"
              className="num"
              title="of the k molecules predicted most potent, how many are active; and the actives among all"
            >
              Top-{k} hits
            </th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(({ key, label, title }) => {
            const m: SplitFigures = figures[key];
            return (
              <tr key={key}>
                <th scope="row" title={title} style={{ fontWeight: key === "model" ? 650 : 400 }}>
                  {label}
                </th>
                <td className="num">{m.n}</td>
                <td className="num">{formatDecimal(m.rmse)}</td>
                <td className="num">{formatDecimal(m.mae)}</td>
                <td className="num">{formatDecimal(m.spearman)}</td>
                <td className="num">
                  {m.topK.k > 0 ? `${m.topK.hits} of ${m.topK.k}` : "—"}
                  <span className="interval">{m.topK.actives} active in all</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ModelEvaluation({ evaluation }: { evaluation: Evaluation }) {
  const { cv, timeSplit } = evaluation;
  return (
    <div className="stack" data-testid="evaluation">
      {cv ? (
        <>
          <SplitTable
            testId="evaluation-cv"
            caption={`Scaffold-grouped cross-validation (${cv.folds} folds: no molecule is predicted by a model that saw its scaffold)`}
            figures={cv}
          />
          <p className="reading">{readComparison("scaffold-grouped cross-validation", cv)}</p>
        </>
      ) : (
        <p className="meta">No cross-validation: the molecules share fewer than two scaffolds.</p>
      )}
      {timeSplit ? (
        <>
          <SplitTable
            testId="evaluation-time"
            caption={`Time split (trained on the ${timeSplit.trainedOn} molecules registered first, tested on the ${timeSplit.model.n} registered after)`}
            figures={timeSplit}
          />
          <p className="reading">{readComparison("the time split", timeSplit)}</p>
        </>
      ) : (
        <p className="meta">No time split: too few molecules.</p>
      )}
    </div>
  );
}
