"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formArg, runAction, type ActionResult } from "@/app/_lib/action";
import { registerMolecule } from "@/db/queries/molecules";
import { requireActor } from "@/lib/auth/policy";
import { registerMoleculeInput } from "@/lib/contract/molecules";
import { isAppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

export interface ExistingMolecule {
  id: string;
  name: string | null;
  path: string;
  /** What "the same" meant: exact, no-stereo or parent. */
  compare: string;
}

/** A registered molecule's page is where the browser goes next; a duplicate comes back as the molecule that exists. */
export type RegisterOutcome = { kind: "registered"; path: string } | { kind: "duplicate"; existing: ExistingMolecule };

const text = (form: FormData, name: string): string | undefined => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
};

/**
 * Register a molecule from the form: a SMILES, or a molfile (pasted, uploaded or drawn in the editor), whichever the
 * chosen tab holds. A structure already in the campaign is not an error to the chemist but an answer: the molecule
 * they were about to make twice. A maintainer may then send the form again with `allowDuplicateOf` to register a
 * distinct batch or salt form linked to it.
 */
export async function registerMoleculeAction(slug: string, formData: FormData): Promise<ActionResult<RegisterOutcome>> {
  const result = await runAction<RegisterOutcome>(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const structure = text(form, "source") === "smiles" ? { smiles: text(form, "smiles") ?? "" } : { molfile: molfileOf(form) };
    const aliases = (text(form, "aliases") ?? "")
      .split(/[,;\n]+/)
      .map((a) => a.trim())
      .filter(Boolean);
    try {
      const input = parseInput(registerMoleculeInput, {
        campaign: String(slug),
        ...structure,
        id: text(form, "id"),
        site: text(form, "site"),
        name: text(form, "name"),
        aliases,
        compare: text(form, "compare") ?? "exact",
        allowDuplicateOf: text(form, "allowDuplicateOf"),
      });
      const { molecule } = await registerMolecule(db, actor, input);
      return { kind: "registered", path: molecule.path };
    } catch (error) {
      const existing = duplicateOf(error);
      if (existing) return { kind: "duplicate", existing };
      throw error;
    }
  });
  if (result.ok && result.data.kind === "registered") {
    revalidatePath(`/campaigns/${slug}`);
    redirect(result.data.path);
  }
  return result;
}

/** The molfile as sent: not trimmed, since a molfile's first lines may be blank and still mean something. */
function molfileOf(form: FormData): string {
  const value = form.get("molfile");
  return typeof value === "string" ? value : "";
}

/** The molecule a conflict names when the structure itself (not a taken ID or alias, which name a field) exists. */
function duplicateOf(error: unknown): ExistingMolecule | null {
  if (!isAppError(error) || !error.is("conflict") || error.details?.fields) return null;
  const existing = error.details?.existing;
  if (!existing) return null;
  return { id: existing.id, name: existing.name, path: existing.path, compare: error.details?.compare ?? "exact" };
}
