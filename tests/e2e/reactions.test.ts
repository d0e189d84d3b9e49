// A synthetic chemist writes the day's SNAr as a reaction block: types the scheme as reaction SMILES, fills the table
// from it, enters one amount per row and watches the table compute; saves and reads the scheme and table on the
// entry page; registers the product and finds the reaction on the molecule's page ("Made in"); corrects a mass and
// sees that cell change in the history's diff; attaches the product's 1H NMR spectrum (JCAMP-DX) and opens it.
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign } from "./support/pages";
import { projectRoot } from "./support/paths";
import { startNotebook, type Notebook } from "./support/server";

/** The Series 4 chlorotriazolopyrazine, 2-(4-fluorophenyl)ethanol and their ether (the OSM SNAr). */
const CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";
const ALCOHOL = "OCCc1ccc(F)cc1";
const PRODUCT = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccc(F)cc4)n23";

let server: Notebook;
let browser: Browser;
let tab: NotebookPage;
let entryId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
});

/** The computed value a cell shows as its hint (placeholder) once the browser has read the structures. */
async function hint(label: string): Promise<string> {
  return (await tab.page.getByLabel(label, { exact: true }).getAttribute("placeholder")) ?? "";
}

it("types a scheme, enters one amount per row, and sees the table compute live", async () => {
  const page = tab.page;
  await signInLocally(page, "synth-e2e");
  await startCampaign(page, "Open Source Malaria", "osm");
  await page.goto("/campaigns/osm/entries/new");
  await page.getByLabel("Title").fill("SNAr with 2-(4-fluorophenyl)ethanol");
  // A structure written as a fenced smiles block is drawn inline, in the preview and on the page.
  await page.getByLabel("Notes (markdown)").fill("NaH added at 0 °C, then the alcohol dropwise; 3 h at rt.\n\n```smiles\nOCCc1ccc(F)cc1 2-(4-fluorophenyl)ethanol\n```\n");
  await page.getByTestId("preview").locator("figure.structure-figure img").waitFor();
  await page.getByRole("button", { name: "Add reaction" }).click();
  await page.getByLabel("Reaction 1 title").fill("SNAr on the chlorotriazolopyrazine");
  await page.getByLabel("Reaction 1 scheme (reaction SMILES)").fill(`${CORE}.${ALCOHOL}>>${PRODUCT}`);
  await page.getByRole("button", { name: "Fill table from scheme" }).click();
  await expect.poll(() => page.getByLabel("Row 3 role").inputValue()).toBe("product");

  // One amount per row: the core by mass, the alcohol (a liquid) by equivalents with its density, NaH 60 % by equivalents.
  await page.getByLabel("Row 1 mass", { exact: true }).fill("250");
  await page.getByLabel("Row 2 equiv.", { exact: true }).fill("1.2");
  await page.getByLabel("Row 2 density", { exact: true }).fill("1.121");
  await page.getByRole("button", { name: "Add row" }).click();
  await page.getByLabel("Row 4 structure").fill("[NaH]");
  await page.getByLabel("Row 4 name").fill("NaH (60 % in oil)");
  await page.getByLabel("Row 4 purity").fill("60");
  await page.getByLabel("Row 4 equiv.", { exact: true }).fill("1.2");
  await page.getByRole("button", { name: "Add row" }).click();
  await page.getByLabel("Row 5 role").selectOption("solvent");
  await page.getByLabel("Row 5 name").fill("THF");
  await page.getByLabel("Row 5 volume", { exact: true }).fill("5000");

  // Computed live in the browser: 250 mg of the core (296.66 g/mol) is 0.843 mmol; NaH 60 % at 1.2 equiv. is 40.4 mg.
  await expect.poll(() => hint("Row 1 amount")).toBe("0.843");
  await expect.poll(() => hint("Row 4 mass")).toBe("40.4");
  await expect.poll(() => hint("Row 2 volume")).toBe("126"); // 1.012 mmol × 140.16 g/mol ÷ 1.121 g/mL
  expect(await page.getByTestId("product-figures").innerText()).toMatch(/theor\. 337 mg \(0\.843 mmol\)/);
  expect(await page.getByTestId("live-figures").innerText()).toMatch(/0\.169 M/);
  // A volume without a density or concentration is named in its row at once.
  await page.getByLabel("Row 2 density", { exact: true }).fill("");
  await page.getByLabel("Row 2 volume", { exact: true }).fill("130");
  await page.getByLabel("Row 2 equiv.", { exact: true }).fill("");
  await expect.poll(() => page.getByTestId("stoichiometry-editor").innerText()).toMatch(/a volume needs a density/);
  await page.getByLabel("Row 2 volume", { exact: true }).fill("");
  await page.getByLabel("Row 2 equiv.", { exact: true }).fill("1.2");
  await page.getByLabel("Row 2 density", { exact: true }).fill("1.121");
  await screenshot(page, "reaction-editor");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/\/entries\/\d+$/);
  entryId = Number(new URL(page.url()).pathname.split("/").pop());
  const table = page.getByTestId("stoichiometry");
  await table.waitFor();
  const text = await table.innerText();
  expect(text).toContain("296.66");
  expect(text).toContain("0.843 mmol");
  expect(text).toContain("40.4 mg");
  expect(text).toContain("5 mL");
  // The scheme is an SVG drawn on the server, loaded and laid out.
  const scheme = page.getByRole("img", { name: "Scheme of reaction 1" });
  await expect.poll(() => scheme.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(400);
  const inline = page.locator("figure.structure-figure img");
  await expect.poll(() => inline.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  expect(await page.locator("figure.structure-figure figcaption").innerText()).toContain("2-(4-fluorophenyl)ethanol");
  await screenshot(page, "reaction-entry");
});

it("registers the product, which lists the reaction as where it was made", async () => {
  const page = tab.page;
  await page.getByRole("button", { name: "Register product" }).click();
  const link = page.getByTestId("stoichiometry").getByRole("link", { name: /^OSM-/ });
  await link.waitFor();
  const code = await link.innerText();
  await link.click();
  await page.waitForURL(`**/molecules/${code}`);
  const madeIn = page.getByTestId("made-in");
  expect(await madeIn.innerText()).toContain("SNAr with 2-(4-fluorophenyl)ethanol");
  expect(await madeIn.innerText()).toContain("planned");
  // The registration is a revision of the entry, and the entry now mentions the molecule.
  expect(await page.getByTestId("mentioned-in").innerText()).toContain("SNAr with 2-(4-fluorophenyl)ethanol");
  await screenshot(page, "reaction-made-in");
});

it("corrects a mass and enters the isolated product; the history's diff shows the changed cells", async () => {
  const page = tab.page;
  await page.goto(`/entries/${entryId}/edit`);
  await page.getByLabel("Row 1 mass", { exact: true }).fill("260");
  await page.getByLabel("Row 3 isolated mass").fill("212");
  await expect.poll(() => page.getByTestId("product-figures").innerText()).toMatch(/yield 60\.4 %/);
  await page.getByLabel("What changed (optional)").fill("Weighed the core again; isolated the ether");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(new RegExp(`/entries/${entryId}$`));
  await page.getByTestId("stoichiometry").waitFor();
  expect(await page.getByTestId("stoichiometry").innerText()).toMatch(/isolated 212 mg, yield 60\.4 %/);

  await page.goto(`/entries/${entryId}/diff`);
  const diff = await page.getByTestId("reaction-diff").innerText();
  expect(diff).toMatch(/row 1 \(C12H7ClF2N4O\)\s+mass\s+250 mg\s+260 mg/);
  expect(diff).toMatch(/isolated mass\s+—\s+212 mg/);
  await screenshot(page, "reaction-diff");
});

it("attaches the product's 1H NMR (JCAMP-DX), links it to the product row, and opens it as a plot", async () => {
  const page = tab.page;
  await page.goto(`/entries/${entryId}/edit`);
  // A real Bruker 1H spectrum (aspirin, from cheminfo's JCAMP test data) stands in for the ether's.
  await page.getByTestId("attach").setInputFiles(path.join(projectRoot, "node_modules", "jcamp-data-test", "data", "aspirin-1h.dx"));
  await page.locator(".attachments").getByText("aspirin-1h.dx").waitFor();
  const choice = page.getByLabel("Row 3 spectrum");
  await expect.poll(async () => (await choice.locator("option").allInnerTexts()).join("|")).toContain("aspirin-1h.dx");
  await choice.selectOption({ label: "aspirin-1h.dx" });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(new RegExp(`/entries/${entryId}$`));
  await page.getByTestId("stoichiometry").getByRole("link", { name: /spectrum: aspirin-1h\.dx/ }).click();
  const plot = page.getByTestId("spectrum-plot");
  await plot.waitFor();
  expect(await page.locator(".spectrum-panel").innerText()).toMatch(/spectrum of OSM-/);
  await expect.poll(async () => plot.locator("path").count()).toBeGreaterThan(0);
  expect(await plot.getAttribute("aria-labelledby")).toBeTruthy();
  await plot.scrollIntoViewIfNeeded();
  await screenshot(page, "reaction-spectrum");
  expect(tab.pageErrors).toEqual([]);
});
