/**
 * A campaign's activity in one ISO week, read from the tables: what lib/newsletter's pure draft is made from
 * (db/queries/newsletters.ts drafts, edits and sends it).
 */
import { and, asc, eq, gte, inArray, isNull, lt, or, type Column } from "drizzle-orm";

import { canonicalCode } from "@/lib/molecules/campaign-id";

import type { ActivityComment, NewsletterActivity } from "@/lib/newsletter/model";
import { WAITING_LOOKBACK_DAYS } from "@/lib/newsletter/model";

import { weekWindow } from "@/lib/newsletter/week";
import type { Queryable } from "../index";
import { comments, entries, entryMentions, measurements, molecules, todos, users, type Campaign } from "../schema";

import { resolveMentions } from "./mentions";

const DAY = 86_400_000;

/** Everything lib/newsletter's draft needs to know about one campaign's week, read from the tables. */
export async function gatherNewsletterActivity(db: Queryable, campaign: Campaign, week: string): Promise<NewsletterActivity> {
  const { start, end } = weekWindow(week);
  const since = new Date(Math.min(start.getTime(), end.getTime() - WAITING_LOOKBACK_DAYS * DAY));
  const during = (column: Column) => and(gte(column, start), lt(column, end));

  const entryRows = await db
    .select({
      id: entries.id,
      title: entries.title,
      body: entries.body,
      workDate: entries.workDate,
      createdAt: entries.createdAt,
      author: users.login,
    })
    .from(entries)
    .innerJoin(users, eq(users.id, entries.authorId))
    .where(
      and(
        eq(entries.campaignId, campaign.id),
        eq(entries.kind, "entry"),
        isNull(entries.deletedAt),
        gte(entries.createdAt, since),
        lt(entries.createdAt, end),
      ),
    )
    .orderBy(asc(entries.createdAt), asc(entries.id));
  const mentionRows = entryRows.length
    ? await db
        .select()
        .from(entryMentions)
        .where(
          inArray(
            entryMentions.entryId,
            entryRows.map((e) => e.id),
          ),
        )
    : [];
  // Mentions are kept as written (an alias, another campaign's ID): resolved to this campaign's molecules.
  const resolved = await resolveMentions(
    db,
    mentionRows.map((m) => m.campaignCode),
  );
  const codeOf = (written: string) => {
    const m = resolved.get(canonicalCode(written) ?? written);
    return m && m.campaign === campaign.slug ? m.code : null;
  };
  const mentionsByEntry = new Map<number, string[]>();
  for (const m of mentionRows) {
    const code = codeOf(m.campaignCode);
    if (code) mentionsByEntry.set(m.entryId, [...(mentionsByEntry.get(m.entryId) ?? []), code]);
  }
  const mentioned = [...new Set([...mentionsByEntry.values()].flat())];

  const [moleculeRows, measurementRows, todoRows, commentRows] = await Promise.all([
    db
      .select({
        code: molecules.campaignCode,
        name: molecules.name,
        formula: molecules.formula,
        registeredBy: users.login,
        createdAt: molecules.createdAt,
        status: molecules.status,
        parkReason: molecules.parkReason,
        parkedAt: molecules.parkedAt,
      })
      .from(molecules)
      .innerJoin(users, eq(users.id, molecules.registeredById))
      .where(
        and(
          eq(molecules.campaignId, campaign.id),
          or(
            during(molecules.createdAt),
            during(molecules.parkedAt),
            mentioned.length ? inArray(molecules.campaignCode, mentioned) : undefined,
          ),
        ),
      ),
    db
      .select({
        id: measurements.id,
        molecule: molecules.campaignCode,
        moleculeName: molecules.name,
        assay: measurements.assay,
        target: measurements.target,
        lab: measurements.lab,
        value: measurements.value,
        unit: measurements.unit,
        qualifier: measurements.qualifier,
        createdAt: measurements.createdAt,
      })
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(and(eq(molecules.campaignId, campaign.id), lt(measurements.createdAt, end))),
    db
      .select({
        id: todos.id,
        title: todos.title,
        state: todos.state,
        issueNumber: todos.issueNumber,
        assignees: todos.assignees,
        createdAt: todos.createdAt,
        lastActivityAt: todos.lastActivityAt,
      })
      .from(todos)
      .where(and(eq(todos.campaignId, campaign.id), or(during(todos.createdAt), during(todos.lastActivityAt)))),
    db
      .select({
        id: comments.id,
        body: comments.body,
        author: users.login,
        createdAt: comments.createdAt,
        question: comments.question,
        answeredAt: comments.answeredAt,
        hiddenAt: comments.hiddenAt,
        kind: comments.targetKind,
        entryId: comments.entryId,
        reactionId: comments.reactionId,
        entryTitle: entries.title,
        moleculeCode: molecules.campaignCode,
        moleculeName: molecules.name,
      })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .leftJoin(entries, eq(entries.id, comments.entryId))
      .leftJoin(molecules, eq(molecules.id, comments.moleculeId))
      .where(
        and(
          eq(comments.campaignId, campaign.id),
          isNull(entries.deletedAt),
          or(
            during(comments.createdAt),
            and(eq(comments.question, true), lt(comments.createdAt, end), or(isNull(comments.answeredAt), gte(comments.answeredAt, end))),
          ),
        ),
      ),
  ]);

  return {
    campaign: { slug: campaign.slug, name: campaign.name },
    week,
    window: { start, end },
    entries: entryRows.map((e) => ({ ...e, mentions: mentionsByEntry.get(e.id) ?? [] })),
    molecules: moleculeRows,
    measurements: measurementRows,
    todos: todoRows,
    comments: commentRows.map((c): ActivityComment => ({
      id: c.id,
      body: c.body,
      author: c.author,
      createdAt: c.createdAt,
      question: c.question,
      answeredAt: c.answeredAt,
      hidden: c.hiddenAt !== null,
      target:
        c.kind === "molecule"
          ? {
              key: `molecule:${c.moleculeCode}`,
              title: c.moleculeName ? `${c.moleculeCode} · ${c.moleculeName}` : c.moleculeCode!,
              path: `/molecules/${c.moleculeCode}`,
            }
          : c.kind === "reaction"
            ? {
                key: `reaction:${c.entryId}:${c.reactionId}`,
                title: `A reaction in “${c.entryTitle}”`,
                path: `/entries/${c.entryId}#reaction-${c.reactionId}`,
              }
            : { key: `entry:${c.entryId}`, title: c.entryTitle ?? `Entry ${c.entryId}`, path: `/entries/${c.entryId}` },
    })),
  };
}
