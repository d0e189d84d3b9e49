import type { EntryView } from "@/db/queries/entries";
import type { Backlink } from "@/db/queries/wiki";
import type { SarResult } from "@/db/queries/wiki-sar";
import type { SarTableBody, WikiPageBody } from "@/lib/contract/wiki";
import { HOME_SLUG } from "@/lib/wiki/model";

/** A wiki page as the API answers it (lib/contract/wiki.ts WikiPage). */
export function pageJson(page: EntryView, origin: string, linkedFrom?: Backlink[]): WikiPageBody {
  return {
    id: page.id,
    campaign: page.campaign.slug,
    slug: page.slug!,
    title: page.title,
    body: page.body,
    home: page.slug === HOME_SLUG,
    author: page.author.login,
    revisionId: page.revisionId,
    revisionNumber: page.revisionNumber,
    createdAt: page.createdAt.toISOString(),
    updatedAt: page.updatedAt.toISOString(),
    deleted: page.deletedAt !== null,
    url: `${origin}${page.path}`,
    ...(linkedFrom ? { linkedFrom: linkedFrom.map((b) => ({ kind: b.kind, title: b.title, url: `${origin}${b.path}` })) } : {}),
  };
}

export function sarJson(sar: SarResult, origin: string): SarTableBody {
  return {
    core: sar.core,
    campaign: sar.campaign,
    assay: sar.assay,
    attachmentPoints: sar.labels.map((l) => `R${l}`),
    rows: sar.rows.map((r) => ({ molecule: r.code, substituents: r.substituents, best: r.best, url: `${origin}/molecules/${r.code}` })),
    apart: sar.apart.map((a) => ({ molecule: a.code, reason: a.reason, url: `${origin}/molecules/${a.code}` })),
  };
}
