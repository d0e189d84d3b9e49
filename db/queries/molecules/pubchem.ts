import { asc, eq, inArray } from "drizzle-orm";
import { alias as aliasTable } from "drizzle-orm/pg-core";
import { bestPotency } from "@/lib/molecules/potency";
import { ASSAY_COLUMNS, assayRows, substanceRecord, type DepositionContext } from "@/lib/pubchem/deposition";
import { toCsv, toSdf } from "@/lib/sheets/sheet";
import type { Queryable } from "../../index";
import { measurements, moleculeAliases, molecules } from "../../schema";
import { requireCampaign } from "../campaigns";
import { completeMolfiles, type ExportFile } from "./exports";
import { groupByMolecule, moleculePath, potencyColumns } from "./index";

// A campaign's registry as PubChem deposition files (everything is public: no actor needed). What the files say is
// lib/pubchem's; this reads the campaign in its numbering order, in pages.

const parent = aliasTable(molecules, "parent_molecule");
const PAGE = 2_000;

async function campaignMoleculeIds(db: Queryable, campaignId: number): Promise<number[]> {
  const rows = await db
    .select({ id: molecules.id })
    .from(molecules)
    .where(eq(molecules.campaignId, campaignId))
    .orderBy(asc(molecules.site), asc(molecules.number), asc(molecules.id));
  return rows.map((r) => r.id);
}

/** Every molecule of the campaign as a PubChem Substance record (SD file), titled and keyed by its campaign ID. */
export async function pubchemSubstances(db: Queryable, slug: string, origin: string, site: string): Promise<ExportFile> {
  const campaign = await requireCampaign(db, slug);
  const ctx: DepositionContext = {
    campaign: { name: campaign.name, url: `${origin}/campaigns/${campaign.slug}`, license: campaign.license },
    site,
  };
  const ids = await campaignMoleculeIds(db, campaign.id);
  const records: ReturnType<typeof substanceRecord>[] = [];
  for (let offset = 0; offset < ids.length; offset += PAGE) {
    const chunk = ids.slice(offset, offset + PAGE);
    const [found, aliasRows] = await Promise.all([
      db
        .select({ m: molecules, parentCode: parent.campaignCode })
        .from(molecules)
        .leftJoin(parent, eq(parent.id, molecules.parentMoleculeId))
        .where(inArray(molecules.id, chunk)),
      db.select().from(moleculeAliases).where(inArray(moleculeAliases.moleculeId, chunk)).orderBy(asc(moleculeAliases.id)),
    ]);
    const byId = new Map(found.map((r) => [r.m.id, r]));
    const rows = chunk.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    const molfiles = await completeMolfiles(rows.map((r) => r.m));
    const aliasesOf = groupByMolecule(aliasRows);
    rows.forEach(({ m, parentCode }, i) => {
      records.push(
        substanceRecord(
          {
            code: m.campaignCode,
            name: m.name,
            aliases: (aliasesOf.get(m.id) ?? []).map((a) => a.alias),
            status: m.status,
            parkReason: m.parkReason,
            parentCode,
            url: `${origin}${moleculePath(m.campaignCode)}`,
            molfile: molfiles[i]!,
          },
          ctx,
        ),
      );
    });
  }
  return { filename: `${campaign.slug}-pubchem-substances.sdf`, contentType: "chemical/x-mdl-sdfile; charset=utf-8", body: toSdf(records) };
}

/**
 * The campaign's results as a PubChem assay data table (CSV): one row per molecule and assay with its best value (labs
 * pooled), its activity outcome and score; `assay` keeps one assay's rows ("Pfal IC50"), as one PubChem assay holds.
 */
export async function pubchemAssayTable(
  db: Queryable,
  slug: string,
  origin: string,
  options: { thresholdUm: number; assay?: string },
): Promise<ExportFile> {
  const campaign = await requireCampaign(db, slug);
  const ids = await campaignMoleculeIds(db, campaign.id);
  const rows: Parameters<typeof toCsv>[0][number][] = [];
  for (let offset = 0; offset < ids.length; offset += PAGE) {
    const chunk = ids.slice(offset, offset + PAGE);
    const [found, values] = await Promise.all([
      db.select({ id: molecules.id, code: molecules.campaignCode }).from(molecules).where(inArray(molecules.id, chunk)),
      db.select(potencyColumns).from(measurements).where(inArray(measurements.moleculeId, chunk)),
    ]);
    const codeOf = new Map(found.map((r) => [r.id, r.code]));
    const valuesOf = groupByMolecule(values);
    const list = chunk.flatMap((id) => {
      const code = codeOf.get(id);
      return code === undefined ? [] : [{ code, url: `${origin}${moleculePath(code)}`, potency: bestPotency(valuesOf.get(id) ?? []) }];
    });
    for (const row of assayRows(list, options)) rows.push({ ...row, PUBCHEM_RESULT_TAG: rows.length + 1 });
  }
  const suffix = options.assay ? `-${options.assay.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}` : "";
  return {
    filename: `${campaign.slug}-pubchem-assay${suffix}.csv`,
    contentType: "text/csv; charset=utf-8",
    body: toCsv(rows, { columns: ASSAY_COLUMNS }),
  };
}
