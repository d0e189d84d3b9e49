import { formatDecimal } from "./plot";

/**
 * The model page's plain reading of an evaluation (lib/models/evaluate.ts): does the model beat what a chemist gets
 * for free, the nearest measured neighbour's value, on the figures a campaign uses it for? Said either way, with
 * the numbers, so that a model that does not help is seen not to.
 */

/** The figures of one predictor on one split (lib/models/evaluate.ts SplitMetrics). */
export interface SplitFigures {
  n: number;
  rmse: number | null;
  mae: number | null;
  spearman: number | null;
  topK: { k: number; hits: number; actives: number };
}

export interface ComparisonFigures {
  model: SplitFigures;
  mean: SplitFigures;
  nearest: SplitFigures;
}

interface Criterion {
  name: string;
  model: number | null;
  reference: number | null;
  lowerIsBetter: boolean;
  digits: number;
}

/** Compared as shown (two decimals, hits as counts): a difference the page cannot show is a tie. */
function verdict(c: Criterion): "beats" | "ties" | "loses" | null {
  if (c.model === null || c.reference === null) return null;
  const m = Number(c.model.toFixed(c.digits));
  const r = Number(c.reference.toFixed(c.digits));
  if (m === r) return "ties";
  return (c.lowerIsBetter ? m < r : m > r) ? "beats" : "loses";
}

const shown = (c: Criterion) => `${c.name} (${formatDecimal(c.model, c.digits)} vs ${formatDecimal(c.reference, c.digits)})`;

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** One sentence: "On <split>, the model beats the nearest neighbour on RMSE (0.61 vs 0.80) …; it does not on …". */
export function readComparison(split: string, c: ComparisonFigures): string {
  const k = c.model.topK.k;
  const criteria: Criterion[] = [
    { name: "RMSE", model: c.model.rmse, reference: c.nearest.rmse, lowerIsBetter: true, digits: 2 },
    { name: "Spearman ρ", model: c.model.spearman, reference: c.nearest.spearman, lowerIsBetter: false, digits: 2 },
    {
      name: `top-${k} hits`,
      model: k > 0 ? c.model.topK.hits : null,
      reference: k > 0 ? c.nearest.topK.hits : null,
      lowerIsBetter: false,
      digits: 0,
    },
  ];
  const judged = criteria.map((criterion) => ({ criterion, verdict: verdict(criterion) }));
  const beats = judged.filter((j) => j.verdict === "beats").map((j) => shown(j.criterion));
  const ties = judged.filter((j) => j.verdict === "ties").map((j) => shown(j.criterion));
  const loses = judged.filter((j) => j.verdict === "loses").map((j) => shown(j.criterion));
  const head = `On ${split} (${c.model.n} ${c.model.n === 1 ? "molecule" : "molecules"})`;
  if (beats.length + ties.length + loses.length === 0)
    return `${head}, there are too few molecules to compare the model with the nearest neighbour.`;
  const parts: string[] = [];
  if (beats.length) parts.push(`the model beats the nearest neighbour on ${list(beats)}`);
  if (loses.length)
    parts.push(`${beats.length ? "it does not beat it" : "the model does not beat the nearest neighbour"} on ${list(loses)}`);
  if (ties.length) parts.push(`${parts.length ? "it ties with it" : "the model ties with the nearest neighbour"} on ${list(ties)}`);
  let sentence = `${head}, ${parts.join("; ")}.`;
  const againstMean = verdict({ name: "RMSE", model: c.model.rmse, reference: c.mean.rmse, lowerIsBetter: true, digits: 2 });
  if (againstMean === "loses" || againstMean === "ties") {
    sentence += ` Its RMSE is no better than predicting the training mean for every molecule (${formatDecimal(c.model.rmse)} vs ${formatDecimal(c.mean.rmse)}).`;
  }
  return sentence;
}
