"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formArg, runAction, type ActionResult } from "@/app/_lib/action";
import { createCampaign, removeMember, setMember } from "@/db/queries/campaigns";

export async function createCampaignAction(_state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => {
    const form = formArg(formData);
    return createCampaign(db, actor, {
      name: form.get("name") ?? "",
      slug: form.get("slug") ?? "",
      description: form.get("description") ?? "",
    });
  });
  if (result.ok) redirect(`/campaigns/${(result.data as { slug: string }).slug}`);
  return result;
}

export async function setMemberAction(slug: string, _state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => {
    const form = formArg(formData);
    return setMember(db, actor, String(slug), { login: form.get("login") ?? "", role: form.get("role") ?? "member" });
  });
  if (result.ok) revalidatePath(`/campaigns/${slug}`);
  return result;
}

export async function removeMemberAction(slug: string, login: string): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => removeMember(db, actor, String(slug), String(login)));
  if (result.ok) revalidatePath(`/campaigns/${slug}`);
  return result;
}
