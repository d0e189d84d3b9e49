"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction, type ActionResult } from "@/app/_lib/action";
import { createCampaign, removeMember, setMember } from "@/db/queries/campaigns";

export async function createCampaignAction(_state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) =>
    createCampaign(db, actor, {
      name: formData.get("name") ?? "",
      slug: formData.get("slug") ?? "",
      description: formData.get("description") ?? "",
    }),
  );
  if (result.ok) redirect(`/campaigns/${(result.data as { slug: string }).slug}`);
  return result;
}

export async function setMemberAction(slug: string, _state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) =>
    setMember(db, actor, String(slug), { login: formData.get("login") ?? "", role: formData.get("role") ?? "member" }),
  );
  if (result.ok) revalidatePath(`/campaigns/${slug}`);
  return result;
}

export async function removeMemberAction(slug: string, login: string): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => removeMember(db, actor, String(slug), String(login)));
  if (result.ok) revalidatePath(`/campaigns/${slug}`);
  return result;
}
