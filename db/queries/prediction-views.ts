import { eq } from "drizzle-orm";
import { toAppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { campaigns, predictionModels } from "../schema";
import { predictableAssays } from "./prediction-data";
import { latestModel, moleculePrediction, noModelReason, structurePrediction, type ModelAnswer } from "./prediction-models";

// What the pages show of the campaign's models besides the use cases of prediction-models.ts: which assays have a
// model (the molecule page asks each of them once), whether the registration form can ask for a live prediction
// (so the browser never asks a question whose answer is a 404), and the predictions for pasted structures.

/** The assays of a campaign that have a model, by the campaign's slug: one indexed query, no scan of the results. */
export async function assaysWithModel(db: Queryable, slug: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ label: predictionModels.assayLabel })
    .from(predictionModels)
    .innerJoin(campaigns, eq(campaigns.id, predictionModels.campaignId))
    .where(eq(campaigns.slug, slug));
  return rows.map((r) => r.label).sort((a, b) => a.localeCompare(b));
}

export type MoleculeModelAnswer = { assay: string; answer: ModelAnswer } | { assay: string; error: string };

/**
 * The campaign model's prediction for a registered molecule, for every assay with a model: one call each (usually
 * one; `known` when the page already asked assaysWithModel). A molecule the model cannot read is said per assay, not
 * thrown: the rest of its page does not depend on it.
 */
export async function moleculePredictions(db: Queryable, code: string, slug: string, known?: string[]): Promise<MoleculeModelAnswer[]> {
  const assays = known ?? (await assaysWithModel(db, slug));
  return Promise.all(
    assays.map((assay) =>
      moleculePrediction(db, code, assay).then(
        (answer): MoleculeModelAnswer => ({ assay, answer }),
        (error: unknown): MoleculeModelAnswer => {
          const known = toAppError(error);
          if (!known) throw error;
          return { assay, error: known.message };
        },
      ),
    ),
  );
}

/** What the registration form may ask the model about while a structure is drawn. */
export type LiveModel = { assay: string; ready: true } | { assay: string; ready: false; reason: string } | null;

/**
 * The assay a drawn structure is predicted for: the most measured assay that has a model, else the most measured
 * one with why it has none yet (too few molecules, or the first training still running); null when the campaign
 * has no result a model could learn from.
 */
export async function liveModel(db: Queryable, campaignId: number): Promise<LiveModel> {
  const assays = await predictableAssays(db, campaignId);
  const first = assays[0];
  if (!first) return null;
  const models = await Promise.all(assays.map((a) => latestModel(db, campaignId, a.label)));
  const index = models.findIndex((m) => m !== null);
  if (index !== -1) return { assay: assays[index]!.label, ready: true };
  return { assay: first.label, ready: false, reason: noModelReason(first) };
}

/** At most this many pasted structures are predicted at once. */
export const PASTED_STRUCTURES_MAX = 20;

export type PastedPrediction = { line: number; smiles: string; answer: ModelAnswer } | { line: number; smiles: string; error: string };

/**
 * Predictions for pasted SMILES (one per line, blank lines skipped, at most PASTED_STRUCTURES_MAX), each read in the
 * sandbox like any untrusted structure; an unreadable one is an error on its line, not of the whole request.
 */
export async function predictPasted(
  db: Queryable,
  input: { campaign: string; assay?: string; lines: string[] },
  deadline: number,
): Promise<PastedPrediction[]> {
  const lines = input.lines.flatMap((text, i) => (text.trim() ? [{ line: i + 1, smiles: text.trim() }] : []));
  return Promise.all(
    lines.slice(0, PASTED_STRUCTURES_MAX).map(({ line, smiles }) =>
      structurePrediction(db, { campaign: input.campaign, assay: input.assay, smiles }, { deadline }).then(
        (answer): PastedPrediction => ({ line, smiles, answer }),
        (error: unknown): PastedPrediction => {
          const known = toAppError(error);
          if (!known) throw error;
          return { line, smiles, error: known.message.replace(/^smiles: /, "") };
        },
      ),
    ),
  );
}
