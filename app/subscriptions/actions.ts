"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { formArg, runAction, type ActionResult } from "@/app/_lib/action";
import { clientAddress } from "@/app/_lib/request";
import { confirmSubscription, requestSubscription, unsubscribe } from "@/db/queries/subscriptions";
import { subscribeInput } from "@/lib/contract/subscriptions";
import { parseInput } from "@/lib/validation";

/** The token field of the page's form; "" for anything else a client sends (then the page says the link is bad). */
const tokenOf = (data: unknown) => {
  const value = data instanceof FormData ? data.get("token") : null;
  return typeof value === "string" ? value.slice(0, 200) : "";
};

/** The button of the confirmation page. The page shows the outcome (or why the link no longer works) afterwards. */
export async function confirmSubscriptionAction(formData: FormData): Promise<void> {
  const token = tokenOf(formData);
  await runAction((db) => confirmSubscription(db, token));
  redirect(`/subscriptions/confirm?token=${encodeURIComponent(token)}&done=1`);
}

/** The button of the unsubscribe page (mail clients use the one-click POST of the API instead). */
export async function unsubscribeAction(formData: FormData): Promise<void> {
  const token = tokenOf(formData);
  await runAction((db) => unsubscribe(db, token));
  redirect(`/subscriptions/unsubscribe?token=${encodeURIComponent(token)}&done=1`);
}

/** "Get the newsletter" on a campaign page: the same answer for every address (see requestSubscription). */
export async function subscribeAction(slug: string, _state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const address = clientAddress(new Request("http://notebook.invalid/", { headers: await headers() }));
  return runAction(async (db) => {
    const input = parseInput(subscribeInput, { email: formArg(formData).get("email") ?? "" });
    await requestSubscription(db, String(slug), input, { address });
  });
}
