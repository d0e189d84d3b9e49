import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { LicenseId } from "@/lib/campaigns/licenses";
import type { Queryable } from "../index";
import { campaigns, entries, entryMentions, events, molecules, users, type EventKind } from "../schema";
import { entryPath } from "./entries";

export interface FeedItem {
  id: number;
  kind: EventKind;
  title: string;
  summary: string;
  createdAt: Date;
  actor: { login: string; name: string | null; avatarUrl: string | null };
  /** With the licence of its data (SPDX id), for the feeds' rights. */
  campaign: { slug: string; name: string; license: LicenseId };
  /** The entry's current title and body, for feed readers that show content. */
  entry: { id: number; date: string; path: string; title: string; body: string } | null;
  path: string;
  /** Registered molecules whose structures the item shows: a new molecule, a result's, an entry's mentions. */
  molecules: string[];
}

/**
 * The project feed, newest first. Events of an entry that is now deleted are hidden, except the
 * deletion itself, so followers are not sent to a tombstone from old news.
 */
export async function listFeed(
  db: Queryable,
  /** `excerpt`: only the first characters of entry bodies (pages show a summary; feeds want it all). */
  options: { campaignId?: number; before?: number; limit?: number; excerpt?: number } = {},
): Promise<FeedItem[]> {
  const limit = Math.min(100, Math.max(1, options.limit ?? 30));
  const filters: (SQL | undefined)[] = [or(isNull(entries.deletedAt), eq(events.kind, "entry.deleted"))];
  if (options.campaignId) filters.push(eq(events.campaignId, options.campaignId));
  if (options.before) filters.push(lt(events.id, options.before));
  const rows = await db
    .select({
      event: events,
      actor: { login: users.login, name: users.name, avatarUrl: users.avatarUrl },
      campaign: { slug: campaigns.slug, name: campaigns.name, license: campaigns.license },
      entryDate: entries.workDate,
      entryTitle: entries.title,
      entryBody: options.excerpt ? sql<string>`left(${entries.body}, ${options.excerpt})` : entries.body,
    })
    .from(events)
    .innerJoin(users, eq(users.id, events.actorId))
    .innerJoin(campaigns, eq(campaigns.id, events.campaignId))
    .leftJoin(entries, eq(entries.id, events.entryId))
    .where(and(...filters))
    .orderBy(desc(events.id))
    .limit(limit);
  // Structures an entry's item shows: the registered molecules it mentions (a few).
  const entryIds = [...new Set(rows.flatMap((r) => (r.event.entryId && r.event.kind.startsWith("entry.") ? [r.event.entryId] : [])))];
  const mentioned = new Map<number, string[]>();
  if (entryIds.length) {
    const found = await db
      .select({ entryId: entryMentions.entryId, code: molecules.campaignCode })
      .from(entryMentions)
      .innerJoin(molecules, eq(molecules.campaignCode, entryMentions.campaignCode))
      .where(inArray(entryMentions.entryId, entryIds))
      .orderBy(entryMentions.campaignCode);
    for (const f of found) mentioned.set(f.entryId, [...(mentioned.get(f.entryId) ?? []), f.code]);
  }
  return rows.map(({ event, actor, campaign, entryDate, entryTitle, entryBody }) => {
    const entry = event.entryId ? { id: event.entryId, date: entryDate!, path: entryPath(event.entryId), title: entryTitle!, body: entryBody! } : null;
    // A registration's title starts with the molecule's ID ("OSM-S-123 registered"): events have no molecule column.
    const path = event.path ??
      (event.kind === "molecule.registered"
        ? `/molecules/${event.title.split(" ")[0]}`
        : event.kind.startsWith("todo.")
          ? `/campaigns/${campaign.slug}/todos`
          : entry && event.kind === "entry.revised" ? `${entry.path}/history` : (entry?.path ?? `/campaigns/${campaign.slug}`));
    return {
      id: event.id,
      kind: event.kind,
      title: event.title,
      summary: event.summary,
      createdAt: event.createdAt,
      actor,
      campaign,
      entry,
      path,
      molecules: (event.molecules ?? (event.kind === "molecule.registered" ? [event.title.split(" ")[0]!] : event.entryId ? (mentioned.get(event.entryId) ?? []) : [])).slice(0, 4),
    };
  });
}
