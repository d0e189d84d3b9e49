"use server";

import { revalidatePath } from "next/cache";
import { formArg, idArg, runAction, type ActionResult } from "@/app/_lib/action";
import { createToken, revokeToken } from "@/db/queries/tokens";
import { requireActor } from "@/lib/auth/policy";

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
