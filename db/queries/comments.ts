import { and, asc, count, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { requireActor, requireMaintainer, type Actor } from "@/lib/auth/policy";
import type { CreateCommentInput, CommentTargetInput } from "@/lib/contract/comments";
import { findUserMentions } from "@/lib/discussion/mentions";
import type { CommentTargetKind, NotificationKind } from "@/lib/discussion/model";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { memberships, campaigns, commentVersions, comments, entries, events, molecules, users, type Comment } from "../schema";
import { roleIn } from "./campaigns";
import { findMoleculeId } from "./molecules";
import { notify, watchersOf, type NewNotification } from "./notifications";
import { hitRateLimit } from "./rate-limits";

/**
 * Discussion on entries, molecules and reactions: anyone signed in comments (members or not); an edit keeps every
 * earlier text (comment_versions is append-only); a maintainer hides a comment with a reason and nobody deletes one.
 * A comment notifies, once per person: whoever it mentions, the author it replies to, the owner of what it is on,
 * and whoever watches it.
 */

/** Comments one person may post: per minute and per day, and per network address per minute. */
const PER_PERSON_MINUTE = 6;
const PER_PERSON_DAY = 200;
const PER_ADDRESS_MINUTE = 20;
/** A non-member's links stay `nofollow ugc` until they have this many comments that no one hid. */
const TRUSTED_AFTER = 3;

interface ResolvedTarget {
  kind: CommentTargetKind;
  campaignId: number;
  entryId: number | null;
  moleculeId: number | null;
  reactionId: string | null;
  /** Whose it is (an entry's author, a molecule's registrant): told of comments on it. */
  ownerId: number;
  title: string;
  path: string;
  /** As the API names it. */
  id: string | number;
}

async function resolveTarget(db: Queryable, target: CommentTargetInput): Promise<ResolvedTarget> {
  if (target.kind === "molecule") {
    const id = await findMoleculeId(db, String(target.id));
    const [m] = id === null ? [] : await db.select().from(molecules).where(eq(molecules.id, id));
    if (!m) throw new AppError("not_found", `No molecule ${JSON.stringify(String(target.id))}.`);
    return {
      kind: "molecule",
      campaignId: m.campaignId,
      entryId: null,
      moleculeId: m.id,
      reactionId: null,
      ownerId: m.registeredById,
      title: m.campaignCode,
      path: `/molecules/${m.campaignCode}`,
      id: m.campaignCode,
    };
  }
  const [entryPart, reactionPart] = String(target.id).split("/");
  const entryId = /^\d{1,9}$/.test(entryPart ?? "") ? Number(entryPart) : Number.NaN;
  const [entry] = Number.isNaN(entryId) ? [] : await db.select().from(entries).where(eq(entries.id, entryId));
  if (!entry || entry.deletedAt) throw new AppError("not_found", `No entry ${JSON.stringify(String(target.id))}.`);
  if (target.kind === "entry") {
    if (reactionPart !== undefined)
      throw new AppError("validation_failed", "target.id: an entry is named by its id alone", {
        fields: { "target.id": "an entry is named by its id alone" },
      });
    return {
      kind: "entry",
      campaignId: entry.campaignId,
      entryId,
      moleculeId: null,
      reactionId: null,
      ownerId: entry.authorId,
      title: entry.title,
      path: `/entries/${entryId}`,
      id: entryId,
    };
  }
  const reaction = entry.reactions.find((r) => r.id === reactionPart);
  if (!reaction) throw new AppError("not_found", `Entry ${entryId} has no reaction ${JSON.stringify(reactionPart ?? "")}.`);
  return {
    kind: "reaction",
    campaignId: entry.campaignId,
    entryId,
    moleculeId: null,
    reactionId: reaction.id,
    ownerId: entry.authorId,
    title: reaction.title ? `${reaction.title} (${entry.title})` : `a reaction of “${entry.title}”`,
    path: `/entries/${entryId}#reaction-${reaction.id}`,
    id: `${entryId}/${reaction.id}`,
  };
}

export interface CommentView {
  id: number;
  target: { kind: CommentTargetKind; id: string | number };
  author: string;
  body: string;
  replyTo: number | null;
  question: boolean;
  answered: boolean;
  hidden: { reason: string; by: string | null; at: Date } | null;
  versions: { number: number; body: string; createdAt: Date }[];
  /** Links in it are `rel="nofollow ugc"` (a commenter the campaign does not know yet). */
  ugc: boolean;
  createdAt: Date;
  updatedAt: Date;
  path: string;
}

/** A signed-in person comments; `address` (the client's network address) is rate-limited too. */
export async function createComment(db: Queryable, actor: Actor, input: CreateCommentInput, address?: string | null): Promise<CommentView> {
  requireActor(actor);
  const target = await resolveTarget(db, input.target);
  await hitRateLimit(db, `comment:user:${actor.id}`, PER_PERSON_MINUTE, 60);
  await hitRateLimit(db, `comment:user-day:${actor.id}`, PER_PERSON_DAY, 86_400);
  if (address) await hitRateLimit(db, `comment:address:${address}`, PER_ADDRESS_MINUTE, 60);
  let replyAuthor: number | null = null;
  if (input.replyTo !== undefined) {
    const [parent] = await db.select().from(comments).where(eq(comments.id, input.replyTo));
    if (!parent || !sameTarget(parent, target)) {
      const message = `comment ${input.replyTo} is not a comment on the same ${target.kind}`;
      throw new AppError("validation_failed", `replyTo: ${message}`, { fields: { replyTo: message } });
    }
    replyAuthor = parent.authorId;
  }
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(comments)
      .values({
        campaignId: target.campaignId,
        targetKind: target.kind,
        entryId: target.entryId,
        moleculeId: target.moleculeId,
        reactionId: target.reactionId,
        authorId: actor.id,
        replyToId: input.replyTo ?? null,
        body: input.body,
        question: input.question,
      })
      .returning();
    await tx.insert(commentVersions).values({ commentId: row!.id, number: 1, body: input.body });
    await notifyAbout(tx, actor, row!, target, replyAuthor, true);
    await tx.insert(events).values({
      kind: "comment.created",
      campaignId: target.campaignId,
      actorId: actor.id,
      entryId: target.entryId,
      title: `${actor.login} commented on ${target.title}`,
      summary: input.body.slice(0, 400),
      path: commentPath(target.path, row!.id),
      molecules: target.kind === "molecule" ? [String(target.id)] : null,
    });
    return row!.id;
  });
  return requireComment(db, id);
}

/** The author edits: a new version; people newly mentioned are notified, nobody twice. */
export async function editComment(db: Queryable, actor: Actor, id: number, body: string): Promise<CommentView> {
  requireActor(actor);
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(comments).where(eq(comments.id, id)).for("update");
    if (!row) throw new AppError("not_found", `No comment ${id}.`);
    if (row.authorId !== actor.id) throw new AppError("forbidden", "Only its author can edit a comment.");
    if (row.hiddenAt) throw new AppError("conflict", "This comment was hidden by a maintainer; it cannot be edited.");
    if (row.body === body) return;
    const number = row.versionCount + 1;
    await tx.insert(commentVersions).values({ commentId: id, number, body });
    const [updated] = await tx
      .update(comments)
      .set({ body, versionCount: number, updatedAt: new Date() })
      .where(eq(comments.id, id))
      .returning();
    const target = await resolveTarget(tx, targetOf(updated!));
    await notifyAbout(tx, actor, updated!, target, null, false);
  });
  return requireComment(db, id);
}

/** A maintainer of the campaign hides a comment with a reason: it stays in the record, shown collapsed. */
export async function hideComment(db: Queryable, actor: Actor, id: number, reason: string): Promise<CommentView> {
  requireActor(actor);
  const [row] = await db
    .select({ comment: comments, campaign: campaigns.name })
    .from(comments)
    .innerJoin(campaigns, eq(campaigns.id, comments.campaignId))
    .where(eq(comments.id, id));
  if (!row) throw new AppError("not_found", `No comment ${id}.`);
  requireMaintainer(await roleIn(db, row.comment.campaignId, actor.id), row.campaign);
  if (!row.comment.hiddenAt) {
    await db
      .update(comments)
      .set({ hiddenAt: new Date(), hiddenById: actor.id, hiddenReason: reason })
      .where(and(eq(comments.id, id), isNull(comments.hiddenAt)));
  }
  return requireComment(db, id);
}

/** A question is marked answered by whoever asked it, the owner of what it is on, or a maintainer. */
export async function markAnswered(db: Queryable, actor: Actor, id: number): Promise<CommentView> {
  requireActor(actor);
  const [row] = await db.select().from(comments).where(eq(comments.id, id));
  if (!row) throw new AppError("not_found", `No comment ${id}.`);
  if (!row.question) throw new AppError("validation_failed", "This comment is not a question.");
  const target = await resolveTarget(db, targetOf(row));
  const role = await roleIn(db, row.campaignId, actor.id);
  if (actor.id !== row.authorId && actor.id !== target.ownerId && role !== "maintainer") {
    throw new AppError("forbidden", "Only whoever asked, the author of what it is on, or a maintainer marks a question answered.");
  }
  if (!row.answeredAt) await db.update(comments).set({ answeredAt: new Date(), answeredById: actor.id }).where(eq(comments.id, id));
  return requireComment(db, id);
}

async function notifyAbout(
  tx: Queryable,
  actor: NonNullable<Actor>,
  comment: Comment,
  target: ResolvedTarget,
  replyAuthor: number | null,
  isNew: boolean,
): Promise<void> {
  const recipients = new Map<number, NotificationKind>();
  const logins = findUserMentions(comment.body).map((l) => l.toLowerCase());
  if (logins.length) {
    const mentioned = await tx
      .select({ id: users.id })
      .from(users)
      .where(inArray(sql`lower(${users.login})`, logins));
    for (const u of mentioned) recipients.set(u.id, "mention");
  }
  if (isNew) {
    if (replyAuthor !== null && !recipients.has(replyAuthor)) recipients.set(replyAuthor, "reply");
    if (!recipients.has(target.ownerId)) recipients.set(target.ownerId, "comment");
    const watched = [
      { kind: "campaign" as const, id: target.campaignId },
      ...(target.entryId !== null ? [{ kind: "entry" as const, id: target.entryId }] : []),
      ...(target.moleculeId !== null ? [{ kind: "molecule" as const, id: target.moleculeId }] : []),
    ];
    for (const userId of await watchersOf(tx, watched)) if (!recipients.has(userId)) recipients.set(userId, "comment");
  }
  const titles: Record<NotificationKind, string> = {
    mention: `${actor.login} mentioned you on ${target.title}`,
    reply: `${actor.login} replied to your comment on ${target.title}`,
    comment: `${actor.login} commented on ${target.title}`,
    measurement: "",
    todo_assigned: "",
  };
  const list: NewNotification[] = [...recipients].map(([userId, kind]) => ({
    userId,
    kind,
    // One notification per person per comment, whatever kind reached them first; an edit never notifies again.
    dedupeKey: `comment:${comment.id}`,
    actorId: actor.id,
    campaignId: target.campaignId,
    title: titles[kind],
    summary: comment.body.slice(0, 300),
    path: commentPath(target.path, comment.id),
  }));
  await notify(tx, list);
}

function commentPath(targetPath: string, id: number): string {
  return `${targetPath.replace(/#.*$/, "")}#comment-${id}`;
}

function sameTarget(c: Comment, t: ResolvedTarget): boolean {
  return c.targetKind === t.kind && c.entryId === t.entryId && c.moleculeId === t.moleculeId && (c.reactionId ?? null) === t.reactionId;
}

function targetOf(c: Comment): CommentTargetInput {
  if (c.targetKind === "molecule") return { kind: "molecule", id: String(c.moleculeId) };
  if (c.targetKind === "reaction") return { kind: "reaction", id: `${c.entryId}/${c.reactionId}` };
  return { kind: "entry", id: c.entryId! };
}

export async function requireComment(db: Queryable, id: number): Promise<CommentView> {
  const [view] = await viewsOf(db, and(eq(comments.id, id)));
  if (!view) throw new AppError("not_found", `No comment ${id}.`);
  return view;
}

/** A target's comments, oldest first (replies point at their parent). */
export async function listComments(db: Queryable, input: CommentTargetInput): Promise<CommentView[]> {
  const target = await resolveTarget(db, input);
  return viewsOf(
    db,
    and(
      eq(comments.targetKind, target.kind),
      target.entryId !== null ? eq(comments.entryId, target.entryId) : undefined,
      target.moleculeId !== null ? eq(comments.moleculeId, target.moleculeId) : undefined,
      target.reactionId !== null ? eq(comments.reactionId, target.reactionId) : undefined,
    ),
  );
}

async function viewsOf(db: Queryable, where: ReturnType<typeof and>): Promise<CommentView[]> {
  const hider = sql<string | null>`(select login from users h where h.id = ${comments.hiddenById})`;
  const rows = await db
    .select({ c: comments, author: users.login, hiddenBy: hider, moleculeCode: molecules.campaignCode })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(molecules, eq(molecules.id, comments.moleculeId))
    .where(where)
    .orderBy(asc(comments.id))
    .limit(1000);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.c.id);
  const versions = await db
    .select()
    .from(commentVersions)
    .where(inArray(commentVersions.commentId, ids))
    .orderBy(asc(commentVersions.number));
  const trusted = await trustedAuthors(
    db,
    rows.map((r) => r.c),
  );
  return rows.map(({ c, author, hiddenBy, moleculeCode }) => {
    const targetPath = c.targetKind === "molecule" ? `/molecules/${moleculeCode}` : `/entries/${c.entryId}`;
    return {
      id: c.id,
      target: {
        kind: c.targetKind,
        id: c.targetKind === "molecule" ? moleculeCode! : c.targetKind === "reaction" ? `${c.entryId}/${c.reactionId}` : c.entryId!,
      },
      author,
      body: c.body,
      replyTo: c.replyToId,
      question: c.question,
      answered: c.answeredAt !== null,
      hidden: c.hiddenAt ? { reason: c.hiddenReason ?? "", by: hiddenBy, at: c.hiddenAt } : null,
      versions: versions.filter((v) => v.commentId === c.id).map((v) => ({ number: v.number, body: v.body, createdAt: v.createdAt })),
      ugc: !trusted.has(`${c.campaignId}:${c.authorId}:${c.id}`),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      path: commentPath(targetPath, c.id),
    };
  });
}

/**
 * Which comments' links are followed: a member's, or a non-member's who had at least TRUSTED_AFTER comments in the
 * campaign, none of which a maintainer hid, before this one. Keys are `campaign:author:comment`.
 */
async function trustedAuthors(db: Queryable, list: readonly Comment[]): Promise<Set<string>> {
  const trusted = new Set<string>();
  const pairs = [...new Map(list.map((c) => [`${c.campaignId}:${c.authorId}`, c])).values()];
  for (const c of pairs) {
    const [member] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.campaignId, c.campaignId), eq(memberships.userId, c.authorId)));
    const mine = list.filter((x) => x.campaignId === c.campaignId && x.authorId === c.authorId);
    for (const comment of mine) {
      if (member) {
        trusted.add(`${comment.campaignId}:${comment.authorId}:${comment.id}`);
        continue;
      }
      const [earlier] = await db
        .select({ n: count(), hidden: sql<number>`count(${comments.hiddenAt})` })
        .from(comments)
        .where(and(eq(comments.campaignId, comment.campaignId), eq(comments.authorId, comment.authorId), lt(comments.id, comment.id)));
      if (Number(earlier?.n ?? 0) >= TRUSTED_AFTER && Number(earlier?.hidden ?? 0) === 0)
        trusted.add(`${comment.campaignId}:${comment.authorId}:${comment.id}`);
    }
  }
  return trusted;
}
