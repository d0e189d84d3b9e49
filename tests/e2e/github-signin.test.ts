// Sign-in with GitHub through Auth.js, against a local stand-in for GitHub (Enterprise layout, so
// the configurable base URL is what is being used). Accounts follow GitHub's numeric id, not the login.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub } from "../fakes/github/server";
import { launchBrowser, newPage, screenshot } from "./support/browser";
import { startCampaign } from "./support/pages";
import { startNotebook, type Notebook } from "./support/server";

let github: FakeGitHub;
let server: Notebook;
let browser: Browser;
const OCTO_ID = 9_000_001;

beforeAll(async () => {
  github = await startFakeGitHub({
    oauthApp: { clientId: "notebook-e2e", clientSecret: "notebook-e2e-secret" },
    users: [
      { id: OCTO_ID, login: "octo-chemist", name: "Octo Chemist" },
      { id: 9_000_002, login: "second-chemist" },
    ],
  });
  [server, browser] = await Promise.all([
    startNotebook({ env: { AUTH_GITHUB_ID: "notebook-e2e", AUTH_GITHUB_SECRET: "notebook-e2e-secret", GITHUB_BASE_URL: github.url } }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await github?.close();
});

async function signInWithGitHub(login: string) {
  const tab = await newPage(browser, server.url);
  github.setNextAuthorizingUser(login);
  await tab.page.goto("/signin?next=/campaigns");
  expect(await tab.page.getByRole("button", { name: "Sign in locally" }).count()).toBe(0); // an OAuth app turns local sign-in off
  await tab.page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await tab.page.waitForURL(`${server.url}/campaigns`, { timeout: 15_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\nat ${tab.page.url()}\nserver logs:\n${server.logs().slice(-3000)}\nfake GitHub requests: ${JSON.stringify(github.requests.map((r) => `${r.method} ${r.url} ${r.status} ${JSON.stringify(r.body)}`))}`);
  });
  return tab;
}

it("signs in through GitHub's OAuth flow and lands where the user was going", async () => {
  const tab = await signInWithGitHub("octo-chemist");
  expect(await tab.page.locator(".account").innerText()).toContain("octo-chemist");
  await startCampaign(tab.page, "Octo series", "octo-series");
  await screenshot(tab.page, "github-signin");
  const authorize = github.requests.find((r) => r.url.startsWith("/login/oauth/authorize"));
  expect(new URL(authorize!.url, github.url).searchParams.get("code_challenge_method")).toBe("S256");
  expect(github.requests.some((r) => r.url === "/api/v3/user" && r.status === 200)).toBe(true);
  expect(github.violations).toEqual([]);
  expect(tab.problems()).toBe("");
  await tab.close();
});

it("keeps the account when the user changes their GitHub login", async () => {
  github.renameUser(OCTO_ID, "octo-renamed");
  const tab = await signInWithGitHub("octo-renamed");
  expect(await tab.page.locator(".account").innerText()).toContain("octo-renamed");
  await tab.page.goto("/campaigns/octo-series");
  const members = await tab.page.locator("aside").innerText();
  expect(members).toContain("octo-renamed");
  expect(members).not.toContain("octo-chemist");
  expect(await tab.page.getByRole("link", { name: "Write today's entry" }).count()).toBe(1); // still its maintainer
  await tab.close();
});

it("a different GitHub user is a different account, without rights in the campaign", async () => {
  const tab = await signInWithGitHub("second-chemist");
  await tab.page.goto("/campaigns/octo-series");
  expect(await tab.page.getByRole("link", { name: "Write today's entry" }).count()).toBe(0);
  await tab.close();
  expect(github.violations).toEqual([]);
});
