import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { Actor } from "@/lib/auth/policy";
import type { CreatePageInput, UpdatePageInput } from "@/lib/contract/wiki";
import { today } from "@/lib/entries/input";
import { AppError } from "@/lib/errors";
import { HOME_SLUG, pageSlug, wikiPath } from "@/lib/wiki/model";
import type { Queryable } from "../index";
import { campaigns, entries, entryPageLinks, pageVisits, todoPageLinks, todos, users } from "../schema";
import { requireCampaign } from "./campaigns";
import {
  createEntry,
  deleteEntry,
  selectDocuments,
  requireEntry,
  restoreEntry,
  toView,
  updateEntry,
  type EntryView,
  type SaveResult,
} from "./entries";
import { todoPath } from "./todos";

/**
 * A campaign's wiki. Pages are documents of the notebook (db/queries/entries.ts with kind "page"): these functions
 * find them by campaign and slug and hand every write to the entries' machinery, so a page has the same revisions,
 * conflicts (409 on a stale base revision), soft delete and feed events as an entry.
 */

export interface PageSummary {
  id: number;
  slug: string;
  title: string;
  path: string;
  author: string;
  revisionNumber: number;
  updatedAt: Date;
}

/** The live pages of a campaign, the home page first, then by title. */
export async function listPages(db: Queryable, slug: string): Promise<PageSummary[]> {
  const campaign = await requireCampaign(db, slug);
  const rows = await db
    .select({
      id: entries.id,
      slug: entries.slug,
      title: entries.title,
      author: users.login,
      revisionNumber: entries.revisionCount,
      updatedAt: entries.updatedAt,
    })
    .from(entries)
    .innerJoin(users, eq(users.id, entries.authorId))
    .where(and(eq(entries.campaignId, campaign.id), eq(entries.kind, "page"), isNull(entries.deletedAt)))
    .orderBy(sql`${entries.slug} = ${HOME_SLUG} desc`, asc(sql`lower(${entries.title})`));
  return rows.map((r) => ({ ...r, slug: r.slug!, path: wikiPath(slug, r.slug!) }));
}

/**
 * The page a slug names: the live one, or else the most recently deleted (its tombstone, which a maintainer can
 * restore). A slug is compared as `pageSlug` makes it, so `/wiki/Series%204` finds "series-4".
 */
export async function getPage(db: Queryable, campaignSlug: string, slug: string): Promise<EntryView | null> {
  const key = pageSlug(slug);
  if (!key) return null;
  const [row] = await selectDocuments(db)
    .where(and(eq(campaigns.slug, campaignSlug), eq(entries.kind, "page"), eq(entries.slug, key)))
    .orderBy(sql`${entries.deletedAt} is null desc`, desc(entries.deletedAt))
    .limit(1);
  return row ? toView(row.entry, row.campaign, row.author) : null;
}

export async function requirePage(db: Queryable, campaignSlug: string, slug: string): Promise<EntryView> {
  await requireCampaign(db, campaignSlug);
  const page = await getPage(db, campaignSlug, slug);
  if (!page) throw new AppError("not_found", `${campaignSlug} has no wiki page “${slug}”.`);
  return page;
}

/** A member starts a page; its title must be free among the campaign's live pages (409 names the page that has it). */
export function createPage(db: Queryable, actor: Actor, campaignSlug: string, data: CreatePageInput): Promise<EntryView> {
  return createEntry(
    db,
    actor,
    { campaign: campaignSlug, date: today(), title: data.title, body: data.body, reactions: [], message: data.message },
    "page",
  );
}

export async function updatePage(
  db: Queryable,
  actor: Actor,
  campaignSlug: string,
  slug: string,
  data: UpdatePageInput,
): Promise<SaveResult> {
  const page = await requirePage(db, campaignSlug, slug);
  return updateEntry(db, actor, page.id, data);
}

export async function deletePage(db: Queryable, actor: Actor, campaignSlug: string, slug: string): Promise<EntryView> {
  const page = await requirePage(db, campaignSlug, slug);
  return deleteEntry(db, actor, page.id);
}

export async function restorePage(db: Queryable, actor: Actor, id: number): Promise<EntryView> {
  await requireEntry(db, id, "page");
  return restoreEntry(db, actor, id);
}

export interface Backlink {
  kind: "entry" | "page" | "todo";
  title: string;
  path: string;
  /** An entry's date of work; for pages and to-dos, when they last changed. */
  date: string;
}

/** What links to a page by `[[its title]]`: live entries and pages, and to-dos, newest first. */
export async function pageBacklinks(db: Queryable, campaignSlug: string, slug: string): Promise<Backlink[]> {
  const campaign = await requireCampaign(db, campaignSlug);
  const docs = await db
    .select({
      id: entries.id,
      kind: entries.kind,
      slug: entries.slug,
      title: entries.title,
      date: entries.workDate,
      updatedAt: entries.updatedAt,
    })
    .from(entryPageLinks)
    .innerJoin(entries, eq(entries.id, entryPageLinks.entryId))
    .where(and(eq(entryPageLinks.campaignId, campaign.id), eq(entryPageLinks.slug, slug), isNull(entries.deletedAt)))
    .orderBy(desc(entries.updatedAt))
    .limit(100);
  const tasks = await db
    .select({ id: todos.id, title: todos.title, updatedAt: todos.updatedAt })
    .from(todoPageLinks)
    .innerJoin(todos, eq(todos.id, todoPageLinks.todoId))
    .where(and(eq(todoPageLinks.campaignId, campaign.id), eq(todoPageLinks.slug, slug)))
    .orderBy(desc(todos.updatedAt))
    .limit(100);
  return [
    ...docs
      .filter((d) => d.slug !== slug)
      .map((d): Backlink => ({
        kind: d.kind,
        title: d.title,
        path: d.kind === "page" ? wikiPath(campaignSlug, d.slug!) : `/entries/${d.id}`,
        date: d.kind === "page" ? d.updatedAt.toISOString().slice(0, 10) : d.date,
      })),
    ...tasks.map((t): Backlink => ({
      kind: "todo",
      title: t.title,
      path: todoPath(campaignSlug, t.id),
      date: t.updatedAt.toISOString().slice(0, 10),
    })),
  ];
}

/** The wiki pages a document links to that exist, for "In the wiki" on an entry (live pages of its campaign). */
export async function pagesLinkedFrom(db: Queryable, entryId: number): Promise<{ title: string; path: string }[]> {
  const rows = await db
    .select({ title: entries.title, slug: entries.slug, campaign: campaigns.slug })
    .from(entryPageLinks)
    .innerJoin(
      entries,
      and(
        eq(entries.campaignId, entryPageLinks.campaignId),
        eq(entries.slug, entryPageLinks.slug),
        eq(entries.kind, "page"),
        isNull(entries.deletedAt),
      ),
    )
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .where(eq(entryPageLinks.entryId, entryId))
    .orderBy(asc(entries.title));
  return rows.map((r) => ({ title: r.title, path: wikiPath(r.campaign, r.slug!) }));
}

/**
 * Notes a signed-in reader's visit to a page and answers the previous one (null on a first visit): the page marks
 * the live blocks whose data changed since then.
 */
export async function recordVisit(db: Queryable, userId: number, entryId: number): Promise<Date | null> {
  const [before] = await db
    .select({ at: pageVisits.visitedAt })
    .from(pageVisits)
    .where(and(eq(pageVisits.userId, userId), eq(pageVisits.entryId, entryId)));
  await db
    .insert(pageVisits)
    .values({ userId, entryId, visitedAt: new Date() })
    .onConflictDoUpdate({ target: [pageVisits.userId, pageVisits.entryId], set: { visitedAt: new Date() } });
  return before?.at ?? null;
}
