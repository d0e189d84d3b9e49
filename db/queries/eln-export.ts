import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { licenseOf } from "@/lib/campaigns/licenses";
import { ELN_LIMITS } from "@/lib/eln/model";
import { archiveName, buildElnArchive, type ExportEntry } from "@/lib/eln/export";
import type { ExportMolecule } from "@/lib/eln/chemistry";
import { AppError } from "@/lib/errors";
import { moleculesOf } from "@/lib/stoichiometry/reaction";
import type { Queryable } from "../index";
import {
  attachments,
  campaigns,
  comments,
  entries,
  entryMentions,
  measurements,
  moleculeAliases,
  molecules,
  users,
  type Campaign,
} from "../schema";
import { requireCampaign } from "./campaigns";

/**
 * A campaign's notebook, some of its entries, or one entry, as an .eln archive (lib/eln/export.ts builds it from the
 * plain data read here). Everything in it is public already: no actor is needed. Live entries only; hidden comments
 * are left out; the molecules are the campaign's (all of them for a campaign, those an entry names for a selection).
 */

export interface ElnDownload {
  filename: string;
  bytes: Uint8Array;
}

/** The notebook's version, written into every archive's CreateAction. */
const VERSION = "0.1.0";

export async function exportCampaignEln(
  db: Queryable,
  slug: string,
  options: { origin: string; entries?: number[] },
): Promise<ElnDownload> {
  const campaign = await requireCampaign(db, slug);
  const rows = await liveEntries(db, campaign.id, options.entries);
  if (options.entries) {
    const found = new Set(rows.map((r) => r.id));
    const missing = options.entries.filter((id) => !found.has(id));
    if (missing.length) throw new AppError("not_found", `${campaign.name} has no entry ${missing.join(", ")}.`);
  }
  const exportedAt = new Date();
  const name = archiveName(campaign.slug, exportedAt);
  const description = options.entries
    ? `${rows.length} entries of the lab notebook of ${campaign.name}, with the molecules they name.`
    : `The lab notebook of ${campaign.name}: ${rows.length} entries, its molecules and their measurements.`;
  return build(db, campaign, rows, { origin: options.origin, exportedAt, name, description, allMolecules: !options.entries });
}

export async function exportEntryEln(db: Queryable, id: number, origin: string): Promise<ElnDownload> {
  const [row] = await db
    .select({ campaignId: entries.campaignId })
    .from(entries)
    .where(and(eq(entries.id, id), eq(entries.kind, "entry"), isNull(entries.deletedAt)));
  if (!row) throw new AppError("not_found", `No entry with id ${id}.`);
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, row.campaignId));
  const rows = await liveEntries(db, row.campaignId, [id]);
  const exportedAt = new Date();
  return build(db, campaign!, rows, {
    origin,
    exportedAt,
    name: archiveName(campaign!.slug, exportedAt, id),
    description: `An entry of the lab notebook of ${campaign!.name}, with the molecules it names.`,
    allMolecules: false,
  });
}

async function liveEntries(db: Queryable, campaignId: number, ids?: number[]) {
  return db
    .select({
      id: entries.id,
      title: entries.title,
      body: entries.body,
      workDate: entries.workDate,
      createdAt: entries.createdAt,
      updatedAt: entries.updatedAt,
      reactions: entries.reactions,
      login: users.login,
      name: users.name,
    })
    .from(entries)
    .innerJoin(users, eq(users.id, entries.authorId))
    .where(
      and(
        eq(entries.campaignId, campaignId),
        eq(entries.kind, "entry"),
        isNull(entries.deletedAt),
        ids ? inArray(entries.id, ids.length ? ids : [0]) : undefined,
      ),
    )
    .orderBy(asc(entries.workDate), asc(entries.id));
}

type EntryRow = Awaited<ReturnType<typeof liveEntries>>[number];

async function build(
  db: Queryable,
  campaign: Campaign,
  rows: EntryRow[],
  options: { origin: string; exportedAt: Date; name: string; description: string; allMolecules: boolean },
): Promise<ElnDownload> {
  const ids = rows.map((r) => r.id);
  const some = ids.length ? ids : [0];
  // The files are read into memory to be zipped: refuse before reading them when they exceed what an archive may be.
  const [{ total } = { total: 0 }] = await db
    .select({ total: sql<number>`coalesce(sum(${attachments.size}), 0)::float8` })
    .from(attachments)
    .where(inArray(attachments.entryId, some));
  if (Number(total) > ELN_LIMITS.archiveBytes) {
    throw new AppError(
      "validation_failed",
      `The attachments of these entries come to more than ${ELN_LIMITS.archiveBytes / 1024 / 1024} MB, more than an archive may hold; export some entries at a time (?entries=1,2,3).`,
    );
  }
  const [files, notes, mentions] = await Promise.all([
    db.select().from(attachments).where(inArray(attachments.entryId, some)).orderBy(asc(attachments.id)),
    db
      .select({
        id: comments.id,
        entryId: comments.entryId,
        body: comments.body,
        createdAt: comments.createdAt,
        login: users.login,
        name: users.name,
      })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .where(and(inArray(comments.entryId, some), eq(comments.targetKind, "entry"), isNull(comments.hiddenAt)))
      .orderBy(asc(comments.id)),
    db.select().from(entryMentions).where(inArray(entryMentions.entryId, some)),
  ]);
  const mentioned = new Map<number, string[]>();
  for (const m of mentions) mentioned.set(m.entryId, [...(mentioned.get(m.entryId) ?? []), m.campaignCode]);
  const list: ExportEntry[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    workDate: r.workDate,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    author: { login: r.login, name: r.name },
    reactions: r.reactions,
    mentions: (mentioned.get(r.id) ?? []).sort(),
    comments: notes
      .filter((c) => c.entryId === r.id)
      .map((c) => ({ id: c.id, body: c.body, createdAt: c.createdAt, author: { login: c.login, name: c.name } })),
    attachments: files
      .filter((f) => f.entryId === r.id)
      .map((f) => ({
        id: f.id,
        filename: f.filename,
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
        createdAt: f.createdAt,
        data: f.data,
      })),
  }));
  const codes = options.allMolecules ? null : [...new Set(list.flatMap((e) => [...e.mentions, ...moleculesOf(e.reactions)]))];
  const license = licenseOf(campaign.license);
  const bytes = buildElnArchive({
    origin: options.origin,
    version: VERSION,
    campaign: {
      slug: campaign.slug,
      name: campaign.name,
      description: campaign.description,
      license: { id: license.id, name: license.name, url: license.url },
    },
    name: options.name,
    description: options.description,
    entries: list,
    molecules: await moleculesFor(db, campaign.id, codes),
    exportedAt: options.exportedAt,
  });
  return { filename: `${options.name}.eln`, bytes };
}

/** The campaign's molecules (or those with these IDs), in its numbering order, with aliases and measurements. */
async function moleculesFor(db: Queryable, campaignId: number, codes: string[] | null): Promise<ExportMolecule[]> {
  if (codes && codes.length === 0) return [];
  const rows = await db
    .select()
    .from(molecules)
    .where(and(eq(molecules.campaignId, campaignId), codes ? inArray(molecules.campaignCode, codes) : undefined))
    .orderBy(asc(molecules.site), asc(molecules.number), asc(molecules.id));
  const ids = rows.length ? rows.map((m) => m.id) : [0];
  const [aliases, results] = await Promise.all([
    db.select().from(moleculeAliases).where(inArray(moleculeAliases.moleculeId, ids)).orderBy(asc(moleculeAliases.id)),
    db.select().from(measurements).where(inArray(measurements.moleculeId, ids)).orderBy(asc(measurements.id)),
  ]);
  return rows.map((m) => ({
    code: m.campaignCode,
    name: m.name,
    aliases: aliases.filter((a) => a.moleculeId === m.id).map((a) => a.alias),
    series: m.series,
    smiles: m.smiles,
    inputSmiles: m.inputSmiles,
    molfile: m.molfile,
    inchi: m.inchi,
    inchikey: m.inchikey,
    formula: m.formula,
    averageMass: Number(m.averageMass),
    monoisotopicMass: Number(m.monoisotopicMass),
    measurements: results
      .filter((x) => x.moleculeId === m.id)
      .map((x) => ({
        id: x.id,
        assay: x.assay,
        target: x.target,
        lab: x.lab,
        value: x.value,
        unit: x.unit,
        qualifier: x.qualifier,
        measuredOn: x.measuredOn,
        entryId: x.entryId,
      })),
  }));
}
