import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { safeParseMany } from "@/lib/sandbox/pool";
import { reactionsInput, withIds, type ReactionInput } from "@/lib/stoichiometry/input";
import { resolveReactions, type RowStructure, type StoredReaction, type StructureResolver } from "@/lib/stoichiometry/reaction";
import { parseInput } from "@/lib/validation";
import type { Queryable } from "../index";
import { attachments, campaigns, entries, molecules } from "../schema";
import { findMoleculeId } from "./molecules";

/**
 * Reactions of entries: their structures resolved against the registry and read in the sandboxed workers before a
 * save, the "made in" / "used in" lists of a molecule. The arithmetic itself is lib/stoichiometry.
 */

/** Structures as the server reads them: a registered molecule's stored ones; a SMILES in the time-limited workers. */
export function registryResolver(db: Queryable, campaignId: number): StructureResolver {
  return {
    async molecule(key) {
      const id = await findMoleculeId(db, key);
      if (id === null) return null;
      const [m] = await db
        .select({
          code: molecules.campaignCode,
          smiles: molecules.smiles,
          idcode: molecules.idcode,
          formula: molecules.formula,
          mw: molecules.averageMass,
        })
        .from(molecules)
        .where(eq(molecules.id, id));
      return m ? { smiles: m.smiles, idcode: m.idcode, formula: m.formula, mw: Number(m.mw), molecule: m.code } : null;
    },
    async smiles(list) {
      const outcomes = await safeParseMany(
        list.map((smiles) => ({ smiles })),
        { inchi: false },
      );
      const read = outcomes.map((o) =>
        o.ok
          ? {
              smiles: o.result.structure.smiles,
              idcode: o.result.structure.idcode,
              formula: o.result.structure.formula,
              mw: o.result.structure.averageMass,
              molecule: null as string | null,
            }
          : null,
      );
      // A structure already registered in the campaign links to its molecule (the registry's exact duplicate check).
      const idcodes = [...new Set(read.flatMap((r) => (r ? [r.idcode] : [])))];
      if (idcodes.length) {
        const found = await db
          .select({ idcode: molecules.idcode, code: molecules.campaignCode })
          .from(molecules)
          .where(and(eq(molecules.campaignId, campaignId), inArray(molecules.idcode, idcodes), isNull(molecules.parentMoleculeId)));
        const byIdcode = new Map(found.map((f) => [f.idcode, f.code]));
        for (const r of read) if (r) r.molecule = byIdcode.get(r.idcode) ?? null;
      }
      return outcomes.map((o, k): RowStructure | { error: string } => (o.ok ? read[k]! : { error: o.error.message }));
    },
  };
}

/**
 * The reactions of a save, validated, resolved and computed; a 422 naming each bad field when anything is wrong, so
 * that nothing is saved half. `entryId` is null for a new entry (which has no attachments to link a spectrum to).
 */
export async function prepareReactions(
  db: Queryable,
  campaignId: number,
  entryId: number | null,
  input: readonly ReactionInput[],
): Promise<StoredReaction[]> {
  const parsed = parseInput(reactionsInput, input);
  const { reactions, problems } = await resolveReactions(withIds(parsed), registryResolver(db, campaignId));
  const spectra = reactions.flatMap((r, i) =>
    r.rows.flatMap((row, j) => (row.spectrum ? [{ id: row.spectrum, field: `reactions.${i}.rows.${j}.spectrum` }] : [])),
  );
  if (spectra.length) {
    const owned =
      entryId === null
        ? []
        : await db
            .select({ id: attachments.id })
            .from(attachments)
            .where(
              and(
                eq(attachments.entryId, entryId),
                inArray(
                  attachments.id,
                  spectra.map((s) => s.id),
                ),
              ),
            );
    const ids = new Set(owned.map((o) => o.id));
    for (const s of spectra)
      if (!ids.has(s.id)) problems.push({ field: s.field, message: `attachment ${s.id} is not a file of this entry` });
  }
  if (problems.length) {
    const fields: Record<string, string> = {};
    for (const p of problems) fields[p.field] ??= p.message;
    throw new AppError("validation_failed", problems.map((p) => `${p.field}: ${p.message}`).join("; "), { fields });
  }
  return reactions;
}

export interface ReactionUse {
  entry: { id: number; title: string; date: string; path: string };
  campaign: string;
  reaction: { id: string; title: string | null };
  role: string;
  /** Products: the isolated mass and yield of this batch. */
  isolatedMg: number | null;
  yieldPercent: number | null;
  mmol: number | null;
}

/** Live entries whose reactions name the molecule, each row that names it: "made in" (products) and "used in". */
export async function reactionsUsing(db: Queryable, code: string): Promise<{ madeIn: ReactionUse[]; usedIn: ReactionUse[] }> {
  const probe = JSON.stringify([{ rows: [{ molecule: code }] }]);
  const rows = await db
    .select({ id: entries.id, title: entries.title, date: entries.workDate, reactions: entries.reactions, campaign: campaigns.slug })
    .from(entries)
    .innerJoin(campaigns, eq(campaigns.id, entries.campaignId))
    .where(and(isNull(entries.deletedAt), sql`${entries.reactions} @> ${probe}::jsonb`))
    .orderBy(sql`${entries.workDate} desc`, sql`${entries.id} desc`)
    .limit(200);
  const madeIn: ReactionUse[] = [];
  const usedIn: ReactionUse[] = [];
  for (const e of rows) {
    for (const reaction of e.reactions) {
      reaction.rows.forEach((row, j) => {
        if (row.molecule !== code) return;
        const computed = reaction.computed.rows[j];
        const use: ReactionUse = {
          entry: { id: e.id, title: e.title, date: e.date, path: `/entries/${e.id}` },
          campaign: e.campaign,
          reaction: { id: reaction.id, title: reaction.title },
          role: row.role,
          isolatedMg: row.isolatedMg ?? null,
          yieldPercent: computed?.yieldPercent ?? null,
          mmol: computed?.mmol ?? null,
        };
        (row.role === "product" ? madeIn : usedIn).push(use);
      });
    }
  }
  return { madeIn, usedIn };
}
