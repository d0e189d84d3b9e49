import type { ScoredSet } from "@/db/queries/predictions";
import type { PredictionSet, Scores } from "@/lib/contract/predictions";
import type { SetScores } from "@/lib/predictions/score";
import type { z } from "zod";

export function scoresJson(s: SetScores): z.input<typeof Scores> {
  return {
    n: s.n,
    nExact: s.nExact,
    rmse: s.rmse,
    mae: s.mae,
    spearman: s.spearman,
    kendall: s.kendall,
    topK: s.topK,
    intervals: s.intervals,
  };
}

export function submissionJson(s: ScoredSet, origin: string) {
  return {
    id: s.set.id,
    name: s.set.name,
    submitter: s.submitter,
    model: s.model,
    hash: s.set.hash,
    submittedAt: s.set.submittedAt.toISOString(),
    rows: s.set.rowCount,
    scores: scoresJson(s.scores),
    url: `${origin}/predictions/${s.set.id}`,
  };
}

export function predictionSetJson(s: ScoredSet, origin: string): z.input<typeof PredictionSet> {
  return {
    ...submissionJson(s, origin),
    campaign: s.campaign,
    assay: s.set.assayLabel,
    description: s.set.description,
    method: s.set.method,
    unit: s.set.unit,
    predictions: s.predictions.map((p) => ({
      row: p.row,
      molecule: p.molecule?.code ?? null,
      smiles: p.smiles,
      value: p.value,
      pic50: p.pic50,
      uncertainty: p.uncertainty,
      rank: p.rank,
      observed: p.observed && { pic50: p.observed.pic50, qualifier: p.observed.qualifier, measuredAt: p.observed.measuredAt.toISOString() },
    })),
  };
}
