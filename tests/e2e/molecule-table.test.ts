// The campaign's sheet in a real browser: a chemist imports the OSM master list through the import page, reads the
// molecule table (sort, filter, chart), exports it, and scrolls a larger table to its last row.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign } from "./support/pages";
import { projectRoot } from "./support/paths";
import { startNotebook, type Notebook } from "./support/server";

const DATA = path.resolve(projectRoot, "../shared/data");
const OSM = path.join(DATA, "osm-series4-master-list.tsv");

let server: Notebook;
let browser: Browser;
let tab: NotebookPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
});

const grid = (page: Page) => page.getByTestId("molecule-grid");
const renderedCodes = (page: Page) =>
  grid(page)
    .locator("tbody tr[data-code]")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")!));
const rowCount = (page: Page) => page.getByTestId("row-count").innerText();

/** Import a file through the import page and wait for the final report; returns its counts. */
async function importFile(page: Page, slug: string, file: { name: string; mimeType: string; buffer: Buffer }, unit?: string) {
  await page.goto(`/campaigns/${slug}/molecules/import`);
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("import-summary").waitFor();
  if (unit) await page.getByLabel("Unit of values without one").selectOption(unit);
  await page.getByRole("button", { name: /^Import \d/ }).click();
  await page.getByText(/^Done: /).waitFor({ timeout: 280_000 });
  return reportCounts(page);
}

async function reportCounts(page: Page) {
  const report = page.getByTestId("import-report");
  const n = async (id: string) => Number((await report.getByTestId(id).innerText()).replaceAll(",", ""));
  return { imported: await n("imported"), unchanged: await n("unchanged"), failed: await n("failed"), registered: await n("registered") };
}

it("imports the OSM Series 4 sheet through the import page, and importing it again changes nothing", async () => {
  const { page } = tab;
  await signInLocally(page, "ada-sheet");
  // Slug "osm": the campaign's IDs start with OSM-, as the sheet's do.
  await startCampaign(page, "Open Source Malaria Series 4", "osm");
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await page.waitForURL("**/campaigns/osm/molecules/import");

  await page.getByTestId("import-file").setInputFiles(OSM);
  // The guessed mapping and a preview before anything is written.
  await expect.poll(() => page.getByTestId("import-summary").innerText()).toContain("440 rows; no problems found");
  expect(await page.getByLabel("ID", { exact: true }).inputValue()).toBe("OSM_ID");
  expect(await page.getByLabel("SMILES", { exact: true }).inputValue()).toBe("Canonical_Smiles");
  expect(await page.locator(".preview-table tbody tr").first().innerText()).toContain("OSM-A-1");
  // The sheet's IC50 columns name no unit: the import waits for the chemist to say which.
  expect(await page.getByRole("button", { name: "Import 440 rows" }).isDisabled()).toBe(true);
  await page.getByLabel("Unit of values without one").selectOption("µM");
  await screenshot(page, "molecule-table-1-import-preview");
  await page.getByRole("button", { name: "Import 440 rows" }).click();
  await page.getByText(/^Done: 440 of 440 rows/).waitFor({ timeout: 110_000 });
  expect(await page.getByRole("progressbar", { name: "Import progress" }).getAttribute("value")).toBe("440");
  // What POST /api/v1/imports answers for the whole file in one request: 348 molecules; one row repeats another.
  expect(await reportCounts(page)).toEqual({ imported: 439, unchanged: 1, failed: 0, registered: 348 });
  await screenshot(page, "molecule-table-2-import-report");

  await page.getByRole("button", { name: "Import again" }).click();
  await expect.poll(() => reportCounts(page), { timeout: 110_000 }).toEqual({ imported: 0, unchanged: 440, failed: 0, registered: 0 });
  await page.getByText(/^Done: 440 of 440 rows/).waitFor();
});

it("shows every molecule with structures, IDs, properties and best potency, in ID order", async () => {
  const { page } = tab;
  await page.getByRole("link", { name: "See the molecule table" }).click();
  await page.waitForURL("**/campaigns/osm/molecules");
  await expect.poll(() => rowCount(page)).toBe("348 molecules");
  const first = grid(page).locator("tbody tr[data-code]").first();
  expect(await first.getAttribute("data-code")).toBe("OSM-A-1");
  expect(await first.locator("img").getAttribute("src")).toMatch(/^\/molecules\/OSM-A-1\.svg/);
  // Depictions are drawn on first request (the first one loads the toolkit).
  await expect
    .poll(() => first.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 })
    .toBe(true);
  // Best potency per assay with its qualifier: OSM-E-1 was only ever "> 50" µM.
  const headers = await grid(page).locator("thead th").allInnerTexts();
  const ic50 = headers.findIndex((h) => h.startsWith("Pfal IC50 (µM)"));
  expect(ic50).toBeGreaterThan(0);
  const osmE1 = grid(page).locator('tr[data-code="OSM-E-1"] td');
  expect(await osmE1.nth(ic50).innerText()).toBe("> 50");
  // Only the rows on screen exist in the page.
  expect((await renderedCodes(page)).length).toBeLessThan(40);
  await screenshot(page, "molecule-table-3-table");
});

it("sorts by a column header and back", async () => {
  const { page } = tab;
  const mw = page.getByRole("button", { name: "MW", exact: true });
  await mw.click();
  await expect.poll(async () => (await renderedCodes(page))[0]).not.toBe("OSM-A-1");
  const masses = async () => (await grid(page).locator("tbody tr[data-code] td:nth-child(5)").allInnerTexts()).map(Number);
  const ascending = await masses();
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await mw.click();
  await expect.poll(async () => (await masses())[0]! > ascending[0]!).toBe(true);
  const descending = await masses();
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain("MW");
  await page.getByRole("button", { name: "ID", exact: true }).click();
  await expect.poll(async () => (await renderedCodes(page))[0]).toBe("OSM-A-1");
});

it("filters by text, status, property range and potency threshold", async () => {
  const { page } = tab;
  await page.getByLabel("Filter by ID, name or alias").fill("osm-s-10");
  // OSM-S-10 and OSM-S-100…109 (an ID cell with several IDs keeps the others as aliases, which match too).
  await expect.poll(() => rowCount(page)).toMatch(/^\d+ of 348 molecules$/);
  const codes = await renderedCodes(page);
  expect(codes).toContain("OSM-S-10");
  expect(codes.length).toBeLessThan(20);
  await page.getByLabel("Filter by ID, name or alias").fill("");
  await page.getByLabel("Status").selectOption("parked");
  await expect.poll(() => rowCount(page)).toBe("0 of 348 molecules");
  expect(await page.getByText("No molecule matches these filters.").count()).toBe(1);
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Property", { exact: true }).selectOption({ label: "MW" });
  await page.getByLabel("Property at most").fill("350");
  await expect.poll(() => rowCount(page)).toMatch(/^\d+ of 348 molecules$/);
  const light = await grid(page).locator("tbody tr[data-code] td:nth-child(5)").allInnerTexts();
  expect(light.every((m) => Number(m) <= 350)).toBe(true);
  await page.getByLabel("Property at most").fill("");
  await page.getByLabel("Potency assay").selectOption({ label: "Pfal IC50" });
  await page.getByLabel("Potency threshold").fill("0.05");
  await expect.poll(() => rowCount(page)).toMatch(/^\d+ of 348 molecules$/);
  const potent = Number((await rowCount(page)).split(" ")[0]);
  expect(potent).toBeGreaterThan(0);
  expect(potent).toBeLessThan(60);
  await screenshot(page, "molecule-table-4-filtered");
  await page.getByRole("button", { name: "Clear" }).click();
  await expect.poll(() => rowCount(page)).toBe("348 molecules");
});

it("draws potency against a property, each point linked to its molecule", async () => {
  const { page } = tab;
  const chart = page.getByTestId("potency-chart");
  await chart.scrollIntoViewIfNeeded();
  const points = chart.locator("a");
  expect(await points.count()).toBeGreaterThan(300);
  expect(await points.first().getAttribute("href")).toMatch(/^\/molecules\/OSM-/);
  await points.nth(10).hover();
  await page.getByRole("tooltip").waitFor();
  expect(await page.getByRole("tooltip").innerText()).toMatch(/OSM-\w-\d+[\s\S]*Pfal IC50: [<>]?[\d.]+ µM[\s\S]*cLogP: /);
  await page.locator(".potency-chart select").nth(1).selectOption("tpsa");
  expect(await chart.getAttribute("aria-label")).toMatch(/against TPSA, \d+ molecules/);
  await screenshot(page, "molecule-table-5-chart");
});

it("exports the table as CSV", async () => {
  const { page } = tab;
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV" }).first().click()]);
  const csv = readFileSync(await download.path(), "utf8");
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  expect(csv).toContain("OSM-S-10");
  expect(csv.split(/\r?\n/).filter((l) => l.trim() !== "").length).toBeGreaterThan(348);
});

it("imports 2,000 molecules with per-row errors, and scrolling renders the last row of the table", { timeout: 300_000 }, async () => {
  const { page } = tab;
  await startCampaign(page, "HIV screen", "hiv");
  const lines = readFileSync(path.join(DATA, "hiv-41k.csv"), "utf8").split(/\r?\n/).slice(0, 2001);
  // Two rows no toolkit can read: each fails alone with its row and column, the others import.
  const text = [...lines, "C1CC(,0", "Xx[zz],0"].join("\n");
  const counts = await importFile(page, "hiv", { name: "hiv-2k.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
  expect(counts).toEqual({ imported: 2000, unchanged: 0, failed: 2, registered: 2000 });
  const errors = await page.getByTestId("import-errors").locator("tbody tr").allInnerTexts();
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatch(/^2002\tsmiles\t/);
  expect(errors[1]).toMatch(/^2003\tsmiles\t/);
  await screenshot(page, "molecule-table-6-import-errors");

  await page.goto("/campaigns/hiv/molecules");
  await expect.poll(() => rowCount(page)).toBe("2,000 molecules");
  expect((await renderedCodes(page)).length).toBeLessThan(40);
  await grid(page).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect.poll(async () => (await renderedCodes(page)).at(-1)).toBe("HIV-A-2000");
  expect((await renderedCodes(page)).length).toBeLessThan(40);
  await screenshot(page, "molecule-table-7-scrolled-to-the-end");
  expect(problems()).toEqual({ consoleErrors: [], pageErrors: [], dialogs: [], failedRequests: [] });
});

/**
 * What went wrong in the page. A structure image whose row scrolled or was filtered away before it loaded is
 * cancelled by the browser (net::ERR_ABORTED): that is virtualization working, not a failure.
 */
function problems() {
  const cancelledImage = (r: string) => /\/molecules\/[^/]+\.svg\?\S*: net::ERR_ABORTED$/.test(r);
  return {
    consoleErrors: tab.consoleErrors,
    pageErrors: tab.pageErrors,
    dialogs: tab.dialogs,
    failedRequests: tab.failedRequests.filter((r) => !cancelledImage(r)),
  };
}
