// Open data that travels, over HTTP and in Chromium on the production build: the campaign's licence on its pages, in
// its feeds and API answers (a maintainer changes it, a member cannot); "Cite" files that reference managers read;
// JSON-LD a crawler reads from the molecule page; the sitemap; CITATION.cff; PubChem deposition files. Real Series 4
// compounds and potencies from the OSM master list.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSdf, parseSheet } from "@/lib/sheets/sheet";
import { readSharedData } from "../unit/chem/shared-data";
import { ApiClient, errorOf, expectStatus, isoDay } from "./support/api-client";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createTokens, pgliteStore, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const SLUG = "osm-open";
const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
const smilesOf = (id: string) => sheet.rows.find((r) => r.cells.OSM_ID!.split(";")[0] === id)!.cells.Canonical_Smiles!;
const CC_BY = "https://creativecommons.org/licenses/by/4.0/";
/** A molecule name no page may run or break out of its JSON-LD with. */
const EVIL = '</script><script>alert("ld")</script><!--';

let store: PgliteStore;
let server: Notebook;
let browser: Browser;
let tab: NotebookPage;
let maintainer: ApiClient;
let member: ApiClient;
let anon: ApiClient;
let entry: { id: number; revisionId: number };
let inchikey: string;

async function html(path: string): Promise<string> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** The JSON-LD blocks of a page, parsed. */
function jsonLd(page: string): Record<string, unknown>[] {
  return [...page.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => JSON.parse(m[1]!) as Record<string, unknown>,
  );
}

/** Every <loc> of a sitemap, following an index to its sitemaps. */
async function sitemapLocs(path: string): Promise<string[]> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
  const xml = await res.text();
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
  if (!xml.includes("<sitemapindex")) return locs;
  const nested = await Promise.all(locs.map((loc) => sitemapLocs(new URL(loc).pathname)));
  return nested.flat();
}

beforeAll(async () => {
  store = await pgliteStore();
  const tokens = await createTokens(store, ["open-maintainer", "open-member"]);
  [server, browser] = await Promise.all([startNotebook({ dataDir: store.dataDir }), launchBrowser()]);
  anon = new ApiClient(server.url);
  maintainer = anon.as(tokens["open-maintainer"]);
  member = anon.as(tokens["open-member"]);
  await maintainer.createCampaign({ name: "OSM open data", slug: SLUG, description: "Series 4, cited & shared" });
  await maintainer.addMember(SLUG, "open-member", "member");
  expectStatus(await maintainer.request("PATCH", `/api/v1/campaigns/${SLUG}/registry`, { json: { prefix: "OSM", defaultSite: "S" } }), 200);
  for (const [id, value, qualifier, name] of [
    ["OSM-S-293", 0.0574, "=", "phenethyl ether"],
    ["OSM-S-503", 10, ">", EVIL],
  ] as const) {
    expectStatus(await member.post("/api/v1/molecules", { campaign: SLUG, smiles: smilesOf(id), id, name }), 201);
    expectStatus(
      await member.post(`/api/v1/molecules/${id}/measurements`, { assay: "IC50", target: "Pfal", value, unit: "µM", qualifier }),
      201,
    );
  }
  inchikey = expectStatus(await anon.get<{ inchikey: string }>("/api/v1/molecules/OSM-S-293"), 200).inchikey;
  const first = await member.createEntry({ campaign: SLUG, date: isoDay(-1), title: "SNAr with 2-phenylethanol", body: "Made OSM-S-293." });
  const revised = await maintainer.editEntry(first.id, { body: "Made OSM-S-293 (212 mg).", baseRevision: first.revisionId });
  entry = { id: revised.id, revisionId: revised.revisionId };
  expectStatus(await member.post(`/api/v1/campaigns/${SLUG}/wiki`, { title: "Ether side chains", body: "OSM-S-293 and friends." }), 201);
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

describe("the licence", () => {
  it("shows on the campaign, entry, molecule, wiki and molecule-table pages, in Atom <rights>, JSON Feed and the API", async () => {
    for (const path of [
      `/campaigns/${SLUG}`,
      `/entries/${entry.id}`,
      "/molecules/OSM-S-293",
      `/campaigns/${SLUG}/wiki/ether-side-chains`,
      `/campaigns/${SLUG}/molecules`,
      `/campaigns/${SLUG}/newsletter`,
    ]) {
      expect(await html(path), path).toMatch(
        new RegExp(`data-testid="license">Data:[^<]*(?:<!-- -->[^<]*)*<a href="${CC_BY}" rel="license"[^>]*>CC BY 4.0</a>`),
      );
    }
    const atom = await html(`/campaigns/${SLUG}/feed.atom`);
    expect(atom).toMatch(
      /<feed[\s\S]*?<rights>Data: CC BY 4\.0 \(Creative Commons Attribution 4\.0 International\), https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/<\/rights>/,
    );
    expect(atom).toMatch(/<entry>[\s\S]*<rights>Data: CC BY 4\.0/);
    const feed = JSON.parse(await html(`/campaigns/${SLUG}/feed.json`)) as { _license: { id: string } };
    expect(feed._license.id).toBe("CC-BY-4.0");
    expect(expectStatus(await anon.get(`/api/v1/campaigns/${SLUG}`), 200)).toMatchObject({ license: "CC-BY-4.0", licenseUrl: CC_BY });
    expect(expectStatus(await anon.get(`/api/v1/entries/${entry.id}`), 200)).toMatchObject({ license: "CC-BY-4.0", licenseUrl: CC_BY });
    expect(expectStatus(await anon.get("/api/v1/molecules/OSM-S-293"), 200)).toMatchObject({ license: "CC-BY-4.0", licenseUrl: CC_BY });
    const csv = parseSheet((await anon.get(`/api/v1/campaigns/${SLUG}/export.csv`)).text, "csv");
    expect(new Set(csv.rows.map((r) => r.cells.License))).toEqual(new Set(["CC-BY-4.0"]));
  });

  it("is changed by a maintainer (the API and the campaign page's form), refused to a member (403) and to nobody (401)", async () => {
    const refused = await member.patch(`/api/v1/campaigns/${SLUG}`, { license: "CC0-1.0" });
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe("forbidden");
    const anonymous = await anon.patch(`/api/v1/campaigns/${SLUG}`, { license: "CC0-1.0" });
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe("unauthorized");
    const unknown = await maintainer.patch(`/api/v1/campaigns/${SLUG}`, { license: "WTFPL" });
    expect(unknown.status).toBe(422);
    expect(Object.keys(errorOf(unknown).fields ?? {})).toEqual(["license"]);
    expect(expectStatus(await anon.get(`/api/v1/campaigns/${SLUG}`), 200)).toMatchObject({ license: "CC-BY-4.0" });

    expect(expectStatus(await maintainer.patch(`/api/v1/campaigns/${SLUG}`, { license: "CC0-1.0" }), 200)).toMatchObject({
      slug: SLUG,
      license: "CC0-1.0",
      licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(await html("/molecules/OSM-S-293")).toMatch(
      /data-testid="license">Data:[^<]*(?:<!-- -->[^<]*)*<a href="https:\/\/creativecommons\.org\/publicdomain\/zero\/1\.0\/" rel="license"[^>]*>CC0 1\.0<\/a>/,
    );

    // The member sees no form; the maintainer changes it back on the campaign page.
    const memberTab = await newPage(browser, server.url);
    await signInLocally(memberTab.page, "open-member");
    await memberTab.page.goto(`/campaigns/${SLUG}`);
    await memberTab.page.getByTestId("open-data").waitFor();
    expect(await memberTab.page.getByTestId("license-form").count()).toBe(0);
    expect(memberTab.problems()).toBe("");
    await memberTab.close();
    const page = tab.page;
    await signInLocally(page, "open-maintainer");
    await page.goto(`/campaigns/${SLUG}`);
    expect(await page.getByTestId("campaign-license").innerText()).toBe("CC0 1.0");
    await page.getByLabel("Licence of the data").selectOption("CC-BY-4.0");
    await page.getByTestId("license-form").getByRole("button", { name: "Change" }).click();
    await page.getByText("Now CC BY 4.0").waitFor();
    expect(expectStatus(await anon.get<{ license: string }>(`/api/v1/campaigns/${SLUG}`), 200).license).toBe("CC-BY-4.0");
    await page.goto(`/entries/${entry.id}`);
    expect(await page.getByTestId("license").innerText()).toMatch(/CC BY 4\.0/);
    expect(tab.problems()).toBe("");
  });
});

describe("Cite", () => {
  it("downloads BibTeX with the revision's URL and number, RIS and CSL-JSON that parse, for entries, molecules and the campaign", async () => {
    const bib = await fetch(`${server.url}/entries/${entry.id}/cite?format=bibtex`);
    expect(bib.status).toBe(200);
    expect(bib.headers.get("content-type")).toBe("application/x-bibtex; charset=utf-8");
    expect(bib.headers.get("content-disposition")).toBe(`attachment; filename="osm-open_entry-${entry.id}_r2.bib"`);
    expect(bib.headers.get("link")).toBe(`<${CC_BY}>; rel="license"`);
    const bibtex = await bib.text();
    expect(bibtex).toMatch(new RegExp(`^@misc\\{osm-open_entry-${entry.id}_r2,`));
    expect(bibtex).toContain(`url          = {${server.url}/entries/${entry.id}/revisions/2},`);
    expect(bibtex).toContain("version      = {2},");
    expect(bibtex).toContain("author       = {{open-member} and {open-maintainer}},");
    expect(bibtex).toContain("title        = {{SNAr with 2-phenylethanol}},");
    // An earlier revision is cited as it was, by who had written it by then.
    const first = await (await fetch(`${server.url}/entries/${entry.id}/cite?format=bibtex&revision=1`)).text();
    expect(first).toContain(`url          = {${server.url}/entries/${entry.id}/revisions/1},`);
    expect(first).toContain("author       = {{open-member}},");

    const ris = await (await fetch(`${server.url}/entries/${entry.id}/cite?format=ris`)).text();
    const lines = ris.split("\r\n").filter(Boolean);
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
    expect(lines[0]).toBe("TY  - ELEC");
    expect(lines).toContain(`UR  - ${server.url}/entries/${entry.id}/revisions/2`);
    expect(lines).toContain("T2  - OSM open data");
    expect(lines.at(-1)).toBe("ER  - ");

    const csl = await fetch(`${server.url}/molecules/OSM-S-293/cite?format=csl-json`);
    expect(csl.headers.get("content-type")).toBe("application/vnd.citationstyles.csl+json; charset=utf-8");
    expect(JSON.parse(await csl.text())).toEqual([
      expect.objectContaining({
        id: "osm-open_OSM-S-293",
        type: "dataset",
        title: "OSM-S-293: phenethyl ether",
        URL: `${server.url}/molecules/OSM-S-293`,
        "container-title": "OSM open data",
      }),
    ]);
    const campaign = await (await fetch(`${server.url}/campaigns/${SLUG}/cite?format=bibtex`)).text();
    expect(campaign).toContain("author       = {{open-maintainer} and {open-member}},");
    expect(campaign).toContain(`url          = {${server.url}/campaigns/${SLUG}},`);

    const bad = await anon.get(`/entries/${entry.id}/cite?format=docx`);
    expect(bad.status).toBe(422);
    expect(Object.keys(errorOf(bad).fields ?? {})).toEqual(["format"]);
    expect((await anon.get(`/entries/${entry.id}/cite?revision=9`)).status).toBe(404);
    expect((await anon.get("/entries/999999/cite")).status).toBe(404);
    expect((await anon.get("/molecules/NOPE-X-1/cite")).status).toBe(404);
  });

  it("offers the disclosure on the molecule page: text, BibTeX and the downloads (screenshot)", async () => {
    const page = tab.page;
    await page.goto("/molecules/OSM-S-293");
    const cite = page.getByTestId("cite");
    await cite.locator("summary").click();
    await cite.getByTestId("cite-text").waitFor();
    expect(await cite.getByTestId("cite-text").innerText()).toMatch(
      /open-member \(\d{4}-\d{2}-\d{2}\)\. OSM-S-293: phenethyl ether\. Molecule record, OSM open data/,
    );
    expect(await cite.locator("pre").innerText()).toContain("@misc{osm-open_OSM-S-293,");
    const [download] = await Promise.all([page.waitForEvent("download"), cite.getByRole("link", { name: "RIS" }).click()]);
    expect(download.suggestedFilename()).toBe("osm-open_OSM-S-293.ris");
    await screenshot(page, "molecule-page-cite-open");
    expect(tab.problems()).toBe("");
  });
});

describe("machine-readable pages and files", () => {
  it("embeds a MolecularEntity with the InChIKey in the molecule page, and a CreativeWork in the entry page", async () => {
    const [molecule] = jsonLd(await html("/molecules/OSM-S-293"));
    expect(molecule).toMatchObject({
      "@context": "https://schema.org",
      "@type": "MolecularEntity",
      identifier: "OSM-S-293",
      name: "phenethyl ether",
      inChIKey: inchikey,
      url: `${server.url}/molecules/OSM-S-293`,
      license: CC_BY,
      isPartOf: { "@type": "Dataset", name: "OSM open data" },
    });
    expect(molecule!.inChI).toMatch(/^InChI=1S\//);
    expect(molecule!.molecularFormula).toMatch(/^C\d+H\d+/);
    const [work] = jsonLd(await html(`/entries/${entry.id}`));
    expect(work).toMatchObject({
      "@type": "CreativeWork",
      name: "SNAr with 2-phenylethanol",
      version: "2",
      mentions: [{ identifier: "OSM-S-293" }],
    });
    const [page] = jsonLd(await html(`/campaigns/${SLUG}/wiki/ether-side-chains`));
    expect(page).toMatchObject({ "@type": "CreativeWork", name: "Ether side chains", genre: "Campaign wiki page" });
  });

  it("keeps a molecule name with </script> inside its JSON-LD: it parses back, and nothing runs", async () => {
    const text = await html("/molecules/OSM-S-503");
    expect(text).not.toContain(EVIL);
    expect(jsonLd(text)[0]).toMatchObject({ name: EVIL, identifier: "OSM-S-503" });
    await tab.page.goto("/molecules/OSM-S-503");
    const blocks = await tab.page
      .locator('script[type="application/ld+json"]')
      .evaluateAll((nodes) => nodes.map((n) => JSON.parse(n.textContent ?? "") as { name: string }));
    expect(blocks.map((b) => b.name)).toEqual([EVIL]);
    expect(tab.dialogs).toEqual([]);
    expect(tab.problems()).toBe("");
  });

  it("lists an entry, a molecule and a wiki page in the sitemap (an index of sitemaps), named by robots.txt", async () => {
    expect(await html("/sitemap.xml")).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    const locs = await sitemapLocs("/sitemap.xml");
    expect(locs).toEqual(
      expect.arrayContaining([
        `${server.url}/`,
        `${server.url}/campaigns/${SLUG}`,
        `${server.url}/entries/${entry.id}`,
        `${server.url}/molecules/OSM-S-293`,
        `${server.url}/campaigns/${SLUG}/wiki/ether-side-chains`,
      ]),
    );
    expect(await html("/robots.txt")).toContain(`Sitemap: ${server.url}/sitemap.xml`);
    expect((await anon.get("/sitemaps/users-1.xml")).status).toBe(404);
    expect((await anon.get("/sitemaps/molecules-9.xml")).status).toBe(404);
  });

  it("serves CITATION.cff with the title, the members as authors and the licence", async () => {
    const res = await fetch(`${server.url}/campaigns/${SLUG}/CITATION.cff`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="CITATION.cff"');
    const cff = await res.text();
    expect(cff).toContain("cff-version: 1.2.0\n");
    expect(cff).toContain('title: "OSM open data"\n');
    expect(cff).toContain('abstract: "Series 4, cited & shared"\n');
    expect(cff).toContain("license: CC-BY-4.0\n");
    expect(cff).toContain(`url: "${server.url}/campaigns/${SLUG}"\n`);
    expect(cff).toMatch(/authors:\n {2}- alias: "open-maintainer"\n {2}- alias: "open-member"\n/);
    expect((await anon.get("/campaigns/no-such-campaign/CITATION.cff")).status).toBe(404);
  });

  it("writes the PubChem substance SDF with the REGID fields, and the assay table that names the same substances", async () => {
    const sdf = await anon.get(`/api/v1/campaigns/${SLUG}/pubchem.sdf`);
    expect(sdf.status).toBe(200);
    expect(sdf.headers.get("content-type")).toMatch(/^chemical\/x-mdl-sdfile/);
    const records = parseSdf(sdf.text);
    expect(records.errors).toEqual([]);
    expect(records.records.map((r) => r.fields.PUBCHEM_EXT_DATASOURCE_REGID)).toEqual(["OSM-S-293", "OSM-S-503"]);
    expect(records.records[0]!.fields).toMatchObject({
      PUBCHEM_SUBSTANCE_SYNONYM: "OSM-S-293\nphenethyl ether",
      PUBCHEM_EXT_SUBSTANCE_URL: `${server.url}/molecules/OSM-S-293`,
      PUBCHEM_EXT_DATASOURCE_URL: `${server.url}/campaigns/${SLUG}`,
    });
    expect(records.records[0]!.fields.PUBCHEM_SUBSTANCE_COMMENT).toMatch(/Data licence: CC BY 4\.0/);
    const assay = await anon.get(`/api/v1/campaigns/${SLUG}/pubchem-assay.csv?assay=${encodeURIComponent("Pfal IC50")}`);
    expect(assay.headers.get("content-disposition")).toBe(`attachment; filename="${SLUG}-pubchem-assay-Pfal-IC50.csv"`);
    const table = parseSheet(assay.text, "csv");
    expect(table.rows.map((r) => [r.cells.PUBCHEM_EXT_DATASOURCE_REGID, r.cells.PUBCHEM_ACTIVITY_OUTCOME])).toEqual([
      ["OSM-S-293", "2"],
      ["OSM-S-503", "1"],
    ]);
    const bad = await anon.get(`/api/v1/campaigns/${SLUG}/pubchem-assay.csv?threshold=-1`);
    expect(bad.status).toBe(422);
    expect(Object.keys(errorOf(bad).fields ?? {})).toEqual(["threshold"]);
  });
});
