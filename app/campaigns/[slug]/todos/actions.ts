"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { formArg, idArg, runAction, segment } from "@/app/_lib/action";
import { getConnection, connectRepository, createTodo, resolveConflict, updateTodo } from "@/db/queries/todos";
import { requireCampaign, roleIn } from "@/db/queries/campaigns";
import { requireActor, requireMember } from "@/lib/auth/policy";
import { connectionSchema, createTodoSchema, updateTodoSchema } from "@/lib/github/input";
import { parseInput } from "@/lib/validation";
import { todoSync } from "@/db/queries/todo-sync";

const list = (text: FormDataEntryValue | null) =>
  (typeof text === "string" ? text : "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function back(path: string, result: { ok: boolean; error?: { message: string } }): never {
  revalidatePath(path);
  const sep = path.includes("?") ? "&" : "?";
  redirect(result.ok ? path : `${path}${sep}error=${encodeURIComponent(result.error?.message ?? "failed")}`);
}

export async function connectAction(slug: string, formData: FormData): Promise<void> {
  const result = await runAction((db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const input = parseInput(connectionSchema, {
      repository: form.get("repository"),
      authKind: form.get("authKind"),
      token: form.get("token") || undefined,
      appId: form.get("appId") || undefined,
      privateKey: form.get("privateKey") || undefined,
      installationId: form.get("installationId") || undefined,
      apiBaseUrl: form.get("apiBaseUrl") || undefined,
      webhookSecret: form.get("webhookSecret") || undefined,
    });
    return connectRepository(db, actor, String(slug), input);
  });
  back(`/campaigns/${segment(slug)}/todos`, result);
}

export async function createTodoAction(slug: string, formData: FormData): Promise<void> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    const input = parseInput(createTodoSchema, {
      title: form.get("title"),
      body: form.get("body") ?? "",
      labels: list(form.get("labels")),
      assignees: list(form.get("assignees")),
      moleculeLinks: form.get("moleculeLinks") === "on",
    });
    const todo = await createTodo(db, actor, String(slug), input);
    // Sent at once rather than at the next periodic sync; failures stay pending and show in the status panel.
    const conn = await getConnection(db, todo.campaignId);
    if (conn) await (await todoSync()).sync(conn);
    return todo;
  });
  back(`/campaigns/${segment(slug)}/todos`, result);
}

export async function updateTodoAction(slug: string, id: number, formData: FormData): Promise<void> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const form = formArg(formData);
    // Only the fields the person changed are sent, with the values they saw: a browser that restores an old form
    // on reload, or a change made on GitHub meanwhile, cannot overwrite newer values unseen.
    const input: Record<string, unknown> = {};
    const seen: Record<string, unknown> = {};
    const text = (v: FormDataEntryValue | null) => (typeof v === "string" ? v.replace(/\r\n/g, "\n") : "");
    const read = (name: string, key: string) => (key === "labels" || key === "assignees" ? list(form.get(name)) : text(form.get(name)));
    for (const key of ["title", "body", "state", "labels", "assignees"]) {
      if (!form.has(key) || !form.has(`seen_${key}`)) continue;
      const [now, before] = [read(key, key), read(`seen_${key}`, key)];
      if (JSON.stringify(now) === JSON.stringify(before)) continue;
      input[key] = now;
      seen[key] = before;
    }
    if (Object.keys(input).length === 0) return;
    const todo = await updateTodo(db, actor, idArg(id, "to-do"), parseInput(updateTodoSchema, input), seen);
    const conn = await getConnection(db, todo.campaignId);
    if (conn) await (await todoSync()).sync(conn);
  });
  back(`/campaigns/${segment(slug)}/todos/${segment(id)}`, result);
}

export async function resolveAction(slug: string, id: number, field: string, keep: "notebook" | "github"): Promise<void> {
  const result = await runAction(async (db, actor) => {
    const todo = await resolveConflict(db, actor, idArg(id, "to-do"), String(field), keep === "github" ? "github" : "notebook");
    const conn = await getConnection(db, todo.campaignId);
    if (conn) await (await todoSync()).sync(conn);
  });
  back(`/campaigns/${segment(slug)}/todos/${segment(id)}`, result);
}

export async function syncNowAction(slug: string): Promise<void> {
  const result = await runAction(async (db, actor) => {
    requireActor(actor);
    const campaign = await requireCampaign(db, String(slug));
    requireMember(await roleIn(db, campaign.id, actor.id), campaign.name);
    const conn = await getConnection(db, campaign.id);
    if (conn) await (await todoSync()).sync(conn, { verify: true });
  });
  back(`/campaigns/${segment(slug)}/todos`, result);
}
