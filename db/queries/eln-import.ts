// Over 400 lines on purpose: one import, whose steps before the transaction (structures read in the sandbox) and in
// it (molecules, entries with their files, reactions and comments, measurements) share the same bookkeeping.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { type Actor, requireActor, requireMember } from "@/lib/auth/policy";
import { isElnError, type ElnDataset, type ElnMolecule, type ElnPackage } from "@/lib/eln/model";
import { importedBody, importedComment, provenanceMessage } from "@/lib/eln/provenance";
import { readElnInSandbox } from "@/lib/eln/sandbox";
import type { ElnImportResultBody } from "@/lib/contract/eln";
import { cleanFilename, contentTypeFor } from "@/lib/entries/attachments";
import { BODY_MAX, today } from "@/lib/entries/input";
import { AppError, toAppError } from "@/lib/errors";
import { canonicalCode, tryParseCampaignId } from "@/lib/molecules/campaign-id";
import { safeParseMany, type SafeParseResult } from "@/lib/sandbox/pool";
import { reactionInput, withIds, type ParsedReactionInput } from "@/lib/stoichiometry/input";
import {
  moleculesOf,
  resolveReactions,
  type RowStructure,
  type StoredReaction,
  type StructureResolver,
} from "@/lib/stoichiometry/reaction";
import { schemeComponents } from "@/lib/stoichiometry/scheme";
import type { Queryable } from "../index";
import { attachments, commentVersions, comments, entries, events, molecules, revisions } from "../schema";
import { requireCampaign, roleIn } from "./campaigns";
import { addImportedMeasurements } from "./measurements";
import { recordMentions, recordPageLinks } from "./mentions";
import { addAliases, findDuplicate, insertMolecule, isSameStructure, registryContext } from "./molecules/writes";
import { codeInUse, lockCampaignRegistry } from "./molecules/registry";
import { registryResolver } from "./reactions";

/**
 * Imports an .eln archive into a campaign (members only), all or nothing. The archive is read in the sandbox
 * (lib/eln: unzipped under caps, paths and hashes checked, mapped); every structure it names is read in the sandbox
 * too; then one transaction registers its molecules through the registry (a structure already registered is linked;
 * a campaign ID of this campaign is kept, any other becomes an alias), writes each experiment as an entry with its
 * first revision, attachments, reactions and comments, and adds the measurements. The importing member is the
 * author of everything written; the original authors and dates are kept visibly (lib/eln/provenance.ts). What the
 * archive holds that has no place here comes back in `skipped`, what failed (an unreadable structure, a reaction
 * that does not compute) in `errors`; a refused archive (ElnError) writes nothing.
 */

type Item = { item: string; reason: string };

/** An archive's refusal as the client gets it: too large is a 413, everything else about the archive a 422. */
export function elnAppError(error: unknown): unknown {
  if (!isElnError(error)) return error;
  return error.code === "too_large"
    ? new AppError("payload_too_large", error.message, { fields: { file: error.message } })
    : new AppError("validation_failed", error.message, { fields: { file: error.message } });
}

interface PlannedReaction {
  input: ParsedReactionInput & { id: string };
  /** Row index → the File @id its spectrum names (mapped to the attachment once it is written). */
  spectra: Map<number, string>;
}

export async function importEln(
  db: Queryable,
  actor: Actor,
  slug: string,
  archive: Uint8Array | (() => Promise<Uint8Array>),
  options: { signal?: AbortSignal } = {},
): Promise<ElnImportResultBody> {
  requireActor(actor);
  const campaign = await requireCampaign(db, slug);
  requireMember(await roleIn(db, campaign.id, actor.id), campaign.name);
  let pkg: ElnPackage;
  try {
    // A request's body is read only now: someone who may not import is refused before uploading 200 MB.
    const bytes = typeof archive === "function" ? await archive() : archive;
    pkg = await readElnInSandbox(bytes, { signal: options.signal });
  } catch (error) {
    throw elnAppError(error);
  }
  const skipped: Item[] = pkg.skipped.map((s) => ({ item: s.item, reason: s.reason }));
  const errors: Item[] = [];

  // Structures first, in the sandbox, before any lock is taken.
  const structureOf = new Map<ElnMolecule, SafeParseResult>();
  const readable = pkg.molecules.filter((m) => {
    if (m.smiles || m.molfile) return true;
    skipped.push({ item: m.id, reason: "a molecule without a structure (no SMILES or molfile)" });
    return false;
  });
  const parsed = await safeParseMany(readable.map((m) => (m.molfile ? { molfile: m.molfile } : { smiles: m.smiles })));
  readable.forEach((m, i) => {
    const outcome = parsed[i]!;
    if (outcome.ok) structureOf.set(m, outcome.result);
    else errors.push({ item: m.id, reason: `${m.code ?? m.name ?? "a structure"} cannot be read: ${outcome.error.message}` });
  });
  const reactionsOf = new Map<ElnDataset, PlannedReaction[]>();
  for (const d of pkg.datasets) reactionsOf.set(d, planReactions(d, errors));
  const smiles = new Set<string>();
  for (const planned of reactionsOf.values()) {
    for (const { input } of planned) {
      if (input.smiles) for (const c of safeComponents(input.smiles)) smiles.add(c);
      for (const row of input.rows) if (row.smiles && !row.molecule) smiles.add(row.smiles);
    }
  }
  const smilesList = [...smiles];
  const smilesRead = new Map<string, Omit<RowStructure, "molecule"> | { error: string }>();
  (
    await safeParseMany(
      smilesList.map((s) => ({ smiles: s })),
      { inchi: false },
    )
  ).forEach((o, i) => {
    smilesRead.set(
      smilesList[i]!,
      o.ok
        ? {
            smiles: o.result.structure.smiles,
            idcode: o.result.structure.idcode,
            formula: o.result.structure.formula,
            mw: o.result.structure.averageMass,
          }
        : { error: o.error.message },
    );
  });

  const result: ElnImportResultBody = {
    format: "eln",
    source: pkg.source,
    license: pkg.license,
    imported: { entries: 0, attachments: 0, comments: 0, reactions: 0, molecules: 0, moleculesLinked: 0, measurements: 0 },
    entries: [],
    molecules: [],
    skipped,
    errors,
  };

  await db.transaction(async (tx) => {
    await lockCampaignRegistry(tx, campaign.id);
    const ctx = await registryContext(tx, campaign, actor.id);
    // 1. Molecules: this campaign's ID kept, an existing structure linked, otherwise a new number.
    const codeMap = new Map<string, string>();
    const moleculeIds = new Map<ElnMolecule, number>();
    for (const m of readable) {
      const structure = structureOf.get(m);
      if (!structure) continue;
      const wanted = m.code ? canonicalCode(m.code) : null;
      const ours = wanted !== null && ctx.owned.has(tryParseCampaignId(wanted)!.prefix);
      let target: { id: number; campaignCode: string } | null = null;
      let free = ours;
      if (ours) {
        const holder = await codeInUse(tx, campaign.id, wanted);
        if (holder !== null) {
          free = false;
          const [row] = await tx.select().from(molecules).where(eq(molecules.campaignCode, holder));
          if (row && isSameStructure(row, structure, "exact")) target = row;
          else
            errors.push({ item: m.id, reason: `${wanted} is another structure here; this one gets a new ID, with ${wanted} as an alias` });
        }
      }
      target ??= await findDuplicate(tx, campaign.id, structure, "exact");
      const registered = target === null;
      if (target === null) {
        target = await insertMolecule(tx, ctx, {
          code: free ? wanted : null,
          name: m.name?.slice(0, 200) ?? null,
          series: m.series?.slice(0, 100) ?? null,
          inputSmiles: m.molfile ? null : (m.smiles?.trim() ?? null),
          structure: structure.structure,
          inchi: structure.inchi,
          searchRecord: structure.searchRecord,
          keys: structure.keys,
          aliases: [],
        });
        result.imported.molecules++;
      } else result.imported.moleculesLinked++;
      moleculeIds.set(m, target.id);
      if (m.code) codeMap.set(m.code, target.campaignCode);
      if (m.inchiKey && structure.inchi && m.inchiKey !== structure.inchi.inchiKey) {
        errors.push({ item: m.id, reason: `the archive's InChIKey ${m.inchiKey} differs from the computed ${structure.inchi.inchiKey}` });
      }
      result.molecules.push({ id: m.id, code: target.campaignCode, registered, source: m.code ?? m.name ?? m.id });
      const aliases = [...m.aliases, ...(m.code && m.code !== target.campaignCode ? [m.code] : [])];
      for (const alias of aliases) {
        try {
          await tx.transaction((sp) => addAliases(sp, ctx, target, [alias.slice(0, 100)]));
        } catch (error) {
          const known = toAppError(error);
          if (known === null) throw error;
          errors.push({ item: m.id, reason: `alias ${alias} not kept: ${known.message}` });
        }
      }
    }

    // 2. Entries, each with its first revision, files, reactions and comments.
    const entryIds = new Map<string, number>();
    for (const d of pkg.datasets) {
      const id = await writeEntry(tx, actor, campaign.id, pkg, d, reactionsOf.get(d)!, codeMap, smilesRead, result);
      entryIds.set(d.id, id);
    }

    // 3. Measurements, linked to the entry that reports them.
    for (const [m, moleculeId] of moleculeIds) {
      const list = m.measurements.flatMap((x) => {
        const problem = !x.assay ? "no assay" : (x.unit?.length ?? 0) > 24 ? "a unit over 24 characters" : null;
        if (problem) {
          errors.push({ item: m.id, reason: `a measurement with ${problem} was not imported` });
          return [];
        }
        return [
          {
            ...x,
            target: x.target?.slice(0, 100) ?? null,
            lab: x.lab?.slice(0, 100) ?? null,
            entryId: x.dataset ? (entryIds.get(x.dataset) ?? null) : null,
          },
        ];
      });
      result.imported.measurements += await addImportedMeasurements(tx, moleculeId, actor.id, list);
    }
    if (result.imported.molecules + result.imported.measurements > 0) {
      await tx.insert(events).values({
        kind: "molecules.imported",
        campaignId: campaign.id,
        actorId: actor.id,
        title: `${result.imported.molecules} molecules and ${result.imported.measurements} measurements imported into ${campaign.name}`,
        summary: `From an .eln archive of ${pkg.source}.`,
      });
    }
  });
  return result;
}

/** Reaction blocks checked with the entry schema (spectra set aside until their files are attachments). */
function planReactions(d: ElnDataset, errors: Item[]): PlannedReaction[] {
  const planned: { input: ParsedReactionInput; spectra: Map<number, string> }[] = [];
  d.reactions.forEach((raw, i) => {
    const spectra = new Map<number, string>();
    const copy = typeof raw === "object" && raw !== null ? { ...(raw as Record<string, unknown>) } : raw;
    if (typeof copy === "object" && copy !== null && Array.isArray((copy as { rows?: unknown }).rows)) {
      (copy as { rows: unknown[] }).rows = (copy as { rows: unknown[] }).rows.map((row, j) => {
        if (typeof row !== "object" || row === null) return row;
        const { spectrum, ...rest } = row as Record<string, unknown>;
        if (typeof spectrum === "string") spectra.set(j, spectrum);
        return rest;
      });
    }
    const checked = reactionInput.safeParse(copy);
    if (checked.success) planned.push({ input: checked.data, spectra });
    else
      errors.push({
        item: d.id,
        reason: `reaction ${i + 1} not imported: ${checked.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`,
      });
  });
  const ids = withIds(planned.map((p) => p.input));
  return planned.map((p, i) => ({ input: ids[i]!, spectra: p.spectra }));
}

function safeComponents(smiles: string): string[] {
  try {
    return schemeComponents(smiles).map((c) => c.smiles);
  } catch {
    return [];
  }
}

/** Body text as an entry may hold it: characters XML (and so the feeds) cannot carry removed, at most BODY_MAX. */
function storable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").slice(0, BODY_MAX);
}

async function writeEntry(
  tx: Queryable,
  actor: NonNullable<Actor>,
  campaignId: number,
  pkg: ElnPackage,
  d: ElnDataset,
  planned: PlannedReaction[],
  codeMap: Map<string, string>,
  smilesRead: Map<string, Omit<RowStructure, "molecule"> | { error: string }>,
  result: ElnImportResultBody,
): Promise<number> {
  const title =
    d.title
      .replace(/[\u0000-\u001f]/g, " ")
      .trim()
      .slice(0, 200) || "Untitled experiment";
  const full = importedBody(pkg, d);
  const body = storable(full);
  if (body.length < full.length - 64)
    result.skipped.push({ item: d.id, reason: `text cut to ${BODY_MAX.toLocaleString("en")} characters` });
  const workDate = d.workDate ?? today();
  if (!d.workDate) result.skipped.push({ item: d.id, reason: `no usable date of work (${d.dateCreated ?? "none given"}): dated today` });
  const [entry] = await tx
    .insert(entries)
    .values({ campaignId, kind: "entry", authorId: actor.id, workDate, title, body, reactions: [] })
    .returning({ id: entries.id });
  const entryId = entry!.id;
  const fileIds = new Map<string, number>();
  for (const file of d.files) {
    const filename = cleanFilename(file.name);
    const [row] = await tx
      .insert(attachments)
      .values({
        entryId,
        uploaderId: actor.id,
        filename,
        contentType: contentTypeFor(filename, file.encodingFormat?.split(";")[0]?.trim() ?? undefined),
        size: file.data.byteLength,
        sha256: file.sha256,
        data: file.data,
      })
      .returning({ id: attachments.id });
    fileIds.set(file.id, row!.id);
    result.imported.attachments++;
  }
  const reactions = await storedReactions(tx, campaignId, d, planned, codeMap, fileIds, smilesRead, result);
  const [revision] = await tx
    .insert(revisions)
    .values({ entryId, number: 1, authorId: actor.id, title, body, reactions, message: provenanceMessage(pkg, d) })
    .returning({ id: revisions.id });
  await tx.update(entries).set({ currentRevisionId: revision!.id, revisionCount: 1, reactions }).where(eq(entries.id, entryId));
  await recordMentions(tx, entryId, [title, body, ...moleculesOf(reactions)].join("\n"));
  await recordPageLinks(tx, entryId, campaignId, body);
  await tx.insert(events).values({
    kind: "entry.created",
    campaignId,
    actorId: actor.id,
    entryId,
    revisionId: revision!.id,
    title,
    summary: body.slice(0, 400),
  });
  for (const c of d.comments) {
    const text = storable(importedComment(pkg, c)).slice(0, 20_000);
    const [row] = await tx
      .insert(comments)
      .values({ campaignId, targetKind: "entry", entryId, authorId: actor.id, body: text })
      .returning({ id: comments.id });
    await tx.insert(commentVersions).values({ commentId: row!.id, number: 1, body: text });
    result.imported.comments++;
  }
  result.imported.entries++;
  result.imported.reactions += reactions.length;
  result.entries.push({ id: entryId, title, path: `/entries/${entryId}`, source: d.id });
  return entryId;
}

/**
 * The entry's reactions resolved inside the transaction: rows naming a molecule of the archive name it by its ID
 * here, spectra name the attachments just written, SMILES come from the sandbox's reading made before the
 * transaction (and link to registered molecules, as a save does). A reaction that does not compute is reported and
 * left out; the others are kept.
 */
async function storedReactions(
  tx: Queryable,
  campaignId: number,
  d: ElnDataset,
  planned: PlannedReaction[],
  codeMap: Map<string, string>,
  fileIds: Map<string, number>,
  smilesRead: Map<string, Omit<RowStructure, "molecule"> | { error: string }>,
  result: ElnImportResultBody,
): Promise<StoredReaction[]> {
  if (!planned.length) return [];
  const registry = registryResolver(tx, campaignId);
  const resolver: StructureResolver = {
    molecule: (key) => registry.molecule(key),
    async smiles(list) {
      const read = list.map((s) => smilesRead.get(s) ?? { error: "was not read" });
      const idcodes = [...new Set(read.flatMap((r) => ("idcode" in r ? [r.idcode] : [])))];
      const found = idcodes.length
        ? await tx
            .select({ idcode: molecules.idcode, code: molecules.campaignCode })
            .from(molecules)
            .where(and(eq(molecules.campaignId, campaignId), inArray(molecules.idcode, idcodes), isNull(molecules.parentMoleculeId)))
        : [];
      const byIdcode = new Map(found.map((f) => [f.idcode, f.code]));
      return read.map((r) => ("error" in r ? r : { ...r, molecule: byIdcode.get(r.idcode) ?? null }));
    },
  };
  const inputs = planned.map(({ input, spectra }) => ({
    ...input,
    rows: input.rows.map((row, j) => {
      const file = spectra.get(j);
      return {
        ...row,
        molecule: row.molecule ? (codeMap.get(row.molecule) ?? row.molecule) : row.molecule,
        ...(file !== undefined && fileIds.has(file) ? { spectrum: fileIds.get(file)! } : {}),
      };
    }),
  }));
  let keep = inputs;
  while (keep.length) {
    const { reactions, problems } = await resolveReactions(keep, resolver);
    if (!problems.length) return reactions;
    const bad = new Set(problems.map((p) => Number(/^reactions\.(\d+)/.exec(p.field)?.[1] ?? -1)));
    // A problem that names no reaction: none of them is kept (this cannot loop).
    const all = bad.has(-1);
    keep.forEach((r, i) => {
      if (!all && !bad.has(i)) return;
      const messages = problems
        .filter((p) => all || p.field.startsWith(`reactions.${i}.`) || p.field === `reactions.${i}`)
        .map((p) => p.message);
      result.errors.push({ item: d.id, reason: `reaction “${r.title ?? r.id}” not imported: ${messages.join("; ")}` });
    });
    keep = all ? [] : keep.filter((_, i) => !bad.has(i));
  }
  return [];
}
