"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formArg, runAction, segment, type ActionResult } from "@/app/_lib/action";
import { createCampaign, removeMember, setMember, updateCampaign } from "@/db/queries/campaigns";
import { requireActor } from "@/lib/auth/policy";
import { createCampaignInput, memberInput, updateCampaignInput } from "@/lib/contract/campaigns";
import { parseInput } from "@/lib/validation";

export async function createCampaignAction(_state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const input = parseInput(createCampaignInput, {
      name: form.get("name") ?? "",
      slug: form.get("slug") ?? "",
      description: form.get("description") ?? "",
      license: form.get("license") ?? undefined,
    });
    return createCampaign(db, actor, input);
  });
  if (result.ok) redirect(`/campaigns/${(result.data as { slug: string }).slug}`);
  return result;
}

export async function setMemberAction(slug: string, _state: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    return setMember(db, actor, String(slug), parseInput(memberInput, { login: form.get("login") ?? "", role: form.get("role") ?? "member" }));
  });
  if (result.ok) revalidatePath(`/campaigns/${slug}`);
  return result;
}

export async function removeMemberAction(slug: string, login: string): Promise<ActionResult<unknown>> {
  const result = await runAction((db, actor) => removeMember(db, actor, String(slug), String(login)));
  if (result.ok) revalidatePath(`/campaigns/${slug}`);
  return result;
}

/** A maintainer changes the licence of the campaign's data (the form on the campaign page). */
export async function setLicenseAction(
  slug: string,
  _state: ActionResult<unknown> | null,
  formData: FormData,
): Promise<ActionResult<unknown>> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const campaign = await updateCampaign(db, actor, String(slug), parseInput(updateCampaignInput, { license: form.get("license") ?? "" }));
    return { license: campaign.license };
  });
  if (result.ok) revalidatePath(`/campaigns/${segment(slug)}`);
  return result;
}
