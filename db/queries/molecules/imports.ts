import { and, eq, inArray, sql } from "drizzle-orm";
import { type Actor, requireActor, requireMember } from "@/lib/auth/policy";
import { formatCampaignId } from "@/lib/molecules/campaign-id";
import { safeParseMany, type SafeParseResult } from "@/lib/sandbox/pool";
import { parseSdf, parseSheet, type SheetRowError } from "@/lib/sheets/sheet";
import { AppError, isAppError, toAppError } from "@/lib/errors";
import { planRows, prefixToAdopt, resolveMapping, sdfAsSheet, type PlannedMeasurement, type PlannedRow } from "@/lib/molecules/import-plan";
import type { ImportInput } from "@/lib/contract/imports";
import type { Queryable } from "../../index";
import { events, measurements, molecules, type Molecule } from "../../schema";
import { requireCampaign, roleIn } from "../campaigns";
import { adoptPrefix, allocateNumbers, codeInUse, lockCampaignRegistry } from "./registry";
import {
  addAliases,
  findDuplicate,
  identityColumns,
  insertMolecule,
  isSameStructure,
  moleculeValues,
  registeredStructures,
  registryContext,
  type RegistryContext,
} from "./writes";

export interface ImportResult {
  /** Data rows that registered a molecule or added an alias or measurement. */
  imported: number;
  /** Data rows already in the registry as they are: nothing was written for them. */
  unchanged: number;
  /** Data rows that could not be imported; `errors` says why. Nothing of such a row is stored. */
  failed: number;
  errors: SheetRowError[];
  /** Imported rows with something to check (no InChI, an InChIKey that differs from the sheet's, a qualifier changed). */
  warnings: SheetRowError[];
  registered: number;
  measurementsAdded: number;
}

export interface ImportOptions {
  /** Rows per transaction. */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  done: number;
  total: number;
  /** Where the time went so far: waiting for the chemistry workers to parse a batch, and writing batches. */
  waitingMs: number;
  writingMs: number;
}

type Parsed = { ok: true; result: SafeParseResult } | { ok: false; error: unknown };

/**
 * Imports a CSV, TSV or SD file into a campaign (members only). Columns are mapped from the headers unless a
 * mapping is given. Rows are written in batches, each batch in one transaction and each row in a savepoint: a row
 * that fails is reported and leaves nothing behind, the others are stored. Importing the same file again changes
 * nothing: a row whose ID or structure is registered, with aliases and measurements already stored, is unchanged.
 * Structures are parsed in the time-limited worker pool, two batches ahead of the one being written.
 *
 * IDs with another campaign's prefix follow `data.ids` (lib/contract/imports.ts importIdModes). An adopt-prefix that
 * cannot be done is refused before anything is written.
 */
export async function importSheet(
  db: Queryable,
  actor: Actor,
  slug: string,
  data: ImportInput,
  options: ImportOptions = {},
): Promise<ImportResult> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  requireMember(await roleIn(db, campaign.id, actor.id), campaign.name);
  let sheet;
  let molfiles: Map<number, string> | undefined;
  try {
    if (data.format === "sdf") ({ sheet, molfiles } = sdfAsSheet(parseSdf(data.text)));
    else sheet = parseSheet(data.text, data.format);
  } catch (error) {
    throw toAppError(error) ?? error;
  }
  const mapping = resolveMapping(sheet.headers, data.mapping);
  const ids = data.ids ?? "own-only";
  const adopting = ids === "adopt-prefix" ? prefixToAdopt(sheet, mapping) : null;
  const ctx = await db.transaction(async (tx) => {
    await lockCampaignRegistry(tx, campaign.id);
    if (adopting !== null) await adoptPrefix(tx, actor, campaign, adopting);
    return registryContext(tx, campaign, actor.id);
  });
  const plan = planRows(sheet, mapping, { prefixes: [...ctx.owned], ids, defaultUnit: data.unit ?? null, molfiles });
  const result: ImportResult = {
    imported: 0,
    unchanged: 0,
    failed: 0,
    errors: plan.errors,
    warnings: plan.warnings,
    registered: 0,
    measurementsAdded: 0,
  };
  const total = sheet.rows.length;
  const structureColumn = molfiles ? "molfile" : (mapping.smiles ?? undefined);

  const size = Math.max(1, options.batchSize ?? 200);
  const batches: PlannedRow[][] = [];
  for (let i = 0; i < plan.rows.length; i += size) batches.push(plan.rows.slice(i, i + size));
  // Two batches are parsed ahead of the one being written, so the workers always have structures waiting, also at
  // the end of a batch when one worker has finished its share and the other has not.
  const parsing: Promise<Map<PlannedRow, Parsed>>[] = [];
  const parseAhead = (b: number) => {
    if (b >= batches.length) return;
    const promise = parseBatch(db, campaign.id, batches[b]!);
    promise.catch(() => {}); // awaited below, in order; this only keeps a failure from counting as unhandled meanwhile
    parsing.push(promise);
  };
  parseAhead(0);
  parseAhead(1);
  let waitingMs = 0;
  let writingMs = 0;
  for (let b = 0; b < batches.length; b++) {
    const waitStart = performance.now();
    const parsed = await parsing.shift()!;
    const writeStart = performance.now();
    waitingMs += writeStart - waitStart;
    parseAhead(b + 2);
    await db.transaction(async (tx) => {
      await lockCampaignRegistry(tx, campaign.id);
      const rows: PlannedRow[] = [];
      for (const row of batches[b]!) {
        const structure = parsed.get(row);
        if (structure && !structure.ok) result.errors.push(rowError(row.row, structureColumn, structure.error));
        else rows.push(row);
      }
      const structureOf = (row: PlannedRow) => {
        const structure = parsed.get(row);
        return structure?.ok ? structure.result : null;
      };
      if (rows.every((row) => row.code === null && row.aliases.length === 0)) {
        await writeNewStructures(
          tx,
          ctx,
          rows.map((row) => ({ row, parsed: structureOf(row)! })),
          result,
        );
        return;
      }
      for (const row of rows) {
        try {
          const outcome = await tx.transaction((sp) => writeRow(sp, ctx, row, structureOf(row)));
          count(result, outcome);
        } catch (error) {
          const known = toAppError(error);
          if (known === null) throw error; // a database failure: the batch rolls back
          result.errors.push(rowError(row.row, undefined, known));
        }
      }
    });
    writingMs += performance.now() - writeStart;
    options.onProgress?.({ done: Math.min(total, (b + 1) * size), total, waitingMs, writingMs });
  }

  result.failed = new Set(result.errors.map((e) => e.row)).size;
  result.errors.sort((a, b) => a.row - b.row);
  if (result.registered + result.measurementsAdded > 0) {
    await db.insert(events).values({
      kind: "molecules.imported",
      campaignId: campaign.id,
      actorId: actor.id,
      title: `${result.registered} molecules and ${result.measurementsAdded} measurements imported into ${campaign.name}`,
      summary: `${result.imported} rows imported, ${result.unchanged} unchanged, ${result.failed} failed.`,
    });
  }
  if (result.registered + result.measurementsAdded >= ANALYZE_AFTER_ROWS) {
    // Fresh planner statistics for the tables that grew: without them the embedded database (which has no autovacuum)
    // plans queries on the new rows as if the tables were still small, until its periodic analyze.
    await db.execute(sql`analyze molecules, molecule_aliases, measurements`);
  }
  return result;
}

/** An import that adds at least this many rows refreshes the planner's statistics when it is done. */
const ANALYZE_AFTER_ROWS = 1000;

function rowError(row: number, column: string | undefined, error: unknown): SheetRowError {
  const message = error instanceof Error ? error.message.replace(/^\w+: (?=[A-Z0-9])/, "") : String(error);
  const field = isAppError(error) ? Object.keys(error.details?.fields ?? {})[0] : undefined;
  const where = column ?? (field === "id" ? "id" : field === "aliases" ? "aliases" : undefined);
  return where === undefined ? { row, message } : { row, column: where, message };
}

/**
 * Parses the batch's structures in the worker pool, each distinct one once. A row whose ID is registered from the
 * very same SMILES is not parsed again (this makes a re-import fast); writeRow then only checks its aliases and
 * measurements.
 */
async function parseBatch(db: Queryable, campaignId: number, rows: PlannedRow[]): Promise<Map<PlannedRow, Parsed>> {
  const codes = rows.map((r) => r.code).filter((c): c is string => c !== null);
  const known = new Map<string, string | null>();
  if (codes.length > 0) {
    const existing = await db
      .select({ code: molecules.campaignCode, inputSmiles: molecules.inputSmiles })
      .from(molecules)
      .where(and(eq(molecules.campaignId, campaignId), inArray(molecules.campaignCode, codes)));
    for (const m of existing) known.set(m.code, m.inputSmiles);
  }
  // Each distinct structure once, all of the batch in one call so the pool can hand the workers many at a time.
  const keyOf = (row: PlannedRow) => (row.smiles !== null ? `s:${row.smiles}` : `m:${row.molfile}`);
  const todo = rows.filter(
    (row) =>
      (row.smiles !== null || row.molfile !== null) && !(row.code !== null && row.smiles !== null && known.get(row.code) === row.smiles),
  );
  const distinct = new Map<string, PlannedRow>();
  for (const row of todo) if (!distinct.has(keyOf(row))) distinct.set(keyOf(row), row);
  const unique = [...distinct.values()];
  const outcomes = await safeParseMany(unique.map((row) => ({ smiles: row.smiles, molfile: row.molfile })));
  const byKey = new Map<string, Parsed>();
  unique.forEach((row, i) => {
    const outcome = outcomes[i]!;
    byKey.set(keyOf(row), outcome.ok ? outcome : { ok: false, error: toAppError(outcome.error) ?? outcome.error });
  });
  const out = new Map<PlannedRow, Parsed>();
  for (const row of todo) out.set(row, byKey.get(keyOf(row))!);
  return out;
}

function count(result: ImportResult, outcome: RowOutcome): void {
  result.warnings.push(...outcome.warnings);
  if (outcome.registered) result.registered++;
  result.measurementsAdded += outcome.measurementsAdded;
  if (outcome.changed) result.imported++;
  else result.unchanged++;
}

interface RowOutcome {
  warnings: SheetRowError[];
  changed: boolean;
  registered: boolean;
  measurementsAdded: number;
}

async function writeRow(tx: Queryable, ctx: RegistryContext, row: PlannedRow, parsed: SafeParseResult | null): Promise<RowOutcome> {
  const warnings: SheetRowError[] = [];
  let molecule: Pick<Molecule, "id" | "campaignCode" | "idcode"> | null = null;
  let registered = false;
  // The row's own ID, or else the other campaign's IDs it keeps as aliases, name the molecule if it is registered.
  const keys = row.code !== null ? [row.code] : row.foreignIds;
  for (const key of keys) {
    const owner = await codeInUse(tx, ctx.campaign.id, key);
    if (owner === null) continue;
    const [found] = await tx
      .select({ id: molecules.id, campaignCode: molecules.campaignCode, ...identityColumns })
      .from(molecules)
      .where(eq(molecules.campaignCode, owner));
    molecule = found!;
    if (parsed && !isSameStructure(found!, parsed, "exact")) {
      const as = owner === key ? "" : ` (as an alias of ${owner})`;
      throw new AppError("conflict", `${key} is already registered${as} with a different structure.`);
    }
    break;
  }
  if (molecule === null && keys.length > 0 && !parsed) {
    throw new AppError("validation_failed", `${keys[0]} is not registered yet, and this row has no structure.`);
  }
  if (molecule === null && parsed) {
    const duplicate = await findDuplicate(tx, ctx.campaign.id, parsed, "exact");
    if (duplicate && row.code !== null) {
      throw new AppError("conflict", `This structure is already registered as ${duplicate.campaignCode}, not as ${row.code}.`);
    }
    molecule = duplicate;
    if (!molecule) {
      molecule = await insertMolecule(tx, ctx, {
        code: row.code,
        name: row.name,
        series: row.series,
        inputSmiles: row.smiles,
        structure: parsed.structure,
        inchi: parsed.inchi,
        searchRecord: parsed.searchRecord,
        keys: parsed.keys,
        aliases: [],
      });
      registered = true;
      warnings.push(...registrationWarnings(row, molecule.campaignCode, parsed));
    }
  }
  const aliasesAdded = await addAliases(tx, ctx, molecule!, row.aliases);
  const measurementsAdded = await addNewMeasurements(tx, molecule!.id, ctx.actorId, row.measurements);
  return { warnings, changed: registered || aliasesAdded > 0 || measurementsAdded > 0, registered, measurementsAdded };
}

function registrationWarnings(row: PlannedRow, code: string, parsed: SafeParseResult): SheetRowError[] {
  if (!parsed.inchi)
    return [{ row: row.row, message: `${code} was registered without InChI: ${parsed.inchiError ?? "none could be computed"}` }];
  if (row.inchiKey && row.inchiKey !== parsed.inchi.inchiKey) {
    return [
      {
        row: row.row,
        column: "InChIKey",
        message: `${code}: the file's InChIKey ${row.inchiKey} differs from the computed ${parsed.inchi.inchiKey}.`,
      },
    ];
  }
  return [];
}

/**
 * The fast path for sheets of structures without IDs or aliases (a screening set such as the HIV file): one
 * duplicate query, one block of numbers and one insert per batch instead of several statements per row. The rows
 * cannot fail once parsed, so they need no savepoints: the batch's transaction keeps each row whole.
 */
async function writeNewStructures(
  tx: Queryable,
  ctx: RegistryContext,
  rows: { row: PlannedRow; parsed: SafeParseResult }[],
  result: ImportResult,
): Promise<void> {
  if (rows.length === 0) return;
  const registered = await registeredStructures(tx, ctx.campaign.id, rows.map((r) => r.parsed));
  const registeredAs = (r: (typeof rows)[number]) => registered.find(r.parsed);
  const identity = (r: (typeof rows)[number]) => (r.parsed.keys ? `k:${r.parsed.keys.key}` : `i:${r.parsed.structure.idcode}`);
  const firstOfIdentity = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!firstOfIdentity.has(identity(r))) firstOfIdentity.set(identity(r), r);
  const fresh = rows.filter((r) => registeredAs(r) === undefined && firstOfIdentity.get(identity(r)) === r);
  if (fresh.length > 0) {
    const first = await allocateNumbers(tx, ctx.campaign.id, ctx.prefix, ctx.defaultSite, fresh.length);
    const values = fresh.map((r, i) => {
      const id = {
        code: formatCampaignId({ prefix: ctx.prefix, site: ctx.defaultSite, number: first + i }),
        site: ctx.defaultSite,
        number: first + i,
      };
      return moleculeValues(ctx, id, {
        name: r.row.name,
        series: r.row.series,
        inputSmiles: r.row.smiles,
        structure: r.parsed.structure,
        inchi: r.parsed.inchi,
        searchRecord: r.parsed.searchRecord,
        keys: r.parsed.keys,
        aliases: [],
      });
    });
    const inserted = await tx
      .insert(molecules)
      .values(values)
      .returning({ id: molecules.id, idcode: molecules.idcode, key: molecules.registryKey, code: molecules.campaignCode });
    inserted.forEach((m, i) => {
      registered.add(m);
      result.warnings.push(...registrationWarnings(fresh[i]!.row, m.code, fresh[i]!.parsed));
    });
  }
  const registeredRows = new Set(fresh);
  for (const r of rows) {
    const added = await addNewMeasurements(tx, registeredAs(r)!, ctx.actorId, r.row.measurements);
    count(result, {
      warnings: [],
      registered: registeredRows.has(r),
      measurementsAdded: added,
      changed: registeredRows.has(r) || added > 0,
    });
  }
}

const measurementKey = (m: Omit<PlannedMeasurement, "value"> & { value: number }) =>
  JSON.stringify([m.assay, m.target, m.lab, m.value, m.unit, m.qualifier, m.measuredOn]);

/** Adds the measurements the molecule does not have yet: identical ones (all fields equal) are not added twice. */
async function addNewMeasurements(
  tx: Queryable,
  moleculeId: number,
  actorId: number,
  planned: readonly PlannedMeasurement[],
): Promise<number> {
  if (planned.length === 0) return 0;
  const stored = await tx
    .select({
      assay: measurements.assay,
      target: measurements.target,
      lab: measurements.lab,
      value: measurements.value,
      unit: measurements.unit,
      qualifier: measurements.qualifier,
      measuredOn: measurements.measuredOn,
    })
    .from(measurements)
    .where(eq(measurements.moleculeId, moleculeId));
  const seen = new Set(stored.map(measurementKey));
  const fresh = planned.filter((m) => {
    const key = measurementKey(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (fresh.length > 0) await tx.insert(measurements).values(fresh.map((m) => ({ ...m, moleculeId, addedById: actorId })));
  return fresh.length;
}
