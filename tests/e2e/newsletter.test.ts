// The weekly newsletter in the browser and over HTTP: a maintainer's week of Series 4 work drafts itself; the JSON
// API names a bad week; the maintainer writes an editorial, pins and drops items and sends it with e-mail off; a
// reader without an account finds it archived, with the structures, in the Atom feed, and with a link preview that
// shows the chemistry.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { APIRequestContext, Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addWeeks, currentWeek } from "@/lib/newsletter/week";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign } from "./support/pages";
import { projectRoot } from "./support/paths";
import { startNotebook, type Notebook } from "./support/server";

const SLUG = "series-4-news";
const WEEK = currentWeek();

function smilesOf(code: string): string {
  const sheet = readFileSync(path.join(projectRoot, "..", "shared", "data", "osm-series4-master-list.tsv"), "utf8");
  const row = sheet.split(/\r?\n/).find((line) => line.split("\t")[0]!.split(";")[0] === code);
  if (!row) throw new Error(`${code} is not in the sheet`);
  return row.split("\t")[18]!;
}

let server: Notebook;
let browser: Browser;
let maintainer: NotebookPage;
let reader: NotebookPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startNotebook(), launchBrowser()]);
  [maintainer, reader] = await Promise.all([newPage(browser, server.url), newPage(browser, server.url)]);
});

afterAll(async () => {
  await maintainer?.close();
  await reader?.close();
  await browser?.close();
  await server?.stop();
});

async function api<T>(request: APIRequestContext, method: "GET" | "POST" | "PATCH", url: string, data?: unknown): Promise<{ status: number; body: T }> {
  const res = await request.fetch(url, { method, data, headers: data === undefined ? {} : { "content-type": "application/json" } });
  return { status: res.status(), body: (await res.json()) as T };
}

/** Checks an answer against the OpenAPI document the server publishes (the operation's schema for that status). */
async function documented(route: string, method: string, status: number, body: unknown): Promise<void> {
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "https://notebook.test/openapi.json");
  const pointer = ["paths", route, method, "responses", String(status), "content", "application/json", "schema"]
    .map((p) => encodeURIComponent(p.replaceAll("~", "~0").replaceAll("/", "~1")))
    .join("/");
  const validate = ajv.compile({ $ref: `https://notebook.test/openapi.json#/${pointer}` });
  expect(validate(body), `${method} ${route} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

type Item = { key: string; kind: string; title: string; url: string; image: { url: string } | null };
type Newsletter = { week: string; status: string; mail: string; editorial: string | null; pinned: Item[]; sections: { id: string; items: Item[] }[] };

it("drafts the week from the campaign's activity and serves it as JSON, naming a bad week", async () => {
  const page = maintainer.page;
  await signInLocally(page, "news-maintainer");
  await startCampaign(page, "Series 4 newsletter", SLUG);
  const request = maintainer.context.request;
  expect((await api(request, "PATCH", `/api/v1/campaigns/${SLUG}/registry`, { prefix: "NEWS", defaultSite: "S" })).status).toBe(200);
  // Real Series 4 compounds, registered under their own IDs, a result, a parked one, and an entry about them.
  for (const [id, name] of [["OSM-S-272", "difluorophenethyl ether"], ["OSM-S-265", null], ["OSM-S-258", null]] as const) {
    const res = await api(request, "POST", "/api/v1/molecules", { campaign: SLUG, smiles: smilesOf(id), id: id.replace("OSM", "NEWS"), ...(name ? { name } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  expect((await api(request, "POST", "/api/v1/molecules/NEWS-S-272/measurements", { assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.143, unit: "µM" })).status).toBe(201);
  expect((await api(request, "POST", "/api/v1/molecules/NEWS-S-258/park", { reason: "Inactive at 10 µM (Syngene)" })).status).toBe(200);
  const entry = await api<{ id: number }>(request, "POST", "/api/v1/entries", {
    campaign: SLUG,
    date: new Date().toISOString().slice(0, 10),
    title: "Ethers NEWS-S-272 and NEWS-S-265",
    body: "Made NEWS-S-272 (41 mg) and NEWS-S-265 (28 mg); both sent to Dundee for *Pfal* IC50.",
  });
  expect(entry.status).toBe(201);

  const draft = await api<Newsletter>(reader.context.request, "GET", `/api/v1/campaigns/${SLUG}/newsletters/${WEEK}`);
  expect(draft.status).toBe(200);
  await documented("/api/v1/campaigns/{slug}/newsletters/{week}", "get", 200, draft.body);
  expect(draft.body).toMatchObject({ week: WEEK, status: "draft", mail: "off" });
  const items = draft.body.sections.flatMap((s) => s.items);
  expect(items.map((i) => i.key)).toEqual(
    expect.arrayContaining([`entry:${entry.body.id}`, "molecule:NEWS-S-272", "results:NEWS-S-272", "parked:NEWS-S-258", `waiting:${entry.body.id}`]),
  );
  expect(items.find((i) => i.key === "molecule:NEWS-S-272")?.image?.url).toBe(`${server.url}/molecules/NEWS-S-272.png`);

  for (const [bad, message] of [["2026-W54", "week: week 54 does not exist in 2026"], ["2026-12-05", "week: must be an ISO week like 2026-W49"]] as const) {
    const res = await api<{ error: { code: string; message: string; fields: Record<string, string> } }>(request, "GET", `/api/v1/campaigns/${SLUG}/newsletters/${bad}`);
    expect(res.status, bad).toBe(422);
    expect(res.body.error.message).toContain(message);
    expect(Object.keys(res.body.error.fields)).toEqual(["week"]);
    await documented("/api/v1/campaigns/{slug}/newsletters/{week}", "get", 422, res.body);
  }
  expect((await api(request, "GET", `/api/v1/campaigns/${SLUG}/newsletters/${addWeeks(WEEK, 2)}`)).status).toBe(404);
  // Sending is for maintainers: a signed-in reader is refused.
  await signInLocally(reader.page, "news-reader");
  expect((await api(reader.context.request, "POST", `/api/v1/campaigns/${SLUG}/newsletters/${WEEK}/send`)).status).toBe(403);
});

it("lets the maintainer write an editorial, pin and drop items and send it with e-mail off", async () => {
  const page = maintainer.page;
  await page.goto(`/campaigns/${SLUG}/newsletter/${WEEK}`);
  await page.getByTestId("mail-off").waitFor();
  await page.getByLabel(/Editorial/).fill("A good week for the ethers: NEWS-S-272 is in the assay queue.\n\nThanks to Dundee.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved.").waitFor();
  const item = (key: string) => page.locator(`[data-testid="newsletter-item"][data-key="${key}"]`);
  await item("parked:NEWS-S-258").getByRole("button", { name: "Pin" }).click();
  await page.getByTestId("newsletter-section-pinned").locator('[data-key="parked:NEWS-S-258"]').waitFor();
  await item("results:NEWS-S-272").getByRole("button", { name: "Drop" }).click();
  await page.getByTestId("newsletter-dropped").getByText("NEWS-S-272 · difluorophenethyl ether: a new result").waitFor();
  await page.getByRole("button", { name: "Send now" }).click();
  await page.getByText("Published in the archive. E-mail is off on this notebook, so nothing was mailed.").waitFor();
  expect(await page.getByTestId("newsletter-status").textContent()).toMatch(/^Sent \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  expect(await page.getByTestId("newsletter-editor").count()).toBe(0);
  expect(maintainer.problems()).toBe("");
  // Over the API: sending again queues nothing (e-mail is off), and the list shows the week as sent.
  const again = await api<{ mail: string; queued: number }>(maintainer.context.request, "POST", `/api/v1/campaigns/${SLUG}/newsletters/${WEEK}/send`);
  expect(again).toMatchObject({ status: 200, body: { mail: "off", queued: 0 } });
  await documented("/api/v1/campaigns/{slug}/newsletters/{week}/send", "post", 200, again.body);
  const list = await api<{ newsletters: { week: string; status: string }[] }>(maintainer.context.request, "GET", `/api/v1/campaigns/${SLUG}/newsletters`);
  expect(list.body.newsletters).toMatchObject([{ week: WEEK, status: "sent" }]);
  await documented("/api/v1/campaigns/{slug}/newsletters", "get", 200, list.body);
});

it("is archived for readers without an account, with structures, a link preview and an Atom entry", async () => {
  const anonymous = await newPage(browser, server.url);
  try {
    const page = anonymous.page;
    await page.goto(`/campaigns/${SLUG}/newsletter`);
    await page.getByTestId("newsletter-archive").getByRole("link", { name: `Week ${WEEK}` }).click();
    await page.waitForURL(`**/campaigns/${SLUG}/newsletter/${WEEK}`);
    await page.getByTestId("newsletter-editorial").getByText("Thanks to Dundee.").waitFor();
    const keys = await page.getByTestId("newsletter-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-key")));
    expect(keys[0]).toBe("parked:NEWS-S-258");
    expect(keys).not.toContain("results:NEWS-S-272");
    expect(await page.getByRole("button", { name: "Send now" }).count()).toBe(0);
    // Every structure picture loaded.
    const images = page.locator('[data-testid="newsletter-item"] img');
    expect(await images.count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => images.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0)), { timeout: 15_000 }).toBe(true);
    const file = await screenshot(page, "newsletter-archived-week");
    expect(file).toMatch(/newsletter-archived-week\.png$/);
    expect(anonymous.problems()).toBe("");

    const html = await (await fetch(`${server.url}/campaigns/${SLUG}/newsletter/${WEEK}`)).text();
    const og = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    expect(og).toBe(`${server.url}/molecules/NEWS-S-258.png?w=1200&h=630`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"');
    const png = await fetch(og!);
    expect(png.headers.get("content-type")).toBe("image/png");

    const atom = await fetch(`${server.url}/campaigns/${SLUG}/newsletter.atom`);
    expect(atom.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await atom.text();
    expect(xml).toContain(`<id>${server.url}/campaigns/${SLUG}/newsletter/${WEEK}</id>`);
    expect(xml).toContain(`${server.url}/molecules/NEWS-S-272.png`);
    expect(xml).not.toContain("a new result"); // the dropped item stays out
  } finally {
    await anonymous.close();
  }
});

it("refuses anonymous callers: the send route answers 401 and each maintainer's action goes back with the refusal", async () => {
  const send = await fetch(`${server.url}/api/v1/campaigns/${SLUG}/newsletters/${addWeeks(WEEK, -1)}/send`, { method: "POST" });
  expect(send.status).toBe(401);
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName: string; filename: string }>;
  };
  const mine = Object.entries(manifest.node).filter(([, a]) => a.filename.includes("newsletter"));
  expect(mine.map(([, a]) => a.exportedName).sort()).toEqual(["newsletterItemAction", "saveNewsletterAction", "sendNewsletterAction"]);
  const week = addWeeks(WEEK, -1);
  const args: Record<string, () => BodyInit> = {
    saveNewsletterAction: () => {
      const data = new FormData();
      data.set("0", `["${SLUG}","${week}","$K1"]`);
      data.set("1_editorial", "anonymous");
      return data;
    },
    newsletterItemAction: () => JSON.stringify([SLUG, week, "entry:1", "drop"]),
    sendNewsletterAction: () => JSON.stringify([SLUG, week]),
  };
  for (const [id, action] of mine) {
    const body = args[action.exportedName]!();
    const res = await fetch(`${server.url}/campaigns/${SLUG}/newsletter/${week}`, {
      method: "POST",
      headers: { "Next-Action": id, Accept: "text/x-component", ...(typeof body === "string" ? { "Content-Type": "text/plain;charset=UTF-8" } : {}) },
      body,
    });
    expect(res.status, action.exportedName).toBe(200);
    expect(decodeURIComponent(res.headers.get("x-action-redirect") ?? ""), action.exportedName).toContain("error=Sign in to do this.");
  }
  // Nothing changed: last week was never drafted, edited or sent.
  const list = await api<{ newsletters: { week: string }[] }>(reader.context.request, "GET", `/api/v1/campaigns/${SLUG}/newsletters`);
  expect(list.body.newsletters.map((n) => n.week)).toEqual([WEEK]);
});
