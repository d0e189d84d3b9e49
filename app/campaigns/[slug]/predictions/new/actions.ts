"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formArg, runAction, segment } from "@/app/_lib/action";
import { predictionSetPath, submitPredictions } from "@/db/queries/predictions";
import { requireActor } from "@/lib/auth/policy";
import { AppError, type ErrorCode } from "@/lib/errors";
import { PREDICTION_LIMITS, predictionSetDetails } from "@/lib/predictions/input";
import { parseInput } from "@/lib/validation";

export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** Why a submission was refused; on success the browser goes to the sealed set's page instead. */
export interface SubmitRefusal {
  ok: false;
  /** The error's code, as every action's refusal carries it (unauthorized, validation_failed, payload_too_large…). */
  code: ErrorCode;
  message: string;
  /** Errors of the form's own fields (name, unit, assay, file…). */
  fields: Record<string, string>;
  /** Errors of rows of the CSV, by row: nothing was stored. */
  rows: RowError[];
  /** Rows without an error, when some rows have errors: what "submit the good rows anyway" would store. */
  good: number | null;
}

const text = (form: FormData, name: string): string | undefined => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};

/** `rows.12.value` → row 12, field value. */
const ROW_FIELD = /^rows\.(\d+)\.(.+)$/;

/**
 * Submit a prediction set from the form: the CSV (uploaded or pasted; the browser keeps it, so a confirmation
 * sends it again) and the set's details. A CSV with bad rows is refused with every row's error, unless the form is
 * sent again with confirm=true, which seals the good rows. On success, the set's page.
 */
export async function submitPredictionsAction(slug: string, formData: FormData): Promise<SubmitRefusal> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const details = parseInput(predictionSetDetails, {
      name: text(form, "name") ?? "",
      description: text(form, "description"),
      method: text(form, "method"),
      unit: text(form, "unit") ?? "",
      confirm: form.get("confirm") === "true",
    });
    const csv = form.get("csv");
    if (typeof csv !== "string" || csv.trim() === "") {
      throw new AppError("validation_failed", "file: upload a CSV file or paste its text", {
        fields: { file: "upload a CSV file or paste its text" },
      });
    }
    if (csv.length > PREDICTION_LIMITS.csvBytes) {
      const mb = PREDICTION_LIMITS.csvBytes / 1_000_000;
      throw new AppError("payload_too_large", `file: at most ${mb} MB; split the set`, {
        fields: { file: `at most ${mb} MB; split the set` },
      });
    }
    if (csv.includes("\u0000"))
      throw new AppError("validation_failed", "file: is binary, not a CSV file", { fields: { file: "is binary, not a CSV file" } });
    return submitPredictions(db, actor, { campaign: String(slug), assay: text(form, "assay"), details, source: { csv } });
  });
  if (result.ok) {
    const { set, skipped } = result.data;
    revalidatePath(`/campaigns/${segment(slug)}/predictions`);
    redirect(`${predictionSetPath(set.id)}?sealed=1${skipped.length ? `&skipped=${new Set(skipped.map((s) => s.row)).size}` : ""}`);
  }
  const { code, message, fields = {} } = result.error;
  const rows: RowError[] = [];
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    const match = ROW_FIELD.exec(key);
    if (match) rows.push({ row: Number(match[1]), field: match[2]!, message: value });
    else own[key] = value;
  }
  rows.sort((a, b) => a.row - b.row);
  return { ok: false, code, message: message.replace(/^rows: /, ""), fields: own, rows, good: goodRows(message, rows.length) };
}

/** The good rows the use case counted ("3 of 10 rows have errors … the 7 good rows"; none when no row can be accepted). */
function goodRows(message: string, rowErrors: number): number | null {
  if (rowErrors === 0) return null;
  if (/no row can be accepted/.test(message)) return 0;
  const good = /the (\d+) good rows?/.exec(message);
  return good ? Number(good[1]) : null;
}
