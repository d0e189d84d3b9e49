// The campaign wiki on both databases: pages share the entries' machinery (revisions, 409 on a stale save, soft
// delete, search), `[[links]]` make "linked from", and live blocks read the registry each time a page is read — a
// molecule registered and measured after the page was written is in its `molecules` and `sar` blocks without anyone
// editing it. Real Series 4 structures and potencies from the OSM master list.
import crypto from "node:crypto";
import { afterAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { listEntries } from "@/db/queries/entry-lists";
import { deleteEntry, restoreEntry } from "@/db/queries/entries";
import { listRevisions } from "@/db/queries/entry-lists";
import { campaignStory } from "@/db/queries/story";
import { createPage, deletePage, getPage, listPages, pageBacklinks, recordVisit, updatePage } from "@/db/queries/wiki";
import { evaluateSegments, type BlockResult } from "@/db/queries/wiki-blocks";
import { sarForCampaign } from "@/db/queries/wiki-sar";
import { createPageInput, updatePageInput } from "@/lib/contract/wiki";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseSheet } from "@/lib/sheets/sheet";
import { parseInput } from "@/lib/validation";
import { pageSegments } from "@/lib/wiki/blocks";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, connectRepository, createEntry, createTodo, registerMolecule } from "./support/use-cases";

afterAll(async () => {
  await closeSharedChemPool();
});

const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
const smilesOf = (id: string) => sheet.rows.find((r) => r.cells.OSM_ID!.split(";")[0] === id)!.cells.Canonical_Smiles!;
const today = () => new Date().toISOString().slice(0, 10);

/** The Series 4 core as the issue writes it: the ether side chain as R1, the aryl as R2. */
const CORE = "[*:2]c1nnc2cncc([*:1])n12";
/** The sheet's Pfal IC50 (Dundee or GSK, µM) of the compounds the tests register. */
const SHEET_IC50: Record<string, number> = {
  "OSM-S-187": 0.534,
  "OSM-S-293": 0.0574,
  "OSM-S-272": 0.143,
  "OSM-S-260": 0.281,
  "OSM-S-352": 0.366,
};

async function series4Wiki(db: Db) {
  const chemist = await makeUser(db, "ada-bench");
  const reader = await makeUser(db, "reader");
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], `W${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const code = (osm: string) => osm.replace("OSM", made.prefix);
  const register = async (osm: string) => {
    const molecule = (await registerMolecule(db, chemist, { campaign: made.slug, smiles: smilesOf(osm), id: code(osm), series: "4" }))
      .molecule;
    if (SHEET_IC50[osm] !== undefined)
      await addMeasurement(db, chemist, molecule.code, { assay: "IC50", target: "Pfal", value: SHEET_IC50[osm], unit: "µM" });
    return molecule;
  };
  for (const osm of ["OSM-S-187", "OSM-S-293", "OSM-S-272", "OSM-S-260", "OSM-S-503", "OSM-S-3"]) await register(osm);
  const campaign = await requireCampaign(db, made.slug);
  return { ...made, campaign, chemist, reader, code, register };
}

const page = (db: Db, actor: Parameters<typeof createPage>[1], slug: string, input: Record<string, unknown>) =>
  createPage(db, actor, slug, parseInput(createPageInput, input));

/** A block's result as the kind the test expects (fails the test otherwise). */
function as<K extends BlockResult["kind"]>(result: BlockResult | undefined, kind: K): Extract<BlockResult, { kind: K }> {
  expect(result?.kind, result?.kind === "error" ? result.message : undefined).toBe(kind);
  return result as Extract<BlockResult, { kind: K }>;
}

async function blocksOf(db: Db, campaign: Awaited<ReturnType<typeof requireCampaign>>, body: string): Promise<BlockResult[]> {
  const segments = pageSegments(body);
  const results = await evaluateSegments({ db, campaign }, segments);
  return [...results.values()];
}

describeEachDatabase("the campaign wiki", (get) => {
  it("keeps a page's history like an entry's: revisions, a 409 on a stale save, a title that moves its slug, soft delete", async () => {
    const { db } = get();
    const w = await series4Wiki(db);
    const first = await page(db, w.chemist, w.slug, { title: "Series 4 overview", body: "The triazolopyrazines." });
    expect(first).toMatchObject({
      kind: "page",
      slug: "series-4-overview",
      path: `/campaigns/${w.slug}/wiki/series-4-overview`,
      revisionNumber: 1,
    });
    // Any member edits a wiki page; the maintainer here did not write it.
    const saved = await updatePage(
      db,
      w.maintainer,
      w.slug,
      "series-4-overview",
      parseInput(updatePageInput, { body: "The triazolopyrazines (TCMDC-123).", baseRevision: first.revisionId }),
    );
    expect(saved.changed).toBe(true);
    const stale = await rejects(
      updatePage(
        db,
        w.chemist,
        w.slug,
        "series-4-overview",
        parseInput(updatePageInput, { body: "Lost?", baseRevision: first.revisionId }),
      ),
      "conflict",
    );
    expect(stale.details?.current).toMatchObject({ body: "The triazolopyrazines (TCMDC-123).", number: 2 });
    await rejects(page(db, w.chemist, w.slug, { title: "Series 4: Overview" }), "conflict", /already has a page titled/);
    await rejects(page(db, w.reader, w.slug, { title: "Vandalism" }), "forbidden");
    await rejects(page(db, w.chemist, w.slug, { title: "???" }), "validation_failed", /letter or a digit/);

    const renamed = await updatePage(
      db,
      w.chemist,
      w.slug,
      "series-4-overview",
      parseInput(updatePageInput, { title: "Series 4", baseRevision: saved.entry.revisionId }),
    );
    expect(renamed.entry.path).toBe(`/campaigns/${w.slug}/wiki/series-4`);
    expect((await listRevisions(db, first.id)).map((r) => r.title)).toEqual(["Series 4", "Series 4 overview", "Series 4 overview"]);

    const home = await page(db, w.chemist, w.slug, { title: "Home", body: "Welcome." });
    await rejects(
      updatePage(db, w.chemist, w.slug, "home", parseInput(updatePageInput, { title: "Start", baseRevision: home.revisionId })),
      "validation_failed",
      /keeps its title/,
    );
    expect((await listPages(db, w.slug)).map((p) => p.slug)).toEqual(["home", "series-4"]);

    await deletePage(db, w.chemist, w.slug, "series-4");
    expect((await getPage(db, w.slug, "series-4"))?.deletedAt).not.toBeNull();
    expect((await listPages(db, w.slug)).map((p) => p.slug)).toEqual(["home"]);
    // The title is free again; the deleted page cannot come back over the new one.
    await page(db, w.chemist, w.slug, { title: "Series 4" });
    await rejects(restoreEntry(db, w.maintainer, first.id), "conflict");
    await deleteEntry(db, w.maintainer, (await getPage(db, w.slug, "series-4"))!.id);
    await restoreEntry(db, w.maintainer, first.id);
    expect((await getPage(db, w.slug, "series-4"))?.id).toBe(first.id);
  });

  it("links pages from entries, pages and to-dos with [[title]], searches them, and keeps them out of entry lists", async () => {
    const { db } = get();
    const w = await series4Wiki(db);
    const overview = await page(db, w.chemist, w.slug, {
      title: "Ether side chains",
      body: "Phenethyl ethers are the most potent so far.",
    });
    const entry = await createEntry(db, w.chemist, {
      campaign: w.slug,
      date: today(),
      title: "SNAr with 2-phenylethanol",
      body: `Made ${w.code("OSM-S-293")}; see [[Ether side chains]].`,
    });
    await page(db, w.chemist, w.slug, {
      title: "Home",
      body: "Start with [[Ether side chains|the ethers]] and [[Amides]] (not written yet).",
    });
    await connectRepository(db, w.maintainer, w.slug, { repository: "osm/series-4", authKind: "token", token: "ghp_not-used-here" });
    await createTodo(db, w.chemist, w.slug, { title: "Try a pyridyl ether", body: "Compare with [[Ether side chains]]." });

    const links = await pageBacklinks(db, w.slug, overview.slug!);
    expect(links.map((l) => [l.kind, l.title]).sort()).toEqual([
      ["entry", "SNAr with 2-phenylethanol"],
      ["page", "Home"],
      ["todo", "Try a pyridyl ether"],
    ]);
    expect(links.find((l) => l.kind === "entry")!.path).toBe(`/entries/${entry.id}`);

    const campaignId = w.campaign.id;
    expect((await listEntries(db, { campaignId })).entries.map((e) => e.title)).toEqual(["SNAr with 2-phenylethanol"]);
    const found = await listEntries(db, { campaignId, q: "phenethyl ethers", kind: "any" });
    expect(found.entries.map((e) => [e.kind, e.title])).toEqual([["page", "Ether side chains"]]);
    expect(found.entries[0]!.path).toBe(`/campaigns/${w.slug}/wiki/ether-side-chains`);
  });

  it("shows a molecule registered and measured later in the molecules and sar blocks and in the story, nobody editing the page", async () => {
    const { db } = get();
    const w = await series4Wiki(db);
    const body = [
      "## Most potent",
      "```molecules",
      "query: c1nnc2cncc(n12)",
      "mode: substructure",
      "assay: Pfal IC50",
      "sort: potency",
      "limit: 24",
      "```",
      "## SAR",
      "```sar",
      `core: ${CORE}`,
      "assay: Pfal IC50",
      "```",
    ].join("\n");
    await page(db, w.chemist, w.slug, { title: "Home", body });

    const [first, second] = await blocksOf(db, w.campaign, (await getPage(db, w.slug, "home"))!.body);
    const before = as(first, "molecules");
    const sarBefore = as(second, "sar");
    expect(before).toMatchObject({ total: 5, assay: "Pfal IC50 (µM)" });
    // Most potent first; OSM-S-503 (not measured here) last; OSM-S-3 has no triazolopyrazine.
    expect(before.molecules.map((m) => m.code)).toEqual(["OSM-S-293", "OSM-S-272", "OSM-S-260", "OSM-S-187", "OSM-S-503"].map(w.code));
    expect(sarBefore.sar.rows.map((r) => [r.code, r.substituents.R1, r.substituents.R2, r.best?.value])).toEqual([
      [w.code("OSM-S-293"), "c1ccc(CCO[*:1])cc1", "Clc1ccc([*:2])cc1", 0.0574],
      [w.code("OSM-S-272"), "Fc1ccc(CCO[*:1])cc1F", "Clc1ccc([*:2])cc1", 0.143],
      [w.code("OSM-S-260"), "Fc1ccc(CCO[*:1])cc1F", "FC(F)Oc1ccc([*:2])cc1", 0.281],
      [w.code("OSM-S-187"), "c1ccc(CCO[*:1])cc1", "N#Cc1ccc([*:2])cc1", 0.534],
    ]);
    // OSM-S-503 has the core but a substituent where the core has no attachment point: listed apart.
    expect(sarBefore.sar.apart).toEqual([
      { id: expect.any(Number), code: w.code("OSM-S-503"), reason: "substituted at an unnumbered core position" },
    ]);
    expect(sarBefore.sar.matrix!.r1).toEqual(["c1ccc(CCO[*:1])cc1", "Fc1ccc(CCO[*:1])cc1F"]);

    // A new compound, more potent than any so far, registered and measured after the page was written.
    const made = await w.register("OSM-S-352");
    await addMeasurement(db, w.chemist, made.code, { assay: "IC50", target: "Pfal", value: 0.021, unit: "µM" });
    const [third, fourth] = await blocksOf(db, w.campaign, (await getPage(db, w.slug, "home"))!.body);
    const after = as(third, "molecules");
    const sarAfter = as(fourth, "sar");
    expect(after.total).toBe(6);
    expect(after.molecules[0]).toMatchObject({ code: made.code, best: { value: 0.021, unit: "µM" } });
    expect(sarAfter.sar.rows[0]).toMatchObject({
      code: made.code,
      substituents: { R1: "c1ccc(CCO[*:1])cc1", R2: "Fc1ccc([*:2])cc1" },
      best: { value: 0.021 },
    });
    expect(after.changedAt!.getTime()).toBeGreaterThan(before.changedAt!.getTime());
    expect(sarAfter.changedAt!.getTime()).toBeGreaterThan(sarBefore.changedAt!.getTime());
    // The API's table is the block's.
    const api = await sarForCampaign(db, w.slug, { core: CORE, assay: "Pfal IC50", status: "active" });
    expect(api.rows.map((r) => r.code)).toEqual(sarAfter.sar.rows.map((r) => r.code));
    // A limit keeps the most potent rows, and the matrix of just those.
    const top = await sarForCampaign(db, w.slug, { core: CORE, assay: "Pfal IC50", status: "active", limit: 2 });
    expect(top.rows.map((r) => r.code)).toEqual(sarAfter.sar.rows.slice(0, 2).map((r) => r.code));
    expect(top.total).toBe(sarAfter.sar.rows.length);
    expect(
      top
        .matrix!.cells.flat()
        .flatMap((c) => c?.codes ?? [])
        .sort(),
    ).toEqual(top.rows.map((r) => r.code).sort());

    const story = await campaignStory(db, w.slug);
    expect(story?.items.some((i) => i.kind === "best-improved" && i.molecule === made.code)).toBe(true);
  });

  it("shows a bad block's error in place and draws the rest; cards, entries and to-dos blocks read their data", async () => {
    const { db } = get();
    const w = await series4Wiki(db);
    await createEntry(db, w.chemist, { campaign: w.slug, date: today(), title: "Resynthesis", body: `More of ${w.code("OSM-S-293")}.` });
    const body = [
      "```molecules",
      "query: c1ccc[",
      "```",
      "```molecules",
      "assay: Pfal EC99",
      "```",
      "```sar",
      "core: c1ccccc1",
      "```",
      w.code("OSM-S-293"),
      "",
      "```entries",
      `molecule: ${w.code("OSM-S-293")}`,
      "```",
      "```chart",
      "assay: Pfal IC50",
      "x: clogp",
      "```",
    ].join("\n");
    const results = await blocksOf(db, w.campaign, body);
    expect(results.map((r) => r.kind)).toEqual(["error", "error", "error", "molecule", "entries", "chart"]);
    expect(results[0]).toMatchObject({ message: expect.stringMatching(/^q: /) });
    expect(results[1]).toMatchObject({
      message: expect.stringContaining('no measurements of "Pfal EC99" here; the assays are Pfal IC50 (µM)'),
    });
    expect(results[2]).toMatchObject({ message: expect.stringContaining("attachment point") });
    expect(results[3]).toMatchObject({ molecule: { code: w.code("OSM-S-293"), potency: [{ label: "Pfal IC50", value: 0.0574 }] } });
    expect(results[4]).toMatchObject({ entries: [{ title: "Resynthesis" }] });
    expect(results[5]).toMatchObject({ kind: "chart", assay: "Pfal IC50 (µM)", x: "clogp" });
    // Four of the molecules have a Pfal IC50 (OSM-S-503 and OSM-S-3 are not measured here).
    if (results[5]!.kind === "chart")
      expect(results[5]!.points.map((p) => p.code).sort()).toEqual(["OSM-S-187", "OSM-S-260", "OSM-S-272", "OSM-S-293"].map(w.code));
  });

  it("remembers a reader's last visit, so a page can mark what changed since", async () => {
    const { db } = get();
    const w = await series4Wiki(db);
    const home = await page(db, w.chemist, w.slug, { title: "Home", body: "```molecules\nlimit: 3\n```" });
    expect(await recordVisit(db, w.reader.id, home.id)).toBeNull();
    const second = await recordVisit(db, w.reader.id, home.id);
    expect(second).toBeInstanceOf(Date);
    const [block, card] = await blocksOf(db, w.campaign, `${home.body}\n\n${w.code("OSM-S-293")}\n`);
    // Nothing changed since the last visit; a registration afterwards is newer than it.
    expect(block!.changedAt!.getTime()).toBeLessThanOrEqual(second!.getTime());
    expect(as(card, "molecule").changedAt!.getTime()).toBeLessThanOrEqual(second!.getTime());
    await w.register("OSM-S-352");
    const [changed, same] = await blocksOf(db, w.campaign, `\`\`\`molecules\nsort: -id\nlimit: 3\n\`\`\`\n\n${w.code("OSM-S-293")}\n`);
    expect(changed!.changedAt!.getTime()).toBeGreaterThan(second!.getTime());
    // Another molecule's registration and result leave this molecule's card as it was.
    expect(as(same, "molecule").changedAt).toEqual(as(card, "molecule").changedAt);
  });
});
