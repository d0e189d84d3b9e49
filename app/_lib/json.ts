import type { CampaignSummary, Member } from "@/db/queries/campaigns";
import type { EntryView } from "@/db/queries/entries";
import type { RevisionView, EntryListItem } from "@/db/queries/entry-lists";
import type { AttachmentView } from "@/db/queries/attachments";
import { MATCH_END, MATCH_START } from "@/db/queries/entry-lists";
import type { CampaignBody, MemberBody } from "@/lib/contract/campaigns";
import type { AttachmentBody, EntryBody, RevisionBody } from "@/lib/contract/entries";
import { reactionJson } from "@/lib/contract/reactions";
import type { CommentView } from "@/db/queries/comments";
import type { NotificationView } from "@/db/queries/notifications";
import type { CommentBody, NotificationBody } from "@/lib/contract/comments";
import { licenseOf, type LicenseId } from "@/lib/campaigns/licenses";

/** A campaign's licence as every answer carries it: the SPDX id and the licence's text. */
export function licenseJson(id: LicenseId): { license: LicenseId; licenseUrl: string } {
  return { license: id, licenseUrl: licenseOf(id).url };
}

/** The API's public shapes, typed by their schemas in lib/contract. Dates are ISO strings; every resource carries its page URL. */
export function entryJson(entry: EntryView | EntryListItem, origin: string): EntryBody {
  const item = entry as EntryListItem;
  return {
    id: entry.id,
    campaign: entry.campaign.slug,
    date: entry.date,
    title: entry.title,
    body: entry.body,
    reactions: entry.reactions.map(reactionJson),
    author: entry.author.login,
    revisionId: entry.revisionId,
    revisionNumber: entry.revisionNumber,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
    deleted: entry.deletedAt !== null,
    ...licenseJson(entry.campaign.license),
    url: `${origin}${entry.path}`,
    ...(item.snippet !== undefined
      ? { snippet: markToBrackets(item.snippet), rank: item.rank }
      : {}),
  };
}

/** In JSON, matches are marked with «» rather than control characters. */
function markToBrackets(text: string): string {
  return text.replaceAll(MATCH_START, "«").replaceAll(MATCH_END, "»");
}

export function revisionJson(r: RevisionView, entryId: number, origin: string): RevisionBody {
  return {
    id: r.id,
    entryId,
    number: r.number,
    title: r.title,
    body: r.body,
    reactions: r.reactions.map(reactionJson),
    message: r.message,
    author: r.author.login,
    createdAt: r.createdAt.toISOString(),
    url: `${origin}/entries/${entryId}/revisions/${r.number}`,
  };
}

export function campaignJson(
  c: CampaignSummary | { slug: string; name: string; description: string; createdAt: Date; license: LicenseId },
  origin: string,
): CampaignBody {
  return {
    slug: c.slug,
    name: c.name,
    description: c.description,
    createdAt: c.createdAt.toISOString(),
    ...("entryCount" in c ? { entryCount: c.entryCount, memberCount: c.memberCount, lastWorkDate: c.lastWorkDate } : {}),
    ...licenseJson(c.license),
    url: `${origin}/campaigns/${c.slug}`,
  };
}

export function memberJson(m: Member): MemberBody {
  return { login: m.login, name: m.name, role: m.role, since: m.since.toISOString() };
}

export function attachmentJson(a: AttachmentView, origin: string): AttachmentBody {
  return { id: a.id, entryId: a.entryId, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, createdAt: a.createdAt.toISOString(), url: `${origin}${a.path}` };
}

export function commentJson(c: CommentView, origin: string): CommentBody {
  return {
    id: c.id,
    target: c.target,
    author: c.author,
    body: c.body,
    replyTo: c.replyTo,
    question: c.question,
    answered: c.answered,
    hidden: c.hidden ? { reason: c.hidden.reason, by: c.hidden.by, at: c.hidden.at.toISOString() } : null,
    versions: c.versions.map((v) => ({ number: v.number, body: v.body, createdAt: v.createdAt.toISOString() })),
    ugc: c.ugc,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    url: `${origin}${c.path}`,
  };
}

export function notificationJson(n: NotificationView, origin: string): NotificationBody {
  return { id: n.id, kind: n.kind, title: n.title, summary: n.summary, actor: n.actor, read: n.read, createdAt: n.createdAt.toISOString(), url: `${origin}${n.path}` };
}
