"use server";

import { formArg, runAction, type ActionResult } from "@/app/_lib/action";
import { PASTED_STRUCTURES_MAX, predictPasted, type PastedPrediction } from "@/db/queries/prediction-views";
import { requireActor } from "@/lib/auth/policy";
import { STRUCTURE_LIMITS } from "@/lib/chem/limits";
import { AppError } from "@/lib/errors";

/** All pasted structures are read within this: each in the sandbox, in parallel, ahead of background work. */
const DEADLINE_MS = 20_000;

/**
 * The campaign model's predictions for pasted SMILES (one per line, at most 20), for the "what to make next" page.
 * Signed-in people only: each line is a job for the chemistry sandbox, and writes count against their rate limit.
 */
export async function predictPastedAction(slug: string, assay: string, formData: FormData): Promise<ActionResult<PastedPrediction[]>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const text = form.get("smiles");
    const lines = (typeof text === "string" ? text : "").split(/\r\n|\r|\n/);
    const given = lines.filter((l) => l.trim() !== "");
    const fail = (message: string): never => {
      throw new AppError("validation_failed", `smiles: ${message}`, { fields: { smiles: message } });
    };
    if (given.length === 0) fail("paste at least one SMILES, one per line");
    if (given.length > PASTED_STRUCTURES_MAX) fail(`at most ${PASTED_STRUCTURES_MAX} structures at a time; this has ${given.length}`);
    const long = lines.findIndex((l) => l.trim().length > STRUCTURE_LIMITS.smilesChars);
    if (long !== -1) fail(`line ${long + 1} is longer than ${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")} characters`);
    return predictPasted(db, { campaign: String(slug), assay: String(assay), lines }, Date.now() + DEADLINE_MS);
  });
}
