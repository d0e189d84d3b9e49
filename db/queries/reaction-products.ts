import { requireActor, type Actor } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import type { StoredReaction } from "@/lib/stoichiometry/reaction";
import type { Queryable } from "../index";
import { getEntry, updateEntry } from "./entries";
import { registerMolecule } from "./molecules";

export interface RegisteredProduct {
  code: string;
  /** False when the structure was registered already and the row was linked to that molecule. */
  registered: boolean;
  revisionId: number;
}

/**
 * "Register" on a product row: the product becomes a molecule of the entry's campaign (or, when its structure is
 * already registered, the row links to that molecule: the registry's duplicate check), and the row names it in a
 * new revision of the entry, so the entry mentions it and the molecule lists the reaction as where it was made.
 * The edit is based on `baseRevision` like any other: a stale one is a 409 and the row stays as it was.
 */
export async function registerProduct(
  db: Queryable,
  actor: Actor,
  input: { entryId: number; reactionId: string; row: number; baseRevision: number },
): Promise<RegisteredProduct> {
  requireActor(actor);
  const entry = await getEntry(db, input.entryId);
  if (!entry || entry.deletedAt) throw new AppError("not_found", `No entry with id ${input.entryId}.`);
  const reaction = entry.reactions.find((r) => r.id === input.reactionId);
  const row = reaction?.rows[input.row];
  if (!reaction || !row) throw new AppError("not_found", `Entry ${entry.id} has no row ${input.row + 1} in reaction ${input.reactionId}.`);
  if (row.role !== "product") throw new AppError("validation_failed", `Row ${input.row + 1} is a ${row.role}, not a product.`);
  if (!row.structure) throw new AppError("validation_failed", `Row ${input.row + 1} has no structure to register.`);
  if (row.molecule) return { code: row.molecule, registered: false, revisionId: entry.revisionId };
  if (entry.revisionId !== input.baseRevision) throw staleError();

  let code: string;
  let registered = true;
  try {
    const { molecule } = await registerMolecule(db, actor, {
      campaign: entry.campaign.slug,
      smiles: row.structure.smiles,
      name: row.name ?? undefined,
      aliases: [],
      compare: "exact",
    });
    code = molecule.code;
  } catch (error) {
    const existing = (error as AppError).code === "conflict" ? (error as AppError<"conflict">).details?.existing : undefined;
    if (!existing) throw error;
    code = existing.id;
    registered = false;
  }
  const reactions = entry.reactions.map((r) =>
    r.id === reaction.id ? { ...r, rows: r.rows.map((x, j) => (j === input.row ? { ...x, molecule: code } : x)) } : r,
  );
  const { entry: saved } = await updateEntry(db, actor, entry.id, {
    baseRevision: input.baseRevision,
    reactions: reactions.map(toInput),
    message: registered
      ? `Registered the product of ${reaction.title ?? `reaction ${reaction.id}`} as ${code}`
      : `Linked the product of ${reaction.title ?? `reaction ${reaction.id}`} to ${code}`,
  });
  return { code, registered, revisionId: saved.revisionId };
}

/** A stored reaction back as input (its rows as entered), for a save that changes one cell. */
function toInput(reaction: StoredReaction) {
  return {
    id: reaction.id,
    title: reaction.title,
    smiles: reaction.smiles,
    rows: reaction.rows.map(({ structure: _structure, ...row }) => row),
  };
}

function staleError(): AppError {
  return new AppError("conflict", "This entry was changed after the page was loaded; reload it and register again.");
}
