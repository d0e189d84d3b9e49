// Hostile markdown in an entry must not run in a reader's browser: not on the entry page, not in
// the editor's live preview, not in search results or the feed, and not through an attachment.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign, writeTodaysEntry } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

const PAYLOADS = [
  "<script>window.__xss = 'script'; alert('script')</script>",
  '<img src="x" onerror="window.__xss = \'onerror\'; alert(\'onerror\')">',
  '<svg onload="window.__xss = \'svg\'; alert(\'svg\')"><script>alert("svg-script")</script></svg>',
  "[click me](javascript:window.__xss='md-link';alert('md-link'))",
  '<a href="javascript:alert(\'html-link\')" id="html-link">html link</a>',
  '<iframe srcdoc="<script>parent.__xss=\'iframe\'; alert(\'iframe\')</script>"></iframe>',
  '<div onmouseover="alert(\'hover\')" style="position:fixed;inset:0">cover</div>',
  '<form action="javascript:alert(\'form\')"><button id="form-button">go</button></form>',
  "<object data=\"data:text/html,<script>alert('object')</script>\"></object>",
  "kinase xsscanary",
].join("\n\n");

let server: Notebook;
let browser: Browser;
let author: NotebookPage;
let entryId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  author = await newPage(browser, server.url);
  await signInLocally(author.page, "mallory-e2e");
  await startCampaign(author.page, "Hostile input", "hostile");
  entryId = await writeTodaysEntry(author.page, "hostile", { title: "<script>alert('title')</script> xsscanary", body: PAYLOADS });
});

afterAll(async () => {
  await author?.close();
  await browser?.close();
  await server?.stop();
});

async function assertNothingRan(tab: NotebookPage): Promise<void> {
  expect(await tab.page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(tab.dialogs).toEqual([]);
  expect(tab.pageErrors).toEqual([]);
}

it("the entry page renders the payloads inert, for a reader without an account", async () => {
  const reader = await newPage(browser, server.url);
  const response = await reader.page.goto(`/entries/${entryId}`);
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await reader.page.waitForLoadState("networkidle");
  await reader.page.mouse.move(300, 300);
  const prose = reader.page.locator(".prose");
  expect(await prose.locator("script, iframe, svg, object, form").count()).toBe(0);
  const hrefs = await prose.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  expect(hrefs.some((h) => /javascript:/i.test(h))).toBe(false);
  for (const link of await prose.locator("a").all()) await link.click({ noWaitAfter: true }).catch(() => {});
  await reader.page.waitForTimeout(300);
  expect(await reader.page.locator("h1").innerText()).toBe("<script>alert('title')</script> xsscanary");
  await screenshot(reader.page, "xss-entry");
  await assertNothingRan(reader);
  await reader.close();
});

it("the editor's live preview renders the payloads inert", async () => {
  await author.page.goto(`/entries/${entryId}/edit`);
  await expect.poll(() => author.page.getByTestId("preview").innerText()).toContain("xsscanary");
  expect(await author.page.getByTestId("preview").locator("script, iframe, svg, object, img[onerror]").count()).toBe(0);
  await author.page.getByLabel("Notes (markdown)").fill(`${PAYLOADS}\n\n<img src=x onerror="alert('typed')">`);
  await author.page.waitForTimeout(300);
  await assertNothingRan(author);
});

it("search results and the feed show the hostile title as text", async () => {
  const reader = await newPage(browser, server.url);
  await reader.page.goto("/search?q=xsscanary");
  expect(await reader.page.locator(".entries .title").first().innerText()).toContain("<script>alert('title')</script>");
  await reader.page.goto("/");
  expect(await reader.page.locator(".feed").innerText()).toContain("<script>alert('title')</script>");
  const atom = await (await fetch(`${server.url}/feed.atom`)).text();
  expect(atom).not.toMatch(/<script/i);
  await assertNothingRan(reader);
  await reader.close();
});

it("an SVG attachment with script is served as a download in a sandbox, never as a page of ours", async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg-attachment")</script></svg>';
  await author.page.goto(`/entries/${entryId}/edit`);
  await author.page.getByTestId("attach").setInputFiles({ name: "evil.svg", mimeType: "image/svg+xml", buffer: Buffer.from(svg) });
  await expect.poll(() => author.page.getByLabel("Notes (markdown)").inputValue()).toContain("[evil.svg](/attachments/");
  const body = await author.page.getByLabel("Notes (markdown)").inputValue();
  const path = /\((\/attachments\/[^)]+)\)/.exec(body.slice(body.indexOf("[evil.svg]")))![1]!;
  const response = await fetch(`${server.url}${path}`);
  expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
  expect(response.headers.get("content-security-policy")).toContain("sandbox");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  const reader = await newPage(browser, server.url);
  await reader.page.goto(path).catch(() => {}); // a download aborts the navigation
  await reader.page.waitForTimeout(300);
  expect(reader.dialogs).toEqual([]);
  await reader.close();
});
