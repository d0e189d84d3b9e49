"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formArg, idArg, runAction, type ActionResult } from "@/app/_lib/action";
import { confirmNotificationEmail, removeNotificationEmail, setNotificationEmail, setNotificationPreferences } from "@/db/queries/notification-settings";
import { createToken, revokeToken } from "@/db/queries/tokens";
import { requireActor } from "@/lib/auth/policy";
import { notificationEmailInput, notificationPreferencesInput } from "@/lib/contract/subscriptions";
import { notificationKinds } from "@/lib/discussion/model";
import { parseInput } from "@/lib/validation";

const formText = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
};

export async function createTokenAction(_state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const { token, view } = await createToken(db, actor.id, formText(formArg(formData), "name"));
    return { token, name: view.name };
  });
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function revokeTokenAction(id: number): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => revokeToken(db, actor, idArg(id, "token")));
  if (result.ok) revalidatePath("/settings");
  return result;
}

/** Set the address notifications go to: a confirmation link is mailed to it first. */
export async function setEmailAction(_state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    return setNotificationEmail(db, actor, parseInput(notificationEmailInput, { email: formText(formArg(formData), "email") }));
  });
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function removeEmailAction(): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => removeNotificationEmail(db, actor));
  if (result.ok) revalidatePath("/settings");
  return result;
}

/** How each kind of notification reaches the caller: one select per kind in the form. */
export async function setPreferencesAction(_state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const data = formArg(formData);
    const sent = Object.fromEntries(notificationKinds.filter((k) => data.has(k)).map((k) => [k, formText(data, k)]));
    await setNotificationPreferences(db, actor, parseInput(notificationPreferencesInput, sent));
  });
  if (result.ok) revalidatePath("/settings");
  return result;
}

/** The button of the page a confirmation mail links to; the page shows the outcome afterwards. */
export async function confirmEmailAction(formData: FormData): Promise<void> {
  // Anything but the page's form (an action is a public endpoint) reads as no token: the page then says the link is bad.
  const value = formData instanceof FormData ? formData.get("token") : null;
  const token = typeof value === "string" ? value.slice(0, 200) : "";
  await runAction((db) => confirmNotificationEmail(db, token));
  redirect(`/settings/email/confirm?token=${encodeURIComponent(token)}&done=1`);
}
