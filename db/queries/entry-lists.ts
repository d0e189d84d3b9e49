import type { StoredReaction } from "@/lib/stoichiometry/reaction";
import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { markdownToText } from "@/lib/markdown";
import type { DocumentKind } from "@/lib/wiki/model";
import type { Queryable } from "../index";
import { campaigns, entries, entryMentions, revisions, users } from "../schema";
import { entryColumns, toView, type EntryView } from "./entries";

export interface EntryListItem extends EntryView {
  /** Present when searching: the best-matching passage, with matches between \u0001 and \u0002. */
  snippet?: string;
  titleHighlighted?: string;
  rank?: number;
}

export interface EntryPage {
  entries: EntryListItem[];
  page: number;
  perPage: number;
  hasMore: boolean;
}

export interface ListEntriesOptions {
  campaignId?: number;
  /** Entries only (the default), wiki pages only, or both (full-text search covers the wiki too). */
  kind?: DocumentKind | "any";
  authorId?: number;
  date?: string;
  q?: string;
  /** Only documents that mention one of these campaign IDs. */
  mentioning?: string[];
  /** Only the first characters of each body, for pages that show a summary. */
  excerpt?: number;
  page?: number;
  perPage?: number;
}

/** Markers ts_headline puts around matches; pages escape the text, then turn these into <mark>. */
export const MATCH_START = "\u0001";
export const MATCH_END = "\u0002";
const HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxFragments=2, MaxWords=28, MinWords=8, FragmentDelimiter=" … "`;

/** Newest work first, or — with `q` — best full-text match first, over the live (not deleted) entries. */
export async function listEntries(db: Queryable, options: ListEntriesOptions = {}): Promise<EntryPage> {
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const perPage = Math.min(100, Math.max(1, Math.floor(options.perPage ?? 20)));
  const filters: SQL[] = [isNull(entries.deletedAt)];
  const kind = options.kind ?? "entry";
  if (kind !== "any") filters.push(eq(entries.kind, kind));
  if (options.campaignId) filters.push(eq(entries.campaignId, options.campaignId));
  if (options.authorId) filters.push(eq(entries.authorId, options.authorId));
  if (options.date) filters.push(eq(entries.workDate, options.date));
  if (options.mentioning) {
    const codes = options.mentioning.length ? options.mentioning : [""];
    filters.push(
      sql`exists (select 1 from ${entryMentions} m where m.entry_id = ${entries.id} and m.campaign_code in (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )}))`,
    );
  }
  const q = options.q?.trim();
  const query = q ? sql`websearch_to_tsquery('english', ${q})` : null;
  if (query) filters.push(sql`${entries.search} @@ ${query}`);

  const rank = query ? sql<number>`ts_rank_cd(${entries.search}, ${query}, 32)` : sql<number>`0`;
  const rows = await db
    .select({
      entry: options.excerpt ? { ...entryColumns, body: sql<string>`left(${entries.body}, ${options.excerpt})` } : entryColumns,
      campaign: { slug: campaigns.slug, name: campaigns.name, license: campaigns.license },
      author: { login: users.login, name: users.name },
      rank,
    })
    .from(entries)
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .innerJoin(users, eq(users.id, entries.authorId))
    .where(and(...filters))
    .orderBy(...(query ? [desc(rank), desc(entries.id)] : [desc(entries.workDate), desc(entries.id)]))
    .limit(perPage + 1)
    .offset((page - 1) * perPage);

  const items: EntryListItem[] = rows
    .slice(0, perPage)
    .map((r) => ({ ...toView(r.entry, r.campaign, r.author), rank: query ? Number(r.rank) : undefined }));
  if (query && items.length) await addHeadlines(db, items, q!);
  return { entries: items, page, perPage, hasMore: rows.length > perPage };
}

/** Headlines are costly, so they are made only for the page of results shown. */
async function addHeadlines(db: Queryable, items: EntryListItem[], q: string): Promise<void> {
  const ids = items.map((i) => i.id);
  const rows = await db.execute<{ id: number; snippet: string; title: string }>(sql`
    select e.id,
      ts_headline('english', e.body, websearch_to_tsquery('english', ${q}), ${HEADLINE}) as snippet,
      ts_headline('english', e.title, websearch_to_tsquery('english', ${q}), ${`StartSel=${MATCH_START}, StopSel=${MATCH_END}, HighlightAll=true`}) as title
    from entries e where e.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const byId = new Map(resultRows<{ id: number; snippet: string; title: string }>(rows).map((r) => [Number(r.id), r]));
  for (const item of items) {
    const h = byId.get(item.id);
    // Headlines are cut from the markdown source; show them as text, without markdown syntax.
    item.snippet = h ? markdownToText(h.snippet, 400) : undefined;
    item.titleHighlighted = h?.title;
  }
}

/** PGlite answers `execute` with `{rows}`, postgres-js with an array. */
export function resultRows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

export interface RevisionView {
  id: number;
  number: number;
  title: string;
  body: string;
  reactions: StoredReaction[];
  message: string | null;
  author: { login: string; name: string | null };
  createdAt: Date;
}

export async function listRevisions(db: Queryable, entryId: number, order: "asc" | "desc" = "desc"): Promise<RevisionView[]> {
  const rows = await db
    .select({ revision: revisions, author: { login: users.login, name: users.name } })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.entryId, entryId))
    .orderBy(order === "asc" ? asc(revisions.number) : desc(revisions.number));
  return rows.map(({ revision: r, author }) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    body: r.body,
    reactions: r.reactions,
    message: r.message,
    author,
    createdAt: r.createdAt,
  }));
}

export async function getRevision(db: Queryable, entryId: number, number: number): Promise<RevisionView | null> {
  if (!Number.isSafeInteger(number) || number <= 0 || number > 2_147_483_647) return null;
  const [row] = await db
    .select({ revision: revisions, author: { login: users.login, name: users.name } })
    .from(revisions)
    .innerJoin(users, eq(users.id, revisions.authorId))
    .where(and(eq(revisions.entryId, entryId), eq(revisions.number, number)));
  if (!row) return null;
  const r = row.revision;
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    body: r.body,
    reactions: r.reactions,
    message: r.message,
    author: row.author,
    createdAt: r.createdAt,
  };
}
