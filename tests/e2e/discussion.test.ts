// Anyone can take part: a visitor who is not a member of the campaign comments on an entry and mentions its author;
// the author sees the unread count in the header, finds the mention in the inbox, follows it to the comment, and
// replies. Screenshots of the thread and the inbox are looked at.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign, writeTodaysEntry } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

let server: Notebook;
let browser: Browser;
let author: NotebookPage;
let visitor: NotebookPage;
let entryId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  [author, visitor] = await Promise.all([newPage(browser, server.url), newPage(browser, server.url)]);
});

afterAll(async () => {
  await author?.close();
  await visitor?.close();
  await browser?.close();
  await server?.stop();
});

it("a visitor who is not a member comments and mentions the entry's author", async () => {
  await signInLocally(author.page, "ada-chem");
  await startCampaign(author.page, "Open Source Malaria", "osm");
  entryId = await writeTodaysEntry(author.page, "osm", { title: "SNAr with 2-phenylethanol", body: "NaH in THF, 0 °C to rt." });

  const page = visitor.page;
  await signInLocally(page, "curious-reader");
  await page.goto(`/entries/${entryId}`);
  const thread = page.getByTestId("comments-entry");
  await thread.getByLabel(/Your comment/).fill("Was the THF dried over sieves, @ada-chem? Wet THF quenches NaH.");
  await thread.getByLabel("This is a question").check();
  await thread.getByRole("button", { name: "Post comment" }).click();
  const posted = thread.getByTestId("comment");
  await posted.waitFor();
  expect(await posted.innerText()).toContain("Was the THF dried over sieves");
  expect(await posted.innerText()).toContain("question");
  await screenshot(page, "discussion-thread");
  expect(visitor.problems()).toBe("");
});

it("the author sees the mention in the inbox, follows it, and replies", async () => {
  const page = author.page;
  await page.goto("/campaigns/osm");
  await expect.poll(() => page.getByTestId("inbox").innerText()).toMatch(/Inbox\s*1/);
  await page.getByTestId("inbox").click();
  await page.waitForURL("**/notifications");
  const inbox = page.getByTestId("notifications");
  expect(await inbox.innerText()).toContain("curious-reader mentioned you on SNAr with 2-phenylethanol");
  await screenshot(page, "discussion-inbox");
  await inbox.getByRole("link", { name: /mentioned you/ }).click();
  await page.waitForURL(new RegExp(`/entries/${entryId}#comment-\\d+$`));
  const thread = page.getByTestId("comments-entry");
  await thread.getByRole("button", { name: "Reply" }).click();
  await thread.getByLabel(/Your comment/).fill("Yes, over 4 Å sieves overnight.");
  await thread.getByRole("button", { name: "Post comment" }).click();
  await expect.poll(() => thread.getByTestId("comment").count()).toBe(2);
  await thread.getByRole("button", { name: "Mark answered" }).click();
  await expect.poll(() => thread.getByTestId("comment").first().innerText()).toContain("answered");
  // Read: the count is gone once marked. (Through the header's link, as a reader goes: a page load would cut short
  // a refresh of the thread still under way, which is no fault of the page.)
  await page.getByTestId("inbox").click();
  await page.waitForURL("**/notifications");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect.poll(() => page.getByTestId("inbox").innerText()).toBe("Inbox");
  expect(author.problems()).toBe("");

  // The visitor hears of the reply, exactly once.
  await visitor.page.goto("/notifications");
  const theirs = await visitor.page.getByTestId("notifications").locator("li").allInnerTexts();
  expect(theirs).toHaveLength(1);
  expect(theirs[0]).toContain("ada-chem replied to your comment on SNAr with 2-phenylethanol");
});
