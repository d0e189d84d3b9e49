// A chemist's day, in a real browser: sign in, start a campaign, write today's entry, edit it,
// attach a spectrum, compare revisions, find the entry by full-text search and see it in the feed.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { editEntry, signInLocally, startCampaign, writeTodaysEntry } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

let server: Notebook;
let browser: Browser;
let tab: NotebookPage;
let entryId: number;
const today = new Date().toISOString().slice(0, 10);

// A 1×1 PNG, as a chemist's TLC photo would be.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
});

it("signs in locally and starts a campaign", async () => {
  await tab.page.goto("/");
  await expect.poll(() => tab.page.getByRole("link", { name: "Sign in" }).count()).toBe(1);
  await signInLocally(tab.page, "ada-e2e");
  await startCampaign(tab.page, "Series 9", "series-9");
  expect(await tab.page.locator("h1").innerText()).toBe("Series 9");
  await screenshot(tab.page, "journey-1-campaign");
});

it("writes today's entry with a live markdown preview", async () => {
  await tab.page.goto("/campaigns/series-9/entries/new");
  await tab.page.getByLabel("Notes (markdown)").fill("**bold** preview");
  await expect.poll(() => tab.page.getByTestId("preview").innerHTML()).toContain("<strong>bold</strong>");
  entryId = await writeTodaysEntry(tab.page, "series-9", {
    title: "Reductive amination of aldehyde 12",
    body: "Aldehyde 12 (120 mg) with **morpholine** and NaBH(OAc)3 in DCE.\n\nThe zwitterionic intermediate precipitated.",
  });
  expect(await tab.page.locator("h1").innerText()).toBe("Reductive amination of aldehyde 12");
  expect(await tab.page.locator("article").innerText()).toContain(`work of ${today}`);
  expect(await tab.page.locator(".prose strong").first().innerText()).toBe("morpholine");
  await screenshot(tab.page, "journey-2-entry");
});

it("edits the entry, attaches a file, and the history shows a diff", async () => {
  await tab.page.goto(`/entries/${entryId}/edit`);
  await tab.page.getByTestId("attach").setInputFiles({ name: "tlc-plate.png", mimeType: "image/png", buffer: PNG });
  await expect.poll(() => tab.page.getByLabel("Notes (markdown)").inputValue()).toContain("![tlc-plate.png](/attachments/");
  const withImage = await tab.page.getByLabel("Notes (markdown)").inputValue();
  await editEntry(tab.page, entryId, { body: `${withImage}\nYield 71 % after column.`, message: "Added the yield" });
  expect(await tab.page.locator(".prose").innerText()).toContain("Yield 71 %");
  const image = tab.page.locator(".prose img");
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);

  await tab.page.getByRole("link", { name: /History \(2 revisions\)/ }).click();
  await tab.page.getByRole("button", { name: "Compare selected revisions" }).click();
  await tab.page.waitForURL(/\/diff\?/);
  const added = await tab.page.locator(".diff tr.added").allInnerTexts();
  expect(added.join("\n")).toContain("Yield 71 % after column.");
  expect(await tab.page.locator(".diff tr.removed").count()).toBe(0);
  await screenshot(tab.page, "journey-3-diff");
});

it("finds the entry by full-text search, with the match highlighted", async () => {
  await tab.page.goto("/");
  await tab.page.getByLabel("Search entries").fill("zwitterion");
  await tab.page.getByLabel("Search entries").press("Enter");
  await tab.page.waitForURL(/\/search\?q=zwitterion/);
  const result = tab.page.locator(".entries li").first();
  expect(await result.locator(".title").innerText()).toBe("Reductive amination of aldehyde 12");
  expect(await result.locator("mark").first().innerText()).toMatch(/^zwitterionic$/i);
  await screenshot(tab.page, "journey-4-search");
});

it("shows the new entry and the noted revision in the public feed", async () => {
  const reader = await newPage(browser, server.url);
  await reader.page.goto("/");
  const feed = await reader.page.locator(".feed").innerText();
  expect(feed).toContain("ada-e2e wrote “Reductive amination of aldehyde 12”");
  expect(feed).toContain("ada-e2e revised “Reductive amination of aldehyde 12”");
  expect(feed.indexOf("revised")).toBeLessThan(feed.indexOf("wrote"));
  await screenshot(reader.page, "journey-5-feed");
  expect(reader.problems()).toBe("");
  await reader.close();
  expect(tab.problems()).toBe("");
});

it("creates a personal API token on the settings page, uses it, and revokes it", async () => {
  await tab.page.goto("/settings");
  await tab.page.getByLabel("Token name").fill("plate-reader bot");
  await tab.page.getByRole("button", { name: "Create token" }).click();
  const token = (await tab.page.getByTestId("new-token").innerText()).trim();
  expect(token).toMatch(/^nbk_[A-Za-z0-9_-]{43}$/);
  const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(((await me.json()) as { login: string }).login).toBe("ada-e2e");
  await tab.page.reload();
  // The tokens table (the page also has the notification settings): shown once, stored hashed.
  expect(await tab.page.locator("table", { hasText: "Last used" }).innerText()).not.toContain(token);
  expect(await tab.page.content()).not.toContain(token);
  await tab.page.getByRole("button", { name: "Revoke" }).click();
  await tab.page.getByText("revoked").waitFor();
  const after = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(after.status).toBe(401);
  expect(tab.problems()).toBe("");
});
