"use server";

import { revalidatePath } from "next/cache";
import { formArg, runAction, segment, type ActionResult } from "@/app/_lib/action";
import { setScoringSettings } from "@/db/queries/prediction-data";
import { requireActor } from "@/lib/auth/policy";
import { scoringSettingsInput } from "@/lib/contract/predictions";
import { parseInput } from "@/lib/validation";

/** A form field as a number when it holds one, else as sent (the schema says what is wrong with it). */
function numberField(form: FormData, name: string): unknown {
  const value = form.get(name);
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const n = Number(value.trim().replace(",", "."));
  return Number.isFinite(n) ? n : value;
}

/**
 * A maintainer sets how the campaign's predictions are scored (the form on the scoreboard): the active threshold
 * (pIC50), k, and how a predicted structure is matched to a molecule registered later. Scores follow at once.
 */
export async function saveScoringSettingsAction(
  slug: string,
  _state: ActionResult<unknown> | null,
  formData: FormData,
): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const input = parseInput(scoringSettingsInput, {
      activeThreshold: numberField(form, "activeThreshold"),
      topK: numberField(form, "topK"),
      compare: form.get("compare") || undefined,
    });
    return setScoringSettings(db, actor, String(slug), input);
  });
  if (result.ok) revalidatePath(`/campaigns/${segment(slug)}/predictions`);
  return result;
}
