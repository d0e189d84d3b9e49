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

it("serves the home page with a title and an icon, without script errors", async () => {
  if (!server || !browser) throw new Error("setup failed");
  const tab = await newPage(browser, server.url);
  const response = await tab.page.goto("/", { waitUntil: "load" });
  await screenshot(tab.page, "smoke-home");

  expect(response?.status()).toBe(200);
  await expect.poll(() => tab.page.locator("head > title").count()).toBeGreaterThan(0);
  expect((await tab.page.title()).trim()).not.toBe("");
  // The tab's icon: declared in the head (so browsers do not ask for a missing /favicon.ico) and served.
  const icon = await tab.page.locator('head > link[rel="icon"]').getAttribute("href");
  expect(icon).toMatch(/^\/icon\.svg/);
  const served = await fetch(new URL(icon!, server.url));
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toContain("image/svg+xml");
  expect(await served.text()).toContain("<svg");
  await tab.page.waitForLoadState("networkidle");
  expect(tab.problems()).toBe("");
  await tab.close();
});
