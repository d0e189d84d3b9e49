// Two people editing one entry in their browsers: the later save is stopped with both versions
// on screen, and nothing is lost. Members cannot edit each other's entries.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { addMember, signInLocally, startCampaign, writeTodaysEntry } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

let server: Notebook;
let browser: Browser;
let ada: NotebookPage; // maintainer
let ben: NotebookPage; // member, author of the entry
let entryId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  [ada, ben] = await Promise.all([newPage(browser, server.url), newPage(browser, server.url)]);
  await signInLocally(ada.page, "ada-maint");
  await startCampaign(ada.page, "Shared bench", "shared-bench");
  await addMember(ada.page, "shared-bench", "ben-member");
  await addMember(ada.page, "shared-bench", "cy-member");
  await signInLocally(ben.page, "ben-member");
  entryId = await writeTodaysEntry(ben.page, "shared-bench", { title: "Suzuki coupling", body: "Pd(PPh3)4, K2CO3, dioxane/water." });
});

afterAll(async () => {
  await Promise.all([ada?.close(), ben?.close()]);
  await browser?.close();
  await server?.stop();
});

it("the later of two saves gets a conflict showing both versions, and can still be saved", async () => {
  await Promise.all([ada.page.goto(`/entries/${entryId}/edit`), ben.page.goto(`/entries/${entryId}/edit`)]);
  await ada.page.getByLabel("Notes (markdown)").fill("Pd(PPh3)4, K2CO3, dioxane/water.\n\nAda: degas the solvent first.");
  await ada.page.getByRole("button", { name: "Save", exact: true }).click();
  await ada.page.waitForURL(new RegExp(`/entries/${entryId}$`));

  await ben.page.getByLabel("Notes (markdown)").fill("Pd(PPh3)4, K2CO3, dioxane/water.\n\nBen: 80 °C overnight, 78 % yield.");
  await ben.page.getByRole("button", { name: "Save", exact: true }).click();
  const conflict = ben.page.getByTestId("conflict");
  await conflict.waitFor();
  expect(await conflict.innerText()).toContain("ada-maint saved this entry (revision 2)");
  expect(await ben.page.getByTestId("conflict-theirs").innerText()).toContain("Ada: degas the solvent first.");
  expect(await ben.page.getByTestId("conflict-mine").innerText()).toContain("Ben: 80 °C overnight, 78 % yield.");
  expect(await ben.page.getByLabel("Notes (markdown)").inputValue()).toContain("Ben: 80 °C overnight"); // still in the editor
  await screenshot(ben.page, "conflict");

  await ben.page.getByRole("button", { name: "Save mine as the newest revision" }).click();
  await ben.page.waitForURL(new RegExp(`/entries/${entryId}$`));
  expect(await ben.page.locator(".prose").innerText()).toContain("Ben: 80 °C overnight, 78 % yield.");
  const revisions = (await (await fetch(`${server.url}/api/v1/entries/${entryId}/revisions`)).json()) as { revisions: { number: number; author: string; body: string }[] };
  expect(revisions.revisions.map((r) => [r.number, r.author])).toEqual([
    [3, "ben-member"],
    [2, "ada-maint"],
    [1, "ben-member"],
  ]);
  expect(revisions.revisions[1]!.body).toContain("Ada: degas the solvent first."); // Ada's text is kept in history
});

it("another member sees no edit controls and cannot open the editor", async () => {
  const cy = await newPage(browser, server.url);
  await signInLocally(cy.page, "cy-member");
  await cy.page.goto(`/entries/${entryId}`);
  expect(await cy.page.getByRole("link", { name: "Edit" }).count()).toBe(0);
  await cy.page.goto(`/entries/${entryId}/edit`);
  expect(await cy.page.locator("main").innerText()).toContain("Only the author of this entry or a maintainer of its campaign can edit it.");
  expect(await cy.page.getByLabel("Notes (markdown)").count()).toBe(0);
  await cy.close();
});

it("unsaved text survives closing the tab", async () => {
  await ben.page.goto(`/entries/${entryId}/edit`);
  await ben.page.getByLabel("Notes (markdown)").fill("Draft that was never saved: TLC shows two spots.");
  await ben.page.waitForTimeout(200);
  await ben.page.goto(`/entries/${entryId}`);
  await ben.page.goto(`/entries/${entryId}/edit`);
  await expect.poll(() => ben.page.getByLabel("Notes (markdown)").inputValue()).toBe("Draft that was never saved: TLC shows two spots.");
  expect(await ben.page.locator("main").innerText()).toContain("Restored text you had not saved yet.");
});
