// Structure search in a real browser, on real Series 4 molecules: a chemist types a SMARTS and sees the hits as
// structures with the matched atoms highlighted, narrows them to potent molecules sorted by potency, ranks analogues
// by similarity, gets a clear message for a query that does not parse, and uses the header box for an ID, an
// InChIKey, a SMILES and words.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { drawPropane } from "./support/pages";
import { createToken, pgliteStore, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

// Real Series 4 compounds of the OSM master list, registered under their own IDs.
const SERIES4: Record<string, string> = {
  "OSM-S-187": "N#Cc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
  "OSM-S-208": "COC(COc1cncc2nnc(c3ccc(cc3)C#N)n12)c4ccc(F)c(F)c4",
  "OSM-S-378": "CN(C)C(COc1cncc2nnc(c3ccc(cc3)C#N)n12)c4ccc(F)c(F)c4",
  "OSM-S-297": "C(Cc1ccccc1)Oc2cncc3nnc(c4ccc5ccccc5c4)n23",
  "OSM-S-201": "Cc1c(Cl)cccc1NC(=O)c2cncc3nnc(c4ccc(OC(F)F)cc4)n23",
  "OSM-S-272": "Fc1ccc(CCOc2cncc3nnc(c4ccc(Cl)cc4)n23)cc1F",
};

let store: PgliteStore;
let server: Notebook;
let browser: Browser;
let tab: NotebookPage;

beforeAll(async () => {
  store = await pgliteStore();
  const token = await createToken(store, "ada-search");
  [server, browser] = await Promise.all([startNotebook({ dataDir: store.dataDir }), launchBrowser()]);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  // Slug "osm": the campaign's IDs start with OSM-, as the sheet's do.
  await post("/api/v1/campaigns", { name: "Open Source Malaria Series 4", slug: "osm" });
  for (const [id, smiles] of Object.entries(SERIES4)) await post("/api/v1/molecules", { campaign: "osm", id, smiles });
  // Their P. falciparum IC50s (µM) as the master list gives them.
  for (const [id, lab, value, qualifier] of [
    ["OSM-S-187", "GSK", 0.534, "="],
    ["OSM-S-378", "Dundee", 10, ">"],
    ["OSM-S-297", "Syngene", 0.415, "="],
    ["OSM-S-201", "GSK", 5, ">"],
    ["OSM-S-201", "Dundee", 4.191, "="],
    ["OSM-S-272", "Dundee", 0.143, "="],
  ] as const) {
    await post(`/api/v1/molecules/${id}/measurements`, { assay: "IC50", target: "Pfal", lab, value, unit: "µM", qualifier });
  }
  tab = await newPage(browser, server.url);
}, 180_000);

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

it("finds nitriles by SMARTS and shows them with the matched atoms highlighted", async () => {
  const { page } = tab;
  await page.goto("/search/molecules");
  await page.getByLabel("Query structure (SMILES or SMARTS)").fill("c[C]#N");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\/search\/molecules\?q=/);
  const hits = page.getByTestId("search-hit");
  await hits.first().waitFor();
  const codes = await hits.locator("strong").allInnerTexts();
  // OSM-S-187, -208 and -378 carry a benzonitrile.
  expect(codes.sort()).toEqual(["OSM-S-187", "OSM-S-208", "OSM-S-378"]);
  expect(await page.getByTestId("search-total").innerText()).toMatch(/^3 molecules/);
  const src = await hits.first().locator("img").getAttribute("src");
  expect(src).toMatch(/\.svg\?w=220&h=160&hl=\d+,\d+,\d+$/);
  // The highlighted drawing really has the highlight (OpenChemLib draws matched bonds on a light background).
  const svg = await page.request.get(src!);
  expect(svg.status()).toBe(200);
  expect(await svg.text()).toContain('stroke="rgb(206,226,255)"');
  await page.waitForFunction(() => [...document.querySelectorAll("img.structure")].every((img) => (img as HTMLImageElement).complete));
  await screenshot(page, "molecule-search-nitrile");
  expect(tab.problems()).toBe("");
});

it("narrows the hits to potent molecules, most potent first, with each hit's best IC50", async () => {
  const { page } = tab;
  await page.goto("/search/molecules");
  await page.getByLabel("Query structure (SMILES or SMARTS)").fill("c1cncc2nncn12");
  await page.getByLabel("Assay").selectOption({ label: "Pfal IC50 (µM) · 5 measured" });
  await page.getByLabel("Potency threshold").fill("1");
  await page.getByLabel("Sort by").selectOption("potency");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/sort=potency/);
  const hits = page.getByTestId("search-hit");
  await expect.poll(() => hits.locator("strong").allInnerTexts()).toEqual(["OSM-S-272", "OSM-S-297", "OSM-S-187"]);
  expect(await hits.first().innerText()).toContain("Pfal IC50 0.143 µM");
  expect(await page.getByTestId("search-total").innerText()).toMatch(/^3 molecules/);
  // The form keeps the choices for the next search.
  expect(await page.getByLabel("Sort by").inputValue()).toBe("potency");
  await page.waitForFunction(() => [...document.querySelectorAll("img.structure")].every((img) => (img as HTMLImageElement).complete));
  await screenshot(page, "molecule-search-potency");

  // Without the threshold every hit comes back, the unmeasured one last and the ">10" bound after the measured ones.
  await page.getByLabel("Potency threshold").fill("");
  await page.getByRole("button", { name: "Search" }).click();
  await expect
    .poll(() => hits.locator("strong").allInnerTexts())
    .toEqual(["OSM-S-272", "OSM-S-297", "OSM-S-187", "OSM-S-201", "OSM-S-378", "OSM-S-208"]);
  expect(await hits.nth(4).innerText()).toContain("Pfal IC50 >10 µM");

  // The download holds every hit in the order shown, one row per measurement, with the columns an import maps.
  const csvLink = page.getByRole("link", { name: "CSV", exact: true });
  const download = await page.request.get((await csvLink.getAttribute("href"))!);
  expect(download.headers()["content-disposition"]).toBe('attachment; filename="molecules-substructure-search.csv"');
  const lines = (await download.text()).trim().split("\r\n");
  expect(lines[0]).toMatch(/^ID,Name,Aliases,Series,Status,Parent,SMILES,InChIKey,/);
  const order = lines.slice(1).map((line) => line.split(",")[0]);
  expect(order.filter((id, i) => id !== order[i - 1])).toEqual(["OSM-S-272", "OSM-S-297", "OSM-S-187", "OSM-S-201", "OSM-S-378", "OSM-S-208"]);
  expect(tab.problems()).toBe("");
});

it("shows the first page before the total is counted, then pages on", async () => {
  const { page } = tab;
  await page.goto(`/search/molecules?q=${encodeURIComponent("c1cncc2nncn12")}&limit=4`);
  const hits = page.getByTestId("search-hit");
  await expect.poll(() => hits.count()).toBe(4);
  // The total arrives in the same answer once counted (streamed after the hits).
  await expect.poll(() => page.getByTestId("search-total").innerText()).toMatch(/^6 molecules · first page in [\d.]+ ms · download all hits as CSV or SDF$/);
  const first = await hits.locator("strong").allInnerTexts();
  await page.getByRole("link", { name: "Next →" }).click();
  await expect.poll(() => hits.locator("strong").allInnerTexts()).toHaveLength(2);
  const second = await hits.locator("strong").allInnerTexts();
  expect(new Set([...first, ...second]).size).toBe(6);
  expect(await page.getByTestId("search-total").innerText()).toMatch(/^6 molecules/);
  expect(tab.problems()).toBe("");
});

it("turns a query drawn in OpenChemLib's editor into a SMILES and searches with it", async () => {
  const { page } = tab;
  await page.goto("/search/molecules");
  await page.getByRole("tab", { name: "Draw" }).click();
  await drawPropane(page);
  const query = page.getByLabel("Query structure (SMILES or SMARTS)");
  await expect.poll(() => query.inputValue()).toBe("CCC");
  await screenshot(page, "molecule-search-drawn");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\/search\/molecules\?q=CCC&/);
  // None of the six has three aliphatic carbons in a row (their side chains are O–C–C–aryl and branched ethers).
  await expect.poll(() => page.getByTestId("search-total").innerText()).toMatch(/^0 molecules/);
  expect(tab.problems()).toBe("");
});

it("similarity search ranks the closest analogue first; a query that does not parse gets a message", async () => {
  const { page } = tab;
  await page.goto(`/search/molecules?mode=similarity&threshold=0.3&q=${encodeURIComponent("N#Cc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23")}`);
  const first = page.getByTestId("search-hit").first();
  await expect.poll(() => first.locator("strong").innerText()).toBe("OSM-S-187");
  expect(await first.innerText()).toContain("similarity 1.00");

  await page.goto(`/search/molecules?q=${encodeURIComponent("c1ccc")}`);
  await expect.poll(() => page.locator("p.field-error[role=alert]").innerText()).toMatch(/could not be read/);
  await screenshot(page, "molecule-search-error");
});

it("the header box opens a molecule by ID or InChIKey, runs a structure search for a SMILES, and searches entries for words", async () => {
  const { page } = tab;
  const header = page.locator("#site-search");
  await page.goto("/");
  await header.fill("osm-s-187");
  await header.press("Enter");
  await page.waitForURL(/\/molecules\/OSM-S-187$/);

  await header.fill("ZUPHNBXHMXOSSS-UHFFFAOYSA-N");
  await header.press("Enter");
  await page.waitForURL(/\/molecules\/OSM-S-187$/);

  await header.fill("c1ccc2ccccc2c1");
  await header.press("Enter");
  await page.waitForURL(/\/search\/molecules\?q=c1ccc2ccccc2c1/);
  await expect.poll(() => page.getByTestId("search-hit").locator("strong").allInnerTexts()).toEqual(["OSM-S-297"]);
  await screenshot(page, "molecule-search-header-smiles");

  await header.fill("triazolopyrazine");
  await header.press("Enter");
  await page.waitForURL(/\/search\?q=triazolopyrazine/);
  await page.getByRole("heading", { name: "Search entries" }).waitFor();
  expect(tab.problems()).toBe("");
});
