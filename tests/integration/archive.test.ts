// The complete campaign archive: a campaign with entries and revisions, an attachment, a wiki page, molecules with an
// alias and results, a to-do, a discussion, a prediction set and its hash chain is exported, restored into an empty notebook (of each
// database kind) and exported again: every file is byte for byte the same, and the chain verifies there. The verify
// script inside the archive checks an extracted copy with Node alone, and finds a record rewritten in the copy. An
// archive whose file does not match its manifest, or a campaign already present, is refused with nothing written.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/index";
import { exportArchive, importArchive } from "@/db/queries/archive";
import { addAttachment } from "@/db/queries/attachments";
import { createComment } from "@/db/queries/comments";
import { createPage } from "@/db/queries/wiki";
import { campaigns } from "@/db/schema";
import { createCommentInput } from "@/lib/contract/comments";
import { createPageInput } from "@/lib/contract/wiki";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseInput } from "@/lib/validation";
import { describeEachDatabase, testDatabases } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import {
  addMeasurement,
  connectRepository,
  createEntry,
  createTodo,
  registerMolecule,
  setScoringSettings,
  submitPredictions,
  updateEntry,
} from "./support/use-cases";

const run = promisify(execFile);

afterAll(async () => {
  await closeSharedChemPool();
});

const today = () => new Date().toISOString().slice(0, 10);

async function richCampaign(db: Db) {
  const chemist = await makeUser(db, "ada-bench");
  const reader = await makeUser(db, "reader");
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], `A${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const entry = await createEntry(db, chemist, {
    campaign: made.slug,
    date: today(),
    title: "SNAr with 2-phenylethanol",
    body: "NaH, THF, 0 °C.",
  });
  await updateEntry(db, chemist, entry.id, { body: "NaH, THF, 0 °C; 3 h at rt. See [[Ethers]].", baseRevision: entry.revisionId });
  await addAttachment(db, chemist, entry.id, { name: "tlc.csv", type: "text/csv", data: strToU8("rf,spot\n0.42,product\n") });
  await createPage(db, chemist, made.slug, parseInput(createPageInput, { title: "Ethers", body: "```molecules\nlimit: 3\n```" }));
  const a = (
    await registerMolecule(db, chemist, {
      campaign: made.slug,
      smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
      aliases: ["MMV669848"],
    })
  ).molecule;
  await addMeasurement(db, chemist, a.code, { assay: "IC50", target: "Pfal", value: 0.534, unit: "µM", entryId: entry.id });
  await connectRepository(db, made.maintainer, made.slug, {
    repository: "osm/series-4",
    authKind: "token",
    token: "ghp_never-in-an-archive",
  });
  await createTodo(db, chemist, made.slug, { title: `Resynthesize ${a.code}`, body: "For the in vivo study; see [[Ethers]]." });
  // A sealed forecast, by ID and by a SMILES not registered, and the campaign's scoring settings.
  await submitPredictions(db, reader, {
    campaign: made.slug,
    assay: "Pfal IC50",
    details: { name: "First guess", unit: "pIC50", description: "By eye." },
    csv: `molecule,smiles,value\n${a.code},,6.4\n,Clc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23,7.1\n`,
  });
  await setScoringSettings(db, made.maintainer, made.slug, { topK: 10 });
  await createComment(
    db,
    reader,
    parseInput(createCommentInput, { target: { kind: "entry", id: entry.id }, body: "Was the THF dry?", question: true }),
  );
  return { ...made, chemist };
}

/** The archive's files by path inside its folder. */
function filesOf(bytes: Uint8Array): Record<string, Uint8Array> {
  const all = unzipSync(bytes);
  return Object.fromEntries(Object.entries(all).map(([name, data]) => [name.slice(name.indexOf("/") + 1), data]));
}

describeEachDatabase("the campaign archive", (get) => {
  it("restores into an empty notebook of each kind exactly, and the chain verifies there", async () => {
    const { db } = get();
    const w = await richCampaign(db);
    const first = await exportArchive(db, w.slug);
    expect(first.report.ok).toBe(true);
    const files = filesOf(first.bytes);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
      tables: Record<string, number>;
      chain: { links: number; head: string };
    };
    expect(manifest.tables).toMatchObject({
      entries: 2,
      revisions: 3,
      attachments: 1,
      molecules: 1,
      molecule_aliases: 1,
      measurements: 1,
      todos: 1,
      comments: 1,
      prediction_sets: 1,
      prediction_rows: 2,
      prediction_settings: 1,
    });
    expect(manifest.chain.links).toBe(6); // 3 revisions, 1 molecule, 1 measurement, 1 prediction set
    expect(
      strFromU8(
        files["files/attachments/" + (JSON.parse(strFromU8(files["data/attachments.json"]!)) as { id: number }[])[0]!.id + "/tlc.csv"]!,
      ),
    ).toContain("0.42,product");
    expect(strFromU8(first.bytes.slice(0))).not.toContain("ghp_never-in-an-archive");

    for (const target of testDatabases) {
      const empty = await target.open();
      try {
        const restored = await importArchive(empty.db, first.bytes);
        expect(restored.report).toMatchObject({ ok: true, links: 6, head: manifest.chain.head });
        const again = await exportArchive(empty.db, w.slug);
        // Zero differences: every file of the second export is the first's, byte for byte.
        const second = filesOf(again.bytes);
        expect(Object.keys(second).sort()).toEqual(Object.keys(files).sort());
        for (const [name, data] of Object.entries(files))
          expect(strFromU8(second[name]!), `${name} after a restore into ${target.name}`).toBe(strFromU8(data));
        // Restored ids are taken: a new entry there gets a new id, not a restored one.
        const [campaign] = await empty.db.select().from(campaigns).where(eq(campaigns.slug, w.slug));
        const chemist = {
          id: (JSON.parse(strFromU8(files["data/users.json"]!)) as { id: number; login: string }[]).find(
            (u) => u.login === w.chemist.login,
          )!.id,
          login: w.chemist.login,
        };
        const next = await createEntry(empty.db, chemist, {
          campaign: campaign!.slug,
          date: today(),
          title: "After the restore",
          body: ".",
        });
        expect(next.id).toBeGreaterThan(
          Math.max(...(JSON.parse(strFromU8(files["data/entries.json"]!)) as { id: number }[]).map((e) => e.id)),
        );
        // Restoring it again is refused: the campaign is there now.
        await rejects(importArchive(empty.db, first.bytes), "conflict", /already has a campaign/);
      } finally {
        await empty.close();
      }
    }
  });

  it("refuses an archive whose files do not match its manifest, with nothing written", async () => {
    const { db } = get();
    const w = await richCampaign(db);
    const { bytes } = await exportArchive(db, w.slug);
    const entries = unzipSync(bytes);
    const name = Object.keys(entries).find((n) => n.endsWith("data/measurements.json"))!;
    entries[name] = strToU8(strFromU8(entries[name]!).replace("0.534", "0.0534"));
    const empty = await openDatabase({ kind: "pglite" });
    try {
      await rejects(importArchive(empty.db, zipSync(entries)), "validation_failed", /data\/measurements\.json does not match its SHA-256/);
      expect(await empty.db.select().from(campaigns)).toEqual([]);
      await rejects(importArchive(empty.db, strToU8("not a zip")), "validation_failed", /not a zip file/);
    } finally {
      await empty.close();
    }
  });
});

it("verifies an extracted archive with its own script and Node alone, and finds a rewritten record", async () => {
  const database = await openDatabase({ kind: "pglite" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "nb-archive-"));
  try {
    const w = await richCampaign(database.db);
    const { bytes } = await exportArchive(database.db, w.slug);
    for (const [name, data] of Object.entries(unzipSync(bytes))) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), data);
    }
    const root = path.join(dir, `${w.slug}-archive`);
    const ok = await run(process.execPath, [path.join(root, "verify.mjs"), root]);
    expect(ok.stdout).toMatch(/^OK: \d+ files match the manifest; 6 chain links verify; head [0-9a-f]{64}/);

    // Someone rewrites a result in their copy, and fixes the manifest's hash so the file check passes.
    const recordsPath = path.join(root, "integrity", "records.json");
    const rewritten = readFileSync(recordsPath, "utf8").replace('"value": 0.534', '"value": 0.0534');
    writeFileSync(recordsPath, rewritten);
    const manifestPath = path.join(root, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: { path: string; sha256: string }[] };
    manifest.files.find((f) => f.path === "integrity/records.json")!.sha256 = crypto.createHash("sha256").update(rewritten).digest("hex");
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const broken = await run(process.execPath, [path.join(root, "verify.mjs"), root]).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(broken?.code).toBe(1);
    expect(broken?.stdout).toMatch(/^CHAIN BROKEN at link \d+ \(measurement \d+\): the record was changed after it was sealed/);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
