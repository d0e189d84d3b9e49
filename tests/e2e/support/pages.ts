// Page objects: what a chemist does in the notebook, as steps the tests reuse.
import type { Page } from "playwright-core";

export async function signInLocally(page: Page, login: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Your name (as on GitHub)").fill(login);
  await page.getByRole("button", { name: "Sign in locally" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  await page.locator(".account").getByText(login).waitFor();
}

export async function startCampaign(page: Page, name: string, slug: string): Promise<void> {
  await page.goto("/campaigns");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Short name for links").fill(slug);
  await page.getByLabel("What is it about?").fill(`${name}: an end-to-end test campaign`);
  await page.getByRole("button", { name: "Start campaign" }).click();
  await page.waitForURL(`**/campaigns/${slug}`);
}

export async function addMember(page: Page, slug: string, login: string, role: "member" | "maintainer" = "member"): Promise<void> {
  await page.goto(`/campaigns/${slug}`);
  await page.getByLabel("GitHub login").fill(login);
  await page.getByLabel("Role").selectOption(role);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.locator("aside .member-login").getByText(login, { exact: true }).waitFor();
}

/** Open today's entry from the campaign page, write it and save; returns the entry's id. */
export async function writeTodaysEntry(page: Page, slug: string, entry: { title: string; body: string }): Promise<number> {
  await page.goto(`/campaigns/${slug}`);
  await page.getByRole("link", { name: "Write today's entry" }).click();
  await page.waitForURL(`**/campaigns/${slug}/entries/new`);
  await page.getByLabel("Title").fill(entry.title);
  await page.getByLabel("Notes (markdown)").fill(entry.body);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(/\/entries\/\d+$/);
  await page.getByLabel("Notes (markdown)").waitFor({ state: "detached" });
  return Number(new URL(page.url()).pathname.split("/").pop());
}

export async function editEntry(page: Page, id: number, change: { body: string; message?: string }): Promise<void> {
  await page.goto(`/entries/${id}/edit`);
  await page.getByLabel("Notes (markdown)").fill(change.body);
  if (change.message) await page.getByLabel("What changed (optional)").fill(change.message);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForURL(new RegExp(`/entries/${id}$`));
  // The URL changes as the navigation commits; the editor (with its own `.prose` preview) can still be on screen
  // for a moment. The save is shown once the entry page has replaced it.
  await page.getByLabel("Notes (markdown)").waitFor({ state: "detached" });
}

/** Draws propane in the open OpenChemLib editor: with its default bond tool a click draws a C–C bond, a drag from its atom one more. */
export async function drawPropane(page: Page): Promise<void> {
  const editor = page.getByTestId("structure-editor");
  await editor.locator("canvas").first().waitFor();
  const box = (await editor.boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.click(x, y);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 60, y + 20, { steps: 5 });
  await page.mouse.up();
}
