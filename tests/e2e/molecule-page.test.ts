// A chemist registers a real Series 4 compound in the browser, finds it on its page with the InChIKey the campaign's
// sheet has, is shown the existing molecule when registering it again, adds a potency, and mentions it in an entry:
// the mention links itself, shows the structure on hover, and the molecule page lists the entry until the mention is
// edited away.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { drawPropane, editEntry, signInLocally, startCampaign, writeTodaysEntry } from "./support/pages";
import { projectRoot } from "./support/paths";
import { startNotebook, type Notebook } from "./support/server";

const CODE = "OSM-S-175";
const NAME = "Triazolopyrazine amide 175";
// The first drawing a fresh server makes loads OpenChemLib first: allow more than expect.poll's default second.
const IMAGE_WAIT = { timeout: 15_000 };

/** The compound's row in the real campaign sheet (../shared/data, read, never copied). */
function sheetRow(code: string): { smiles: string; inchiKey: string } {
  const sheet = readFileSync(path.join(projectRoot, "..", "shared", "data", "osm-series4-master-list.tsv"), "utf8");
  const [header, ...rows] = sheet.split(/\r?\n/).map((line) => line.split("\t"));
  const column = (name: string) => header!.indexOf(name);
  const row = rows.find((cells) => cells[column("OSM_ID")] === code);
  if (!row) throw new Error(`${code} is not in the sheet`);
  return { smiles: row[column("Canonical_Smiles")]!, inchiKey: row[column("InChIKey")]! };
}

const compound = sheetRow(CODE);
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

async function registerFromSmiles(smiles: string, fields: { name?: string; id?: string } = {}): Promise<void> {
  const page = tab.page;
  await page.goto("/campaigns/osm/molecules/new");
  await page.getByLabel("SMILES", { exact: true }).fill(smiles);
  // The live preview parses it in the browser with OpenChemLib: a drawing and the formula appear.
  await page.getByTestId("structure-preview").getByRole("img", { name: "Preview of the structure" }).waitFor();
  if (fields.name) await page.getByLabel("Name").fill(fields.name);
  if (fields.id) await page.getByLabel("Campaign ID").fill(fields.id);
  await page.getByRole("button", { name: "Register molecule" }).click();
}

it("registers a Series 4 compound from its SMILES and lands on its page", async () => {
  const page = tab.page;
  await signInLocally(page, "mol-e2e");
  await startCampaign(page, "Open Source Malaria", "osm");

  await page.goto("/campaigns/osm/molecules/new");
  // Without its last ring-closure digit the SMILES leaves a ring open: the preview says so before anything is sent.
  await page.getByLabel("SMILES", { exact: true }).fill(compound.smiles.slice(0, -1));
  await expect.poll(() => page.getByTestId("structure-error").textContent()).toMatch(/SMILES could not be read/);
  await expect.poll(() => page.getByRole("button", { name: "Register molecule" }).isDisabled()).toBe(true);
  // A molfile declaring 99,999,999 atoms once crashed the browser tab: it is refused before OpenChemLib reads it.
  await page.getByRole("tab", { name: "Molfile" }).click();
  const bomb = "\n  bomb\n\n  0  0  0     0  0            999 V3000\nM  V30 BEGIN CTAB\nM  V30 COUNTS 99999999 0 0 0 0\nM  V30 END CTAB\nM  END\n";
  await page.getByLabel("Molfile (V2000 or V3000)").fill(bomb);
  await expect.poll(() => page.getByTestId("structure-error").textContent()).toMatch(/declares 99,999,999 atoms; the limit is 1,000/);
  await page.getByRole("tab", { name: "SMILES" }).click();

  await registerFromSmiles(compound.smiles, { name: NAME, id: CODE });
  await page.waitForURL(`**/molecules/${CODE}`);
  expect(await page.locator("h1").innerText()).toBe(`${CODE} ${NAME}`);
  expect(await page.getByTestId("inchikey").innerText()).toBe(compound.inchiKey);
  expect(await page.getByTestId("properties").innerText()).toContain("450.33 g/mol");
  expect(await page.getByRole("link", { name: "PubChem" }).getAttribute("href")).toBe(
    `https://pubchem.ncbi.nlm.nih.gov/#query=${compound.inchiKey}`,
  );
  expect(await page.title()).toContain(CODE);

  const drawing = page.locator("img.structure.large");
  await expect
    .poll(() => drawing.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), IMAGE_WAIT)
    .toBeGreaterThan(0);
  await screenshot(page, "molecule-1-page");
  expect(tab.problems()).toBe("");
});

it("serves the structure as SVG, PNG and molfile, cached by ETag, and 404 JSON for an unknown ID", async () => {
  const request = tab.page.request;
  const svg = await request.get(`/molecules/${CODE}.svg`);
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
  expect(svg.headers()["x-content-type-options"]).toBe("nosniff");
  expect(svg.headers()["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'");
  expect(svg.headers()["cache-control"]).toBe("public, max-age=86400");
  expect(await svg.text()).toMatch(/^<svg[^>]*width="300px" height="200px"/);
  const etag = svg.headers().etag!;
  const again = await request.get(`/molecules/${CODE}.svg`, { headers: { "If-None-Match": etag } });
  expect(again.status()).toBe(304);

  const png = await request.get(`/molecules/${CODE}.png?w=300`);
  expect(png.status()).toBe(200);
  expect(png.headers()["content-type"]).toBe("image/png");
  const bytes = await png.body();
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect(bytes.readUInt32BE(16)).toBe(300); // IHDR width
  // Sizes out of range are clamped, not refused.
  expect((await (await request.get(`/molecules/${CODE}.png?w=99999`)).body()).readUInt32BE(16)).toBe(1600);

  const molfile = await request.get(`/molecules/${CODE}.mol`);
  expect(molfile.headers()["content-disposition"]).toBe(`attachment; filename="${CODE}.mol"`);
  expect((await molfile.text()).split("\n")[0]).toBe(CODE);

  const missing = await request.get("/molecules/OSM-S-99999.svg");
  expect(missing.status()).toBe(404);
  expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
});

it("shows the existing molecule instead of registering the same structure twice", async () => {
  const page = tab.page;
  // The same compound written another way: OpenChemLib's canonical SMILES, as its page shows it, not the sheet's.
  await page.goto(`/molecules/${CODE}`);
  const canonical = await page.getByTestId("smiles").innerText();
  expect(canonical).not.toBe(compound.smiles);
  await registerFromSmiles(canonical);
  const notice = page.getByTestId("duplicate");
  await notice.waitFor();
  expect(await notice.innerText()).toContain(`Already registered as ${CODE} (${NAME})`);
  expect(await notice.getByRole("link", { name: CODE }).getAttribute("href")).toBe(`/molecules/${CODE}`);
  await expect
    .poll(() => notice.locator("img").evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), IMAGE_WAIT)
    .toBeGreaterThan(0);
  expect(new URL(page.url()).pathname).toBe("/campaigns/osm/molecules/new");
  // The campaign creator is its maintainer, who may still register a distinct batch or salt form.
  await notice.getByRole("button", { name: `Register a distinct batch or salt form of ${CODE}` }).waitFor();
  await screenshot(page, "molecule-2-duplicate");
  expect(tab.problems()).toBe("");
});

it("links a mention in an entry, shows the structure on hover, and lists the entry on the molecule page", async () => {
  const page = tab.page;
  entryId = await writeTodaysEntry(page, "osm", {
    title: "Resynthesis of the amide",
    body: `Made ${CODE} again (120 mg). The file /data/${CODE}.csv and \`${CODE}\` in code are not links.`,
  });
  const mention = page.locator(`.prose a.mention[data-mention="${CODE}"]`);
  expect(await mention.count()).toBe(1);
  expect(await mention.getAttribute("href")).toBe(`/molecules/${CODE}`);
  expect(await page.getByTestId("molecules-mentioned").innerText()).toContain(CODE);

  await mention.hover();
  const card = page.getByTestId("mention-card");
  await card.waitFor();
  expect(await card.innerText()).toContain(NAME);
  await expect
    .poll(() => card.locator("img").evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), IMAGE_WAIT)
    .toBeGreaterThan(0);
  await screenshot(page, "molecule-3-mention-hover");
  await page.mouse.move(5, 5);
  await expect.poll(() => card.count()).toBe(0);

  await page.goto(`/molecules/${CODE}`);
  const mentionedIn = page.getByTestId("mentioned-in");
  expect(await mentionedIn.getByRole("link", { name: "Resynthesis of the amide" }).getAttribute("href")).toBe(`/entries/${entryId}`);
  expect(tab.problems()).toBe("");
});

it("adds a measurement reported in that entry, and a maintainer parks and re-activates the molecule", async () => {
  const page = tab.page;
  await page.goto(`/molecules/${CODE}`);
  const form = page.getByRole("form", { name: "Add a measurement" });
  await form.getByLabel("Assay").fill("IC50");
  await form.getByLabel("Target / strain").fill("Pfal (3D7)");
  await form.getByLabel("Lab").fill("Avery");
  await form.getByLabel("Value").fill("<0.05");
  await form.getByLabel("Reported in").selectOption(String(entryId));
  await form.getByRole("button", { name: "Add measurement" }).click();
  const row = page.getByTestId("measurements").locator("tbody tr");
  await expect.poll(() => row.count()).toBe(1);
  const cells = await row.first().locator("td").allInnerTexts();
  expect(cells.slice(0, 4)).toEqual(["IC50", "Pfal (3D7)", "Avery", "< 0.05 µM"]);
  expect(cells[5]).toBe("Resynthesis of the amide");

  await page.getByLabel("Park it, because…").fill("Solubility too low for in vivo work");
  await page.getByRole("button", { name: "Park molecule" }).click();
  await expect.poll(() => page.getByTestId("molecule-status").innerText()).toBe("Parked");
  expect(await page.locator("article").innerText()).toContain("Solubility too low for in vivo work");
  await screenshot(page, "molecule-4-parked");
  await page.getByRole("button", { name: "Re-activate" }).click();
  await expect.poll(() => page.getByTestId("molecule-status").innerText()).toBe("Active");
  expect(tab.problems()).toBe("");
});

it("forgets the mention when the entry is edited to remove it", async () => {
  const page = tab.page;
  await editEntry(page, entryId, { body: "Made the amide again (120 mg).", message: "No compound ID here" });
  expect(await page.locator(".prose a.mention").count()).toBe(0);
  expect(await page.getByTestId("molecules-mentioned").count()).toBe(0);
  await page.goto(`/molecules/${CODE}`);
  const mentionedIn = page.getByTestId("mentioned-in");
  expect(await mentionedIn.innerText()).toContain(`No entry mentions ${CODE} yet`);
  // The measurement still names the entry that reported it: it is a record, not a mention.
  expect(await page.getByTestId("measurements").innerText()).toContain("Resynthesis of the amide");
  await screenshot(page, "molecule-5-mention-removed");
  expect(tab.problems()).toBe("");
});

it("registers a structure drawn in OpenChemLib's editor", async () => {
  const page = tab.page;
  await page.goto("/campaigns/osm/molecules/new");
  await page.getByRole("tab", { name: "Draw" }).click();
  await drawPropane(page);
  await expect.poll(() => page.getByTestId("structure-preview").innerText(), IMAGE_WAIT).toContain("44.10 g/mol");
  await screenshot(page, "molecule-6-drawn");
  await page.getByLabel("Name").fill("Propane, drawn");
  await page.getByRole("button", { name: "Register molecule" }).click();
  await page.waitForURL(/\/molecules\/OSM-A-1$/);
  expect(await page.getByTestId("inchikey").innerText()).toBe("ATUOYWHBWRKTHZ-UHFFFAOYSA-N");
  expect(await page.getByTestId("properties").innerText()).toContain("C3H8");
  expect(tab.problems()).toBe("");
});
