import { and, asc, eq, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { classifyScanFailure, MAX_SCAN_ATTEMPTS, recognizerName, SCANNED_TYPES, scanRetryDelayMs, type ScanStatus } from "@/lib/ocsr/scan";
import { osraAvailable, osraVersion } from "@/lib/ocsr/osra";
import { callSandbox, type SandboxControl } from "@/lib/sandbox/call";
import type { Db, Queryable } from "../index";
import { attachments, attachmentScans, campaigns, entries, recognizedStructures, type AttachmentScan } from "../schema";
import { attachmentPath } from "./attachments";
import { resultRows } from "./entry-lists";
import { moleculePath } from "./molecules/index";
import { readPicture, registeredByIdcode } from "./recognize";

// The background scan of pictures attached to entries (issue 18). Every image or PDF attachment gets a row of
// attachment_scans (queued by the runner's sweep, so attachments stored before this existed, restored from an archive
// or added by any path are found the same way); an app process claims due rows (FOR UPDATE SKIP LOCKED, then a lease),
// reads the picture with OSRA (lib/ocsr, in child processes, never in this process) and writes what it found and the
// row's `done` in one transaction, only while its claim holds. A process killed mid-scan leaves a claim that lapses;
// the next process to look scans the picture again, and a result is written once: the transaction replaces the
// attachment's structures and checks the claim, so two scans never both land. Saving an entry never waits for this.

/** How long a claim holds by default (NOTEBOOK_SCAN_CLAIM_SECONDS); the scanning process renews it while it works. */
export const SCAN_CLAIM_MS = 5 * 60_000;
/** One picture's whole recognition (a PDF's pages included). */
export const SCAN_TIME_LIMIT_MS = 120_000;

/**
 * Queues every picture attachment of a live entry that has no scan yet; answers how many were queued. Idempotent,
 * and cheap when there is nothing new (an anti-join on the attachment's primary key).
 */
export async function queueScans(db: Queryable): Promise<number> {
  const queued = await db.execute<{ attachment_id: number }>(sql`
    insert into ${attachmentScans} (attachment_id)
    select a.id from ${attachments} a
      join ${entries} e on e.id = a.entry_id and e.deleted_at is null
      where a.content_type in (${sql.join(
        SCANNED_TYPES.map((t) => sql`${t}`),
        sql`, `,
      )})
        and not exists (select 1 from ${attachmentScans} s where s.attachment_id = a.id)
    on conflict (attachment_id) do nothing
    returning attachment_id`);
  return resultRows(queued).length;
}

/** Claims up to `limit` due scans for `owner` (a lapsed claim is due again) and counts the attempt. */
export async function claimScans(db: Db, owner: string, limit: number, claimMs = SCAN_CLAIM_MS): Promise<AttachmentScan[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: attachmentScans.attachmentId })
      .from(attachmentScans)
      .where(and(eq(attachmentScans.status, "pending"), lte(attachmentScans.nextAttemptAt, sql`now()`)))
      .orderBy(asc(attachmentScans.nextAttemptAt), asc(attachmentScans.attachmentId))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    const until = lease(claimMs);
    return tx
      .update(attachmentScans)
      .set({ claimedBy: owner, claimedUntil: until, nextAttemptAt: until, attempts: sql`${attachmentScans.attempts} + 1` })
      .where(
        inArray(
          attachmentScans.attachmentId,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

const lease = (ms: number) => sql`now() + ${Math.max(1, Math.round(ms))}::integer * interval '1 millisecond'`;

const ours = (scan: AttachmentScan, owner: string) =>
  and(eq(attachmentScans.attachmentId, scan.attachmentId), eq(attachmentScans.claimedBy, owner), eq(attachmentScans.status, "pending"));

export type ScanOutcome =
  | { attachmentId: number; status: "done"; found: number }
  | { attachmentId: number; status: "failed" | "retry" | "waiting" | "lost"; message: string };

/**
 * Scans one claimed attachment and records the outcome while the claim is still `owner`'s: the structures found
 * replace the attachment's earlier ones (a rescan), or the failure is recorded — final when the picture is at fault,
 * retried later otherwise (MAX_SCAN_ATTEMPTS), and not counted as an attempt when OSRA is missing.
 */
export async function scanClaimed(
  db: Db,
  scan: AttachmentScan,
  owner: string,
  options: { timeLimitMs?: number; claimMs?: number; signal?: AbortSignal } = {},
): Promise<ScanOutcome> {
  const id = scan.attachmentId;
  // The claim is renewed while the scan runs, so a short claim (quick takeover after a crash) never lets another
  // process take a live scan over.
  const claimMs = options.claimMs ?? SCAN_CLAIM_MS;
  const heartbeat = setInterval(
    () => {
      void db
        .update(attachmentScans)
        .set({ claimedUntil: lease(claimMs), nextAttemptAt: lease(claimMs) })
        .where(ours(scan, owner))
        .catch(() => {}); // a missed renewal only risks a takeover, whose result is then written once
    },
    Math.max(250, Math.floor(claimMs / 3)),
  );
  try {
    const [file] = await db
      .select({ entryId: attachments.entryId, data: attachments.data, contentType: attachments.contentType })
      .from(attachments)
      .where(eq(attachments.id, id));
    if (!file) throw new AppError("not_found", `Attachment ${id} is gone.`);
    const control: SandboxControl = {
      deadline: Date.now() + (options.timeLimitMs ?? SCAN_TIME_LIMIT_MS),
      signal: options.signal,
      priority: "bulk",
    };
    const { found, warnings } = await readPicture(file.data, file.contentType, control);
    const rows: (typeof recognizedStructures.$inferInsert)[] = [];
    for (const { r, result } of found) {
      const searchRecord =
        result.searchRecord ??
        (await callSandbox<Uint8Array>("record", { idcode: result.structure.idcode, text: result.structure.smiles }, control).catch(
          () => null,
        ));
      rows.push({
        attachmentId: id,
        entryId: file.entryId,
        page: r.page,
        box: r.box,
        smiles: result.structure.smiles,
        idcode: result.structure.idcode,
        formula: result.structure.formula,
        confidence: Math.round(r.confidence * 1000) / 1000,
        votes: r.votes,
        readings: r.readings,
        guessed: r.guessed ?? null,
        searchRecord: searchRecord ? new Uint8Array(searchRecord) : null,
      });
    }
    const recognizer = recognizerName(await osraVersion());
    const landed = await db.transaction(async (tx) => {
      const marked = await tx
        .update(attachmentScans)
        .set({
          status: "done",
          found: rows.length,
          recognizer,
          message: warnings.length > 0 ? warnings.join(" ") : null,
          scannedAt: sql`now()`,
          claimedBy: null,
          claimedUntil: null,
        })
        .where(ours(scan, owner))
        .returning({ id: attachmentScans.attachmentId });
      if (marked.length === 0) return false; // our claim lapsed and another process has the picture
      await tx.delete(recognizedStructures).where(eq(recognizedStructures.attachmentId, id));
      if (rows.length > 0) await tx.insert(recognizedStructures).values(rows);
      return true;
    });
    return landed
      ? { attachmentId: id, status: "done", found: rows.length }
      : { attachmentId: id, status: "lost", message: "claim lapsed" };
  } catch (error) {
    return recordFailure(db, scan, owner, error);
  } finally {
    clearInterval(heartbeat);
  }
}

async function recordFailure(db: Db, scan: AttachmentScan, owner: string, error: unknown): Promise<ScanOutcome> {
  const failure = classifyScanFailure(error);
  const id = scan.attachmentId;
  if (failure.kind === "unavailable") {
    // Not an attempt: the scan waits for OSRA (the runner does not claim while it is missing).
    await db
      .update(attachmentScans)
      .set({ attempts: sql`greatest(${attachmentScans.attempts} - 1, 0)`, claimedBy: null, claimedUntil: null, nextAttemptAt: sql`now()` })
      .where(ours(scan, owner));
    return { attachmentId: id, status: "waiting", message: failure.message };
  }
  const giveUp = failure.kind === "final" || scan.attempts >= MAX_SCAN_ATTEMPTS;
  const recognizer = recognizerName(await osraVersion());
  await db
    .update(attachmentScans)
    .set(
      giveUp
        ? { status: "failed", message: failure.message, recognizer, scannedAt: sql`now()`, claimedBy: null, claimedUntil: null }
        : {
            message: failure.message,
            claimedBy: null,
            claimedUntil: null,
            nextAttemptAt: sql`now() + ${scanRetryDelayMs(scan.attempts)}::integer * interval '1 millisecond'`,
          },
    )
    .where(ours(scan, owner));
  return { attachmentId: id, status: giveUp ? "failed" : "retry", message: failure.message };
}

/**
 * One look of the runner: queue new pictures, then claim and scan due ones one at a time (OSRA already uses both
 * cores on one picture). Does nothing while OSRA is not installed.
 */
export async function runDueScans(
  db: Db,
  owner: string,
  options: { limit?: number; timeLimitMs?: number; claimMs?: number; signal?: AbortSignal } = {},
): Promise<ScanOutcome[]> {
  if (!osraAvailable()) return [];
  await queueScans(db);
  const outcomes: ScanOutcome[] = [];
  for (let i = 0; i < (options.limit ?? 10); i++) {
    if (options.signal?.aborted) break;
    const [scan] = await claimScans(db, owner, 1, options.claimMs);
    if (!scan) break;
    outcomes.push(await scanClaimed(db, scan, owner, { ...options, claimMs: options.claimMs ?? SCAN_CLAIM_MS }));
  }
  return outcomes;
}

/**
 * Queues pictures for scanning again (the admin command, after a better recognizer is installed): all of them, one
 * campaign's, or (`outdated`) only those read by another recognizer than the one installed now. Their current
 * structures stay until the new scan replaces them. Answers how many were queued.
 */
export async function rescanPictures(db: Db, options: { campaign?: string; outdated?: boolean } = {}): Promise<number> {
  await queueScans(db);
  const conditions = [];
  if (options.campaign) {
    const [campaign] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, options.campaign));
    if (!campaign) throw new AppError("not_found", `No campaign "${options.campaign}".`);
    conditions.push(
      inArray(
        attachmentScans.attachmentId,
        db
          .select({ id: attachments.id })
          .from(attachments)
          .innerJoin(entries, eq(entries.id, attachments.entryId))
          .where(eq(entries.campaignId, campaign.id)),
      ),
    );
  }
  if (options.outdated) {
    const current = recognizerName(await osraVersion());
    conditions.push(or(isNull(attachmentScans.recognizer), ne(attachmentScans.recognizer, current)));
  }
  const queued = await db
    .update(attachmentScans)
    .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, claimedBy: null, claimedUntil: null })
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .returning({ id: attachmentScans.attachmentId });
  return queued.length;
}

export interface EntryRecognized {
  /** Every picture attachment of the entry and where its scan stands. */
  pictures: {
    attachment: { id: number; filename: string; path: string };
    status: ScanStatus | "unscanned";
    found: number;
    message: string | null;
    scannedAt: Date | null;
    recognizer: string | null;
  }[];
  structures: {
    id: number;
    attachment: { id: number; filename: string; path: string };
    page: number;
    box: { x: number; y: number; width: number; height: number };
    smiles: string;
    idcode: string;
    formula: string;
    confidence: number;
    agreement: { votes: number; readings: number };
    /** Labels the recognizer could not read, guessed (lib/ocsr/repair.ts). */
    guessed?: { asCarbon: number; leftOut: number };
    match?: { id: string; path: string };
  }[];
}

/** "Structures in attachments" of one entry: its pictures' scans and what they found, matched to the registry now. */
export async function entryRecognized(db: Queryable, entryId: number): Promise<EntryRecognized> {
  const pictures = await db
    .select({ attachment: { id: attachments.id, filename: attachments.filename }, scan: attachmentScans })
    .from(attachments)
    .leftJoin(attachmentScans, eq(attachmentScans.attachmentId, attachments.id))
    .where(and(eq(attachments.entryId, entryId), inArray(attachments.contentType, [...SCANNED_TYPES])))
    .orderBy(asc(attachments.id));
  const rows = await db
    .select({ structure: recognizedStructures, filename: attachments.filename })
    .from(recognizedStructures)
    .innerJoin(attachments, eq(attachments.id, recognizedStructures.attachmentId))
    .where(eq(recognizedStructures.entryId, entryId))
    .orderBy(asc(recognizedStructures.attachmentId), asc(recognizedStructures.page), asc(recognizedStructures.id));
  const matches = await registeredByIdcode(db, [...new Set(rows.map((r) => r.structure.idcode))]);
  const fileOf = (a: { id: number; filename: string }) => ({ id: a.id, filename: a.filename, path: attachmentPath(a) });
  return {
    pictures: pictures.map(({ attachment, scan }) => ({
      attachment: fileOf(attachment),
      status: scan?.status ?? "unscanned",
      found: scan?.found ?? 0,
      message: scan?.message ?? null,
      scannedAt: scan?.scannedAt ?? null,
      recognizer: scan?.recognizer ?? null,
    })),
    structures: rows.map(({ structure: s, filename }) => {
      const match = matches.get(s.idcode);
      return {
        id: s.id,
        attachment: fileOf({ id: s.attachmentId, filename }),
        page: s.page,
        box: s.box,
        smiles: s.smiles,
        idcode: s.idcode,
        formula: s.formula,
        confidence: s.confidence,
        agreement: { votes: s.votes, readings: s.readings },
        ...(s.guessed ? { guessed: s.guessed } : {}),
        ...(match === undefined ? {} : { match: { id: match, path: moleculePath(match) } }),
      };
    }),
  };
}
