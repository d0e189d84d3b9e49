// The campaign's story so far and a molecule's timeline on both databases, from real Series 4 structures (the OSM
// master list): computed from the data on every read, so a better result, a parking or a closed to-do is in the story
// as soon as it happens, with nobody editing it.
import crypto from "node:crypto";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { deleteEntry } from "@/db/queries/entries";
import { campaignStory, moleculeTimelineOf } from "@/db/queries/story";
import { measurements, molecules } from "@/db/schema";
import { propertyKeys, type PropertyValues } from "@/lib/molecules/properties";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseSheet } from "@/lib/sheets/sheet";
import { buildStory, type StoryItem } from "@/lib/wiki/story";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry } from "./support/molecules";
import { makeUser } from "./support/seed";
import {
  addMeasurement,
  connectRepository,
  createEntry,
  createTodo,
  parkMolecule,
  registerMolecule,
  updateTodo,
} from "./support/use-cases";

afterAll(async () => {
  await closeSharedChemPool();
});

const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
const smilesOf = (id: string) => sheet.rows.find((r) => r.cells.OSM_ID!.split(";")[0] === id)!.cells.Canonical_Smiles!;
const today = () => new Date().toISOString().slice(0, 10);
const thisMonth = () => new Date().toISOString().slice(0, 7);

/** A Series 4 registry with a member chemist; `register` takes an OSM ID and registers it under the test's prefix. */
async function series4(db: Db) {
  const chemist = await makeUser(db, "ada-bench");
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], `S${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const register = async (osm: string, series = "Series 4") =>
    (await registerMolecule(db, chemist, { campaign: made.slug, smiles: smilesOf(osm), id: osm.replace("OSM", made.prefix), series }))
      .molecule;
  const entry = (title: string, body: string) => createEntry(db, chemist, { campaign: made.slug, date: today(), title, body });
  return { ...made, chemist, register, entry };
}

describeEachDatabase("the campaign's story so far", (get) => {
  it("grows a best-improved line when a better result is added, with nothing else edited", async () => {
    const { db } = get();
    const s = await series4(db);
    const s208 = await s.register("OSM-S-208");
    await addMeasurement(db, s.chemist, s208.code, { assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.146, unit: "µM" });
    const before = (await campaignStory(db, s.slug))!;
    expect(before.items.map((i) => `${i.kind} ${i.molecule}`)).toEqual([`first-molecule ${s208.code}`, `first-result ${s208.code}`]);
    expect(before.items[0]).toMatchObject({ title: `First molecule registered: ${s208.code}`, actor: s.chemist.login, detail: "Series 4" });

    // OSM-S-272 is made and measured at 143 nM (0.143 µM: better than 0.146 µM), reported in its entry.
    const s272 = await s.register("OSM-S-272");
    const entry = await s.entry(`Ether ${s272.code}`, `Made ${s272.code}; sent to Dundee for *Pfal* IC50.`);
    await addMeasurement(db, s.chemist, s272.code, {
      assay: "IC50",
      target: "Pfal",
      lab: "Dundee",
      value: 143,
      unit: "nM",
      entryId: entry.id,
    });
    const after = (await campaignStory(db, s.slug))!;
    expect(after.items.slice(0, before.items.length)).toEqual(before.items);
    expect(after.items.slice(before.items.length)).toEqual([
      {
        at: expect.any(Date),
        kind: "best-improved",
        title: `New best Pfal IC50: ${s272.code} at 143 nM`,
        detail: `was 0.146 µM (${s208.code}) · Dundee`,
        molecule: s272.code,
        actor: s.chemist.login,
        entry: { id: entry.id, title: `Ether ${s272.code}` },
      },
    ]);

    // A weaker result and a bound on the weak side (however small its number) improve nothing.
    await addMeasurement(db, s.chemist, s208.code, { assay: "IC50", target: "Pfal", lab: "Syngene", value: 0.2, unit: "µM" });
    await addMeasurement(db, s.chemist, s208.code, { assay: "IC50", target: "Pfal", value: 0.01, unit: "µM", qualifier: ">" });
    expect((await campaignStory(db, s.slug))!.items).toEqual(after.items);
  });

  it("tells parkings with their reason, to-dos opened and closed, one series on its own, and the months' counts", async () => {
    const { db } = get();
    const s = await series4(db);
    const s258 = await s.register("OSM-S-258");
    await addMeasurement(db, s.chemist, s258.code, {
      assay: "IC50",
      target: "Pfal",
      lab: "Syngene",
      value: 10,
      unit: "µM",
      qualifier: ">",
    });
    await parkMolecule(db, s.maintainer, s258.code, { reason: "Inactive at 10 µM (Syngene); the pyridyl loses potency" });
    const s175 = await s.register("OSM-S-175", "Series 4 amides");
    await addMeasurement(db, s.chemist, s175.code, { assay: "IC50", target: "Pfal", value: 0.451, unit: "µM" });
    await s.entry("Pyridyl analogue", `${s258.code} is inactive.`);
    const gone = await s.entry("Typo entry", `${s258.code}`);
    await deleteEntry(db, s.maintainer, gone.id);
    await connectRepository(db, s.maintainer, s.slug, { repository: "osm/series-4", authKind: "token", token: "ghp_not-used-here" });
    const retest = await createTodo(db, s.chemist, s.slug, { title: `Retest ${s258.code} at 50 µM` });
    await updateTodo(db, s.chemist, retest.id, { state: "closed" });
    await createTodo(db, s.chemist, s.slug, { title: "Order 2-phenylethanol" });

    const story = (await campaignStory(db, s.slug))!;
    expect(story.items.map((i) => `${i.kind} ${i.molecule ?? i.title}`)).toEqual([
      `first-molecule ${s258.code}`,
      `parked ${s258.code}`,
      `series-started ${s175.code}`,
      `first-result ${s175.code}`,
      `todo-opened To-do opened: Retest ${s258.code} at 50 µM`,
      `todo-closed To-do closed: Retest ${s258.code} at 50 µM`,
      "todo-opened To-do opened: Order 2-phenylethanol",
    ]);
    expect(story.items[1]).toMatchObject({
      title: `${s258.code} parked`,
      detail: "Inactive at 10 µM (Syngene); the pyridyl loses potency",
    });
    expect(story.items[4]).toMatchObject({ actor: s.chemist.login, path: `/campaigns/${s.slug}/todos/${retest.id}` });
    expect(story.allSeries).toEqual(["Series 4", "Series 4 amides"]);
    // The deleted entry is not counted.
    expect(story.months).toEqual([{ month: thisMonth(), molecules: 2, measurements: 2, entries: 1 }]);

    // Series 4 alone: its molecule, its parking, the to-do that names its molecule, the entry that mentions it.
    const series = (await campaignStory(db, s.slug, { series: "Series 4" }))!;
    expect(series.series).toBe("Series 4");
    expect(series.items.map((i) => i.kind)).toEqual(["first-molecule", "parked", "todo-opened", "todo-closed"]);
    expect(series.items[0]!.title).toBe(`First Series 4 molecule registered: ${s258.code}`);
    expect(series.months).toEqual([{ month: thisMonth(), molecules: 1, measurements: 1, entries: 1 }]);
    const amides = (await campaignStory(db, s.slug, { series: "Series 4 amides" }))!;
    expect(amides.items.map((i) => i.kind)).toEqual(["first-molecule", "first-result"]);
    expect(amides.months).toEqual([{ month: thisMonth(), molecules: 1, measurements: 1, entries: 0 }]);
  });

  it("lists a molecule's life: registered, mentioned in an entry, measured there, in a to-do, parked", async () => {
    const { db } = get();
    const s = await series4(db);
    const s258 = await s.register("OSM-S-258");
    const entry = await s.entry("Pyridyl analogue", `Made ${s258.code} (12 mg).`);
    const gone = await s.entry("Typo entry", `${s258.code}`);
    await deleteEntry(db, s.maintainer, gone.id);
    await addMeasurement(db, s.chemist, s258.code, {
      assay: "IC50",
      target: "Pfal",
      lab: "Syngene",
      value: 10,
      unit: "µM",
      qualifier: ">",
      entryId: entry.id,
    });
    await connectRepository(db, s.maintainer, s.slug, { repository: "osm/series-4", authKind: "token", token: "ghp_not-used-here" });
    await createTodo(db, s.chemist, s.slug, { title: `Retest ${s258.code} at 50 µM` });
    await parkMolecule(db, s.maintainer, s258.code, { reason: "Inactive at 10 µM" });

    const timeline = (await moleculeTimelineOf(db, s258.code))!;
    expect(timeline.molecule).toEqual({ code: s258.code, name: null, campaign: { slug: s.slug, name: s.campaign.name } });
    expect(timeline.items.map((i) => `${i.kind}: ${i.title}`)).toEqual([
      `registered: ${s258.code} registered`,
      "mentioned: Mentioned in “Pyridyl analogue”",
      "measured: Pfal IC50: > 10 µM",
      `todo-opened: To-do opened: Retest ${s258.code} at 50 µM`,
      `parked: ${s258.code} parked`,
    ]);
    expect(timeline.items[0]).toMatchObject({ actor: s.chemist.login });
    expect(timeline.items[1]).toMatchObject({ actor: s.chemist.login, entry: { id: entry.id, title: "Pyridyl analogue" } });
    expect(timeline.items[2]).toMatchObject({ actor: s.chemist.login, detail: "Syngene", entry: { id: entry.id } });
    expect(timeline.items[4]).toMatchObject({ detail: "Inactive at 10 µM" });
    // By its numeric key too.
    expect((await moleculeTimelineOf(db, s258.id))!.items).toEqual(timeline.items);
  });

  it("answers null for a campaign or a molecule that does not exist", async () => {
    const { db } = get();
    expect(await campaignStory(db, "no-such-campaign")).toBeNull();
    expect(await moleculeTimelineOf(db, "NOPE-A-1")).toBeNull();
    expect(await moleculeTimelineOf(db, 2_000_000_000)).toBeNull();
  });

  // How long a large campaign's story takes is a benchmark's question (never a timed test); here, that the
  // database's shortcut — it sends the walk only the results that could be news — tells what walking them all tells.
  it("tells a large campaign's story from the results that could be news, as a walk over every result would", async () => {
    const { db } = get();
    const s = await series4(db);
    const campaignId = s.campaign.id;
    const properties = Object.fromEntries(propertyKeys.map((k) => [k, 1])) as PropertyValues;
    const ids: number[] = [];
    // Rows written straight in (registration is not what this tests), over two years, in four series.
    const start = Date.UTC(2024, 0, 1);
    const total = 4_000;
    const spacing = (2 * 365 * 86_400_000) / total;
    for (let i = 0; i < total; i += 2_000) {
      const rows = Array.from({ length: Math.min(2_000, total - i) }, (_, k) => {
        const n = i + k + 1;
        return {
          campaignId,
          campaignCode: `${s.prefix}-B-${n}`,
          site: "B",
          number: n,
          series: `Series ${n % 4}`,
          smiles: "C",
          idcode: `x${n}`,
          idcodeNoStereo: `x${n}`,
          parentIdcode: `x${n}`,
          formula: "CH4",
          ...properties,
          registeredById: s.chemist.id,
          createdAt: new Date(start + n * spacing),
          ...(n % 50 === 0
            ? { status: "parked" as const, parkReason: "inactive", parkedAt: new Date(start + n * spacing + 86_400_000) }
            : {}),
        };
      });
      ids.push(...(await db.insert(molecules).values(rows).returning({ id: molecules.id })).map((r) => r.id));
    }
    // As an import does when it is done: fresh planner statistics (else PGlite plans with an empty table's).
    await db.execute(sql`analyze molecules`);
    // Two results per molecule in three assay columns at random values, some in nM, some bounded either way.
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < ids.length; i += 2_000) {
      const rows = ids.slice(i, i + 2_000).flatMap((moleculeId, k) =>
        [0, 1].map((j) => {
          const n = i + k + j;
          const value = Number((random() * 10).toFixed(3));
          const nM = n % 3 !== 1 && n % 5 === 0;
          return {
            moleculeId,
            assay: ["IC50", "pIC50", "IC50"][n % 3]!,
            target: n % 3 === 2 ? "Pfal (K1)" : "Pfal",
            value: nM ? value * 1000 : value,
            unit: n % 3 === 1 ? null : nM ? "nM" : "µM",
            qualifier: n % 7 === 0 ? (">" as const) : n % 11 === 0 ? ("<" as const) : ("=" as const),
            addedById: s.chemist.id,
            createdAt: new Date(start + (i + k) * spacing + j * 3_600_000 + 60_000),
          };
        }),
      );
      await db.insert(measurements).values(rows);
    }
    await db.execute(sql`analyze measurements`);
    const story = (await campaignStory(db, s.slug))!;
    expect(story.months.length).toBeGreaterThanOrEqual(24);
    expect(story.months.reduce((n, m) => n + m.molecules, 0)).toBe(total);
    expect(story.items.filter((i) => i.kind === "parked")).toHaveLength(total / 50);
    expect(story.items.filter((i) => i.kind === "series-started")).toHaveLength(3);

    // The database sends only the results that could be news: the walk over every result tells the same.
    const all = await db
      .select({ ...getTableColumns(measurements), molecule: molecules.campaignCode, series: molecules.series })
      .from(measurements)
      .innerJoin(molecules, eq(molecules.id, measurements.moleculeId))
      .where(eq(molecules.campaignId, campaignId));
    const walked = buildStory({
      molecules: [],
      measurements: all.map((m) => ({ ...m, at: m.createdAt, addedBy: s.chemist.login, entry: null })),
      todos: [],
      months: [],
    });
    const news = (items: StoryItem[]) => items.filter((i) => i.kind === "first-result" || i.kind === "best-improved");
    expect(news(walked.items).length).toBeGreaterThan(10);
    expect(news(story.items)).toEqual(news(walked.items));
  }, 180_000);
});
