import { and, asc, count, desc, eq, inArray, isNotNull, isNull, max } from "drizzle-orm";
import type { SearchQuery } from "@/lib/contract/search";
import { AppError } from "@/lib/errors";
import { SearchIndex } from "@/lib/search/index";
import { substructureQueryOf } from "@/lib/search/query";
import { prepareInSandbox, sandboxVerifier } from "@/lib/search/sandbox";
import type { Queryable } from "../index";
import { attachments, campaigns, entries, recognizedStructures } from "../schema";
import { attachmentPath } from "./attachments";
import { documentPath } from "./entries";
import { registeredByIdcode } from "./recognize";
import { moleculePath } from "./molecules/index";
import { SEARCH_TIME_LIMIT_MS } from "./molecules/search";

// "Also search structures recognized in attachments": the structures OSRA found in entries' pictures, searched with
// the registry's own index and matcher (lib/search), in an index of their own: they are not registered molecules, and
// the results show them apart, marked as recognized. The index is built from the stored search records and rebuilt
// when the set of recognized structures in live entries changes (a scan replaces an attachment's rows, so their
// count or highest id changes; deleting an entry changes the count); a notebook holds far fewer of them than molecules.

/** Recognized structures shown for one search (the total counts them all). */
export const RECOGNIZED_HITS_SHOWN = 50;

export interface RecognizedHit {
  id: number;
  smiles: string;
  formula: string;
  page: number;
  confidence: number;
  similarity?: number;
  entry: { id: number; title: string; date: string; path: string; campaign: string };
  attachment: { id: number; filename: string; path: string };
  /** A registered molecule with the same structure, as the registry stands now. */
  match?: { id: string; path: string };
}

export interface RecognizedSearchResult {
  hits: RecognizedHit[];
  total: number;
}

interface Built {
  version: string;
  index: SearchIndex;
}

const key = Symbol.for("open-notebook.recognized-index");
const cache = ((globalThis as Record<symbol, unknown>)[key] ??= new WeakMap<object, Promise<Built>>()) as WeakMap<object, Promise<Built>>;

/** The index of every recognized structure in a live entry, current as of this call. */
async function recognizedIndex(db: Queryable): Promise<SearchIndex> {
  // Live entries only: deleting or restoring an entry changes the count, as a scan does.
  const [state] = await db
    .select({ n: count(), last: max(recognizedStructures.id) })
    .from(recognizedStructures)
    .innerJoin(entries, and(eq(entries.id, recognizedStructures.entryId), isNull(entries.deletedAt)));
  const version = `${state?.n ?? 0}:${state?.last ?? 0}`;
  const held = await cache.get(db);
  if (held?.version === version) return held.index;
  const building = (async (): Promise<Built> => {
    const rows = await db
      .select({
        id: recognizedStructures.id,
        campaignId: entries.campaignId,
        idcode: recognizedStructures.idcode,
        record: recognizedStructures.searchRecord,
      })
      .from(recognizedStructures)
      .innerJoin(entries, and(eq(entries.id, recognizedStructures.entryId), isNull(entries.deletedAt)))
      .where(isNotNull(recognizedStructures.searchRecord))
      .orderBy(asc(recognizedStructures.id));
    const index = new SearchIndex();
    for (const row of rows) {
      try {
        index.add(row.id, row.campaignId, true, row.idcode, row.record!);
      } catch {
        // A record in an older layout: the next rescan of its picture writes a current one.
      }
    }
    return { version, index };
  })();
  cache.set(db, building);
  try {
    return (await building).index;
  } catch (error) {
    cache.delete(db);
    throw error;
  }
}

/**
 * The recognized structures a search finds (its q, mode, threshold and campaign; the registry's filters, such as
 * status, properties and potency, do not apply to them): substructure and exact hits in scan order, similarity best
 * first. Throws what the registry's search throws for a bad query or one that takes too long.
 */
export async function searchRecognized(
  db: Queryable,
  p: Pick<SearchQuery, "q" | "mode" | "threshold" | "campaign">,
  control: { signal?: AbortSignal; timeLimitMs?: number } = {},
): Promise<RecognizedSearchResult> {
  const deadline = Date.now() + (control.timeLimitMs ?? SEARCH_TIME_LIMIT_MS);
  let campaignId: number | undefined;
  if (p.campaign) {
    const [campaign] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, p.campaign));
    if (!campaign) throw new AppError("not_found", `No campaign ${p.campaign}.`);
    campaignId = campaign.id;
  }
  const index = await recognizedIndex(db);
  const prepared = await prepareInSandbox(p.mode, p.q, { deadline, signal: control.signal });
  const filter = campaignId === undefined ? {} : { campaignId };
  const scan = { deadline, signal: control.signal, verify: sandboxVerifier({ deadline, signal: control.signal }) };
  let found: { id: number; similarity?: number }[];
  let total: number;
  if (prepared.mode === "substructure") {
    const page = await index.substructure(substructureQueryOf(prepared), {
      filter,
      limit: RECOGNIZED_HITS_SHOWN,
      countAll: true,
      atoms: false,
      ...scan,
    });
    found = page.hits;
    total = page.total ?? page.hits.length;
  } else if (p.mode === "exact") {
    const candidates = index.exactCandidates(prepared.idcode, filter);
    const idcodes = await idcodesOf(db, candidates);
    const all = candidates.filter((id) => idcodes.get(id) === prepared.idcode);
    found = all.slice(0, RECOGNIZED_HITS_SHOWN).map((id) => ({ id }));
    total = all.length;
  } else {
    const page = await index.similarity(prepared.fingerprint!, { filter, threshold: p.threshold, limit: RECOGNIZED_HITS_SHOWN, ...scan });
    found = page.hits;
    total = page.total;
  }
  return { hits: await hitRows(db, found), total };
}

async function idcodesOf(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: recognizedStructures.id, idcode: recognizedStructures.idcode })
    .from(recognizedStructures)
    .where(inArray(recognizedStructures.id, ids));
  return new Map(rows.map((r) => [r.id, r.idcode]));
}

async function hitRows(db: Queryable, found: { id: number; similarity?: number }[]): Promise<RecognizedHit[]> {
  if (found.length === 0) return [];
  const rows = await db
    .select({
      s: recognizedStructures,
      entry: { id: entries.id, title: entries.title, date: entries.workDate, kind: entries.kind, slug: entries.slug },
      campaign: campaigns.slug,
      filename: attachments.filename,
    })
    .from(recognizedStructures)
    .innerJoin(entries, eq(entries.id, recognizedStructures.entryId))
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .innerJoin(attachments, eq(attachments.id, recognizedStructures.attachmentId))
    .where(
      inArray(
        recognizedStructures.id,
        found.map((f) => f.id),
      ),
    );
  const byId = new Map(rows.map((r) => [r.s.id, r]));
  const matches = await registeredByIdcode(db, [...new Set(rows.map((r) => r.s.idcode))]);
  return found.flatMap((f) => {
    const row = byId.get(f.id);
    if (!row) return []; // replaced by a rescan meanwhile
    const match = matches.get(row.s.idcode);
    return [
      {
        id: row.s.id,
        smiles: row.s.smiles,
        formula: row.s.formula,
        page: row.s.page,
        confidence: row.s.confidence,
        ...(f.similarity === undefined ? {} : { similarity: f.similarity }),
        entry: {
          id: row.entry.id,
          title: row.entry.title,
          date: row.entry.date,
          path: documentPath(row.entry, row.campaign),
          campaign: row.campaign,
        },
        attachment: {
          id: row.s.attachmentId,
          filename: row.filename,
          path: attachmentPath({ id: row.s.attachmentId, filename: row.filename }),
        },
        ...(match === undefined ? {} : { match: { id: match, path: moleculePath(match) } }),
      },
    ];
  });
}

export interface PictureShowing {
  entry: { id: number; title: string; date: string; path: string; campaign: string };
  attachment: { id: number; filename: string; path: string };
  page: number;
}

/**
 * The pictures attached to live entries in which a structure equal to `idcode` (same stereo, charges and isotopes)
 * was recognized: the molecule page's "In pictures", newest entry first, one row per picture and page.
 */
export async function picturesShowing(db: Queryable, idcode: string, limit = 20): Promise<PictureShowing[]> {
  const rows = await db
    .selectDistinct({
      entry: { id: entries.id, title: entries.title, date: entries.workDate, kind: entries.kind, slug: entries.slug },
      campaign: campaigns.slug,
      attachmentId: recognizedStructures.attachmentId,
      filename: attachments.filename,
      page: recognizedStructures.page,
    })
    .from(recognizedStructures)
    .innerJoin(entries, and(eq(entries.id, recognizedStructures.entryId), isNull(entries.deletedAt)))
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .innerJoin(attachments, eq(attachments.id, recognizedStructures.attachmentId))
    .where(eq(recognizedStructures.idcode, idcode))
    .orderBy(desc(entries.workDate), desc(entries.id), asc(recognizedStructures.attachmentId), asc(recognizedStructures.page))
    .limit(limit);
  return rows.map((r) => ({
    entry: { id: r.entry.id, title: r.entry.title, date: r.entry.date, path: documentPath(r.entry, r.campaign), campaign: r.campaign },
    attachment: { id: r.attachmentId, filename: r.filename, path: attachmentPath({ id: r.attachmentId, filename: r.filename }) },
    page: r.page,
  }));
}
