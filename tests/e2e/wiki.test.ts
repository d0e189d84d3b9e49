// A chemist writes the campaign's home page in Chromium with one live block of each kind (molecules, sar, chart,
// entries, to-dos, a molecule card) and a block with a mistake, reads it, follows a [[link]] to write the linked page,
// and comes back after a new result: the blocks show it, marked as changed since the last visit, with nobody editing
// the page. Then the wiki API over HTTP: pages, 409s, 401/403, the SAR table and its refusals. Real Series 4
// compounds and potencies from the OSM master list.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSheet } from "@/lib/sheets/sheet";
import { readSharedData } from "../unit/chem/shared-data";
import { ApiClient, errorOf, expectStatus, isoDay } from "./support/api-client";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createTokens, pgliteStore, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const SLUG = "osm-wiki";
const CORE = "[*:2]c1nnc2cncc([*:1])n12";
const sheet = parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv");
const smilesOf = (id: string) => sheet.rows.find((r) => r.cells.OSM_ID!.split(";")[0] === id)!.cells.Canonical_Smiles!;
/** Pfal IC50 (µM) as the sheet has them (OSM-S-503 is inactive: > 10 µM). */
const IC50: [string, number, "=" | ">"][] = [
  ["OSM-S-293", 0.0574, "="],
  ["OSM-S-272", 0.143, "="],
  ["OSM-S-260", 0.281, "="],
  ["OSM-S-187", 0.534, "="],
  ["OSM-S-349", 0.582, "="],
  ["OSM-S-503", 10, ">"],
];

let store: PgliteStore;
let server: Notebook;
let browser: Browser;
let tab: NotebookPage;
let chemist: ApiClient;
let reader: ApiClient;
let anon: ApiClient;

const HOME = [
  "Series 4 at a glance, drawn from the registry. See [[Ether side chains]].",
  "",
  "```molecules",
  "query: c1nnc2cncc(n12)",
  "assay: Pfal IC50",
  "sort: potency",
  "limit: 12",
  "```",
  "",
  "```sar",
  `core: ${CORE}`,
  "assay: Pfal IC50",
  "```",
  "",
  "```chart",
  "query: c1nnc2cncc(n12)",
  "assay: Pfal IC50",
  "x: clogp",
  "```",
  "",
  "```entries",
  "limit: 5",
  "```",
  "",
  "```todos",
  "state: all",
  "```",
  "",
  "OSM-S-293",
  "",
  "```molecules",
  "query: c1ccc[",
  "```",
].join("\n");

beforeAll(async () => {
  store = await pgliteStore();
  const tokens = await createTokens(store, ["wiki-chemist", "wiki-reader"]);
  [server, browser] = await Promise.all([startNotebook({ dataDir: store.dataDir }), launchBrowser()]);
  chemist = new ApiClient(server.url, tokens["wiki-chemist"]);
  reader = new ApiClient(server.url, tokens["wiki-reader"]);
  anon = new ApiClient(server.url);
  await chemist.createCampaign({ name: "OSM wiki", slug: SLUG });
  expectStatus(await chemist.request("PATCH", `/api/v1/campaigns/${SLUG}/registry`, { json: { prefix: "OSM", defaultSite: "S" } }), 200);
  for (const [id, value, qualifier] of IC50) {
    expectStatus(await chemist.post("/api/v1/molecules", { campaign: SLUG, smiles: smilesOf(id), id, series: "4" }), 201);
    expectStatus(
      await chemist.post(`/api/v1/molecules/${id}/measurements`, { assay: "IC50", target: "Pfal", value, unit: "µM", qualifier }),
      201,
    );
  }
  await chemist.createEntry({
    campaign: SLUG,
    date: isoDay(),
    title: "SNAr with 2-phenylethanol",
    body: "Made OSM-S-293 again; see [[Ether side chains]].",
  });
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

describe("the campaign wiki in Chromium", () => {
  it("writes the home page with a block of each kind and reads it, the bad block's error in place", async () => {
    const page = tab.page;
    await signInLocally(page, "wiki-chemist");
    await page.goto(`/campaigns/${SLUG}`);
    await page.getByRole("link", { name: "write the campaign's home page" }).click();
    await page.waitForURL(`**/campaigns/${SLUG}/wiki/new?title=Home`);
    expect(await page.getByLabel("Title").inputValue()).toBe("Home");
    await page.getByLabel("Page (markdown with live blocks)").fill(HOME);
    // The preview links [[Ether side chains]] into this campaign's wiki.
    await page.getByTestId("preview").locator(`a.wiki-link[href="/campaigns/${SLUG}/wiki/ether-side-chains"]`).waitFor();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(`**/campaigns/${SLUG}/wiki/home`);

    const grid = page.getByTestId("block-molecules").first();
    await expect
      .poll(() => grid.locator(".molecule-code").allInnerTexts())
      .toEqual(["OSM-S-293", "OSM-S-272", "OSM-S-260", "OSM-S-187", "OSM-S-349", "OSM-S-503"]);
    const sar = page.getByTestId("sar-table");
    expect(await sar.locator("tbody tr").count()).toBe(5);
    const first = sar.locator("tbody tr").first();
    expect(await first.locator("td").first().innerText()).toBe("OSM-S-293");
    expect(await first.locator("td[data-smiles]").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-smiles")))).toEqual([
      "c1ccc(CCO[*:1])cc1",
      "Clc1ccc([*:2])cc1",
    ]);
    expect(await first.locator("td.num").innerText()).toBe("0.0574 µM");
    expect(await page.getByTestId("sar-matrix").locator("tbody tr").count()).toBe(2); // phenethyl and 3,4-difluorophenethyl
    expect(await page.getByTestId("block-sar").innerText()).toMatch(/OSM-S-503[\s\S]*substituted at an unnumbered core position/);
    expect(await page.getByTestId("block-chart").locator("circle.point").count()).toBe(6);
    expect(await page.getByTestId("block-entries").innerText()).toContain("SNAr with 2-phenylethanol");
    expect(await page.getByTestId("block-todos").innerText()).toContain("No to-dos match.");
    expect(await page.getByTestId("block-molecule").innerText()).toMatch(/OSM-S-293[\s\S]*Pfal IC50\s+0\.0574 µM/);
    expect(await page.getByTestId("block-error").innerText()).toMatch(/This block cannot be shown: q: /);
    // Substituent drawings load (our SMILES route reads [*:n] attachment points).
    await expect
      .poll(() =>
        sar
          .locator("img")
          .evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)),
      )
      .toBe(true);
    await screenshot(page, "wiki-home-page");
    expect(tab.problems()).toBe("");
  });

  it("follows a [[link]] to write the linked page, which lists what links to it; the overview shows on the campaign page", async () => {
    const page = tab.page;
    await page.goto(`/campaigns/${SLUG}/wiki/home`);
    await page.locator("a.wiki-link", { hasText: "Ether side chains" }).first().click();
    await page.getByRole("heading", { name: "No page “ether side chains” yet" }).waitFor();
    await page.getByRole("link", { name: "Write this page" }).click();
    await page.getByLabel("Title").fill("Ether side chains");
    await page
      .getByLabel("Page (markdown with live blocks)")
      .fill("Phenethyl ethers at C5.\n\n```molecules\nquery: c1nnc2cncc(OCC)n12\nview: table\nassay: Pfal IC50\nsort: potency\n```\n");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(`**/campaigns/${SLUG}/wiki/ether-side-chains`);
    expect(await page.getByTestId("linked-from").innerText()).toMatch(/Home[\s\S]*SNAr with 2-phenylethanol/);
    expect(await page.locator(".wiki-table tbody tr").count()).toBe(6);
    await screenshot(page, "wiki-linked-page");
    await page.goto(`/campaigns/${SLUG}`);
    expect(await page.getByTestId("campaign-overview").getByTestId("sar-table").locator("tbody tr").count()).toBe(5);
    expect(tab.problems()).toBe("");
  });

  it("shows a result that came in after the last visit, marked as changed, with nobody editing the page; the story tells it", async () => {
    const page = tab.page;
    // A new compound, more potent than any so far, from another member's bench (through the API).
    expectStatus(
      await chemist.post("/api/v1/molecules", { campaign: SLUG, smiles: smilesOf("OSM-S-352"), id: "OSM-S-352", series: "4" }),
      201,
    );
    expectStatus(
      await chemist.post("/api/v1/molecules/OSM-S-352/measurements", { assay: "IC50", target: "Pfal", value: 0.021, unit: "µM" }),
      201,
    );
    await page.goto(`/campaigns/${SLUG}/wiki/home`);
    const sar = page.getByTestId("sar-table");
    expect(await sar.locator("tbody tr").first().locator("td").first().innerText()).toBe("OSM-S-352");
    expect(await page.getByTestId("block-sar").getByTestId("block-changed").innerText()).toMatch(/Changed since your last visit/);
    // Blocks whose data did not change are not marked: the entries, and OSM-S-293's card.
    expect(await page.getByTestId("block-entries").getByTestId("block-changed").count()).toBe(0);
    expect(await page.getByTestId("block-molecule").getByTestId("block-changed").count()).toBe(0);
    await screenshot(page, "wiki-home-changed-since-last-visit");
    // The story so far: the new best, by whom.
    await page.goto(`/campaigns/${SLUG}/story`);
    expect(await page.getByTestId("story").innerText()).toMatch(/OSM-S-352/);
    await screenshot(page, "wiki-story");
    // The molecule's own timeline.
    await page.goto("/molecules/OSM-S-293");
    expect(await page.getByTestId("story").innerText()).toMatch(/registered[\s\S]*Pfal IC50/i);
    expect(tab.problems()).toBe("");
  });
});

describe("the wiki API", () => {
  it("creates, reads, edits (409 when stale), lists revisions and deletes pages; refuses anonymous and non-member writes", async () => {
    const created = expectStatus(
      await chemist.post<{ slug: string; revisionId: number; home: boolean }>(`/api/v1/campaigns/${SLUG}/wiki`, {
        title: "Amide analogues",
        body: "OSM-S-202 and friends.",
      }),
      201,
    );
    expect(created).toMatchObject({ slug: "amide-analogues", home: false });
    const taken = await chemist.post(`/api/v1/campaigns/${SLUG}/wiki`, { title: "Amide  analogues!" });
    expect(taken.status).toBe(409);
    expect(errorOf(taken).message).toMatch(/already has a page titled/);
    expect((await anon.post(`/api/v1/campaigns/${SLUG}/wiki`, { title: "Anon" })).status).toBe(401);
    expect((await reader.post(`/api/v1/campaigns/${SLUG}/wiki`, { title: "Not a member" })).status).toBe(403);
    const bad = await chemist.post(`/api/v1/campaigns/${SLUG}/wiki`, { title: "", body: 3 });
    expect(bad.status).toBe(422);
    expect(Object.keys(errorOf(bad).fields ?? {}).sort()).toEqual(["body", "title"]);

    const edited = expectStatus(
      await chemist.request<{ revisionNumber: number; changed: boolean }>("PATCH", `/api/v1/campaigns/${SLUG}/wiki/amide-analogues`, {
        json: { body: "Amides at C5.", baseRevision: created.revisionId },
      }),
      200,
    );
    expect(edited).toMatchObject({ revisionNumber: 2, changed: true });
    const stale = await chemist.request("PATCH", `/api/v1/campaigns/${SLUG}/wiki/amide-analogues`, {
      json: { body: "Lost?", baseRevision: created.revisionId },
    });
    expect(stale.status).toBe(409);
    expect(errorOf(stale).current).toMatchObject({ body: "Amides at C5." });
    const revisions = expectStatus(
      await anon.get<{ revisions: { number: number }[] }>(`/api/v1/campaigns/${SLUG}/wiki/amide-analogues/revisions`),
      200,
    );
    expect(revisions.revisions.map((r) => r.number)).toEqual([2, 1]);
    const home = expectStatus(
      await anon.get<{ home: boolean; linkedFrom: { kind: string; title: string }[] }>(`/api/v1/campaigns/${SLUG}/wiki/home`),
      200,
    );
    expect(home.home).toBe(true);
    const list = expectStatus(await anon.get<{ pages: { slug: string }[] }>(`/api/v1/campaigns/${SLUG}/wiki`), 200);
    expect(list.pages.map((p) => p.slug)).toEqual(["home", "amide-analogues", "ether-side-chains"]);
    const linked = expectStatus(
      await anon.get<{ linkedFrom: { kind: string; title: string }[] }>(`/api/v1/campaigns/${SLUG}/wiki/ether-side-chains`),
      200,
    );
    expect(linked.linkedFrom.map((l) => [l.kind, l.title]).sort()).toEqual([
      ["entry", "SNAr with 2-phenylethanol"],
      ["page", "Home"],
    ]);

    expect((await reader.request("DELETE", `/api/v1/campaigns/${SLUG}/wiki/amide-analogues`)).status).toBe(403);
    expect(
      expectStatus(await chemist.request<{ deleted: boolean }>("DELETE", `/api/v1/campaigns/${SLUG}/wiki/amide-analogues`), 200).deleted,
    ).toBe(true);
    expect((await anon.get(`/api/v1/campaigns/${SLUG}/wiki/no-such-page`)).status).toBe(404);
    expect((await anon.get(`/api/v1/campaigns/no-such-campaign/wiki`)).status).toBe(404);
  });

  it("answers the SAR table as JSON, and a clear 4xx for a bad core, a missing one, an unknown campaign or assay", async () => {
    const sar = expectStatus(
      await anon.get<{
        attachmentPoints: string[];
        rows: { molecule: string; substituents: Record<string, string>; best: { value: number } | null }[];
        apart: { molecule: string }[];
      }>(`/api/v1/sar?campaign=${SLUG}&assay=${encodeURIComponent("Pfal IC50")}&core=${encodeURIComponent(CORE)}`),
      200,
    );
    expect(sar.attachmentPoints).toEqual(["R1", "R2"]);
    expect(sar.rows[0]).toMatchObject({
      molecule: "OSM-S-352",
      substituents: { R1: "c1ccc(CCO[*:1])cc1", R2: "Fc1ccc([*:2])cc1" },
      best: { value: 0.021 },
    });
    expect(sar.rows).toHaveLength(6);
    expect(sar.apart.map((a) => a.molecule)).toEqual(["OSM-S-503"]);
    const refusals: [string, number, RegExp][] = [
      [`/api/v1/sar?campaign=${SLUG}&core=c1ccccc1`, 422, /attachment point/],
      [`/api/v1/sar?campaign=${SLUG}&core=${encodeURIComponent("[*:1]c1ccc(")}`, 422, /core/i],
      [`/api/v1/sar?campaign=${SLUG}`, 422, /core: is required/],
      [`/api/v1/sar?campaign=nowhere&core=${encodeURIComponent(CORE)}`, 404, /nowhere/],
      [`/api/v1/sar?campaign=${SLUG}&assay=Pfal%20EC99&core=${encodeURIComponent(CORE)}`, 422, /no measurements of "Pfal EC99"/],
      [`/api/v1/sar?campaign=${SLUG}&core=${encodeURIComponent(`[*:1]${"C".repeat(600)}`)}`, 422, /at most 500 characters/],
    ];
    for (const [url, status, message] of refusals) {
      const res = await anon.get(url);
      expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(status);
      expect(errorOf(res).message, url).toMatch(message);
    }
  });
});
