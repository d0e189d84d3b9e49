// Open data that travels, on both databases: a campaign's licence (CC BY 4.0 unless chosen; only a maintainer changes
// it) reaches every answer about its data — entries, molecules, feeds, exports — and citations, sitemaps and PubChem
// files are read from the registry as it stands. Real Series 4 structures from the OSM master list.
import crypto from "node:crypto";
import { afterAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign, updateCampaign as updateCampaignUseCase } from "@/db/queries/campaigns";
import { campaignCff, citeCampaign, citeDocument, citeMolecule } from "@/db/queries/citations";
import { deleteEntry, getEntry } from "@/db/queries/entries";
import { listFeed } from "@/db/queries/events";
import { exportCampaign } from "@/db/queries/molecules/exports";
import { pubchemAssayTable, pubchemSubstances } from "@/db/queries/molecules/pubchem";
import { sitemapCounts, sitemapPaths } from "@/db/queries/sitemap";
import { createPage } from "@/db/queries/wiki";
import { requireActor, type Actor } from "@/lib/auth/policy";
import { toBibtex } from "@/lib/cite/bibtex";
import { updateCampaignInput } from "@/lib/contract/campaigns";
import { createPageInput } from "@/lib/contract/wiki";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseSdf, parseSheet } from "@/lib/sheets/sheet";
import { parseInput } from "@/lib/validation";
import { readSharedData } from "../unit/chem/shared-data";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, createCampaign, createEntry, listMolecules, registerMolecule, updateEntry } from "./support/use-cases";

afterAll(async () => {
  await closeSharedChemPool();
});

const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
const smilesOf = (id: string) => sheet.rows.find((r) => r.cells.OSM_ID!.split(";")[0] === id)!.cells.Canonical_Smiles!;
const ctx = { origin: "https://nb.test", site: "Open Notebook", accessed: "2026-05-04" };

/** What PATCH /api/v1/campaigns/{slug} and the campaign page's form do: the caller first, then the body. */
const updateCampaign = async (db: Db, actor: Actor, slug: string, input: Record<string, unknown>) => {
  requireActor(actor);
  return updateCampaignUseCase(db, actor, slug, parseInput(updateCampaignInput, input));
};

async function series4(db: Db) {
  const member = await makeUser(db, "ada-bench");
  const made = await makeRegistry(db, [{ actor: member, role: "member" }], `L${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const code = (osm: string) => osm.replace("OSM", made.prefix);
  for (const [osm, value, qualifier] of [
    ["OSM-S-293", 0.0574, "="],
    ["OSM-S-503", 10, ">"],
  ] as const) {
    await registerMolecule(db, member, {
      campaign: made.slug,
      smiles: smilesOf(osm),
      id: code(osm),
      name: osm === "OSM-S-293" ? "phenethyl ether β" : undefined,
    });
    await addMeasurement(db, member, code(osm), { assay: "IC50", target: "Pfal", value, unit: "µM", qualifier });
  }
  return { ...made, member, code };
}

describeEachDatabase("a campaign's licence", (get) => {
  it("is CC BY 4.0 unless chosen at the start; a maintainer changes it, a member is refused (403), nobody signed in 401", async () => {
    const { db } = get();
    const founder = await makeUser(db, "founder");
    const slug = `lic-${crypto.randomBytes(4).toString("hex")}`;
    expect((await createCampaign(db, founder, { name: "Default", slug })).license).toBe("CC-BY-4.0");
    expect((await createCampaign(db, founder, { name: "Public domain", slug: `${slug}-cc0`, license: "CC0-1.0" })).license).toBe("CC0-1.0");
    const unknown = await rejects(createCampaign(db, founder, { name: "Bad", slug: `${slug}-bad`, license: "MIT" }), "validation_failed");
    expect(unknown.details?.fields?.license).toMatch(/must be one of CC-BY-4.0, CC0-1.0/);

    const { slug: s4, maintainer, member } = await series4(db);
    expect((await updateCampaign(db, maintainer, s4, { license: "CC0-1.0" })).license).toBe("CC0-1.0");
    expect((await requireCampaign(db, s4)).license).toBe("CC0-1.0");
    await rejects(updateCampaign(db, member, s4, { license: "CC-BY-SA-4.0" }), "forbidden", /Only maintainers/);
    await rejects(updateCampaign(db, null, s4, { license: "CC-BY-SA-4.0" }), "unauthorized");
    await rejects(updateCampaign(db, maintainer, s4, { license: "GPL-3.0" }), "validation_failed");
    await rejects(updateCampaign(db, maintainer, s4, { license: "CC0-1.0", name: "renamed" }), "validation_failed");
    await rejects(updateCampaign(db, maintainer, "no-such-campaign", { license: "CC0-1.0" }), "not_found");
    expect((await requireCampaign(db, s4)).license).toBe("CC0-1.0");
  });

  it("travels with its entries, molecules, feed items and exports, and changes with them", async () => {
    const { db } = get();
    const { slug, maintainer, member, code } = await series4(db);
    const entry = await createEntry(db, member, { campaign: slug, date: "2024-03-05", title: "SNAr", body: `Made ${code("OSM-S-293")}.` });
    const licenseOfAll = async () => ({
      entry: (await getEntry(db, entry.id))!.campaign.license,
      molecules: [...new Set((await listMolecules(db, { campaign: slug })).molecules.map((m) => m.campaign.license))],
      feed: [...new Set((await listFeed(db, { campaignId: (await requireCampaign(db, slug)).id })).map((i) => i.campaign.license))],
      csv: [...new Set(parseSheet((await exportCampaign(db, slug, "csv")).body, "csv").rows.map((r) => r.cells.License))],
      sdf: [...new Set(parseSdf((await exportCampaign(db, slug, "sdf")).body).records.map((r) => r.fields.License))],
    });
    expect(await licenseOfAll()).toEqual({
      entry: "CC-BY-4.0",
      molecules: ["CC-BY-4.0"],
      feed: ["CC-BY-4.0"],
      csv: ["CC-BY-4.0"],
      sdf: ["CC-BY-4.0"],
    });
    await updateCampaign(db, maintainer, slug, { license: "ODbL-1.0" });
    expect(await licenseOfAll()).toEqual({
      entry: "ODbL-1.0",
      molecules: ["ODbL-1.0"],
      feed: ["ODbL-1.0"],
      csv: ["ODbL-1.0"],
      sdf: ["ODbL-1.0"],
    });
  });
});

describeEachDatabase("citations, sitemaps and PubChem files", (get) => {
  it("cites an entry at a revision, by everyone who had written one by then; a molecule by who registered it; the campaign by its members", async () => {
    const { db } = get();
    const { slug, maintainer, member, code, campaign } = await series4(db);
    const entry = await createEntry(db, member, { campaign: slug, date: "2024-03-05", title: "Day 1 {crude}", body: "x" });
    await updateEntry(db, maintainer, entry.id, { title: "Day 1, purified", body: "y", baseRevision: entry.revisionId });
    const first = await citeDocument(db, entry.id, 1, ctx);
    expect(first).toMatchObject({ title: "Day 1 {crude}", revision: 1, url: `https://nb.test/entries/${entry.id}/revisions/1` });
    expect(first.authors.map((a) => a.login)).toEqual([member.login]);
    const current = await citeDocument(db, entry.id, undefined, ctx);
    expect(current).toMatchObject({ title: "Day 1, purified", revision: 2, license: { id: "CC-BY-4.0" } });
    expect(current.authors.map((a) => a.login)).toEqual([member.login, maintainer.login]);
    expect(toBibtex(current)).toContain(`url          = {https://nb.test/entries/${entry.id}/revisions/2},`);
    await rejects(citeDocument(db, entry.id, 3, ctx), "not_found", /no revision 3/);
    await rejects(citeDocument(db, 2_000_000_000, undefined, ctx), "not_found");

    const molecule = await citeMolecule(db, code("OSM-S-293").toLowerCase(), ctx);
    expect(molecule).toMatchObject({
      title: `${code("OSM-S-293")}: phenethyl ether β`,
      url: `https://nb.test/molecules/${code("OSM-S-293")}`,
    });
    expect(molecule.authors.map((a) => a.login)).toEqual([member.login]);
    await rejects(citeMolecule(db, "NOPE-X-1", ctx), "not_found");

    const whole = await citeCampaign(db, slug, ctx);
    expect(whole).toMatchObject({ title: campaign.name, issued: "2024-03-05", url: `https://nb.test/campaigns/${slug}` });
    expect(whole.authors.map((a) => a.login)).toEqual([maintainer.login, member.login]);
    const cff = await campaignCff(db, slug, "https://nb.test");
    expect(cff.body).toContain(`title: ${JSON.stringify(campaign.name)}\n`);
    expect(cff.body).toContain("license: CC-BY-4.0\n");
    expect(cff.body).toContain(`  - alias: ${JSON.stringify(maintainer.login)}\n`);
  });

  it("lists live entries, wiki pages and every molecule in the sitemaps, not deleted entries", async () => {
    const { db } = get();
    const { slug, member, code } = await series4(db);
    const kept = await createEntry(db, member, { campaign: slug, date: "2024-03-05", title: "Kept", body: "x" });
    const gone = await createEntry(db, member, { campaign: slug, date: "2024-03-05", title: "Gone", body: "x" });
    await deleteEntry(db, member, gone.id);
    await createPage(db, member, slug, parseInput(createPageInput, { title: "Ether side chains", body: "x" }));
    const counts = await sitemapCounts(db);
    const all = async (kind: "campaigns" | "entries" | "pages" | "molecules") => {
      const paths: string[] = [];
      for (let page = 1; ; page++) {
        const part = await sitemapPaths(db, kind, page, 8);
        if (part.length === 0) return paths;
        paths.push(...part.map((p) => p.path));
      }
    };
    const entries = await all("entries");
    expect(entries).toContain(`/entries/${kept.id}`);
    expect(entries).not.toContain(`/entries/${gone.id}`);
    expect(entries).toHaveLength(counts.entries);
    expect(await all("pages")).toContain(`/campaigns/${slug}/wiki/ether-side-chains`);
    expect(await all("molecules")).toEqual(expect.arrayContaining([`/molecules/${code("OSM-S-293")}`, `/molecules/${code("OSM-S-503")}`]));
    const campaigns = await all("campaigns");
    expect(campaigns.slice(0, 2)).toEqual(["/", "/campaigns"]);
    expect(campaigns).toEqual(expect.arrayContaining([`/campaigns/${slug}`, `/campaigns/${slug}/molecules`, `/campaigns/${slug}/wiki`]));
  });

  it("writes the PubChem substances (REGID = campaign ID) and the assay table (outcome by the threshold) of the registry", async () => {
    const { db } = get();
    const { slug, code } = await series4(db);
    const sdf = await pubchemSubstances(db, slug, "https://nb.test", "Open Notebook");
    expect(sdf).toMatchObject({ filename: `${slug}-pubchem-substances.sdf`, contentType: "chemical/x-mdl-sdfile; charset=utf-8" });
    const records = parseSdf(sdf.body);
    expect(records.errors).toEqual([]);
    expect(records.records.map((r) => [r.title, r.fields.PUBCHEM_EXT_DATASOURCE_REGID])).toEqual([
      [code("OSM-S-293"), code("OSM-S-293")],
      [code("OSM-S-503"), code("OSM-S-503")],
    ]);
    expect(records.records[0]!.fields).toMatchObject({
      PUBCHEM_SUBSTANCE_SYNONYM: `${code("OSM-S-293")}\nphenethyl ether beta`,
      PUBCHEM_EXT_SUBSTANCE_URL: `https://nb.test/molecules/${code("OSM-S-293")}`,
      PUBCHEM_EXT_DATASOURCE_URL: `https://nb.test/campaigns/${slug}`,
    });
    expect(records.records[0]!.fields.PUBCHEM_SUBSTANCE_COMMENT).toMatch(/Data licence: CC BY 4\.0/);

    const table = parseSheet((await pubchemAssayTable(db, slug, "https://nb.test", { thresholdUm: 1 })).body, "csv");
    expect(table.headers.slice(0, 4)).toEqual([
      "PUBCHEM_RESULT_TAG",
      "PUBCHEM_EXT_DATASOURCE_REGID",
      "PUBCHEM_ACTIVITY_OUTCOME",
      "PUBCHEM_ACTIVITY_SCORE",
    ]);
    expect(
      table.rows.map((r) => [
        r.cells.PUBCHEM_RESULT_TAG,
        r.cells.PUBCHEM_EXT_DATASOURCE_REGID,
        r.cells.PUBCHEM_ACTIVITY_OUTCOME,
        r.cells.Qualifier,
        r.cells.Value,
      ]),
    ).toEqual([
      ["1", code("OSM-S-293"), "2", "=", "0.0574"],
      ["2", code("OSM-S-503"), "1", ">", "10"],
    ]);
    const strict = parseSheet(
      (await pubchemAssayTable(db, slug, "https://nb.test", { thresholdUm: 0.01, assay: "Pfal IC50" })).body,
      "csv",
    );
    expect(strict.rows.map((r) => r.cells.PUBCHEM_ACTIVITY_OUTCOME)).toEqual(["1", "1"]);
    expect(
      (await pubchemAssayTable(db, slug, "https://nb.test", { thresholdUm: 1, assay: "Hep IC50" })).body.trim().split("\r\n"),
    ).toHaveLength(1);
    await rejects(pubchemSubstances(db, "no-such-campaign", "https://nb.test", "x"), "not_found");
  });
});
