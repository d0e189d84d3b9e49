/**
 * The facts behind a campaign's "story so far" and a molecule's timeline, read from the tables; lib/wiki/story.ts and
 * lib/molecules/timeline.ts turn them into the lines shown. Nothing here is stored: the story is recomputed on every
 * read, so a result added a minute ago is in it.
 *
 * A campaign may hold tens of thousands of molecules. The story reads only what it tells: the first molecule of each
 * series, the parked ones, its to-dos, and of the results only those that could be a new best. The monthly counts are
 * counted by the database.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { canonicalCode } from "@/lib/molecules/campaign-id";
import { moleculeTimeline, type MoleculeTimelineFacts, type TimelineItem } from "@/lib/molecules/timeline";
import { MOLAR_FACTORS } from "@/lib/molecules/assay";
import { buildStory, type Story, type StoryMeasurement, type StoryMonthFact, type StoryTodo } from "@/lib/wiki/story";
import type { Queryable } from "../index";
import { campaigns, entries, entryMentions, measurements, moleculeAliases, molecules, todoMentions, todos, users } from "../schema";
import { getCampaign } from "./campaigns";
import { entriesMentioning, resolveMentions } from "./mentions";
import { findMoleculeId } from "./molecules";
import { reactionsUsing } from "./reactions";
import { todoPath } from "./todos";

export interface CampaignStory extends Story {
  campaign: { slug: string; name: string };
  /** The series told, or null for the whole campaign. */
  series: string | null;
  /** Every named series of the campaign, for links to their stories. */
  allSeries: string[];
}

/**
 * A to-do keeps no closing time: a closed to-do is dated by its last activity, which is its closing unless it was
 * edited (or commented on GitHub) after. That is the nearest honest date the notebook has.
 */
const closedAt = (t: { state: "open" | "closed"; lastActivityAt: Date }) => (t.state === "closed" ? t.lastActivityAt : null);

/** The month of a timestamp, in UTC whatever the session's time zone: grouped by, then written "2026-11" once a row. */
const monthOf = (column: AnyColumn) => sql`date_trunc('month', ${column} at time zone 'UTC')`;
const monthText = (month: SQL) => sql<string>`to_char(${month}, 'YYYY-MM')`;

const moleculeColumns = {
  code: molecules.campaignCode,
  series: molecules.series,
  registeredAt: molecules.createdAt,
  registeredBy: users.login,
  parkedAt: molecules.parkedAt,
  parkReason: molecules.parkReason,
};

/** The story of a campaign, or of one of its series; null when there is no such campaign. */
export async function campaignStory(db: Queryable, slug: string, options: { series?: string } = {}): Promise<CampaignStory | null> {
  const campaign = await getCampaign(db, slug);
  if (!campaign) return null;
  const series = options.series ?? null;
  const ofCampaign = eq(molecules.campaignId, campaign.id);
  const inScope = series === null ? ofCampaign : and(ofCampaign, eq(molecules.series, series));
  const [firsts, parked, measured, todoRows, months] = await Promise.all([
    firstOfEachSeries(db, campaign.id),
    db
      .select(moleculeColumns)
      .from(molecules)
      .innerJoin(users, eq(users.id, molecules.registeredById))
      .where(and(inScope, isNotNull(molecules.parkedAt))),
    bestValueCandidates(db, inScope),
    campaignTodos(db, campaign.id, slug),
    monthlyCounts(db, campaign.id, series),
  ]);

  const story = buildStory(
    {
      molecules: [...firsts, ...parked],
      measurements: measured,
      todos: todoRows,
      months,
    },
    series === null ? {} : { series },
  );
  return {
    ...story,
    campaign: { slug: campaign.slug, name: campaign.name },
    series,
    allSeries: firsts
      .map((m) => m.series)
      .filter((s): s is string => s !== null)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
  };
}

/**
 * The first molecule of each series (molecules without one form a group of their own), where the story begins. The
 * earliest time per series is found by aggregating; only molecules registered at that very time (one, or a whole
 * import) are then sorted, not the campaign.
 */
async function firstOfEachSeries(db: Queryable, campaignId: number) {
  const earliest = db
    .select({ series: molecules.series, at: sql<Date>`min(${molecules.createdAt})`.as("first_at") })
    .from(molecules)
    .where(eq(molecules.campaignId, campaignId))
    .groupBy(molecules.series)
    .as("earliest");
  return (
    db
      .selectDistinctOn([molecules.series], moleculeColumns)
      .from(molecules)
      // Joined by time (hashable), then by series: "is not distinct from" (null is a group too) cannot be hashed.
      .innerJoin(earliest, and(eq(earliest.at, molecules.createdAt), sql`${earliest.series} is not distinct from ${molecules.series}`))
      .innerJoin(users, eq(users.id, molecules.registeredById))
      .where(eq(molecules.campaignId, campaignId))
      .orderBy(molecules.series, asc(molecules.id))
  );
}

/**
 * The results the best-value walk (lib/wiki/story.ts) can tell, with what it shows of them. Sending every result of a
 * large campaign to the walk costs seconds in the driver alone, so the database first drops those that cannot be news:
 * in time order within an assay column (target, endpoint and unit, molar units in µM with lib's factors), a result is
 * kept only if no earlier one was lower (among those not bounded below, ">") or none was higher (among those not
 * bounded above, "<"). That keeps every possible new best in either direction; which direction is better, bounds and
 * strictness stay the domain's rules, applied by the walk. Ordered by the millisecond, as the walk sees the times.
 */
async function bestValueCandidates(db: Queryable, inScope: SQL | undefined): Promise<StoryMeasurement[]> {
  const factors = sql.join(
    Object.entries(MOLAR_FACTORS).map(([unit, factor]) => sql`(${unit}, ${String(factor)}::numeric)`),
    sql`, `,
  );
  const column = sql`concat_ws(chr(31), ${measurements.target}, ${measurements.assay}, case when f.factor is null then ${measurements.unit} else 'µM' end,
    ${measurements.target} is null, f.factor is null and ${measurements.unit} is null)`;
  const candidates = await db.execute(sql`
    select id from (
      select id, qualifier, v,
        min(v) filter (where qualifier <> '>') over earlier as low,
        max(v) filter (where qualifier <> '<') over earlier as high
      from (
        select ${measurements.id} as id, ${measurements.qualifier} as qualifier, ${column} as col,
          date_trunc('milliseconds', ${measurements.createdAt}) as at,
          case when f.factor is null then ${measurements.value} else ${measurements.value} * f.factor end as v
        from ${measurements}
        left join (values ${factors}) as f(unit, factor) on f.unit = ${measurements.unit}
        where ${measurements.moleculeId} in (select ${molecules.id} from ${molecules} where ${inScope})
      ) as scoped
      window earlier as (partition by col order by at, id rows between unbounded preceding and 1 preceding)
    ) as walked
    where (qualifier <> '>' and (low is null or v <= low)) or (qualifier <> '<' and (high is null or v >= high))`);
  const ids = rowsOf<{ id: number | string }>(candidates).map((r) => Number(r.id));
  if (!ids.length) return [];
  const rows = await db
    .select({
      id: measurements.id,
      molecule: molecules.campaignCode,
      series: molecules.series,
      assay: measurements.assay,
      target: measurements.target,
      lab: measurements.lab,
      value: measurements.value,
      unit: measurements.unit,
      qualifier: measurements.qualifier,
      at: measurements.createdAt,
      addedBy: users.login,
      entryId: entries.id,
      entryTitle: entries.title,
    })
    .from(measurements)
    .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
    .innerJoin(users, eq(users.id, measurements.addedById))
    // Only a live entry is linked; a result reported in a deleted one still counts.
    .leftJoin(entries, and(eq(entries.id, measurements.entryId), isNull(entries.deletedAt)))
    // One array parameter, however many: a campaign whose results only ever improved sends every one.
    .where(sql`${measurements.id} = any(${`{${ids.join(",")}}`}::int[])`);
  return rows.map(({ entryId, entryTitle, ...m }) => ({
    ...m,
    entry: entryId !== null && entryTitle !== null ? { id: entryId, title: entryTitle } : null,
  }));
}

/** The rows of a raw query: postgres.js answers an array, PGlite an object holding them. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** The campaign's to-dos, each with the series of the molecules it mentions (by ID or alias). */
async function campaignTodos(db: Queryable, campaignId: number, slug: string): Promise<StoryTodo[]> {
  const [rows, mentionRows] = await Promise.all([
    db
      .select({
        id: todos.id,
        title: todos.title,
        state: todos.state,
        openedAt: todos.createdAt,
        lastActivityAt: todos.lastActivityAt,
        openedBy: users.login,
      })
      .from(todos)
      .leftJoin(users, eq(users.id, todos.createdById))
      .where(eq(todos.campaignId, campaignId)),
    db
      .select({ todoId: todoMentions.todoId, code: todoMentions.campaignCode })
      .from(todoMentions)
      .innerJoin(todos, eq(todos.id, todoMentions.todoId))
      .where(eq(todos.campaignId, campaignId)),
  ]);
  const resolved = await resolveMentions(
    db,
    mentionRows.map((m) => m.code),
  );
  const codes = [...new Set([...resolved.values()].map((m) => m.code))];
  const seriesRows = codes.length
    ? await db
        .select({ code: molecules.campaignCode, series: molecules.series })
        .from(molecules)
        .where(and(eq(molecules.campaignId, campaignId), inArray(molecules.campaignCode, codes)))
    : [];
  const seriesOf = new Map(seriesRows.map((r) => [r.code, r.series]));
  const seriesByTodo = new Map<number, Set<string>>();
  for (const m of mentionRows) {
    const molecule = resolved.get(canonicalCode(m.code) ?? m.code);
    const series = molecule ? seriesOf.get(molecule.code) : undefined;
    if (!series) continue;
    const set = seriesByTodo.get(m.todoId) ?? new Set<string>();
    set.add(series);
    seriesByTodo.set(m.todoId, set);
  }
  return rows.map((t) => ({
    id: t.id,
    title: t.title,
    openedAt: t.openedAt,
    openedBy: t.openedBy,
    closedAt: closedAt(t),
    series: [...(seriesByTodo.get(t.id) ?? [])],
    path: todoPath(slug, t.id),
  }));
}

/**
 * Molecules registered, results added and entries written per month, counted by the database (a campaign of 41,000
 * molecules sends back a few dozen rows, not its molecules). Entries count by their work date, the date the chemist
 * gives the work; in a series' story, the live entries that mention one of its molecules by ID or alias.
 */
async function monthlyCounts(db: Queryable, campaignId: number, series: string | null): Promise<StoryMonthFact[]> {
  const ofCampaign = eq(molecules.campaignId, campaignId);
  const inScope = series === null ? ofCampaign : and(ofCampaign, eq(molecules.series, series));
  const registered = monthOf(molecules.createdAt);
  const added = monthOf(measurements.createdAt);
  const written = sql`date_trunc('month', ${entries.workDate})`;
  const mentionsSeries =
    series === null
      ? undefined
      : sql`exists (
          select 1 from ${entryMentions}
          join ${molecules} on ${molecules.campaignId} = ${campaignId} and ${molecules.series} = ${series}
            and (${molecules.campaignCode} = ${entryMentions.campaignCode}
              or exists (select 1 from ${moleculeAliases} where ${moleculeAliases.moleculeId} = ${molecules.id}
                and lower(${moleculeAliases.alias}) = lower(${entryMentions.campaignCode})))
          where ${entryMentions.entryId} = ${entries.id})`;
  const [moleculeCounts, measurementCounts, entryCounts] = await Promise.all([
    db
      .select({ month: monthText(registered), n: count() })
      .from(molecules)
      .where(inScope)
      .groupBy(registered),
    db
      .select({ month: monthText(added), n: count() })
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(inScope)
      .groupBy(added),
    db
      .select({ month: monthText(written), n: count() })
      .from(entries)
      .where(and(eq(entries.campaignId, campaignId), eq(entries.kind, "entry"), isNull(entries.deletedAt), mentionsSeries))
      .groupBy(written),
  ]);
  const zero = { series, molecules: 0, measurements: 0, entries: 0 };
  return [
    ...moleculeCounts.map((r) => ({ ...zero, month: r.month, molecules: r.n })),
    ...measurementCounts.map((r) => ({ ...zero, month: r.month, measurements: r.n })),
    ...entryCounts.map((r) => ({ ...zero, month: r.month, entries: r.n })),
  ];
}

export interface MoleculeTimeline {
  molecule: { code: string; name: string | null; campaign: { slug: string; name: string } };
  /** Oldest first. */
  items: TimelineItem[];
}

/** A molecule's timeline, by campaign ID ("OSM-S-106"), alias or numeric key; null when there is no such molecule. */
export async function moleculeTimelineOf(db: Queryable, moleculeKey: string | number): Promise<MoleculeTimeline | null> {
  const id = await findMoleculeId(db, moleculeKey);
  if (id === null) return null;
  const [molecule] = await db
    .select({
      code: molecules.campaignCode,
      name: molecules.name,
      status: molecules.status,
      registeredAt: molecules.createdAt,
      registeredBy: users.login,
      parkedAt: molecules.parkedAt,
      parkReason: molecules.parkReason,
      campaign: { slug: campaigns.slug, name: campaigns.name },
    })
    .from(molecules)
    .innerJoin(users, eq(users.id, molecules.registeredById))
    .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
    .where(eq(molecules.id, id));
  if (!molecule) return null;
  const aliases = await db.select({ alias: moleculeAliases.alias }).from(moleculeAliases).where(eq(moleculeAliases.moleculeId, id));
  // To-dos record the IDs written in them, as entries do: the molecule's own and any alias that is an ID.
  const codes = [molecule.code, ...aliases.map((a) => canonicalCode(a.alias)).filter((c): c is string => c !== null)];

  const [measured, mentioning, uses, todoRows] = await Promise.all([
    db
      .select({
        id: measurements.id,
        assay: measurements.assay,
        target: measurements.target,
        lab: measurements.lab,
        value: measurements.value,
        unit: measurements.unit,
        qualifier: measurements.qualifier,
        measuredOn: measurements.measuredOn,
        at: measurements.createdAt,
        addedBy: users.login,
        entryId: entries.id,
        entryTitle: entries.title,
      })
      .from(measurements)
      .innerJoin(users, eq(users.id, measurements.addedById))
      .leftJoin(entries, and(eq(entries.id, measurements.entryId), isNull(entries.deletedAt)))
      .where(eq(measurements.moleculeId, id))
      .orderBy(asc(measurements.id)),
    entriesMentioning(db, id),
    reactionsUsing(db, molecule.code),
    db
      .selectDistinct({
        id: todos.id,
        title: todos.title,
        state: todos.state,
        openedAt: todos.createdAt,
        lastActivityAt: todos.lastActivityAt,
        openedBy: users.login,
        slug: campaigns.slug,
      })
      .from(todoMentions)
      .innerJoin(todos, eq(todos.id, todoMentions.todoId))
      .innerJoin(campaigns, eq(campaigns.id, todos.campaignId))
      .leftJoin(users, eq(users.id, todos.createdById))
      .where(inArray(todoMentions.campaignCode, codes)),
  ]);

  const facts: MoleculeTimelineFacts = {
    molecule,
    measurements: measured.map(({ entryId, entryTitle, ...m }) => ({
      ...m,
      entry: entryId !== null && entryTitle !== null ? { id: entryId, title: entryTitle } : null,
    })),
    mentions: mentioning.map((e) => ({ entry: { id: e.id, title: e.title }, date: e.date, author: e.author })),
    reactions: [...uses.madeIn.map((u) => ({ ...u, made: true })), ...uses.usedIn.map((u) => ({ ...u, made: false }))].map((u) => ({
      entry: { id: u.entry.id, title: u.entry.title },
      date: u.entry.date,
      made: u.made,
      reaction: u.reaction,
      role: u.role,
    })),
    todos: todoRows.map((t) => ({
      id: t.id,
      title: t.title,
      openedAt: t.openedAt,
      openedBy: t.openedBy,
      closedAt: closedAt(t),
      path: todoPath(t.slug, t.id),
    })),
  };
  return { molecule: { code: molecule.code, name: molecule.name, campaign: molecule.campaign }, items: moleculeTimeline(facts) };
}
