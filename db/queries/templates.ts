import { and, asc, eq, sql } from "drizzle-orm";
import { requireActor, requireMember, type Actor } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { reactionSkeleton } from "@/lib/stoichiometry/reaction";
import type { Queryable } from "../index";
import { campaigns, entries, entryTemplates, type EntryTemplate } from "../schema";
import { roleIn } from "./campaigns";

/** Entry templates of a campaign: "Save as template" on an entry, "New entry" from one. */

export const TEMPLATE_NAME_MAX = 100;

export async function listTemplates(db: Queryable, campaignId: number): Promise<Pick<EntryTemplate, "id" | "name" | "title">[]> {
  return db
    .select({ id: entryTemplates.id, name: entryTemplates.name, title: entryTemplates.title })
    .from(entryTemplates)
    .where(eq(entryTemplates.campaignId, campaignId))
    .orderBy(asc(sql`lower(${entryTemplates.name})`));
}

export async function getTemplate(db: Queryable, campaignId: number, id: number): Promise<EntryTemplate | null> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return null;
  const [row] = await db
    .select()
    .from(entryTemplates)
    .where(and(eq(entryTemplates.campaignId, campaignId), eq(entryTemplates.id, id)));
  return row ?? null;
}

/**
 * A member saves an entry of their campaign as a template: its title, body and the skeleton of its reactions (no
 * amounts of that run). A template of the same name (any case) is replaced.
 */
export async function saveTemplate(db: Queryable, actor: Actor, entryId: number, rawName: string): Promise<EntryTemplate> {
  requireActor(actor);
  const name = typeof rawName === "string" ? rawName.trim() : "";
  if (!name || name.length > TEMPLATE_NAME_MAX || /[\u0000-\u001f]/.test(name)) {
    const message = `must be one line of 1 to ${TEMPLATE_NAME_MAX} characters`;
    throw new AppError("validation_failed", `name: ${message}`, { fields: { name: message } });
  }
  const [entry] = await db
    .select({
      id: entries.id,
      campaignId: entries.campaignId,
      title: entries.title,
      body: entries.body,
      reactions: entries.reactions,
      deletedAt: entries.deletedAt,
      kind: entries.kind,
      campaign: campaigns.name,
    })
    .from(entries)
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .where(eq(entries.id, entryId));
  if (!entry || entry.deletedAt || entry.kind !== "entry") throw new AppError("not_found", `No entry with id ${entryId}.`);
  requireMember(await roleIn(db, entry.campaignId, actor.id), entry.campaign);
  const values = {
    campaignId: entry.campaignId,
    name,
    title: entry.title,
    body: entry.body,
    reactions: entry.reactions.map(reactionSkeleton),
    sourceEntryId: entry.id,
    createdById: actor.id,
  };
  const saved = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: entryTemplates.id })
      .from(entryTemplates)
      .where(and(eq(entryTemplates.campaignId, entry.campaignId), sql`lower(${entryTemplates.name}) = lower(${name})`))
      .for("update");
    if (existing) {
      const [updated] = await tx.update(entryTemplates).set(values).where(eq(entryTemplates.id, existing.id)).returning();
      return updated;
    }
    const [inserted] = await tx.insert(entryTemplates).values(values).returning();
    return inserted;
  });
  return saved!;
}
