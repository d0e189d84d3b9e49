import { and, inArray, sql } from "drizzle-orm";
import { decomposeInSandbox, readCoreInSandbox } from "@/lib/chem/rgroups-sandbox";
import { RGROUP_LIMITS } from "@/lib/chem/rgroups";
import { searchQuery } from "@/lib/contract/search";
import { AppError } from "@/lib/errors";
import { higherIsBetter } from "@/lib/molecules/assay";
import type { Potency } from "@/lib/molecules/potency";
import { sarTable, type SarTable } from "@/lib/wiki/sar";
import type { Db } from "../index";
import { molecules, type Campaign } from "../schema";
import { requireCampaign } from "./campaigns";
import { assayPotencies, searchHitIds } from "./molecules/search";

/**
 * The R-group table of a core over a campaign's registry, for a wiki `sar` block and `GET /api/v1/sar`: the
 * structure search finds the molecules that contain the core (its attachment points removed), the chemistry
 * workers decompose them (lib/chem/rgroups.ts), and lib/wiki/sar.ts orders the rows by the best value in the assay.
 */

export interface SarResult extends SarTable {
  /** Rows before `limit` cut the table (and its matrix) to the most potent. */
  total: number;
  core: string;
  campaign: string;
  /** The assay column as pages label it ("Pfal IC50 (µM)"), or null without an assay. */
  assay: string | null;
  up: boolean;
  /** The newest registration, result or parking among the molecules shown. */
  changedAt: Date | null;
}

export interface SarOptions {
  core: string;
  assay?: string;
  series?: string;
  status: "active" | "parked" | "any";
  /** Rows shown at most (the decomposition covers every molecule with the core). */
  limit?: number;
}

const SAR_TIME_LIMIT_MS = 15_000;

/**
 * When a molecule's data last changed: its registration, its parking, its newest result. Spelled with the tables'
 * names, for a select from `molecules` alone: drizzle writes a single table's columns unqualified, and an
 * unqualified `id` inside the subquery would be the measurement's own.
 */
export const moleculeChangedAt = sql<string>`greatest(molecules.created_at, molecules.parked_at, (select max(m.created_at) from measurements m where m.molecule_id = molecules.id))`;

export async function computeSar(db: Db, campaign: Campaign, options: SarOptions, signal?: AbortSignal): Promise<SarResult> {
  const deadline = Date.now() + SAR_TIME_LIMIT_MS;
  const core = await readCoreInSandbox(options.core, { deadline, signal });
  const potencies = options.assay ? await assayPotencies(db, options.assay, campaign.id) : null;
  const query = searchQuery.parse({ q: core.query, mode: "substructure", campaign: campaign.slug, status: options.status });
  let { ids } = await searchHitIds(db, query, { signal, timeLimitMs: Math.max(1000, deadline - Date.now()) });
  if (options.series !== undefined && ids.length) {
    const series = options.series.toLowerCase();
    const kept = await db
      .select({ id: molecules.id })
      .from(molecules)
      .where(and(inArray(molecules.id, ids), sql`lower(${molecules.series}) = ${series}`));
    const keep = new Set(kept.map((r) => r.id));
    ids = ids.filter((id) => keep.has(id));
  }
  if (ids.length > RGROUP_LIMITS.molecules) {
    throw new AppError(
      "validation_failed",
      `core: ${ids.length.toLocaleString("en")} molecules contain this core; an R-group table takes at most ${RGROUP_LIMITS.molecules.toLocaleString("en")} (name a series or a larger core)`,
      { fields: { core: "too many molecules contain it" } },
    );
  }
  const rows = ids.length
    ? await db
        .select({
          id: molecules.id,
          code: molecules.campaignCode,
          smiles: molecules.smiles,
          changedAt: moleculeChangedAt,
        })
        .from(molecules)
        .where(inArray(molecules.id, ids))
        .orderBy(molecules.id)
    : [];
  const decomposition = await decomposeInSandbox(
    core.core,
    rows.map((r) => ({ id: r.id, smiles: r.smiles })),
    { deadline, signal },
  );
  const codes = new Map(rows.map((r) => [r.id, r.code]));
  const best = new Map<number, Potency>();
  for (const [id, p] of potencies ?? []) if (codes.has(id)) best.set(id, p);
  const first = best.values().next().value;
  const up = first ? higherIsBetter(first.assay) : false;
  let table = sarTable(decomposition, best, codes, up);
  const total = table.rows.length;
  if (options.limit !== undefined && total > options.limit) {
    // The most potent `limit` rows, and the matrix of just those (a matrix of every row would not be a summary).
    const top = new Set(table.rows.slice(0, options.limit).map((r) => r.id));
    table = sarTable({ ...decomposition, rows: decomposition.rows.filter((r) => top.has(r.id)) }, best, codes, up);
  }
  const shown = new Set([...table.rows.map((r) => r.id), ...table.apart.map((a) => a.id)]);
  const changed = rows.filter((r) => shown.has(r.id)).map((r) => new Date(r.changedAt));
  return {
    ...table,
    total,
    core: core.core,
    campaign: campaign.slug,
    assay: first ? (first.unit ? `${first.label} (${first.unit})` : first.label) : (options.assay ?? null),
    up,
    changedAt: changed.reduce<Date | null>((a, d) => (!a || d > a ? d : a), null),
  };
}

/** A `sar` block: the page's campaign unless it names another. */
export async function evaluateSar(
  ctx: { db: Db; campaign: Campaign; signal?: AbortSignal },
  spec: { core: string; assay?: string; series?: string; status: "active" | "parked" | "any"; campaign?: string; limit: number },
): Promise<SarResult> {
  const campaign = spec.campaign && spec.campaign !== ctx.campaign.slug ? await requireCampaign(ctx.db, spec.campaign) : ctx.campaign;
  return computeSar(ctx.db, campaign, spec, ctx.signal);
}

/** `GET /api/v1/sar`: the table of a campaign (by slug). */
export async function sarForCampaign(db: Db, slug: string, options: SarOptions, signal?: AbortSignal): Promise<SarResult> {
  return computeSar(db, await requireCampaign(db, slug), options, signal);
}
