import { notify, watchersOf } from "./notifications";
import { and, asc, eq, isNull } from "drizzle-orm";
import { type Actor, requireActor, requireMember } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import type { MeasurementInput } from "@/lib/contract/molecules";
import type { Queryable } from "../index";
import { campaigns, entries, events, measurements, molecules, users, type Measurement } from "../schema";
import { entryPath } from "./entries";
import { roleIn } from "./campaigns";
import { findMoleculeId } from "./molecules";

export interface MeasurementView {
  id: number;
  molecule: string;
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: Measurement["qualifier"];
  measuredOn: string | null;
  entry: { id: number; path: string } | null;
  addedBy: string;
  createdAt: Date;
}

function toView(m: Measurement, molecule: string, addedBy: string): MeasurementView {
  return {
    id: m.id,
    molecule,
    assay: m.assay,
    target: m.target,
    lab: m.lab,
    value: m.value,
    unit: m.unit,
    qualifier: m.qualifier,
    measuredOn: m.measuredOn,
    entry: m.entryId === null ? null : { id: m.entryId, path: entryPath(m.entryId) },
    addedBy,
    createdAt: m.createdAt,
  };
}

async function requireMoleculeRow(db: Queryable, key: string | number) {
  const id = await findMoleculeId(db, key);
  const [row] =
    id === null
      ? []
      : await db
          .select({ id: molecules.id, code: molecules.campaignCode, campaignId: molecules.campaignId, campaignName: campaigns.name })
          .from(molecules)
          .innerJoin(campaigns, eq(campaigns.id, molecules.campaignId))
          .where(eq(molecules.id, id));
  if (!row) throw new AppError("not_found", `No molecule ${JSON.stringify(String(key))}.`);
  return row;
}

/**
 * A member of the molecule's campaign adds an assay result. Measurements are never changed or removed (the database
 * refuses): a wrong value is superseded by adding the right one, with the entry that explains it.
 */
export async function addMeasurement(
  db: Queryable,
  actor: Actor,
  moleculeKey: string | number,
  data: MeasurementInput,
): Promise<MeasurementView> {
  requireActor(actor);
  const molecule = await requireMoleculeRow(db, moleculeKey);
  requireMember(await roleIn(db, molecule.campaignId, actor.id), molecule.campaignName);
  if (data.entryId !== undefined) {
    const [entry] = await db
      .select({ id: entries.id })
      .from(entries)
      .where(and(eq(entries.id, data.entryId), eq(entries.campaignId, molecule.campaignId), isNull(entries.deletedAt)));
    if (!entry) {
      const message = `entry ${data.entryId} is not an entry of ${molecule.campaignName}`;
      throw new AppError("validation_failed", `entryId: ${message}`, { fields: { entryId: message } });
    }
  }
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(measurements)
      .values({
        moleculeId: molecule.id,
        assay: data.assay,
        target: data.target || null,
        lab: data.lab || null,
        value: data.value,
        unit: data.unit ?? null,
        qualifier: data.qualifier,
        measuredOn: data.measuredOn ?? null,
        entryId: data.entryId ?? null,
        addedById: actor.id,
      })
      .returning();
    const headline = `New result for ${molecule.code}: ${data.assay} ${data.qualifier === "=" ? "" : data.qualifier}${data.value}${data.unit ? ` ${data.unit}` : ""}`;
    await tx.insert(events).values({
      kind: "measurement.added",
      campaignId: molecule.campaignId,
      actorId: actor.id,
      entryId: data.entryId ?? null,
      title: headline,
      summary: [data.target, data.lab].filter(Boolean).join(" · "),
      path: `/molecules/${molecule.code}#measurements`,
      molecules: [molecule.code],
    });
    // Whoever watches the molecule (or its campaign) hears of the new result.
    const watchers = await watchersOf(tx, [
      { kind: "molecule", id: molecule.id },
      { kind: "campaign", id: molecule.campaignId },
    ]);
    await notify(
      tx,
      watchers.map((userId) => ({
        userId,
        kind: "measurement" as const,
        dedupeKey: `measurement:${row!.id}`,
        actorId: actor.id,
        campaignId: molecule.campaignId,
        title: headline,
        path: `/molecules/${molecule.code}#measurements`,
      })),
    );
    return row!;
  });
  return toView(row, molecule.code, actor.login);
}

/** A molecule's measurements in the order they were added. */
export async function listMeasurements(db: Queryable, moleculeKey: string | number): Promise<MeasurementView[]> {
  const molecule = await requireMoleculeRow(db, moleculeKey);
  const rows = await db
    .select({ m: measurements, addedBy: users.login })
    .from(measurements)
    .innerJoin(users, eq(users.id, measurements.addedById))
    .where(eq(measurements.moleculeId, molecule.id))
    .orderBy(asc(measurements.id));
  return rows.map((r) => toView(r.m, molecule.code, r.addedBy));
}

/** A measurement as an import brings it (an .eln archive), for a molecule already resolved. */
export interface ImportedMeasurement {
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: Measurement["qualifier"];
  measuredOn: string | null;
  entryId: number | null;
}

/**
 * Adds an import's measurements of one molecule inside the import's transaction (the importer's membership already
 * checked): those the molecule already has with every field equal are not added twice. The import writes one
 * event for all of them, not one per result.
 */
export async function addImportedMeasurements(
  tx: Queryable,
  moleculeId: number,
  actorId: number,
  list: readonly ImportedMeasurement[],
): Promise<number> {
  if (list.length === 0) return 0;
  const key = (m: Omit<ImportedMeasurement, "entryId">) =>
    JSON.stringify([m.assay, m.target, m.lab, m.value, m.unit, m.qualifier, m.measuredOn]);
  const stored = await tx.select().from(measurements).where(eq(measurements.moleculeId, moleculeId));
  const seen = new Set(stored.map(key));
  const fresh = list.filter((m) => {
    const k = key(m);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (fresh.length > 0) await tx.insert(measurements).values(fresh.map((m) => ({ ...m, moleculeId, addedById: actorId })));
  return fresh.length;
}
