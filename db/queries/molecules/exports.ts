import { asc, eq, inArray } from "drizzle-orm";
import { alias as aliasTable } from "drizzle-orm/pg-core";
import type { SearchQuery } from "@/lib/contract/search";
import { moleculeProperties } from "@/lib/molecules/properties";
import { sharedChemPool } from "@/lib/sandbox/pool";
import { toCsv, toSdf, type CellValue } from "@/lib/sheets/sheet";
import type { Db, Queryable } from "../../index";
import { campaigns, measurements, moleculeAliases, molecules } from "../../schema";
import { requireCampaign } from "../campaigns";
import { searchHitIds } from "./search";
import { groupByMolecule } from "./index";

export type ExportFormat = "csv" | "sdf";

/** A file to download. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * Column order of an export. One row (or SD record) per measurement, the molecule's columns repeated, like the
 * OSM master list; a molecule without measurements gets one row with the measurement columns empty. The headers
 * are the ones importSheet maps by itself, so an export imports back unchanged. The last column is the licence of the
 * molecule's campaign (SPDX id): CSV has no other place for it, and an import leaves the column alone.
 */
export const EXPORT_COLUMNS = [
  "ID",
  "Name",
  "Aliases",
  "Series",
  "Status",
  "Parent",
  "SMILES",
  "InChIKey",
  "Formula",
  ...moleculeProperties.map((p) => p.name),
  "Assay",
  "Target",
  "Lab",
  "Value",
  "Unit",
  "Qualifier",
  "Date",
  "Entry",
  "License",
] as const;

const parent = aliasTable(molecules, "parent_molecule");
const PAGE = 2_000;

/** A campaign's molecules and measurements as CSV or SDF (everything is public: no actor needed). */
export async function exportCampaign(db: Queryable, slug: string, format: ExportFormat): Promise<ExportFile> {
  const campaign = await requireCampaign(db, slug);
  // The campaign's numbering order.
  const ids = await db
    .select({ id: molecules.id })
    .from(molecules)
    .where(eq(molecules.campaignId, campaign.id))
    .orderBy(asc(molecules.site), asc(molecules.number), asc(molecules.id));
  return exportMolecules(db, ids.map((r) => r.id), format, `${campaign.slug}-molecules`);
}

/**
 * Every hit of a structure search (the search page's parameters; cursor and limit ignored), in the order the pages
 * show them, as CSV or SDF with the campaign export's columns, and each hit's similarity for a similarity search.
 */
export async function exportSearch(db: Db, query: SearchQuery, format: ExportFormat, signal?: AbortSignal): Promise<ExportFile> {
  const { mode, campaign, ids, similarity } = await searchHitIds(db, query, { signal });
  const extra = similarity
    ? { columns: ["Similarity"], cells: new Map([...similarity].map(([id, value]) => [id, { Similarity: Number(value.toFixed(3)) }])) }
    : undefined;
  return exportMolecules(db, ids, format, `${campaign ?? "molecules"}-${mode}-search`, extra);
}

/**
 * Molecules (by id, in the order given) and their measurements as CSV or SDF, with EXPORT_COLUMNS and then any
 * `extra` columns (e.g. a search's similarity), which an import leaves unmapped.
 */
export async function exportMolecules(
  db: Queryable,
  ids: readonly number[],
  format: ExportFormat,
  basename: string,
  extra: { columns: readonly string[]; cells: Map<number, Record<string, CellValue>> } = { columns: [], cells: new Map() },
): Promise<ExportFile> {
  const rows: { molfile: string | null; idcode: string; code: string; cells: Record<string, CellValue> }[] = [];
  // Pages keep each query's answer small.
  for (let offset = 0; offset < ids.length; offset += PAGE) {
    const chunk = ids.slice(offset, offset + PAGE);
    const [found, aliasRows, valueRows] = await Promise.all([
      db
        .select({ m: molecules, parentCode: parent.campaignCode, license: campaigns.license })
        .from(molecules)
        .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
        .leftJoin(parent, eq(parent.id, molecules.parentMoleculeId))
        .where(inArray(molecules.id, chunk)),
      db.select().from(moleculeAliases).where(inArray(moleculeAliases.moleculeId, chunk)).orderBy(asc(moleculeAliases.id)),
      db.select().from(measurements).where(inArray(measurements.moleculeId, chunk)).orderBy(asc(measurements.id)),
    ]);
    const byId = new Map(found.map((r) => [r.m.id, r]));
    const aliasesOf = groupByMolecule(aliasRows);
    const valuesOf = groupByMolecule(valueRows);
    for (const id of chunk) {
      const row = byId.get(id);
      if (!row) continue; // deleted since the ids were read
      const { m, parentCode, license } = row;
      const molecule: Record<string, CellValue> = {
        ID: m.campaignCode,
        Name: m.name,
        Aliases: (aliasesOf.get(m.id) ?? []).map((a) => a.alias).join("; "),
        Series: m.series,
        Status: m.status === "parked" ? `parked: ${m.parkReason ?? ""}` : "active",
        Parent: parentCode,
        SMILES: m.smiles,
        InChIKey: m.inchikey,
        Formula: m.formula,
        ...Object.fromEntries(moleculeProperties.map((p) => [p.name, m[p.key]])),
        License: license,
        ...extra.cells.get(m.id),
      };
      const values = valuesOf.get(m.id) ?? [];
      if (values.length === 0) rows.push({ molfile: m.molfile, idcode: m.idcode, code: m.campaignCode, cells: molecule });
      for (const v of values) {
        rows.push({
          molfile: m.molfile,
          idcode: m.idcode,
          code: m.campaignCode,
          cells: {
            ...molecule,
            Assay: v.assay,
            Target: v.target,
            Lab: v.lab,
            Value: v.value,
            Unit: v.unit,
            Qualifier: v.qualifier,
            Date: v.measuredOn,
            Entry: v.entryId,
          },
        });
      }
    }
  }
  const columns = [...EXPORT_COLUMNS, ...extra.columns];
  if (format === "csv") {
    return {
      filename: `${basename}.csv`,
      contentType: "text/csv; charset=utf-8",
      body: toCsv(
        rows.map((r) => r.cells),
        { columns },
      ),
    };
  }
  const molfiles = await completeMolfiles(rows);
  const records = rows.map((r, i) => ({
    // The molfile's first line is its title: the molecule's ID, as SD viewers show it.
    molfile: molfiles[i]!.replace(/^[^\n]*/, r.code),
    fields: Object.fromEntries(columns.map((c) => [c, r.cells[c] ?? null])),
  }));
  return { filename: `${basename}.sdf`, contentType: "chemical/x-mdl-sdfile; charset=utf-8", body: toSdf(records) };
}

/**
 * The molfile of each row, in order: the stored one, else one made now in the chemistry workers (molecules registered
 * from a SMILES keep no coordinates), once per structure.
 */
export async function completeMolfiles(rows: readonly { molfile: string | null; idcode: string }[]): Promise<string[]> {
  const missing = [...new Set(rows.filter((r) => r.molfile === null).map((r) => r.idcode))];
  const made = new Map<string, string>();
  if (missing.length > 0) {
    const molfiles = await sharedChemPool().molfiles(missing);
    missing.forEach((idcode, i) => made.set(idcode, molfiles[i]!));
  }
  return rows.map((r) => r.molfile ?? made.get(r.idcode)!);
}
