import { and, eq, isNull, max } from "drizzle-orm";
import { campaignCitation, documentCitation, moleculeCitation, type CiteContext } from "@/lib/cite/build";
import { toCff } from "@/lib/cite/cff";
import type { Citation } from "@/lib/cite/model";
import { AppError } from "@/lib/errors";
import type { Queryable } from "../index";
import { campaigns, entries, molecules, users } from "../schema";
import { listMembers, requireCampaign } from "./campaigns";
import { requireEntry } from "./entries";
import { listRevisions } from "./entry-lists";
import { findMoleculeId, moleculePath } from "./molecules";

// Citations of what the notebook publishes (everything is public: no actor needed). The formats are lib/cite's.

/**
 * An entry or wiki page as of a revision (the current one when `revision` is left out): its title then, and everyone
 * who had written a revision of it by then.
 */
export async function citeDocument(db: Queryable, id: number, revision: number | undefined, ctx: CiteContext): Promise<Citation> {
  const doc = await requireEntry(db, id);
  const revisions = await listRevisions(db, id, "asc");
  const number = revision ?? doc.revisionNumber;
  const cited = revisions.find((r) => r.number === number);
  if (!cited) throw new AppError("not_found", `Entry ${id} has no revision ${number}.`);
  return documentCitation(
    {
      id: doc.id,
      kind: doc.kind,
      slug: doc.slug,
      title: cited.title,
      path: doc.path,
      campaign: doc.campaign,
      revision: { number, createdAt: cited.createdAt },
      authors: revisions.filter((r) => r.number <= number).map((r) => r.author),
    },
    ctx,
  );
}

/** A molecule's record, by its campaign ID (or anything that finds it), registered by one person. */
export async function citeMolecule(db: Queryable, key: string, ctx: CiteContext): Promise<Citation> {
  const id = await findMoleculeId(db, key);
  const [row] =
    id === null
      ? []
      : await db
          .select({
            code: molecules.campaignCode,
            name: molecules.name,
            createdAt: molecules.createdAt,
            registeredBy: { login: users.login, name: users.name },
            campaign: { slug: campaigns.slug, name: campaigns.name, license: campaigns.license },
          })
          .from(molecules)
          .innerJoin(users, eq(users.id, molecules.registeredById))
          .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
          .where(eq(molecules.id, id));
  if (!row) throw new AppError("not_found", `No molecule ${JSON.stringify(key)}.`);
  return moleculeCitation({ ...row, path: moleculePath(row.code) }, ctx);
}

/** The whole campaign, by its members (maintainers first), as of its latest day of work. */
export async function citeCampaign(db: Queryable, slug: string, ctx: CiteContext): Promise<Citation> {
  const campaign = await requireCampaign(db, slug);
  const [members, [latest]] = await Promise.all([
    listMembers(db, campaign.id),
    db
      .select({ day: max(entries.workDate) })
      .from(entries)
      .where(and(eq(entries.campaignId, campaign.id), eq(entries.kind, "entry"), isNull(entries.deletedAt))),
  ]);
  return campaignCitation(
    {
      slug: campaign.slug,
      name: campaign.name,
      license: campaign.license,
      members,
      issued: latest?.day ?? campaign.createdAt.toISOString().slice(0, 10),
    },
    ctx,
  );
}

/** The campaign's CITATION.cff: its title, description, members as authors, licence and address. */
export async function campaignCff(db: Queryable, slug: string, origin: string): Promise<{ filename: string; body: string }> {
  const campaign = await requireCampaign(db, slug);
  const members = await listMembers(db, campaign.id);
  return {
    filename: "CITATION.cff",
    body: toCff({
      title: campaign.name,
      description: campaign.description,
      url: `${origin}/campaigns/${campaign.slug}`,
      license: campaign.license,
      members,
      keywords: ["open science", "open notebook", "drug discovery", "medicinal chemistry"],
    }),
  };
}
