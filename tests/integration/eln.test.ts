/**
 * .eln archives on both databases: every example archive of another notebook imports into a campaign (entries with
 * text, dates and original authors, attachments with checked hashes, comments, structures registered, a report of
 * what was not mapped); our export validates; our export imported into an empty notebook gives the same entries,
 * attachments, molecules and measurements, field by field; and each bad archive is refused with nothing written.
 */
import crypto from "node:crypto";
import { asc, count, eq, inArray } from "drizzle-orm";
import { strToU8 } from "fflate";
import { Molecule as OclMolecule } from "openchemlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/index";
import { addAttachment } from "@/db/queries/attachments";
import { requireCampaign } from "@/db/queries/campaigns";
import { createComment } from "@/db/queries/comments";
import { exportCampaignEln, exportEntryEln } from "@/db/queries/eln-export";
import { importEln } from "@/db/queries/eln-import";
import { attachments, comments, entries, measurements, moleculeAliases, molecules, revisions } from "@/db/schema";
import { createCommentInput } from "@/lib/contract/comments";
import { checkElnArchive } from "@/lib/eln/read";
import type { Actor } from "@/lib/auth/policy";
import { parseInput } from "@/lib/validation";
import { readSharedBytes } from "../unit/chem/shared-data";
import { archiveWith, lieAboutSize, lyingBomb, minimalCrate, zip } from "../unit/eln/archives";
import { describeEachDatabase, testDatabases } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, createCampaign, createEntry, registerMolecule, setRegistrySettings, updateEntry } from "./support/use-cases";

const ORIGIN = "https://notebook.example.org";
const example = (name: string) => readSharedBytes(`eln-examples/${name}.eln`);

async function member(db: Db) {
  const chemist = await makeUser(db);
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
  return { chemist, ...made, campaign: await requireCampaign(db, made.slug) };
}

async function entriesOf(db: Db, campaignId: number) {
  return db.select().from(entries).where(eq(entries.campaignId, campaignId)).orderBy(asc(entries.workDate), asc(entries.id));
}

describeEachDatabase(".eln import of other notebooks' archives", (get) => {
  it("eLabFTW: twelve entries with their text, dates, original authors, the file and the comments", async () => {
    const { db } = get();
    const { chemist, slug, campaign } = await member(db);
    const result = await importEln(db, chemist, slug, example("elabftw-export"));
    expect(result.imported).toMatchObject({ entries: 12, attachments: 2, comments: 4, molecules: 0, measurements: 0 });
    expect(result.source).toBe("eLabFTW 5.3.0-alpha6");
    expect(result.errors).toEqual([]);
    expect(result.skipped).toContainEqual({ item: "./Demo - Gold-master-experiment - 4af4da4e/", reason: "not mapped: aggregateRating" });
    const stored = await entriesOf(db, campaign.id);
    const gold = stored.find((e) => e.title === "Gold master experiment")!;
    expect(gold.authorId).toBe(chemist.id); // the importing member is the notebook author...
    expect(gold.workDate).toBe("2025-01-03"); // ...the experiment's own date is the date of work...
    // ...and the original author, dates and source open the text.
    expect(gold.body.split("\n")[0]).toBe(
      "> Imported from an .eln archive of eLabFTW 5.3.0-alpha6 · originally by **Nicola Mohr** · created 2025-09-16T10:32:54+02:00 · last modified 2025-09-16T10:37:05+02:00 · source <https://elab.local:3148/experiments.php?mode=view&id=52> · keywords: generated from yml, test-data, eln, tag with space, special chars {\\[éèÀ®\\]}:\\*\\<\\>×÷±",
    );
    expect(gold.body).toContain("## Steps\n\n- [x] a step");
    const [revision] = await db.select().from(revisions).where(eq(revisions.entryId, gold.id));
    expect(revision!.message).toBe(
      "Imported from eLabFTW 5.3.0-alpha6 (.eln), originally by Nicola Mohr, created 2025-09-16T10:32:54+02:00",
    );
    const [jpg] = await db.select().from(attachments).where(eq(attachments.entryId, gold.id));
    expect(jpg).toMatchObject({
      filename: "example.jpg",
      contentType: "image/jpeg",
      size: 85530,
      sha256: "b73626c9a9ed8561ed6126df2493bc0d84fb8feedc9fe34aed94f7d2d5f4f60f",
    });
    const [note] = await db.select().from(comments).where(eq(comments.entryId, gold.id));
    expect(note!.body).toMatch(
      /^\*\*\*Nicola Mohr\*\* wrote on 2025-09-16T10:32:54\+02:00 \(in eLabFTW 5\.3\.0-alpha6\):\*\n\nGreat results on the DNA extraction/,
    );
  });

  it("AI4Green: the amidation with its reaction table computed, its product registered, its PDF and its comment", async () => {
    const { db } = get();
    const { chemist, slug, campaign } = await member(db);
    const result = await importEln(db, chemist, slug, example("ai4green-workbook"));
    expect(result.imported).toMatchObject({ entries: 1, attachments: 3, comments: 1, reactions: 1, molecules: 1, moleculesLinked: 0 });
    expect(result.errors).toEqual([]);
    const [amidation] = await entriesOf(db, campaign.id);
    expect(amidation).toMatchObject({ title: "Amidation", workDate: "2024-07-18" });
    const [reaction] = amidation!.reactions;
    expect(reaction!.computed.rows[5]!.yieldPercent).toBeCloseTo(81.86, 1); // AI4Green's own figure
    expect(reaction!.computed.reaction.atomEconomyPercent!.toFixed(1)).toBe("23.0");
    const code = result.molecules[0]!.code;
    expect(reaction!.rows[5]!.molecule).toBe(code); // the product row links the molecule just registered
    const [product] = await db.select().from(molecules).where(eq(molecules.campaignCode, code));
    expect(product).toMatchObject({ name: "N-Ethylbenzamide", inputSmiles: "CCN=C(O)c1ccccc1", formula: "C9H11NO" });
  });

  it("RSpace, PASTA and SampleDB: every archive imports, with what could not be mapped reported", async () => {
    const { db } = get();
    const expected: Record<string, { entries: number; attachments: number; comments: number; title: string }> = {
      "rspace-selection": { entries: 3, attachments: 6, comments: 0, title: "Experiment 1" },
      pasta: { entries: 9, attachments: 8, comments: 0, title: "PASTAs Example Project" },
      "sampledb-export": { entries: 2, attachments: 8, comments: 2, title: "OMBE-1" },
    };
    for (const [name, want] of Object.entries(expected)) {
      const { chemist, slug, campaign } = await member(db);
      const result = await importEln(db, chemist, slug, example(name));
      expect(result.imported, name).toMatchObject({ entries: want.entries, attachments: want.attachments, comments: want.comments });
      expect(result.skipped.length, name).toBeGreaterThan(0);
      const stored = await entriesOf(db, campaign.id);
      expect(stored.map((e) => e.title)).toContain(want.title);
      for (const e of stored) expect(e.body.startsWith("> Imported from an .eln archive of ")).toBe(true);
    }
  });
});

describeEachDatabase(".eln refusals", (get) => {
  const tables = [entries, revisions, attachments, comments, molecules, measurements] as const;
  const counts = async (db: Db) => Promise.all(tables.map(async (t) => (await db.select({ n: count() }).from(t))[0]!.n));

  it("refuses each bad archive with a 4xx naming the problem, and writes nothing", async () => {
    const { db } = get();
    const { chemist, slug } = await member(db);
    const before = await counts(db);
    const bad: [string, Uint8Array, "validation_failed" | "payload_too_large", RegExp][] = [
      ["../ in a member", archiveWith({ "test/../../tmp/evil": "x" }), "validation_failed", /points outside the archive/],
      [
        "../ in the crate",
        archiveWith({}, minimalCrate({ fileId: "../../../etc/passwd" })),
        "validation_failed",
        /outside the archive's root folder/,
      ],
      ["absolute path", archiveWith({ "/etc/cron.d/evil": "x" }), "validation_failed", /absolute path/],
      [
        "symlink",
        archiveWith({ "test/exp/link": [strToU8("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }),
        "validation_failed",
        /symbolic link/,
      ],
      ["zip bomb that lies", lyingBomb(), "validation_failed", /inflates to more than the 10 bytes it declares/],
      [
        "zip bomb that declares",
        lieAboutSize(archiveWith(), "test/exp/data.txt", 2 ** 31),
        "validation_failed",
        /would inflate to 2,048 MB/,
      ],
      ["no metadata", zip({ "test/exp/data.txt": "hello" }), "validation_failed", /no test\/ro-crate-metadata.json/],
      ["malformed metadata", zip({ "test/ro-crate-metadata.json": "{ nope" }), "validation_failed", /not valid JSON/],
      ["hash mismatch", archiveWith({}, minimalCrate({ sha256: "f".repeat(64) })), "validation_failed", /SHA-256 .* does not match/],
      ["not a zip", strToU8("%PDF-1.7 hello"), "validation_failed", /not a zip archive/],
      ["over the cap", new Uint8Array(200 * 1024 * 1024 + 1), "payload_too_large", /larger than 200 MB/],
    ];
    for (const [what, bytes, code, message] of bad) {
      const error = await rejects(importEln(db, chemist, slug, bytes), code, message);
      expect(error.details?.fields, what).toHaveProperty("file");
    }
    expect(await counts(db)).toEqual(before);
  });

  it("lets only members import, and only into a campaign that exists", async () => {
    const { db } = get();
    const { slug } = await member(db);
    const outsider = await makeUser(db, "outsider");
    const before = await counts(db);
    await rejects(importEln(db, outsider, slug, archiveWith()), "forbidden");
    await rejects(importEln(db, null, slug, archiveWith()), "unauthorized");
    await rejects(importEln(db, outsider, "no-such-campaign", archiveWith()), "not_found");
    expect(await counts(db)).toEqual(before);
  });
});

const MOLFILE = OclMolecule.fromSmiles("Oc1ccc(cc1)C(=O)N").toMolfile();

/** A campaign with everything an archive carries: molecules (SMILES and drawn), measurements, a reaction, files, comments. */
async function seedSource(db: Db, prefix: string) {
  const chemist = await makeUser(db, "ada");
  const reader = await makeUser(db, "bob");
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], prefix);
  const core = (
    await registerMolecule(db, chemist, {
      campaign: made.slug,
      smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23",
      name: "chloro core",
      series: "Series 4",
      aliases: ["MMV-001"],
    })
  ).molecule;
  const drawn = (await registerMolecule(db, chemist, { campaign: made.slug, molfile: MOLFILE, name: "4-hydroxybenzamide" })).molecule;
  const entry = await createEntry(db, chemist, {
    campaign: made.slug,
    date: "2024-03-05",
    title: "SNAr of the core",
    body: `The SNAr of ${core.code}.\n\n| a | b |\n| - | - |\n| 1 | 2 |`,
  });
  const spectrum = await addAttachment(db, chemist, entry.id, {
    name: "product.jdx",
    type: "chemical/x-jcamp-dx",
    data: strToU8("##TITLE=x\n##END=\n"),
  });
  await addAttachment(db, chemist, entry.id, { name: "tlc.png", type: "image/png", data: new Uint8Array([137, 80, 78, 71, 1, 2, 3]) });
  await updateEntry(db, chemist, entry.id, {
    baseRevision: entry.revisionId,
    reactions: [
      {
        title: "SNAr with 2-phenylethanol",
        rows: [
          { role: "reactant", molecule: core.code, massMg: 250 },
          { role: "reagent", name: "NaH (60 % in oil)", smiles: "[NaH]", purity: 60, equivalents: 1.2 },
          { role: "solvent", name: "THF", volumeUl: 5000 },
          { role: "product", smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23", isolatedMg: 212, spectrum: spectrum.id },
        ],
      },
    ],
  });
  const second = await createEntry(db, chemist, {
    campaign: made.slug,
    date: "2024-03-09",
    title: "Assay results",
    body: `${drawn.code} and ${core.code} in the assay.`,
  });
  await addMeasurement(db, chemist, core.code, {
    assay: "IC50",
    target: "Pfal (3D7)",
    lab: "GSK",
    value: 0.534,
    unit: "µM",
    measuredOn: "2024-03-08",
    entryId: second.id,
  });
  await addMeasurement(db, chemist, core.code, { assay: "IC50", target: "Pfal (K1)", value: 10, unit: "µM", qualifier: ">" });
  await addMeasurement(db, chemist, drawn.code, { assay: "pIC50", value: 5.2, qualifier: "<" });
  await createComment(db, reader, parseInput(createCommentInput, { target: { kind: "entry", id: entry.id }, body: "Was the THF dry?" }));
  return { ...made, chemist };
}

async function snapshot(db: Db, campaignId: number) {
  const list = await entriesOf(db, campaignId);
  const ids = list.map((e) => e.id);
  const files = await db.select().from(attachments).where(inArray(attachments.entryId, ids)).orderBy(asc(attachments.id));
  const mols = await db.select().from(molecules).where(eq(molecules.campaignId, campaignId)).orderBy(asc(molecules.number));
  const molIds = mols.map((m) => m.id);
  const aliases = await db.select().from(moleculeAliases).where(inArray(moleculeAliases.moleculeId, molIds));
  const results = await db.select().from(measurements).where(inArray(measurements.moleculeId, molIds)).orderBy(asc(measurements.id));
  const fileName = new Map(files.map((f) => [f.id, f.filename]));
  const titleOf = new Map(list.map((e) => [e.id, e.title]));
  const codeOf = new Map(mols.map((m) => [m.id, m.campaignCode]));
  return {
    entries: list.map((e) => ({
      title: e.title,
      workDate: e.workDate,
      body: e.body,
      // Attachment ids are the notebook's own: a spectrum is compared by the file it names.
      reactions: e.reactions.map((r) => ({
        ...r,
        rows: r.rows.map((row) => ({ ...row, spectrum: row.spectrum ? fileName.get(row.spectrum) : row.spectrum })),
      })),
      files: files
        .filter((f) => f.entryId === e.id)
        .map((f) => ({
          filename: f.filename,
          contentType: f.contentType,
          size: f.size,
          sha256: f.sha256,
          data: Buffer.from(f.data).toString("base64"),
        })),
    })),
    molecules: mols.map(({ id, campaignId: _c, registeredById: _r, createdAt: _t, searchVersion: _v, parentMoleculeId: _p, ...m }) => ({
      ...m,
      aliases: aliases
        .filter((a) => a.moleculeId === id)
        .map((a) => a.alias)
        .sort(),
    })),
    measurements: results.map(({ id: _i, moleculeId, entryId, addedById: _a, createdAt: _t, ...m }) => ({
      ...m,
      molecule: codeOf.get(moleculeId),
      entry: entryId === null ? null : titleOf.get(entryId),
    })),
  };
}

for (const target of testDatabases) {
  describe(`.eln round trip into an empty notebook [${target.name}]`, () => {
    let source: Database;
    let empty: Database;
    beforeAll(async () => {
      [source, empty] = await Promise.all([target.open(), target.open()]);
    });
    afterAll(async () => {
      await Promise.all([source?.close(), empty?.close()]);
    });

    it("exports a campaign whose archive passes the consortium's checks, and imports it elsewhere unchanged, field by field", async () => {
      const prefix = `RT${crypto.randomBytes(2).toString("hex").toUpperCase()}`;
      const made = await seedSource(source.db, prefix);
      const { bytes, filename } = await exportCampaignEln(source.db, made.slug, { origin: ORIGIN });
      expect(filename).toMatch(new RegExp(`^${made.slug}-\\d{4}-\\d{2}-\\d{2}\\.eln$`));
      expect(checkElnArchive(bytes)).toMatchObject({ ok: true, errors: [] });

      // An empty notebook: one person starts a campaign of the same name and numbering, and imports the archive.
      const importer: NonNullable<Actor> = await makeUser(empty.db, "importer");
      await createCampaign(empty.db, importer, { name: `Copy of ${made.slug}`, slug: made.slug });
      await setRegistrySettings(empty.db, importer, made.slug, { prefix, defaultSite: "A" });
      const result = await importEln(empty.db, importer, made.slug, bytes);
      expect(result.errors).toEqual([]);
      expect(result.skipped).toEqual([{ item: "ro-crate-preview.html", reason: "the archive's preview page" }]);
      expect(result.imported).toEqual({
        entries: 2,
        attachments: 2,
        comments: 1,
        reactions: 1,
        molecules: 2,
        moleculesLinked: 0,
        measurements: 3,
      });

      const before = await snapshot(source.db, (await requireCampaign(source.db, made.slug)).id);
      const after = await snapshot(empty.db, (await requireCampaign(empty.db, made.slug)).id);
      expect(after.molecules).toEqual(before.molecules);
      expect(after.measurements).toEqual(before.measurements);
      expect(after.entries.map(({ body: _b, ...e }) => e)).toEqual(before.entries.map(({ body: _b, ...e }) => e));
      // The text is the same, under one line that names where it came from, who wrote it and when.
      after.entries.forEach((e, i) => {
        const [first, ...rest] = e.body.split("\n\n");
        expect(first).toMatch(
          /^> Imported from an \.eln archive of Open Notebook 0\.1\.0 · originally by \*\*ada-[0-9a-f]{8}\*\* · created \d{4}-\d\d-\d\dT[\d:.]+Z/,
        );
        expect(rest.join("\n\n")).toBe(before.entries[i]!.body);
      });
      const [note] = await empty.db.select().from(comments);
      expect(note!.body).toMatch(/^\*\*\*bob-[0-9a-f]{8}\*\* wrote on .* \(in Open Notebook 0\.1\.0\):\*\n\nWas the THF dry\?$/);

      // Importing the same archive again links the molecules instead of registering them twice.
      const again = await importEln(empty.db, importer, made.slug, bytes);
      expect(again.imported).toMatchObject({ entries: 2, molecules: 0, moleculesLinked: 2, measurements: 0 });
    });

    it("exports one entry, or a selection, with the molecules they name", async () => {
      const made = await seedSource(source.db, `SE${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
      const list = await entriesOf(source.db, (await requireCampaign(source.db, made.slug)).id);
      const one = await exportEntryEln(source.db, list[1]!.id, ORIGIN);
      expect(one.filename).toMatch(new RegExp(`^${made.slug}-entry-${list[1]!.id}-`));
      expect(checkElnArchive(one.bytes).ok).toBe(true);
      const selection = await exportCampaignEln(source.db, made.slug, { origin: ORIGIN, entries: [list[0]!.id] });
      const importer = await makeUser(source.db, "importer");
      const copy = await makeRegistry(source.db, [{ actor: importer, role: "member" }]);
      const result = await importEln(source.db, importer, copy.slug, selection.bytes);
      expect(result.imported).toMatchObject({ entries: 1, attachments: 2, reactions: 1 });
      // The first entry names the core only (the reaction's product is a SMILES): one molecule, under a new ID here.
      expect(result.molecules).toHaveLength(1);
      expect(result.molecules[0]!.code.startsWith(copy.prefix)).toBe(true);
      await rejects(exportCampaignEln(source.db, made.slug, { origin: ORIGIN, entries: [999_999] }), "not_found");
    });
  });
}
