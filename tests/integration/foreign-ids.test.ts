// Sheets from elsewhere keep their IDs: the OSM Series 4 master list imported into a campaign of another prefix, with
// each `ids` mode of POST /api/v1/imports (lib/contract/imports.ts importIdModes).
import { count, eq } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { listMeasurements } from "@/db/queries/measurements";
import { findMoleculeId, requireMolecule } from "@/db/queries/molecules";
import { registrySettings } from "@/db/queries/molecules/registry";
import { campaignIdCounters, campaignRegistrySettings, moleculeAliases, molecules } from "@/db/schema";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { splitCampaignIds } from "@/lib/molecules/campaign-id";
import { parseSheet } from "@/lib/sheets/sheet";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { importSheet, listMolecules, registerMolecule } from "./support/use-cases";

afterAll(() => closeSharedChemPool());

const OSM = readSharedData("osm-series4-master-list.tsv");
const OSM_IDS = [...new Set(parseSheet(OSM, "tsv").rows.flatMap((r) => splitCampaignIds(r.cells.OSM_ID ?? "").ids))];
const SLOW = 300_000;

/** Everything an import can write, counted: a refused import leaves all of it as it was. */
async function footprint(db: Db) {
  const n = async (table: typeof molecules | typeof moleculeAliases | typeof campaignIdCounters | typeof campaignRegistrySettings) =>
    Number((await db.select({ n: count() }).from(table))[0]!.n);
  return {
    molecules: await n(molecules),
    aliases: await n(moleculeAliases),
    counters: await n(campaignIdCounters),
    settings: await db.select().from(campaignRegistrySettings).orderBy(campaignRegistrySettings.campaignId),
  };
}

describeEachDatabase("importing another campaign's sheet", (get) => {
  it(
    "foreign-as-aliases: the OSM list in a new campaign registers all 348 molecules under its own IDs, each OSM ID an alias",
    async () => {
      const { db } = get();
      const { slug, maintainer, prefix } = await makeRegistry(db);
      expect(prefix).not.toBe("OSM");
      const result = await importSheet(db, maintainer, slug, { format: "tsv", text: OSM, unit: "µM", ids: "foreign-as-aliases" });
      expect(result).toMatchObject({ imported: 439, unchanged: 1, failed: 0, errors: [], registered: 348, measurementsAdded: 439 });
      expect(result.warnings).toContainEqual({
        row: 1,
        column: "OSM_ID",
        message: "IDs starting with OSM- are not this campaign's: each is kept as an alias of a molecule with this campaign's own ID.",
      });

      const { molecules: all, total } = await listMolecules(db, { campaign: slug, perPage: 1000 });
      expect(total).toBe(348);
      expect(all.every((m) => m.code.startsWith(`${prefix}-A-`))).toBe(true);
      const byId = new Map(all.map((m) => [m.id, m]));
      expect(OSM_IDS).toHaveLength(351);
      for (const id of OSM_IDS) {
        const found = await findMoleculeId(db, id);
        expect(found, id).not.toBeNull();
        expect(byId.get(found!)?.aliases, id).toContain(id);
        expect(await findMoleculeId(db, id.toLowerCase()), id).toBe(found);
      }
      // One compound under three OSM IDs is one molecule with three aliases; its measurements found by any of them.
      const multi = await requireMolecule(db, "OSM-S-218");
      expect(multi).toMatchObject({ aliases: ["OSM-S-208", "OSM-S-218", "OSM-S-416"], series: "4" });
      expect(multi.code).toMatch(new RegExp(`^${prefix}-A-\\d+$`));
      const a1 = await listMeasurements(db, "OSM-A-1");
      expect(a1.map((m) => [m.target, m.assay, m.lab, m.qualifier, m.value, m.unit])).toEqual([
        ["Pfal", "IC50", "Guy", "=", 3.05, "µM"],
        ["Pfal (K1)", "IC50", "Guy", "=", 4.379, "µM"],
      ]);
      // Searchable in the campaign's table, and the numbering is the campaign's alone: no OSM counters.
      expect((await listMolecules(db, { campaign: slug, q: "osm-s-416" })).molecules.map((m) => m.code)).toEqual([multi.code]);
      const settings = await registrySettings(db, await requireCampaign(db, slug));
      expect(settings).toMatchObject({ prefix, counters: [{ prefix, site: "A", next: 349 }] });

      const again = await importSheet(db, maintainer, slug, { format: "tsv", text: OSM, unit: "µM", ids: "foreign-as-aliases" });
      expect(again).toMatchObject({ imported: 0, unchanged: 440, failed: 0, errors: [], registered: 0, measurementsAdded: 0 });
    },
    SLOW,
  );

  it("own-only, the API's default, fails every row of the OSM list in a new campaign and says how to keep them", async () => {
    const { db } = get();
    const { slug, maintainer, campaign } = await makeRegistry(db);
    for (const ids of [undefined, "own-only"] as const) {
      const result = await importSheet(db, maintainer, slug, { format: "tsv", text: OSM, unit: "µM", ...(ids ? { ids } : {}) });
      expect(result).toMatchObject({ imported: 0, failed: 440, registered: 0 });
      expect(result.errors.every((e) => /does not belong to this campaign .*import with ids=foreign-as-aliases/.test(e.message))).toBe(
        true,
      );
    }
    expect(await db.select({ n: count() }).from(molecules).where(eq(molecules.campaignId, campaign.id))).toEqual([{ n: 0 }]);
  });

  it(
    "adopt-prefix: the OSM list in a new campaign keeps its IDs as the campaign's own, and then OSM is taken",
    async () => {
      const { db } = get();
      const { slug, maintainer } = await makeRegistry(db);
      const result = await importSheet(db, maintainer, slug, { format: "tsv", text: OSM, unit: "µM", ids: "adopt-prefix" });
      expect(result).toMatchObject({ imported: 439, unchanged: 1, failed: 0, errors: [], registered: 348, measurementsAdded: 439 });
      expect(result.warnings.map((w) => w.row)).toEqual([261, 287]);
      const campaign = await requireCampaign(db, slug);
      const settings = await registrySettings(db, campaign);
      expect(settings.prefix).toBe("OSM");
      expect(settings.counters.map((c) => c.prefix)).toEqual(["OSM", "OSM", "OSM", "OSM", "OSM"]);
      const { molecules: all } = await listMolecules(db, { campaign: slug, perPage: 1000 });
      const codes = new Set(all.map((m) => m.code));
      const firstIds = parseSheet(OSM, "tsv").rows.map((r) => splitCampaignIds(r.cells.OSM_ID!).ids[0]!);
      expect(codes).toEqual(new Set(firstIds));
      expect(await requireMolecule(db, "OSM-S-218")).toMatchObject({ code: "OSM-S-208", aliases: ["OSM-S-218", "OSM-S-416"] });
      expect((await listMeasurements(db, "OSM-A-1")).map((m) => m.value)).toEqual([3.05, 4.379]);
      // A new molecule without an ID continues the adopted numbering.
      const added = await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCCCCCCCCCO", site: "S" });
      expect(added.molecule.code).toMatch(/^OSM-S-\d+$/);

      // Importing it again with the same option: OSM already is the campaign's prefix, nothing to adopt, nothing changes.
      const again = await importSheet(db, maintainer, slug, { format: "tsv", text: OSM, unit: "µM", ids: "adopt-prefix" });
      expect(again).toMatchObject({ imported: 0, unchanged: 440, failed: 0, registered: 0, measurementsAdded: 0 });

      // Another new campaign cannot adopt OSM now: refused, naming the owner, before anything is written.
      const other = await makeRegistry(db);
      const before = await footprint(db);
      const refused = await rejects(
        importSheet(db, other.maintainer, other.slug, { format: "tsv", text: OSM, unit: "µM", ids: "adopt-prefix" }),
        "conflict",
        new RegExp(`^ids: the prefix OSM belongs to another campaign \\(${campaign.name}\\); import with ids=foreign-as-aliases`),
      );
      expect(Object.keys(refused.details?.fields ?? {})).toEqual(["ids"]);
      expect(await footprint(db)).toEqual(before);

      // It can keep the IDs as aliases though: another campaign's IDs are aliases here, with no conflict.
      const aliased = await importSheet(db, other.maintainer, other.slug, {
        format: "tsv",
        text: OSM,
        unit: "µM",
        ids: "foreign-as-aliases",
      });
      expect(aliased).toMatchObject({ failed: 0, registered: 348, measurementsAdded: 439 });
      expect((await listMolecules(db, { campaign: other.slug, q: "OSM-S-416" })).molecules[0]!.code).toMatch(
        new RegExp(`^${other.prefix}-A-`),
      );
      expect((await requireMolecule(db, "OSM-S-208")).campaign.slug).toBe(slug);
    },
    SLOW,
  );

  it("adopt-prefix is refused in a campaign with molecules, for members, and for a file without IDs, writing nothing", async () => {
    const { db } = get();
    const member = await makeUser(db, "member");
    const used = await makeRegistry(db, [{ actor: member, role: "member" }]);
    await registerMolecule(db, used.maintainer, { campaign: used.slug, smiles: "CCO" });
    const fresh = await makeRegistry(db, [{ actor: member, role: "member" }]);
    const sheet = "ID,SMILES\nQQQ-A-1,CCN\nQQQ-A-2,CCCN\n";
    const before = await footprint(db);
    await rejects(
      importSheet(db, used.maintainer, used.slug, { format: "csv", text: sheet, ids: "adopt-prefix" }),
      "conflict",
      new RegExp(`^ids: adopt-prefix only works in a campaign without molecules, and .* has molecules numbered ${used.prefix}-`),
    );
    await rejects(importSheet(db, member, fresh.slug, { format: "csv", text: sheet, ids: "adopt-prefix" }), "forbidden");
    await rejects(
      importSheet(db, fresh.maintainer, fresh.slug, { format: "csv", text: "SMILES\nCCN\n", ids: "adopt-prefix" }),
      "validation_failed",
      /^ids: adopt-prefix needs an ID column/,
    );
    await rejects(
      importSheet(db, fresh.maintainer, fresh.slug, { format: "csv", text: sheet, ids: "keep" }),
      "validation_failed",
      /^ids: must be own-only, foreign-as-aliases, adopt-prefix$/,
    );
    expect(await footprint(db)).toEqual(before);
    expect((await registrySettings(db, await requireCampaign(db, fresh.slug))).saved).toBe(false);

    // The maintainer of the empty campaign may: QQQ is free.
    const adopted = await importSheet(db, fresh.maintainer, fresh.slug, { format: "csv", text: sheet, ids: "adopt-prefix" });
    expect(adopted).toMatchObject({ registered: 2, failed: 0 });
    expect((await listMolecules(db, { campaign: fresh.slug })).molecules.map((m) => m.code)).toEqual(["QQQ-A-1", "QQQ-A-2"]);
    // A member may import with adopt-prefix once the prefix is the campaign's: there is nothing to adopt.
    expect(await importSheet(db, member, fresh.slug, { format: "csv", text: sheet, ids: "adopt-prefix" })).toMatchObject({ unchanged: 2 });
  });

  it("foreign-as-aliases finds a molecule again by its other IDs, attaches them to the same structure, and refuses a clash", async () => {
    const { db } = get();
    const { slug, maintainer, prefix } = await makeRegistry(db);
    const ethanol = (await registerMolecule(db, maintainer, { campaign: slug, smiles: "CCO" })).molecule;
    const text = [
      "ID,SMILES,IC50 (µM)",
      "XY-A-7,OCC,5", // the structure is registered: XY-A-7 becomes its alias
      "XY-A-7,,6", // no structure: found by XY-A-7
      "XY-A-8;XY-A-9,CCN,", // new: the next own ID, two aliases
      "XY-A-10,,", // no structure and unknown
      "XY-A-9,CCCC,", // XY-A-9 names another structure
    ].join("\n");
    const result = await importSheet(db, maintainer, slug, { format: "csv", text, ids: "foreign-as-aliases" });
    expect(result).toMatchObject({ imported: 3, failed: 2, registered: 1, measurementsAdded: 2 });
    expect(result.errors).toEqual([
      { row: 5, message: "XY-A-10 is not registered yet, and this row has no structure." },
      { row: 6, message: `XY-A-9 is already registered (as an alias of ${prefix}-A-2) with a different structure.` },
    ]);
    expect(await requireMolecule(db, "xy-a-7")).toMatchObject({ code: ethanol.code, aliases: ["XY-A-7"] });
    expect((await listMeasurements(db, ethanol.code)).map((m) => m.value)).toEqual([5, 6]);
    expect(await requireMolecule(db, "XY-A-8")).toMatchObject({ code: `${prefix}-A-2`, aliases: ["XY-A-8", "XY-A-9"] });
    const rows = await db
      .select({ n: count() })
      .from(molecules)
      .where(eq(molecules.campaignId, (await requireCampaign(db, slug)).id));
    expect(Number(rows[0]!.n)).toBe(2);
  });
});
