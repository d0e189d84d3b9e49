"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formArg, runAction, segment } from "@/app/_lib/action";
import { editNewsletter, editNewsletterItem, sendNewsletter, type ItemEdit } from "@/db/queries/newsletters";
import { requireActor } from "@/lib/auth/policy";
import { editNewsletterInput, week as weekSchema } from "@/lib/contract/newsletters";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

// A maintainer's changes to a week's newsletter before it goes out. Every action checks the caller (requireActor here,
// the maintainer's role in db/queries/newsletters.ts) and goes back to the week's page, with the refusal if any.

function back(slug: unknown, week: unknown, result: { ok: boolean; error?: { message: string } }, note?: string): never {
  const path = `/campaigns/${segment(slug)}/newsletter/${segment(week)}`;
  revalidatePath(path);
  const query = result.ok ? (note ? `?note=${encodeURIComponent(note)}` : "") : `?error=${encodeURIComponent(result.error?.message ?? "failed")}`;
  redirect(`${path}${query}`);
}

const weekArg = (value: unknown) => parseInput(weekSchema, value);

/** `datetime-local` gives "2026-12-08T09:00" (read as UTC, as the page says); empty means "only when sent by hand". */
function sendAtField(value: FormDataEntryValue | null): string | null {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "") return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) {
    throw new AppError("validation_failed", "sendAt: must be a date and time (UTC)", { fields: { sendAt: "must be a date and time (UTC)" } });
  }
  return `${text.length === 16 ? `${text}:00` : text}Z`;
}

export async function saveNewsletterAction(slug: string, week: string, formData: FormData): Promise<void> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const input = parseInput(editNewsletterInput, {
      editorial: typeof form.get("editorial") === "string" ? (form.get("editorial") as string).replace(/\r\n/g, "\n") : undefined,
      sendAt: sendAtField(form.get("sendAt")),
    });
    await editNewsletter(db, actor, String(slug), weekArg(week), input);
  });
  back(slug, week, result, "Saved.");
}

const ITEM_EDITS: readonly ItemEdit[] = ["pin", "unpin", "drop", "restore"];

export async function newsletterItemAction(slug: string, week: string, key: string, edit: ItemEdit): Promise<void> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    if (!ITEM_EDITS.includes(edit)) throw new AppError("bad_request", "edit: must be pin, unpin, drop or restore");
    const itemKey = parseInput(editNewsletterInput, { pinned: [key] }).pinned![0]!;
    await editNewsletterItem(db, actor, String(slug), weekArg(week), itemKey, edit);
  });
  back(slug, week, result);
}

export async function sendNewsletterAction(slug: string, week: string): Promise<void> {
  let note = "";
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const outcome = await sendNewsletter(db, actor, String(slug), weekArg(week));
    note =
      outcome.mail === "off"
        ? "Published in the archive. E-mail is off on this notebook, so nothing was mailed."
        : `Sent: queued for ${outcome.queued} subscriber${outcome.queued === 1 ? "" : "s"}${outcome.alreadyDelivered ? ` (${outcome.alreadyDelivered} had it already)` : ""}.`;
  });
  back(slug, week, result, note);
}
