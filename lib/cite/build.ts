// What a citation of each kind of record says: built from plain data a page or route has read, with absolute URLs.
import { licenseOf } from "../campaigns/licenses";
import { citationKey, distinctPeople, isoDay, type Citation, type Person } from "./model";

export interface CiteContext {
  /** The notebook's public origin, without a trailing slash. */
  origin: string;
  /** The notebook's name (NOTEBOOK_SITE_NAME): the publisher. */
  site: string;
  /** Today, YYYY-MM-DD: the access date. */
  accessed: string;
}

export interface CampaignRef {
  slug: string;
  name: string;
  license: string;
}

const container = (campaign: CampaignRef, origin: string) => ({ title: campaign.name, url: `${origin}/campaigns/${campaign.slug}` });

/**
 * An entry or a wiki page, as of one revision: cited at that revision's page, which never changes, with the page that
 * always shows the newest text beside it. Its authors are everyone who wrote a revision up to the one cited, in the
 * order they first did.
 */
export function documentCitation(
  doc: {
    id: number;
    kind: "entry" | "page";
    slug: string | null;
    title: string;
    path: string;
    campaign: CampaignRef;
    revision: { number: number; createdAt: Date };
    authors: Person[];
  },
  ctx: CiteContext,
): Citation {
  const page = doc.kind === "page";
  return {
    kind: doc.kind,
    key: citationKey(doc.campaign.slug, page ? `wiki-${doc.slug ?? doc.id}` : `entry-${doc.id}`, `r${doc.revision.number}`),
    title: doc.title,
    authors: distinctPeople(doc.authors),
    issued: isoDay(doc.revision.createdAt),
    accessed: ctx.accessed,
    url: `${ctx.origin}/entries/${doc.id}/revisions/${doc.revision.number}`,
    revision: doc.revision.number,
    latestUrl: `${ctx.origin}${doc.path}`,
    container: container(doc.campaign, ctx.origin),
    publisher: ctx.site,
    license: licenseOf(doc.campaign.license),
    genre: page ? "Campaign wiki page" : "Lab notebook entry",
  };
}

/** A molecule's record in the campaign's registry, by its campaign ID, registered by one person. */
export function moleculeCitation(
  m: { code: string; name: string | null; path: string; createdAt: Date; registeredBy: Person; campaign: CampaignRef },
  ctx: CiteContext,
): Citation {
  return {
    kind: "molecule",
    key: citationKey(m.campaign.slug, m.code),
    title: m.name ? `${m.code}: ${m.name}` : m.code,
    authors: [m.registeredBy],
    issued: isoDay(m.createdAt),
    accessed: ctx.accessed,
    url: `${ctx.origin}${m.path}`,
    container: container(m.campaign, ctx.origin),
    publisher: ctx.site,
    license: licenseOf(m.campaign.license),
    genre: "Molecule record",
  };
}

/** A whole campaign (notebook, wiki and registry), by its members, as of `issued` (its latest work, say). */
export function campaignCitation(c: CampaignRef & { members: Person[]; issued: string }, ctx: CiteContext): Citation {
  return {
    kind: "campaign",
    key: citationKey(c.slug, ctx.accessed),
    title: c.name,
    authors: distinctPeople(c.members),
    issued: c.issued,
    accessed: ctx.accessed,
    url: `${ctx.origin}/campaigns/${c.slug}`,
    container: container(c, ctx.origin),
    publisher: ctx.site,
    license: licenseOf(c.license),
    genre: "Open lab notebook and molecule registry",
  };
}
