import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { findMentions } from "@/lib/molecules/campaign-id";
import { canonicalCode } from "@/lib/molecules/campaign-id";
import type { Queryable } from "../index";
import { linkedSlugs, wikiPath, type DocumentKind } from "@/lib/wiki/model";
import { campaigns, entries, entryMentions, entryPageLinks, moleculeAliases, molecules, users } from "../schema";

/**
 * Mentions are the campaign IDs written in an entry (OSM-S-123), kept by their text and resolved to molecules when
 * read: an ID written before its molecule is registered links as soon as it is, and an older ID kept as an alias
 * (OSM-S-218 for OSM-S-208) links to the molecule that carries it.
 */

/** Replaces an entry's mentions with the IDs in its current title and body. Call inside the saving transaction. */
export async function recordMentions(tx: Queryable, entryId: number, text: string): Promise<string[]> {
  const codes = findMentions(text);
  await tx.delete(entryMentions).where(eq(entryMentions.entryId, entryId));
  if (codes.length > 0) await tx.insert(entryMentions).values(codes.map((campaignCode) => ({ entryId, campaignCode })));
  return codes;
}

/** Replaces a document's `[[Page title]]` links (pages of its own campaign) with those in its current body. */
export async function recordPageLinks(tx: Queryable, entryId: number, campaignId: number, body: string): Promise<void> {
  const slugs = linkedSlugs(body);
  await tx.delete(entryPageLinks).where(eq(entryPageLinks.entryId, entryId));
  if (slugs.length > 0) await tx.insert(entryPageLinks).values(slugs.map((slug) => ({ entryId, campaignId, slug })));
}

export interface MentionedMolecule {
  /** The ID as written in the text. */
  mention: string;
  code: string;
  name: string | null;
  idcode: string;
  /** Null when no standard InChI could be computed. */
  inchikey: string | null;
  status: "active" | "parked";
  campaign: string;
  path: string;
}

/**
 * The molecules that IDs name, by ID as written: for linking mentions while rendering, with the idcode for a hover
 * structure. IDs naming no molecule are left out. A molecule's own ID wins over another molecule's alias.
 */
export async function resolveMentions(db: Queryable, written: readonly string[]): Promise<Map<string, MentionedMolecule>> {
  const codes = [...new Set(written.map((w) => canonicalCode(w)).filter((c): c is string => c !== null))];
  const found = new Map<string, MentionedMolecule>();
  if (codes.length === 0) return found;
  const columns = {
    code: molecules.campaignCode,
    name: molecules.name,
    idcode: molecules.idcode,
    inchikey: molecules.inchikey,
    status: molecules.status,
    campaign: campaigns.slug,
  };
  const byCode = await db
    .select(columns)
    .from(molecules)
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(inArray(molecules.campaignCode, codes));
  const byAlias = await db
    .select({ ...columns, alias: sql<string>`upper(${moleculeAliases.alias})` })
    .from(moleculeAliases)
    .innerJoin(molecules, eq(molecules.id, moleculeAliases.moleculeId))
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(inArray(sql`upper(${moleculeAliases.alias})`, codes))
    .orderBy(asc(molecules.id));
  const view = (mention: string, r: (typeof byCode)[number]): MentionedMolecule => ({ mention, ...r, path: `/molecules/${r.code}` });
  for (const r of byAlias) if (!found.has(r.alias)) found.set(r.alias, view(r.alias, r));
  for (const r of byCode) found.set(r.code, view(r.code, r));
  return found;
}

/** The molecules an entry mentions, in the campaigns' numbering order. */
export async function moleculesMentionedIn(db: Queryable, entryId: number): Promise<MentionedMolecule[]> {
  const rows = await db.select({ code: entryMentions.campaignCode }).from(entryMentions).where(eq(entryMentions.entryId, entryId));
  const resolved = await resolveMentions(
    db,
    rows.map((r) => r.code),
  );
  const byMolecule = new Map([...resolved.values()].map((m) => [m.code, m])); // an ID and an alias of one molecule
  return [...byMolecule.values()].sort((a, b) => a.code.localeCompare(b.code, "en", { numeric: true }));
}

export interface MentioningEntry {
  id: number;
  /** Wiki pages mention molecules too: "page" for those. */
  kind: DocumentKind;
  title: string;
  date: string;
  campaign: { slug: string; name: string };
  author: string;
  path: string;
}

/** Entries and wiki pages (not deleted) that mention a molecule by its ID or by an alias that is an ID, newest work first. */
export async function entriesMentioning(db: Queryable, moleculeId: number): Promise<MentioningEntry[]> {
  const [molecule] = await db.select({ code: molecules.campaignCode }).from(molecules).where(eq(molecules.id, moleculeId));
  if (!molecule) return [];
  const aliases = await db.select({ alias: moleculeAliases.alias }).from(moleculeAliases).where(eq(moleculeAliases.moleculeId, moleculeId));
  const codes = [molecule.code, ...aliases.map((a) => canonicalCode(a.alias)).filter((c): c is string => c !== null)];
  const rows = await db
    .selectDistinct({
      id: entries.id,
      kind: entries.kind,
      slug: entries.slug,
      title: entries.title,
      date: entries.workDate,
      campaign: { slug: campaigns.slug, name: campaigns.name },
      author: users.login,
    })
    .from(entryMentions)
    .innerJoin(entries, eq(entries.id, entryMentions.entryId))
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .innerJoin(users, eq(users.id, entries.authorId))
    .where(and(inArray(entryMentions.campaignCode, codes), isNull(entries.deletedAt)))
    .orderBy(desc(entries.workDate), desc(entries.id));
  return rows.map(({ slug, ...r }) => ({ ...r, path: r.kind === "page" && slug ? wikiPath(r.campaign.slug, slug) : `/entries/${r.id}` }));
}

/** Rebuilds every entry's mentions from its current text: for entries written before mentions were recorded. */
export async function rebuildAllMentions(db: Queryable): Promise<number> {
  const all = await db.select({ id: entries.id, title: entries.title, body: entries.body }).from(entries);
  await db.transaction(async (tx) => {
    for (const e of all) await recordMentions(tx, e.id, `${e.title}\n${e.body}`);
  });
  return all.length;
}
