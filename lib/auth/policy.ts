import type { Role } from "@/lib/campaigns/model";
import { AppError } from "@/lib/errors";

/** Who is acting: a signed-in user, or nobody. */
export type Actor = { id: number; login: string } | null;

export function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
  if (!actor) throw new AppError("unauthorized", "Sign in to do this.");
}

export function requireMember(role: Role | null, campaignName: string): void {
  if (!role) throw new AppError("forbidden", `Only members of ${campaignName} can write in it.`);
}

export function requireMaintainer(role: Role | null, campaignName: string): void {
  if (role !== "maintainer") throw new AppError("forbidden", `Only maintainers of ${campaignName} can do this.`);
}

/** Only the author or a maintainer edits an entry, and only while they belong to its campaign. */
export function canEditEntry(actorId: number, authorId: number, role: Role | null): boolean {
  return role === "maintainer" || (role === "member" && actorId === authorId);
}
