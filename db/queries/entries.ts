import { and, eq, getTableColumns, gt, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Actor, canEditEntry, requireActor, requireMaintainer, requireMember } from "@/lib/auth/policy";
import type { CreateEntryInput, UpdateEntryInput } from "@/lib/contract/entries";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { campaigns, entries, events, revisions, users, type Entry } from "../schema";
import { requireCampaign, roleIn } from "./campaigns";
import { recordMentions, recordPageLinks } from "./mentions";
import { prepareReactions } from "./reactions";
import { moleculesOf, sameReactions, type StoredReaction } from "@/lib/stoichiometry/reaction";
import { HOME_SLUG, pageSlug, wikiPath, type DocumentKind } from "@/lib/wiki/model";
import type { LicenseId } from "@/lib/campaigns/licenses";

/** An entry as pages and the API show it. */
export interface EntryView {
  id: number;
  /** "page" for a wiki page (lib/wiki/model.ts): same machinery, addressed by campaign and slug. */
  kind: DocumentKind;
  /** A page's slug; null for an entry. */
  slug: string | null;
  /** Its campaign, with the licence its data is published under (SPDX id). */
  campaign: { slug: string; name: string; license: LicenseId };
  date: string;
  title: string;
  body: string;
  reactions: StoredReaction[];
  author: { login: string; name: string | null };
  authorId: number;
  revisionId: number;
  revisionNumber: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  path: string;
}

export const entryPath = (id: number) => `/entries/${id}`;

/** Where a document is read: an entry's page, or a wiki page under its campaign. */
export const documentPath = (d: { id: number; kind: DocumentKind; slug: string | null }, campaign: string) =>
  d.kind === "page" && d.slug ? wikiPath(campaign, d.slug) : entryPath(d.id);

/** "entry" or "page": the word pages and messages use for a document. */
const noun = (kind: DocumentKind) => (kind === "page" ? "page" : "entry");

/** Edits by the same person within this window count as one editing session in the feed. */
const FEED_SESSION_MS = 30 * 60 * 1000;

const deleter = alias(users, "deleter");

/** Every column but the search vector, which is for the database's own use and large. */
const { search: _search, ...entryColumns } = getTableColumns(entries);
export { entryColumns };

/** An entry or a wiki page by id; `kind` limits it to one of them (the entries API does not serve pages). */
export async function getEntry(db: Queryable, id: number, kind?: DocumentKind): Promise<EntryView | null> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return null;
  const [row] = await selectDocuments(db).where(eq(entries.id, id));
  if (!row || (kind && row.entry.kind !== kind)) return null;
  return toView(row.entry, row.campaign, row.author);
}

/** Documents with their campaign and author, as toView takes them; the caller adds the where. */
export function selectDocuments(db: Queryable) {
  return db
    .select({
      entry: entryColumns,
      campaign: { slug: campaigns.slug, name: campaigns.name, license: campaigns.license },
      author: { login: users.login, name: users.name },
    })
    .from(entries)
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .innerJoin(users, eq(users.id, entries.authorId));
}

export function toView(
  entry: Omit<Entry, "search">,
  campaign: EntryView["campaign"],
  author: { login: string; name: string | null },
): EntryView {
  return {
    id: entry.id,
    kind: entry.kind,
    slug: entry.slug,
    campaign,
    date: entry.workDate,
    title: entry.title,
    body: entry.body,
    reactions: entry.reactions,
    author,
    authorId: entry.authorId,
    revisionId: entry.currentRevisionId!,
    revisionNumber: entry.revisionCount,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    deletedAt: entry.deletedAt,
    path: documentPath(entry, campaign.slug),
  };
}

export async function requireEntry(db: Queryable, id: number, kind?: DocumentKind): Promise<EntryView> {
  const entry = await getEntry(db, id, kind);
  if (!entry) throw new AppError("not_found", `No ${kind === "page" ? "page" : "entry"} with id ${id}.`);
  return entry;
}

/** A live page of a campaign with this slug, other than `except`: two live pages never share a title's slug. */
async function pageTaken(db: Queryable, campaignId: number, slug: string, except?: number): Promise<boolean> {
  const rows = await db
    .select({ id: entries.id })
    .from(entries)
    .where(and(eq(entries.campaignId, campaignId), eq(entries.kind, "page"), eq(entries.slug, slug), isNull(entries.deletedAt)));
  return rows.some((r) => r.id !== except);
}

function takenError(title: string, campaign: { slug: string; name: string }, slug: string): AppError {
  return new AppError(
    "conflict",
    `${campaign.name} already has a page titled “${title}” (${wikiPath(campaign.slug, slug)}); edit that one or choose another title.`,
    {
      current: { path: wikiPath(campaign.slug, slug) },
    },
  );
}

/** A page's slug from its title, or a 422 naming the title when it has no letter or digit. */
export function slugOfTitle(title: string): string {
  const slug = pageSlug(title);
  if (!slug)
    throw new AppError("validation_failed", "title: must contain a letter or a digit", {
      fields: { title: "must contain a letter or a digit" },
    });
  return slug;
}

/**
 * A member writes a new entry, or (with `kind` "page") a page of the campaign's wiki; its first revision is written
 * in the same transaction.
 */
export async function createEntry(db: Queryable, actor: Actor, data: CreateEntryInput, kind: DocumentKind = "entry"): Promise<EntryView> {
  requireActor(actor);
  const slug = kind === "page" ? slugOfTitle(data.title) : null;
  const target = await requireCampaign(db, data.campaign);
  requireMember(await roleIn(db, target.id, actor.id), target.name);
  // Structures are read in the workers before the transaction, so no lock is held while they run.
  const reactions = data.reactions.length ? await prepareReactions(db, target.id, null, data.reactions) : [];
  const id = await db.transaction(async (tx) => {
    const campaign = await requireCampaign(tx, data.campaign);
    requireMember(await roleIn(tx, campaign.id, actor.id), campaign.name);
    if (slug && (await pageTaken(tx, campaign.id, slug))) throw takenError(data.title, campaign, slug);
    const [entry] = await tx
      .insert(entries)
      .values({
        campaignId: campaign.id,
        kind,
        slug,
        authorId: actor.id,
        workDate: data.date,
        title: data.title,
        body: data.body,
        reactions,
      })
      .returning({ id: entries.id });
    const [revision] = await tx
      .insert(revisions)
      .values({
        entryId: entry!.id,
        number: 1,
        authorId: actor.id,
        title: data.title,
        body: data.body,
        reactions,
        message: data.message || null,
      })
      .returning({ id: revisions.id });
    await tx.update(entries).set({ currentRevisionId: revision!.id, revisionCount: 1 }).where(eq(entries.id, entry!.id));
    await recordMentions(tx, entry!.id, mentionText(data.title, data.body, reactions));
    await recordPageLinks(tx, entry!.id, campaign.id, data.body);
    await tx.insert(events).values({
      kind: kind === "page" ? "page.created" : "entry.created",
      campaignId: campaign.id,
      actorId: actor.id,
      entryId: entry!.id,
      revisionId: revision!.id,
      title: data.title,
      summary: data.body.slice(0, 400),
      path: slug ? wikiPath(campaign.slug, slug) : null,
    });
    return entry!.id;
  });
  return requireEntry(db, id);
}

export interface SaveResult {
  entry: EntryView;
  changed: boolean;
}

/**
 * Save an edit as a new revision. The edit names the revision it was based on; if someone saved
 * in between, nothing is written and the caller gets a 409 carrying the newer version, so the
 * editor can show both and nothing is lost.
 */
export async function updateEntry(db: Queryable, actor: Actor, id: number, data: UpdateEntryInput): Promise<SaveResult> {
  requireActor(actor);
  let reactions: StoredReaction[] | undefined;
  if (data.reactions !== undefined) {
    // Read before the transaction (structures go to the workers); permissions and the base revision are checked in it.
    const [target] = await db
      .select({ campaignId: entries.campaignId, authorId: entries.authorId, kind: entries.kind })
      .from(entries)
      .where(eq(entries.id, id));
    if (!target) throw new AppError("not_found", `No entry with id ${id}.`);
    if (!canEdit(actor.id, target, await roleIn(db, target.campaignId, actor.id))) throw forbidden(target.kind, "edit");
    reactions = await prepareReactions(db, target.campaignId, id, data.reactions);
  }
  const changed = await db.transaction(async (tx) => {
    const [entry] = await tx.select(entryColumns).from(entries).where(eq(entries.id, id)).for("update");
    if (!entry) throw new AppError("not_found", `No entry with id ${id}.`);
    if (entry.deletedAt) throw new AppError("conflict", `This ${noun(entry.kind)} was deleted; a maintainer can restore it.`);
    const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, entry.campaignId));
    const role = await roleIn(tx, entry.campaignId, actor.id);
    if (!canEdit(actor.id, entry, role)) throw forbidden(entry.kind, "edit");
    if (entry.currentRevisionId !== data.baseRevision) {
      const current = await currentRevision(tx, entry);
      throw new AppError(
        "conflict",
        `This ${noun(entry.kind)} was changed by ${current.author} at ${current.createdAt.toISOString()} after the revision your edit is based on. Your text was not saved; merge it with the current version and save again.`,
        { current },
      );
    }
    const next = {
      title: data.title ?? entry.title,
      body: data.body ?? entry.body,
      workDate: entry.kind === "page" ? entry.workDate : (data.date ?? entry.workDate),
      reactions: reactions ?? entry.reactions,
      slug: entry.kind === "page" ? slugOfTitle(data.title ?? entry.title) : null,
    };
    if (entry.slug === HOME_SLUG && next.slug !== HOME_SLUG) {
      throw new AppError("validation_failed", "title: the home page keeps its title (Home); write a new page for other text", {
        fields: { title: "the home page keeps its title (Home)" },
      });
    }
    if (next.slug && next.slug !== entry.slug && (await pageTaken(tx, entry.campaignId, next.slug, id)))
      throw takenError(next.title, campaign!, next.slug);
    if (
      next.title === entry.title &&
      next.body === entry.body &&
      next.workDate === entry.workDate &&
      sameReactions(next.reactions, entry.reactions)
    )
      return false;
    const number = entry.revisionCount + 1;
    const [revision] = await tx
      .insert(revisions)
      .values({
        entryId: id,
        number,
        authorId: actor.id,
        title: next.title,
        body: next.body,
        reactions: next.reactions,
        message: data.message || null,
      })
      .returning();
    await tx
      .update(entries)
      .set({ ...next, currentRevisionId: revision!.id, revisionCount: number, updatedAt: revision!.createdAt })
      .where(and(eq(entries.id, id), eq(entries.currentRevisionId, data.baseRevision)));
    await recordMentions(tx, id, mentionText(next.title, next.body, next.reactions));
    await recordPageLinks(tx, id, entry.campaignId, next.body);
    if (data.message || !(await editedRecently(tx, id, actor.id))) {
      await tx.insert(events).values({
        kind: entry.kind === "page" ? "page.revised" : "entry.revised",
        campaignId: entry.campaignId,
        actorId: actor.id,
        entryId: id,
        revisionId: revision!.id,
        title: next.title,
        summary: data.message || `Revision ${number} of “${next.title}” in ${campaign!.name}`,
        path: next.slug ? wikiPath(campaign!.slug, next.slug) : null,
      });
    }
    return true;
  });
  return { entry: await requireEntry(db, id), changed };
}

/** What mentions are read from: the title, the body, and the molecules the reactions name. */
function mentionText(title: string, body: string, reactions: readonly StoredReaction[]): string {
  return [title, body, ...moleculesOf(reactions)].join("\n");
}

async function currentRevision(db: Queryable, entry: Omit<Entry, "search">) {
  const [row] = await db
    .select({ revision: revisions, author: users.login })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.id, entry.currentRevisionId!));
  const r = row!.revision;
  return {
    revisionId: r.id,
    number: r.number,
    title: r.title,
    body: r.body,
    date: entry.workDate,
    author: row!.author,
    createdAt: r.createdAt,
  };
}

async function editedRecently(db: Queryable, entryId: number, actorId: number): Promise<boolean> {
  const since = new Date(Date.now() - FEED_SESSION_MS);
  const [recent] = await db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.entryId, entryId),
        eq(events.actorId, actorId),
        inArray(events.kind, ["entry.created", "entry.revised", "page.created", "page.revised"]),
        gt(events.createdAt, since),
      ),
    )
    .limit(1);
  return Boolean(recent);
}

/** Soft delete: the entry and all its revisions stay; a maintainer can restore it. */
export async function deleteEntry(db: Queryable, actor: Actor, id: number): Promise<EntryView> {
  requireActor(actor);
  await db.transaction(async (tx) => {
    const [entry] = await tx.select(entryColumns).from(entries).where(eq(entries.id, id)).for("update");
    if (!entry) throw new AppError("not_found", `No entry with id ${id}.`);
    const role = await roleIn(tx, entry.campaignId, actor.id);
    if (!canEdit(actor.id, entry, role)) throw forbidden(entry.kind, "delete");
    if (entry.deletedAt) return;
    await tx.update(entries).set({ deletedAt: new Date(), deletedById: actor.id }).where(eq(entries.id, id));
    const kind = entry.kind === "page" ? "page.deleted" : "entry.deleted";
    await tx.insert(events).values({ kind, campaignId: entry.campaignId, actorId: actor.id, entryId: id, title: entry.title });
  });
  return requireEntry(db, id);
}

export async function restoreEntry(db: Queryable, actor: Actor, id: number): Promise<EntryView> {
  requireActor(actor);
  await db.transaction(async (tx) => {
    const [entry] = await tx.select(entryColumns).from(entries).where(eq(entries.id, id)).for("update");
    if (!entry) throw new AppError("not_found", `No entry with id ${id}.`);
    const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, entry.campaignId));
    requireMaintainer(await roleIn(tx, entry.campaignId, actor.id), campaign!.name);
    if (!entry.deletedAt) return;
    if (entry.slug && (await pageTaken(tx, entry.campaignId, entry.slug, id))) throw takenError(entry.title, campaign!, entry.slug);
    await tx.update(entries).set({ deletedAt: null, deletedById: null }).where(eq(entries.id, id));
    const kind = entry.kind === "page" ? "page.restored" : "entry.restored";
    const path = entry.slug ? wikiPath(campaign!.slug, entry.slug) : null;
    await tx.insert(events).values({ kind, campaignId: entry.campaignId, actorId: actor.id, entryId: id, title: entry.title, path });
  });
  return requireEntry(db, id);
}

/**
 * Entries: their author or a maintainer. Wiki pages are the campaign's shared text: any member edits them
 * (a page's history says who wrote what), as on a wiki.
 */
function canEdit(actorId: number, doc: { authorId: number; kind: DocumentKind }, role: Parameters<typeof canEditEntry>[2]): boolean {
  return doc.kind === "page" ? role !== null : canEditEntry(actorId, doc.authorId, role);
}

function forbidden(kind: DocumentKind, verb: "edit" | "delete"): AppError {
  return new AppError(
    "forbidden",
    kind === "page"
      ? `Only members of this campaign can ${verb} its wiki pages.`
      : `Only the author of this entry or a maintainer of its campaign can ${verb} it.`,
  );
}

/** Who deleted an entry, for its tombstone. */
export async function deletedBy(db: Queryable, id: number): Promise<string | null> {
  const [row] = await db
    .select({ login: deleter.login })
    .from(entries)
    .innerJoin(deleter, eq(deleter.id, entries.deletedById))
    .where(eq(entries.id, id));
  return row?.login ?? null;
}
