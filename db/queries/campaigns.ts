import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { type Actor, requireActor, requireMaintainer } from "@/lib/auth/policy";
import type { LicenseId } from "@/lib/campaigns/licenses";
import type { CreateCampaignInput, MemberInput, UpdateCampaignInput } from "@/lib/contract/campaigns";
import { AppError } from "@/lib/errors";
import { hasUnstorableText } from "@/lib/validation";
import type { Queryable } from "../index";
import { campaigns, entries, events, memberships, users, type Campaign, type Role } from "../schema";
import { ensureUserByLogin } from "./users";

export interface CampaignSummary {
  slug: string;
  name: string;
  description: string;
  createdAt: Date;
  entryCount: number;
  memberCount: number;
  lastWorkDate: string | null;
  license: LicenseId;
}

export async function listCampaigns(db: Queryable): Promise<CampaignSummary[]> {
  const entryStats = db
    .select({
      campaignId: entries.campaignId,
      entryCount: count().as("entry_count"),
      lastWorkDate: sql<string | null>`max(${entries.workDate})`.as("last_work_date"),
    })
    .from(entries)
    .where(and(isNull(entries.deletedAt), eq(entries.kind, "entry")))
    .groupBy(entries.campaignId)
    .as("entry_stats");
  const memberStats = db
    .select({ campaignId: memberships.campaignId, memberCount: count().as("member_count") })
    .from(memberships)
    .groupBy(memberships.campaignId)
    .as("member_stats");
  const rows = await db
    .select({
      slug: campaigns.slug,
      name: campaigns.name,
      description: campaigns.description,
      createdAt: campaigns.createdAt,
      entryCount: entryStats.entryCount,
      memberCount: memberStats.memberCount,
      lastWorkDate: entryStats.lastWorkDate,
      license: campaigns.license,
    })
    .from(campaigns)
    .leftJoin(entryStats, eq(entryStats.campaignId, campaigns.id))
    .leftJoin(memberStats, eq(memberStats.campaignId, campaigns.id))
    .orderBy(asc(campaigns.name));
  return rows.map((r) => ({
    ...r,
    entryCount: Number(r.entryCount ?? 0),
    memberCount: Number(r.memberCount ?? 0),
  }));
}

/** Names only, for navigation: cheap enough for every page view. */
export async function listCampaignNames(db: Queryable): Promise<{ slug: string; name: string }[]> {
  return db.select({ slug: campaigns.slug, name: campaigns.name }).from(campaigns).orderBy(asc(campaigns.name));
}

export async function getCampaign(db: Queryable, slug: string): Promise<Campaign | null> {
  if (hasUnstorableText(slug)) return null; // no stored slug has it (and PostgreSQL would refuse the query)
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.slug, slug.toLowerCase()));
  return campaign ?? null;
}

export async function requireCampaign(db: Queryable, slug: string): Promise<Campaign> {
  const campaign = await getCampaign(db, slug);
  if (!campaign) throw new AppError("not_found", `No campaign with slug "${slug}".`);
  return campaign;
}

export async function roleIn(db: Queryable, campaignId: number, userId: number | undefined): Promise<Role | null> {
  if (userId === undefined) return null;
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.campaignId, campaignId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}

/** Any signed-in user can start a campaign and becomes its maintainer. */
export async function createCampaign(db: Queryable, actor: Actor, data: CreateCampaignInput): Promise<Campaign> {
  requireActor(actor);
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .insert(campaigns)
      .values({ ...data, createdById: actor.id })
      .onConflictDoNothing()
      .returning();
    if (!campaign) throw new AppError("conflict", `slug: a campaign with slug "${data.slug}" already exists`);
    await tx.insert(memberships).values({ campaignId: campaign.id, userId: actor.id, role: "maintainer", addedById: actor.id });
    await tx.insert(events).values({
      kind: "campaign.created",
      campaignId: campaign.id,
      actorId: actor.id,
      title: `Campaign ${campaign.name} started`,
      summary: campaign.description,
    });
    return campaign;
  });
}

/**
 * A maintainer changes what may change after the start: the licence its data is published under. The new licence
 * applies to everything the campaign publishes from now on (pages, feeds, API, exports); what others copied earlier
 * keeps the licence it came with.
 */
export async function updateCampaign(db: Queryable, actor: Actor, slug: string, data: UpdateCampaignInput): Promise<Campaign> {
  requireActor(actor);
  return db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, slug);
    requireMaintainer(await roleIn(tx, campaign.id, actor.id), campaign.name);
    const [updated] = await tx.update(campaigns).set({ license: data.license }).where(eq(campaigns.id, campaign.id)).returning();
    return updated!;
  });
}

export interface Member {
  login: string;
  name: string | null;
  avatarUrl: string | null;
  role: Role;
  since: Date;
}

export async function listMembers(db: Queryable, campaignId: number): Promise<Member[]> {
  return db
    .select({
      login: users.login,
      name: users.name,
      avatarUrl: users.avatarUrl,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.campaignId, campaignId))
    .orderBy(asc(memberships.role), asc(users.login));
}

/** Maintainers add members or change roles; the person may not have signed in yet (see upsertGithubUser). */
export async function setMember(db: Queryable, actor: Actor, slug: string, data: MemberInput): Promise<Member> {
  requireActor(actor);
  return db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, slug);
    requireMaintainer(await roleIn(tx, campaign.id, actor.id), campaign.name);
    return putMembership(tx, campaign, data.login, data.role, actor.id);
  });
}

/** Membership without an acting user's check: for the admin command, which runs with the operator's authority. */
export async function putMembership(
  db: Queryable,
  campaign: Campaign,
  login: string,
  role: Role,
  addedById: number | null,
): Promise<Member> {
  return db.transaction(async (tx) => {
    const user = await ensureUserByLogin(tx, login);
    const previous = await roleIn(tx, campaign.id, user.id);
    if (previous === "maintainer" && role !== "maintainer") await keepOneMaintainer(tx, campaign, user.id);
    const [row] = await tx
      .insert(memberships)
      .values({ campaignId: campaign.id, userId: user.id, role, addedById })
      .onConflictDoUpdate({ target: [memberships.campaignId, memberships.userId], set: { role } })
      .returning();
    if (!previous) {
      await tx.insert(events).values({
        kind: "member.added",
        campaignId: campaign.id,
        actorId: addedById ?? user.id,
        title: `${user.login} joined ${campaign.name} as ${role}`,
      });
    }
    return { login: user.login, name: user.name, avatarUrl: user.avatarUrl, role, since: row!.createdAt };
  });
}

export async function removeMember(db: Queryable, actor: Actor, slug: string, login: string): Promise<void> {
  requireActor(actor);
  await db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, slug);
    requireMaintainer(await roleIn(tx, campaign.id, actor.id), campaign.name);
    const [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.login}) = lower(${login})`);
    if (!user) throw new AppError("not_found", `No user with login "${login}".`);
    await keepOneMaintainer(tx, campaign, user.id);
    await tx.delete(memberships).where(and(eq(memberships.campaignId, campaign.id), eq(memberships.userId, user.id)));
  });
}

async function keepOneMaintainer(db: Queryable, campaign: Campaign, leavingUserId: number): Promise<void> {
  const maintainers = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.campaignId, campaign.id), eq(memberships.role, "maintainer")));
  if (maintainers.length === 1 && maintainers[0]!.userId === leavingUserId) {
    throw new AppError("conflict", `${campaign.name} needs at least one maintainer.`);
  }
}

export async function campaignsOf(db: Queryable, userId: number): Promise<{ slug: string; name: string; role: Role }[]> {
  return db
    .select({ slug: campaigns.slug, name: campaigns.name, role: memberships.role })
    .from(memberships)
    .innerJoin(campaigns, eq(campaigns.id, memberships.campaignId))
    .where(eq(memberships.userId, userId))
    .orderBy(desc(memberships.createdAt));
}
