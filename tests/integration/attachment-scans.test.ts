// The background scan of pictures attached to entries (issue 18), on both databases, with the real OSRA and the real
// chemistry sandbox: queued once, claimed by one process at a time, taken over when a process dies mid-scan (and the
// dead process's late answer is not written), final on pictures at fault, retried otherwise; what it finds is on the
// entry, in its API answer, and in structure search when asked for. Needs OSRA (CI's .ci/run installs it).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import * as recognizedRoute from "@/app/api/v1/entries/[id]/recognized/route";
import * as searchRoute from "@/app/api/v1/search/molecules/route";
import { useDatabase, type Db } from "@/db/index";
import { addAttachment } from "@/db/queries/attachments";
import { claimScans, entryRecognized, queueScans, rescanPictures, runDueScans, scanClaimed } from "@/db/queries/attachment-scans";
import { deleteEntry } from "@/db/queries/entries";
import { picturesShowing, searchRecognized } from "@/db/queries/recognized-search";
import { attachmentScans, recognizedStructures } from "@/db/schema";
import { getRDKit } from "@/lib/chem/inchi";
import { findExecutable } from "@/lib/ocsr/child";
import type { EntryRecognitionBody } from "@/lib/contract/ocsr";
import type { SearchResultBody } from "@/lib/contract/search";
import { MAX_SCAN_ATTEMPTS } from "@/lib/ocsr/scan";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { render, STYLES } from "../bench/ocsr-render";
import { pixelBomb, seriesFourCompound } from "../unit/ocsr/pictures";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry } from "./support/molecules";
import { makeUser } from "./support/seed";
import { createEntry, registerMolecule } from "./support/use-cases";

const { smiles, inchikey } = seriesFourCompound();

let picture: Uint8Array;
beforeAll(async () => {
  if (findExecutable("osra") === null) throw new Error("osra is not installed: install it with `apt-get install osra` (CI's .ci/run does)");
  picture = (
    await render(
      smiles,
      STYLES.find((s) => s.name === "ocl-300")!,
      await getRDKit(),
      1,
    )
  ).bytes;
});
afterAll(async () => {
  await closeSharedChemPool();
});

async function scanOf(db: Db, attachmentId: number) {
  const [row] = await db.select().from(attachmentScans).where(eq(attachmentScans.attachmentId, attachmentId));
  return row!;
}

describeEachDatabase("scanning the pictures attached to entries", (get) => {
  let db: Db;
  let slug: string;
  let entryId: number;
  let scheme: number;
  let bomb: number;
  let chemist: Awaited<ReturnType<typeof makeUser>>;
  beforeAll(async () => {
    useDatabase(get());
    db = get().db;
    chemist = await makeUser(db, "chemist");
    ({ slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]));
    const entry = await createEntry(db, chemist, {
      campaign: slug,
      date: "2024-03-01",
      title: "Scheme from the whiteboard",
      body: "See the photo.",
    });
    entryId = entry.id;
    scheme = (await addAttachment(db, chemist, entry.id, { name: "scheme.png", data: picture })).id;
    bomb = (await addAttachment(db, chemist, entry.id, { name: "huge.png", data: pixelBomb() })).id;
    await addAttachment(db, chemist, entry.id, { name: "notes.txt", data: new TextEncoder().encode("yield 54 %") });
  });

  it("queues each picture once and lets one process at a time claim it", async () => {
    const before = await entryRecognized(db, entryId);
    expect(before.pictures.map((p) => [p.attachment.filename, p.status])).toEqual([
      ["scheme.png", "unscanned"],
      ["huge.png", "unscanned"],
    ]);
    expect(await queueScans(db)).toBeGreaterThanOrEqual(2);
    expect(await queueScans(db)).toBe(0);
    const first = await claimScans(db, "process-a", 1);
    const rest = await claimScans(db, "process-b", 10);
    expect(first).toHaveLength(1);
    expect(rest.map((s) => s.attachmentId)).not.toContain(first[0]!.attachmentId);
    expect(await claimScans(db, "process-c", 10)).toEqual([]);
    // Both claims lapse at once (as if both processes were killed): the pictures are due again.
    await db.update(attachmentScans).set({ claimedUntil: new Date(0), nextAttemptAt: new Date(0) });
  });

  it("takes over a scan whose process died, and the dead process's late answer is not written", { timeout: 180_000 }, async () => {
    const [dead] = await claimScans(db, "dead-process", 1, 1);
    expect(dead!.attachmentId).toBe(scheme); // due first: the lower id
    await new Promise((resolve) => setTimeout(resolve, 20)); // its 1 ms claim lapses
    const takenOver = (await claimScans(db, "live-process", 10)).find((s) => s.attachmentId === dead!.attachmentId);
    expect(takenOver?.attempts).toBe(dead!.attempts + 1);
    const late = await scanClaimed(db, dead!, "dead-process");
    expect(late).toEqual({ attachmentId: scheme, status: "lost", message: "claim lapsed" });
    const claimed = await db.select().from(attachmentScans).where(eq(attachmentScans.claimedBy, "live-process"));
    for (const scan of claimed) await scanClaimed(db, scan, "live-process");
    expect(await db.select().from(recognizedStructures).where(eq(recognizedStructures.attachmentId, scheme))).toHaveLength(1);
  });

  it("records what it found, and a picture at fault as failed for good", async () => {
    const done = await scanOf(db, scheme);
    expect(done).toMatchObject({ status: "done", found: 1, claimedBy: null });
    expect(done.recognizer).toMatch(/^osra \d+\.\d+\.\d+ · notebook \d+$/);
    const failed = await scanOf(db, bomb);
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/megapixel|pixels/i);

    const code = (await registerMolecule(db, chemist, { campaign: slug, smiles })).molecule.code;
    const found = await entryRecognized(db, entryId);
    expect(found.structures).toHaveLength(1);
    const [structure] = found.structures;
    expect(structure).toMatchObject({ page: 1, formula: "C19H11F5N6O2", match: { id: code, path: `/molecules/${code}` } });
    expect(structure!.attachment.filename).toBe("scheme.png");
    const rdkit = await getRDKit();
    const mol = rdkit.get_mol(structure!.smiles)!;
    expect(rdkit.get_inchikey_for_inchi(mol.get_inchi())).toBe(inchikey);
    mol.delete();
    // The molecule page's "In pictures": the entry whose picture shows the registered structure.
    const shown = await picturesShowing(db, structure!.idcode);
    expect(shown).toEqual([
      {
        entry: { id: entryId, title: "Scheme from the whiteboard", date: "2024-03-01", path: `/entries/${entryId}`, campaign: slug },
        attachment: { id: scheme, filename: "scheme.png", path: `/attachments/${scheme}/scheme.png` },
        page: 1,
      },
    ]);
  });

  it("retries a scan that failed for another reason than the picture, then gives up", { timeout: 60_000 }, async () => {
    await rescanPictures(db, { campaign: slug });
    const stopped = AbortSignal.abort();
    for (let attempt = 1; attempt <= MAX_SCAN_ATTEMPTS; attempt++) {
      await db
        .update(attachmentScans)
        .set({ nextAttemptAt: new Date(0) })
        .where(eq(attachmentScans.attachmentId, scheme));
      const scan = (await claimScans(db, "flaky", 10)).find((s) => s.attachmentId === scheme)!;
      expect(scan.attempts).toBe(attempt);
      const outcome = await scanClaimed(db, scan, "flaky", { signal: stopped });
      expect(outcome.status).toBe(attempt < MAX_SCAN_ATTEMPTS ? "retry" : "failed");
      const row = await scanOf(db, scheme);
      if (attempt < MAX_SCAN_ATTEMPTS) expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    }
    // What the last good scan found stays until a scan replaces it.
    expect((await entryRecognized(db, entryId)).structures).toHaveLength(1);
  });

  it("rescans on the admin command, replacing the structures once", { timeout: 180_000 }, async () => {
    const queued = await rescanPictures(db, { campaign: slug });
    expect(queued).toBe(2);
    expect(await rescanPictures(db, { campaign: slug, outdated: true })).toBe(0); // both were read by the installed OSRA
    const outcomes = await runDueScans(db, "rescanner", { limit: 50 });
    expect(outcomes.filter((o) => o.attachmentId === scheme)).toEqual([{ attachmentId: scheme, status: "done", found: 1 }]);
    expect(await db.select().from(recognizedStructures).where(eq(recognizedStructures.attachmentId, scheme))).toHaveLength(1);
    await expect(rescanPictures(db, { campaign: "no-such-campaign" })).rejects.toMatchObject({ code: "not_found" });
  });

  it(
    "finds recognized structures by substructure, exact structure and similarity, apart from the registry",
    { timeout: 60_000 },
    async () => {
      const sub = await searchRecognized(db, { q: "FC(F)Oc1ccccc1", mode: "substructure", threshold: 0.5, campaign: slug });
      expect(sub.total).toBe(1);
      expect(sub.hits[0]).toMatchObject({ formula: "C19H11F5N6O2", entry: { id: entryId, path: `/entries/${entryId}`, campaign: slug } });
      expect(sub.hits[0]!.match?.id).toMatch(/-/);
      const exact = await searchRecognized(db, { q: smiles, mode: "exact", threshold: 0.5, campaign: slug });
      expect(exact.total).toBe(1);
      const similar = await searchRecognized(db, { q: smiles, mode: "similarity", threshold: 0.9, campaign: slug });
      expect(similar.hits[0]?.similarity).toBeCloseTo(1, 6);
      const none = await searchRecognized(db, { q: "C1CCCCC1", mode: "exact", threshold: 0.5, campaign: slug });
      expect(none).toEqual({ hits: [], total: 0 });
    },
  );

  it(
    "answers GET /api/v1/entries/{id}/recognized and structure search with recognized=true over HTTP handlers",
    { timeout: 60_000 },
    async () => {
      const response = await recognizedRoute.GET(new Request(`http://notebook.test/api/v1/entries/${entryId}/recognized`), {
        params: Promise.resolve({ id: String(entryId) }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as EntryRecognitionBody;
      expect(body.pictures.map((p) => [p.attachment.filename, p.status])).toEqual([
        ["scheme.png", "done"],
        ["huge.png", "failed"],
      ]);
      expect(body.structures[0]!.attachment.url).toMatch(new RegExp(`^http://notebook.test/attachments/${scheme}/scheme.png$`));
      expect(body.structures[0]).not.toHaveProperty("idcode");

      const params = new URLSearchParams({ q: "c1ccccc1OC(F)F", mode: "substructure", campaign: slug, recognized: "true" });
      const search = await searchRoute.GET(new Request(`http://notebook.test/api/v1/search/molecules?${params}`), {
        params: Promise.resolve({}),
      });
      expect(search.status).toBe(200);
      const found = (await search.json()) as SearchResultBody;
      expect(found.total).toBe(1); // the registered molecule
      expect(found.recognized?.total).toBe(1);
      expect(found.recognized?.hits[0]?.entry.url).toBe(`http://notebook.test/entries/${entryId}`);
      params.delete("recognized");
      const plain = await searchRoute.GET(new Request(`http://notebook.test/api/v1/search/molecules?${params}`), {
        params: Promise.resolve({}),
      });
      expect(await plain.json()).not.toHaveProperty("recognized");
    },
  );

  it("leaves a deleted entry's pictures out of search and the queue", { timeout: 60_000 }, async () => {
    await deleteEntry(db, chemist, entryId);
    const gone = await searchRecognized(db, { q: smiles, mode: "exact", threshold: 0.5, campaign: slug });
    expect(gone.total).toBe(0);
    const [{ idcode }] = (await db.select({ idcode: recognizedStructures.idcode }).from(recognizedStructures).limit(1)) as [
      { idcode: string },
    ];
    expect(await picturesShowing(db, idcode)).toEqual([]);
    const later = await createEntry(db, chemist, { campaign: slug, date: "2024-03-02", title: "Another", body: "x" });
    const file = await addAttachment(db, chemist, later.id, { name: "scheme-2.png", data: picture });
    await deleteEntry(db, chemist, later.id);
    await queueScans(db);
    expect(await db.select().from(attachmentScans).where(eq(attachmentScans.attachmentId, file.id))).toEqual([]);
  });
});
