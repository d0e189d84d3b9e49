"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/app/_lib/action";
import { createEntry, deleteEntry, restoreEntry, updateEntry } from "@/db/queries/entries";
import { registerProduct, type RegisteredProduct } from "@/db/queries/reaction-products";
import { saveTemplate } from "@/db/queries/templates";
import { requireActor } from "@/lib/auth/policy";
import { createEntryInput, updateEntryInput } from "@/lib/contract/entries";
import { createPageInput } from "@/lib/contract/wiki";
import { createPage } from "@/db/queries/wiki";
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
  /** "page": start a wiki page of `campaign` (an edit of a page needs no kind: the entry id names it). */
  kind?: "entry" | "page";
  date?: string;
  title?: string;
  body?: string;
  /** The entry's reactions as the editor holds them (validated with the API's schema). */
  reactions?: unknown[];
  message?: string;
  baseRevision?: number;
}): Promise<ActionResult<SavedEntry>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    if (typeof input !== "object" || input === null) throw new AppError("bad_request", "Nothing to save.");
    const { entryId: id, kind, ...given } = input;
    const fields = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    if (id === undefined && kind === "page") {
      const { campaign, title, body, message } = fields;
      const page = await createPage(db, actor, String(campaign ?? ""), parseInput(createPageInput, { title, body, message }));
      revalidatePath(`/campaigns/${page.campaign.slug}/wiki`);
      return { id: page.id, revisionId: page.revisionId, path: page.path, changed: true };
    }
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

/** "Register" on a product row of a reaction (db/queries/reaction-products.ts). */
export async function registerProductAction(input: {
  entryId: number;
  reactionId: string;
  row: number;
  baseRevision: number;
}): Promise<ActionResult<RegisteredProduct>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    if (typeof input !== "object" || input === null) throw new AppError("bad_request", "Nothing to register.");
    const row = input.row;
    if (
      typeof row !== "number" ||
      !Number.isSafeInteger(row) ||
      row < 0 ||
      typeof input.reactionId !== "string" ||
      typeof input.baseRevision !== "number"
    ) {
      throw new AppError("bad_request", "Which product row to register is missing.");
    }
    const result = await registerProduct(db, actor, {
      entryId: entryId(input.entryId),
      reactionId: input.reactionId,
      row,
      baseRevision: input.baseRevision,
    });
    revalidatePath(`/entries/${input.entryId}`);
    revalidatePath(`/molecules/${result.code}`);
    return result;
  });
}

/** "Save as template" on an entry (db/queries/templates.ts). */
export async function saveTemplateAction(input: { entryId: number; name: string }): Promise<ActionResult<{ id: number; name: string }>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    if (typeof input !== "object" || input === null) throw new AppError("bad_request", "Nothing to save.");
    const template = await saveTemplate(db, actor, entryId(input.entryId), String(input.name ?? ""));
    return { id: template.id, name: template.name };
  });
}
