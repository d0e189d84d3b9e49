// The campaign's to-do list synced with GitHub issues, in Chromium against the fake GitHub: sign in with GitHub,
// connect a repository, create a to-do (it becomes an issue), change the issue on GitHub's side (a signed webhook
// reaches the notebook) and see the to-do follow.
import { Octokit } from "@octokit/rest";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../fakes/github/server";
import { launchBrowser, newPage, screenshot } from "./support/browser";
import { startCampaign } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

let github: FakeGitHub;
let server: Notebook;
let browser: Browser;
const SECRET = "e2e-webhook-secret-0123456789";

beforeAll(async () => {
  github = await startFakeGitHub({
    oauthApp: { clientId: "notebook-e2e", clientSecret: "notebook-e2e-secret" },
    users: [
      { id: 9_100_001, login: "todo-chemist", name: "To-do Chemist" },
      { id: 9_100_002, login: "mat-todd" },
    ],
    repos: [{ owner: "todo-chemist", name: "series4", collaborators: ["mat-todd"] }],
  });
  [server, browser] = await Promise.all([
    startNotebook({ env: { AUTH_GITHUB_ID: "notebook-e2e", AUTH_GITHUB_SECRET: "notebook-e2e-secret", GITHUB_BASE_URL: github.url, NOTEBOOK_GITHUB_SYNC_INTERVAL: "0" } }),
    launchBrowser(),
  ]);
  github.addWebhook({ owner: "todo-chemist", repo: "series4", url: `${server.url}/api/github/webhook`, secret: SECRET });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await github?.close();
});

it("connects a repository, creates a to-do as an issue, and follows a change made on GitHub", async () => {
  const tab = await newPage(browser, server.url);
  const { page } = tab;
  github.setNextAuthorizingUser("todo-chemist");
  await page.goto("/signin?next=/campaigns");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await page.waitForURL(`${server.url}/campaigns`, { timeout: 15_000 });
  await startCampaign(page, "Series 4 to-dos", "s4-todos");
  await page.getByRole("link", { name: "To-dos" }).click();
  await page.waitForURL("**/campaigns/s4-todos/todos");

  await page.getByText("Connect a GitHub repository").click();
  const connect = page.getByRole("form", { name: "Connect repository" });
  await connect.getByLabel("Repository (owner/name)").fill("todo-chemist/series4");
  await connect.getByLabel("Authentication").selectOption("token");
  await connect.getByRole("textbox", { name: "Token" }).fill(github.createToken("todo-chemist"));
  await connect.getByLabel(/Webhook secret/).fill(SECRET);
  await connect.getByRole("button", { name: "Connect" }).click();
  await page.getByText("Kept in sync with").waitFor();

  const create = page.getByRole("form", { name: "New to-do" });
  await create.getByLabel("Title").fill("Resynthesise OSM-S-106");
  await create.getByLabel(/^Body/).fill("50 mg for the 3D7 assay; see #1 for the route.");
  await create.getByLabel(/^Labels/).fill("Series 4, synthesis");
  await create.getByRole("button", { name: "Create to-do" }).click();
  const row = page.getByTestId("todo-list").getByRole("row", { name: /Resynthesise OSM-S-106/ });
  await row.getByRole("link", { name: "#1" }).waitFor();
  const issue = github.issues("todo-chemist", "series4")[0]!;
  expect(issue.title).toBe("Resynthesise OSM-S-106");
  expect(issue.labels.sort()).toEqual(["Series 4", "synthesis"]);
  expect(await page.getByTestId("sync-status").innerText()).toMatch(/pending operations: 0/);
  await screenshot(page, "todos-list");

  // Someone changes the issue on GitHub: the webhook brings it in.
  const mat = new Octokit({ baseUrl: github.url, auth: github.createToken("mat-todd") });
  await mat.rest.issues.update({ owner: "todo-chemist", repo: "series4", issue_number: 1, title: "Resynthesise OSM-S-106 (100 mg)", state: "closed" });
  await github.webhooksIdle();
  expect(github.deliveries.filter((d) => d.status !== 202)).toEqual([]);
  await row.getByRole("link", { name: /Resynthesise/ }).click();
  await page.waitForURL(/\/campaigns\/s4-todos\/todos\/\d+$/);
  await expect.poll(async () => {
    await page.reload();
    return page.getByTestId("todo-title").innerText();
  }, { timeout: 15_000 }).toBe("Resynthesise OSM-S-106 (100 mg)");
  expect(await page.getByTestId("todo-meta").innerText()).toMatch(/^closed/);
  expect(await page.locator(".prose a.issue-ref").getAttribute("href")).toBe("/campaigns/s4-todos/todos/issue/1");
  await screenshot(page, "todo-after-github-change");

  // And back: an edit in the notebook reaches GitHub.
  await page.getByRole("form", { name: "Edit to-do" }).getByLabel("State").selectOption("open");
  await page.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => github.issues("todo-chemist", "series4")[0]!.state, { timeout: 15_000 }).toBe("open");
  // Only the changed field went out: the title changed on GitHub is not overwritten by the form's older copy.
  expect(github.issues("todo-chemist", "series4")[0]!.title).toBe("Resynthesise OSM-S-106 (100 mg)");

  // Both sides change the title before a sync (GitHub's webhook is lost): a conflict is shown, and resolved by choice.
  // The deliveries of the edit above settle first: one handled late would bring GitHub's new title in before the
  // notebook's edit, and the edit would then be refused as made on an old copy instead of meeting a conflict.
  await github.webhooksIdle();
  github.dropWebhooks(true);
  await mat.rest.issues.update({ owner: "todo-chemist", repo: "series4", issue_number: 1, title: "Resynthesise OSM-S-106 (GitHub)" });
  await page.reload();
  await page.getByRole("form", { name: "Edit to-do" }).getByLabel("Title").fill("Resynthesise OSM-S-106 (notebook)");
  await page.getByRole("button", { name: "Save" }).click();
  const conflicts = page.getByTestId("conflicts");
  await conflicts.waitFor();
  expect(await conflicts.innerText()).toContain("GitHub: Resynthesise OSM-S-106 (GitHub)");
  expect(github.issues("todo-chemist", "series4")[0]!.title).toBe("Resynthesise OSM-S-106 (GitHub)"); // not overwritten
  await screenshot(page, "todo-conflict");
  await conflicts.getByRole("button", { name: "Keep the notebook's" }).click();
  await expect.poll(() => github.issues("todo-chemist", "series4")[0]!.title, { timeout: 15_000 }).toBe("Resynthesise OSM-S-106 (notebook)");
  await page.getByTestId("conflicts").waitFor({ state: "detached", timeout: 15_000 });
  expect(await page.getByTestId("todo-title").innerText()).toBe("Resynthesise OSM-S-106 (notebook)");
  github.dropWebhooks(false);
  expect(github.violations).toEqual([]);
  expect(tab.problems()).toBe("");
  await tab.close();
}, 120_000);
