"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/app/_lib/action";
import { createEntry, deleteEntry, restoreEntry, updateEntry } from "@/db/queries/entries";
import { requireActor } from "@/lib/auth/policy";
import { createEntryInput, updateEntryInput } from "@/lib/contract/entries";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

export interface SavedEntry {
  id: number;
  revisionId: number;
  path: string;
  changed: boolean;
}

function entryId(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw new AppError("not_found", "No such entry.");
  return value;
}

/**
 * Save from the editor: a new entry (`campaign` given) or a new revision of an existing one
 * (`entryId` and `baseRevision` given). A stale base comes back as a conflict with the newer text.
 */
export async function saveEntryAction(input: {
  entryId?: number;
  campaign?: string;
  date?: string;
  title?: string;
  body?: string;
  message?: string;
  baseRevision?: number;
}): Promise<ActionResult<SavedEntry>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    if (typeof input !== "object" || input === null) throw new AppError("bad_request", "Nothing to save.");
    const { entryId: id, ...given } = input;
    const fields = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    if (id === undefined) {
      const { baseRevision: _none, ...create } = fields;
      const entry = await createEntry(db, actor, parseInput(createEntryInput, create));
      revalidatePath(`/campaigns/${entry.campaign.slug}`);
      return { id: entry.id, revisionId: entry.revisionId, path: entry.path, changed: true };
    }
    const { campaign: _ignored, ...edit } = fields;
    const { entry, changed } = await updateEntry(db, actor, entryId(id), parseInput(updateEntryInput, edit));
    revalidatePath(entry.path);
    return { id: entry.id, revisionId: entry.revisionId, path: entry.path, changed };
  });
}

export async function deleteEntryAction(id: number): Promise<ActionResult<unknown>> {
  return runAction(async (db, actor) => {
    const entry = await deleteEntry(db, actor, entryId(id));
    revalidatePath(entry.path);
    return { path: entry.path };
  });
}

export async function restoreEntryAction(id: number): Promise<ActionResult<unknown>> {
  return runAction(async (db, actor) => {
    const entry = await restoreEntry(db, actor, entryId(id));
    revalidatePath(entry.path);
    return { path: entry.path };
  });
}
