import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot } from "./support/browser";
import { startNotebook, type Notebook } from "./support/server";

let server: Notebook | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("serves the home page with a title, without script errors", async () => {
  if (!server || !browser) throw new Error("setup failed");
  const tab = await newPage(browser, server.url);
  const response = await tab.page.goto("/", { waitUntil: "load" });
  await screenshot(tab.page, "smoke-home");

  expect(response?.status()).toBe(200);
  await expect.poll(() => tab.page.locator("head > title").count()).toBeGreaterThan(0);
  expect((await tab.page.title()).trim()).not.toBe("");
  await tab.page.waitForLoadState("networkidle");
  expect(tab.problems()).toBe("");
  await tab.close();
});
