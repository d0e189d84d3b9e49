"use server";

import { revalidatePath } from "next/cache";
import { formArg, runAction, type ActionResult } from "@/app/_lib/action";
import { addMeasurement } from "@/db/queries/measurements";
import { activateMolecule, moleculePath, parkMolecule } from "@/db/queries/molecules";
import { requireActor } from "@/lib/auth/policy";
import { measurementInput, parkInput } from "@/lib/contract/molecules";
import { parseInput } from "@/lib/validation";

// The molecule page's forms. Each is a public endpoint: runAction finds the caller, and the query functions check
// that the caller may do this (members add measurements, maintainers park and re-activate).

const text = (form: FormData, name: string): string => {
  const value = formArg(form).get(name);
  return typeof value === "string" ? value.trim() : "";
};

export async function parkMoleculeAction(
  code: string,
  _state: ActionResult<unknown> | null,
  form: FormData,
): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    await parkMolecule(db, actor, String(code), parseInput(parkInput, { reason: text(form, "reason") }));
  });
  if (result.ok) revalidatePath(moleculePath(String(code)));
  return result;
}

export async function activateMoleculeAction(code: string): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    await activateMolecule(db, actor, String(code));
  });
  if (result.ok) revalidatePath(moleculePath(String(code)));
  return result;
}

/**
 * A value may be typed with its qualifier ("<0.05", "> 10"), as it is written in papers and sheets; the qualifier
 * menu is then ignored in favour of what was typed.
 */
function readValue(raw: string, chosen: string): { value: unknown; qualifier: string } {
  const match = /^([<>=])\s*(.*)$/.exec(raw);
  const number = (match ? match[2]! : raw).replace(/\s+/g, "").replace(/,(?=\d{1,2}$)/, ".");
  const value = number === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(number) ? raw || undefined : Number(number);
  return { value, qualifier: match ? match[1]! : chosen || "=" };
}

export async function addMeasurementAction(
  code: string,
  _state: ActionResult<unknown> | null,
  form: FormData,
): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const { value, qualifier } = readValue(text(form, "value"), text(form, "qualifier"));
    const entry = text(form, "entryId");
    const optional = (name: string) => text(form, name) || undefined;
    const input = parseInput(measurementInput, {
      assay: text(form, "assay"),
      target: optional("target"),
      lab: optional("lab"),
      value,
      unit: text(form, "unit"),
      qualifier,
      measuredOn: optional("measuredOn"),
      entryId: /^\d{1,10}$/.test(entry) ? Number(entry) : undefined,
    });
    await addMeasurement(db, actor, String(code), input);
  });
  if (result.ok) revalidatePath(moleculePath(String(code)));
  return result;
}
