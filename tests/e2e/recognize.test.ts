// Picture → structure in Chromium (issue 18): a chemist pastes a picture of a Series 4 compound (drawn by OpenChemLib
// at 300 dpi, as the benchmark draws them: tests/bench/ocsr-render.ts) into the registration form, sees what OSRA read
// beside the picture, takes it into the editor and registers it: the molecule page has the compound's own InChIKey.
// Then on the structure search page a blank picture reads as nothing, and the same picture, chosen as a file (the
// structure now says it matches the registered molecule), fills the query, as read and as "corrected" in the editor;
// pasted in the entry editor's dialog, it goes into the notes as a smiles block. Last, a drawn scheme (the Series 4 SNAr,
// tests/bench/ocsr-scheme.ts) pasted into a reaction block's "Scheme from a picture" is proposed as reaction SMILES,
// and fills the block's scheme and rows only when the chemist says so.
// Over HTTP, pictures that are refused are refused quickly and leave no temporary folder behind. And a picture attached
// to an entry is read in the background: its structure is listed on the entry and found by structure search when
// asked to include structures recognized in attachments.
// Needs OSRA on the machine (`apt-get install osra`; .ci/run installs it). Screenshots: test-results/screenshots/recognize-*.png.
import { readdirSync } from "node:fs";
import os from "node:os";
import { CanonizerUtil, Molecule } from "openchemlib";
import type { Browser, Locator } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_VARIANTS } from "@/lib/ocsr/recognize";
import { parseSheet } from "@/lib/sheets/sheet";
import { STYLES, render } from "../bench/ocsr-render";
import { schemePicture, SNAR_SCHEME } from "../bench/ocsr-scheme";
import { pixelBomb } from "../unit/ocsr/pictures";
import { readSharedData } from "../unit/chem/shared-data";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign, writeTodaysEntry } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

/** OSRA reads this one in OpenChemLib's style by every picture variant (checked with lib/ocsr before choosing it). */
const CODE = "OSM-S-177";
/** OSRA takes a few seconds on the picture; the first request also starts the chemistry workers. */
const READ_WAIT = { timeout: 60_000 };

const row = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv").rows.find((r) => r.cells.OSM_ID === CODE)!;
const compound = { smiles: row.cells.Canonical_Smiles!, inchiKey: row.cells.InChIKey! };

let server: Notebook;
let browser: Browser;
let tab: NotebookPage;
/** The PNG of the compound, base64 (it crosses into the page as text). */
let picture: string;
/** A blank white PNG: nothing to read in it. */
let blank: string;

beforeAll(async () => {
  const style = STYLES.find((s) => s.name === "ocl-300")!;
  const drawn = render(compound.smiles, style, null, 1).then((p) => Buffer.from(p.bytes).toString("base64"));
  const white = sharp({ create: { width: 400, height: 300, channels: 3, background: "#ffffff" } })
    .png()
    .toBuffer()
    .then((b) => b.toString("base64"));
  // The background scan of attachments looks every second (by default every 20 s).
  [server, browser, picture, blank] = await Promise.all([
    startNotebook({ env: { NOTEBOOK_SCAN_INTERVAL: "1" } }),
    launchBrowser(),
    drawn,
    white,
  ]);
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
});

/** What Ctrl+V of a copied picture does: a paste event carrying the PNG as a file, on the focused picture area. */
async function pastePicture(area: Locator, base64: string): Promise<void> {
  await area.click();
  await area.evaluate((zone, data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const clipboard = new DataTransfer();
    clipboard.items.add(new File([bytes], "image.png", { type: "image/png" }));
    zone.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }, base64);
}

/** Pastes the picture into the area (or chooses it as a file) and waits for the one structure read in it. */
async function readPicture(scope: Locator, how: "paste" | "choose"): Promise<Locator> {
  if (how === "paste") await pastePicture(scope.getByTestId("picture-drop"), picture);
  else {
    const file = { name: "scheme.png", mimeType: "image/png", buffer: Buffer.from(picture, "base64") };
    await scope.getByLabel("choose a picture or PDF").setInputFiles(file);
  }
  const found = scope.getByTestId("recognized-structure");
  await found.first().waitFor(READ_WAIT);
  expect(await found.count()).toBe(1);
  await drawn(found.first().getByRole("img", { name: "Recognized structure 1" }));
  return found.first();
}

/** Waits until an <img> has loaded its picture. */
async function drawn(img: Locator): Promise<void> {
  await expect.poll(() => img.evaluate((e: HTMLImageElement) => (e.complete ? e.naturalWidth : 0)), { timeout: 15_000 }).toBeGreaterThan(0);
}

it("registers the structure read from a pasted picture, after showing it beside the picture", async () => {
  const page = tab.page;
  await signInLocally(page, "picture-e2e");
  await startCampaign(page, "Open Source Malaria", "osm");
  await page.goto("/campaigns/osm/molecules/new");
  await page.getByRole("tab", { name: "Picture" }).click();
  // A file chooser too, with a label a screen reader reads.
  await page.getByLabel("choose a picture or PDF").waitFor({ state: "attached" });

  const area = page.getByTestId("picture-drop");
  await pastePicture(area, picture);
  await page.getByTestId("picture-reading").waitFor(); // "Reading the picture…" while OSRA works
  const found = page.getByTestId("recognized-structure");
  await found.first().waitFor(READ_WAIT);
  expect(await found.count()).toBe(1);
  const card = found.first();
  const text = await card.innerText();
  expect(text).toContain("C21H15F2N5O2");
  const variants = DEFAULT_VARIANTS.length;
  expect(text).toMatch(new RegExp(`read by [1-${variants}] of ${variants} variants`));
  expect(text).not.toMatch(/matches|page \d/); // nothing registered yet; a single picture has no pages
  await drawn(card.getByRole("img", { name: "Recognized structure 1" })); // redrawn by OpenChemLib in the browser

  // Side by side: the picture on the left, what was read in it on the right, tops level.
  const shown = page.getByRole("img", { name: "The picture read: Pasted picture" });
  await expect.poll(() => shown.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(533);
  const [left, right] = [(await shown.boundingBox())!, (await card.boundingBox())!];
  expect(right.x).toBeGreaterThan(left.x + left.width);
  expect(Math.abs(right.y - left.y)).toBeLessThan(40);
  // Where it was found is outlined on the picture, inside it.
  const outline = (await page.locator(".picture-frame .picture-box").boundingBox())!;
  expect(outline.x).toBeGreaterThanOrEqual(left.x - 1);
  expect(outline.x + outline.width).toBeLessThanOrEqual(left.x + left.width + 1);
  expect(outline.y + outline.height).toBeLessThanOrEqual(left.y + left.height + 1);
  await screenshot(page, "recognize-1-register-picture");

  // Nothing is registered until the chemist says so: the structure goes to the editor, and Register sends it.
  expect(new URL(page.url()).pathname).toBe("/campaigns/osm/molecules/new");
  await card.getByRole("button", { name: "Use this structure" }).click();
  expect(await page.getByRole("tab", { name: "Draw" }).getAttribute("aria-selected")).toBe("true");
  await page.getByTestId("structure-editor").locator("canvas").first().waitFor();
  await page.getByTestId("structure-preview").getByRole("img", { name: "Preview of the structure" }).waitFor();
  expect(await page.getByTestId("structure-preview").innerText()).toContain("C21H15F2N5O2");
  await screenshot(page, "recognize-2-register-draw");
  await page.getByRole("button", { name: "Register molecule" }).click();
  await page.waitForURL((url) => /^\/molecules\/[^/]+$/.test(url.pathname));
  expect(await page.getByTestId("inchikey").innerText()).toBe(compound.inchiKey);
  expect(tab.problems()).toBe("");
});

it("fills the structure search from a picture, and puts it into an entry as a smiles block", async () => {
  const page = tab.page;
  const registered = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);

  await page.goto("/search/molecules");
  await page.getByRole("tab", { name: "Picture" }).click();
  await pastePicture(page.getByTestId("picture-drop"), blank);
  await page.getByText("Nothing recognized in this picture.").waitFor(READ_WAIT);
  const card = await readPicture(page.locator("main"), "choose");
  await page.getByRole("img", { name: "The picture read: scheme.png" }).waitFor();
  // Now registered: the structure read says which molecule it is.
  expect(await card.getByRole("link", { name: registered }).getAttribute("href")).toBe(`/molecules/${registered}`);
  const smiles = await card.getByTestId("recognized-smiles").innerText();
  const query = page.getByLabel("Query structure (SMILES or SMARTS)");
  expect(await query.inputValue()).toBe("");
  await card.getByRole("button", { name: "Search with it" }).click();
  expect(await query.inputValue()).toBe(smiles);
  // "Correct in editor": the editor starts from the drawing read, and its SMILES (made in the browser) is the same.
  await query.fill("");
  await card.getByRole("button", { name: "Correct in editor" }).click();
  await card.getByTestId("structure-editor").locator("canvas").first().waitFor();
  await screenshot(page, "recognize-3-search-correct");
  await card.getByRole("button", { name: "Search with it as corrected" }).click();
  await expect.poll(() => query.inputValue()).toBe(smiles);
  expect(new URL(page.url()).search).toBe(""); // filled, not searched: the chemist submits

  await page.goto("/campaigns/osm/entries/new");
  await page.getByRole("button", { name: "Structure from picture" }).click();
  const dialog = page.getByRole("dialog", { name: "Structure from a picture" });
  const inDialog = await readPicture(dialog, "paste");
  await screenshot(page, "recognize-4-entry-dialog");
  await inDialog.getByRole("button", { name: "Insert into entry" }).click();
  await dialog.waitFor({ state: "hidden" });
  expect(await page.getByLabel("Notes (markdown)").inputValue()).toBe(`\n\`\`\`smiles\n${smiles}\n\`\`\`\n`);
  // The preview draws the block as a structure, as the saved entry will.
  await page.getByTestId("preview").locator("figure.structure-figure").waitFor();
  expect(tab.problems()).toBe("");
});

it("proposes the reaction drawn in a scheme picture, and fills a reaction block with it when asked", async () => {
  const page = tab.page;
  const scheme = Buffer.from(await schemePicture()).toString("base64");
  const idcode = (smiles: string) => Molecule.fromSmiles(smiles).getIDCode();

  await page.goto("/campaigns/osm/entries/new");
  await page.getByRole("button", { name: "Add reaction" }).click();
  await page.getByRole("button", { name: "Scheme from a picture" }).click();
  const dialog = page.getByRole("dialog", { name: "Scheme from a picture" });
  // One structure is no scheme: said, and nothing offered.
  await pastePicture(dialog.getByTestId("picture-drop"), picture);
  await dialog.getByText("A scheme needs at least two structures; 1 recognized.").waitFor(READ_WAIT);
  expect(await dialog.getByRole("button", { name: "Use this scheme" }).count()).toBe(0);

  await pastePicture(dialog.getByTestId("picture-drop"), scheme);
  const proposal = dialog.getByTestId("scheme-proposal");
  await proposal.waitFor(READ_WAIT);
  // The three structures read, each shown for checking, with no action of its own: the scheme is used as a whole.
  expect(await dialog.getByTestId("recognized-structure").count()).toBe(3);
  expect(await dialog.getByRole("button", { name: "Correct in editor" }).count()).toBe(0);

  // Split at the arrow (the widest gap): the core and the alcohol before it, the ether after, in the order drawn.
  const text = proposal.getByLabel("Reaction SMILES read from the picture");
  const proposed = await text.inputValue();
  const [before, after] = proposed.split(">>") as [string, string];
  expect(before.split(".").map(idcode)).toEqual([idcode(SNAR_SCHEME.core), idcode(SNAR_SCHEME.alcohol)]);
  expect(after.split(".").map(idcode)).toEqual([idcode(SNAR_SCHEME.ether)]);
  for (const name of ["Reactant 1", "Reactant 2", "Product 1"]) await drawn(proposal.getByRole("img", { name, exact: true }));
  expect(await proposal.innerText()).toContain("the arrow was taken to be the widest gap");
  await screenshot(page, "recognize-5-scheme-dialog");

  // Edited into something that is not a scheme, it cannot be used; nothing reached the block meanwhile.
  const use = proposal.getByRole("button", { name: "Use this scheme" });
  await text.fill(before);
  await proposal.getByRole("alert").waitFor();
  expect(await use.isDisabled()).toBe(true);
  await text.fill(proposed);
  expect(await use.isDisabled()).toBe(false);
  const field = page.getByLabel("Reaction 1 scheme (reaction SMILES)");
  expect(await field.inputValue()).toBe("");
  expect(await page.getByLabel("Row 1 structure").inputValue()).toBe("");

  await use.click();
  await dialog.waitFor({ state: "hidden" });
  expect(await field.inputValue()).toBe(proposed);
  // As "Fill table from scheme" does for A.B>>C: two reactant rows, then the product; the first is the reference.
  const structures = [...before.split("."), after];
  for (const [i, role] of (["reactant", "reactant", "product"] as const).entries()) {
    expect(await page.getByLabel(`Row ${i + 1} role`).inputValue()).toBe(role);
    expect(await page.getByLabel(`Row ${i + 1} structure`).inputValue()).toBe(structures[i]);
  }
  expect(await page.getByLabel("Row 4 role").count()).toBe(0);
  // The browser reads each row's structure for the live table: the ether's formula shows under its row.
  await expect
    .poll(() => page.getByTestId("stoichiometry-editor").innerText(), { timeout: 15_000 })
    .toContain(Molecule.fromSmiles(SNAR_SCHEME.ether).getMolecularFormula().formula);
  await screenshot(page, "recognize-6-scheme-filled");
  expect(tab.problems()).toBe("");
});

const ocsrTempDirs = () => readdirSync(os.tmpdir()).filter((name) => name.startsWith("notebook-ocsr-"));

it("refuses bad pictures over HTTP quickly, stays responsive, and leaves no temporary folder", async () => {
  const page = tab.page;
  const before = new Set(ocsrTempDirs());
  const post = (body: Buffer, type: string) =>
    page.request.post("/api/v1/recognize", { data: body, headers: { "content-type": type }, failOnStatusCode: false });
  const png = Buffer.from(picture, "base64");
  const cases: [string, Buffer, string, number, RegExp][] = [
    ["100 megapixels", Buffer.from(pixelBomb()), "image/png", 413, /megapixels/],
    ["a PNG that says it is a PDF", png, "application/pdf", 415, /says it is application\/pdf but its content is image\/png/],
    ["a zip", Buffer.from("PK\u0003\u0004 not a picture"), "application/zip", 415, /PNG, JPEG, GIF, TIFF, WebP or PDF/],
    ["a truncated PNG", png.subarray(0, 200), "image/png", 422, /./],
  ];
  for (const [what, body, type, status, message] of cases) {
    const answer = await post(body, type);
    expect(answer.status(), `${what}: ${await answer.text()}`).toBe(status);
    expect(((await answer.json()) as { error: { message: string } }).error.message, what).toMatch(message);
  }
  const nothing = await post(Buffer.from(blank, "base64"), "image/png");
  expect(await nothing.json()).toEqual({ structures: [], message: "nothing recognized", warnings: [] });
  const anonymous = await fetch(`${server.url}/api/v1/recognize`, { method: "POST", body: png, headers: { "content-type": "image/png" } });
  expect(anonymous.status).toBe(401);
  // The entry's recognized structures: a 404 for an entry that does not exist, a 422 naming a bad search option.
  expect((await fetch(`${server.url}/api/v1/entries/999999/recognized`)).status).toBe(404);
  const option = await fetch(`${server.url}/api/v1/search/molecules?q=c1ccccc1&recognized=maybe`);
  expect([option.status, JSON.stringify(await option.json())]).toEqual([422, expect.stringContaining("recognized")]);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  expect(ocsrTempDirs().filter((name) => !before.has(name))).toEqual([]);
});

it("says which labels of a structure it guessed, over HTTP and beside the picture", async () => {
  const page = tab.page;
  // OSM-S-281 as OpenChemLib draws it: its stereocentre carries the captions "abs" and "R", which OSRA reads as an
  // atom it cannot name (`*`); the notebook guesses that label and says so.
  const guessed = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv").rows.find((r) => r.cells.OSM_ID === "OSM-S-281")!;
  const smiles = guessed.cells.Canonical_Smiles!;
  const drawing = await render(
    smiles,
    STYLES.find((s) => s.name === "ocl-300")!,
    null,
    1,
  );
  const answer = await page.request.post("/api/v1/recognize", {
    data: Buffer.from(drawing.bytes),
    headers: { "content-type": "image/png" },
  });
  expect(answer.status()).toBe(200);
  const { structures } = (await answer.json()) as { structures: { smiles: string; guessed?: { asCarbon: number; leftOut: number } }[] };
  expect(structures).toHaveLength(1);
  expect(structures[0]!.guessed!.asCarbon + structures[0]!.guessed!.leftOut).toBeGreaterThan(0);
  const withoutStereo = (s: string) => CanonizerUtil.getIDCode(Molecule.fromSmiles(s), CanonizerUtil.NOSTEREO);
  expect(withoutStereo(structures[0]!.smiles)).toBe(withoutStereo(smiles));

  await page.goto("/campaigns/osm/molecules/new");
  await page.getByRole("tab", { name: "Picture" }).click();
  await pastePicture(page.getByTestId("picture-drop"), Buffer.from(drawing.bytes).toString("base64"));
  const card = page.getByTestId("recognized-structure").first();
  await card.waitFor(READ_WAIT);
  expect(await card.getByTestId("recognized-guess").innerText()).toMatch(
    /^1 unreadable label (read as carbon|left out): check it against the picture$/,
  );
  await screenshot(page, "recognize-guessed-label");
  expect(tab.problems()).toBe("");
});

it("reads a picture attached to an entry in the background, lists its structure there, and finds it in structure search", async () => {
  const page = tab.page;
  // The earlier tests left an unsaved new entry behind, which the editor offers to restore: not this one.
  await page.goto("/campaigns/osm/entries/new");
  await page.getByRole("button", { name: "Discard it" }).click();
  const id = await writeTodaysEntry(page, "osm", { title: "Drawing from the group meeting", body: "The hit, as drawn on the board." });
  await page.goto(`/entries/${id}/edit`);
  await page
    .getByTestId("attach")
    .setInputFiles({ name: "hit-drawing.png", mimeType: "image/png", buffer: Buffer.from(picture, "base64") });
  await page.getByRole("link", { name: "hit-drawing.png" }).first().waitFor();

  // Saving never waits for the scan; the entry lists the structure once the background scan has read it.
  await page.goto(`/entries/${id}`);
  const section = page.getByRole("region", { name: "Structures in attachments" });
  await expect
    .poll(
      async () => {
        await page.reload();
        return section.getByTestId("recognized-structure").count();
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(1);
  const found = section.getByTestId("recognized-structure");
  const registered = await found.getByRole("link").filter({ hasText: /^OSM-/ }).innerText();
  expect(await found.getByRole("link", { name: "hit-drawing.png" }).getAttribute("href")).toMatch(/^\/attachments\/\d+\/hit-drawing\.png$/);
  expect(await found.innerText()).toContain("C21H15F2N5O2");
  expect(await section.innerText()).toContain("hit-drawing.png: read, 1 structure");
  await drawn(found.getByRole("img"));
  await screenshot(page, "recognize-7-entry-structures");

  // Structure search, asked to include what was recognized in attachments: the registered molecule, and apart from
  // it, the structure in the picture, marked as recognized and linked to its entry.
  const smiles = await found.locator("code").innerText();
  await page.goto(`/search/molecules?${new URLSearchParams({ q: smiles, mode: "exact", recognized: "true" })}`);
  expect(await page.getByLabel("also search structures recognized in attachments").isChecked()).toBe(true);
  expect(await page.getByTestId("search-hit").count()).toBe(1);
  const hits = page.getByTestId("recognized-hit");
  expect(await hits.count()).toBe(1);
  expect(await hits.first().innerText()).toMatch(/recognized\s+in hit-drawing\.png/);
  expect(await hits.first().getByRole("link", { name: "Drawing from the group meeting" }).getAttribute("href")).toBe(`/entries/${id}`);
  expect(await hits.first().getByRole("link", { name: registered }).count()).toBe(1);
  await drawn(hits.first().getByRole("img"));
  await screenshot(page, "recognize-8-search-recognized");
  // The registered molecule's page names the entry whose picture shows it.
  await page.goto(`/molecules/${registered}`);
  const inPictures = page.getByTestId("in-pictures");
  expect(await inPictures.getByRole("link", { name: "Drawing from the group meeting" }).getAttribute("href")).toBe(`/entries/${id}`);
  expect(await inPictures.getByRole("link", { name: "hit-drawing.png" }).count()).toBe(1);
  await page.goBack();
  // Without the option, the same search lists the registry only.
  await page.getByLabel("also search structures recognized in attachments").uncheck();
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL((url) => !url.search.includes("recognized"));
  expect(await page.getByTestId("recognized-hits").count()).toBe(0);
  expect(tab.problems()).toBe("");
});
