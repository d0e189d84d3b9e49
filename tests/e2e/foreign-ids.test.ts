// Sheets from elsewhere keep their IDs, through the production server: the `ids` option of POST /api/v1/imports
// with the OSM Series 4 master list, and the choice in the import wizard in Chromium.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, errorOf, expectStatus, type ApiResponse } from "./support/api-client";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally, startCampaign } from "./support/pages";
import { projectRoot } from "./support/paths";
import { createTokens, pgliteStore, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const OSM = readFileSync(path.resolve(projectRoot, "../shared/data/osm-series4-master-list.tsv"), "utf8");

interface Report {
  imported: number;
  unchanged: number;
  failed: number;
  registered: number;
  measurementsAdded: number;
  errors: { row: number; column?: string; message: string }[];
}
interface MoleculeJson {
  /** The campaign ID. */
  id: string;
  aliases: string[];
  campaign: string;
}

let store: PgliteStore;
let server: Notebook;
let browser: Browser;
let tab: NotebookPage;
let alice: ApiClient;

beforeAll(async () => {
  store = await pgliteStore();
  const tokens = await createTokens(store, ["alice"] as const);
  [server, browser] = await Promise.all([
    startNotebook({ dataDir: store.dataDir, env: { NOTEBOOK_RATE_LIMIT_WRITES: "1000" } }),
    launchBrowser(),
  ]);
  alice = new ApiClient(server.url, tokens.alice);
  tab = await newPage(browser, server.url);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

const importOsm = (slug: string, ids?: string): Promise<ApiResponse<Report>> =>
  alice.request<Report>("POST", `/api/v1/imports?campaign=${slug}&format=tsv&unit=${encodeURIComponent("µM")}${ids ? `&ids=${ids}` : ""}`, {
    body: OSM,
    headers: { "Content-Type": "text/tab-separated-values" },
  });
const total = async (slug: string) =>
  expectStatus(await alice.get<{ total: number }>(`/api/v1/molecules?campaign=${slug}&perPage=1`), 200).total;

describe("POST /api/v1/imports?ids=", () => {
  it(
    "keeps another campaign's IDs as aliases with ids=foreign-as-aliases; by default fails them, saying so",
    { timeout: 240_000 },
    async () => {
      await alice.createCampaign({ name: "Elsewhere", slug: "elsewhere" });

      const refused = expectStatus(await importOsm("elsewhere"), 200);
      expect(refused).toMatchObject({ imported: 0, failed: 440, registered: 0 });
      expect(refused.errors[0]).toEqual({
        row: 2,
        column: "OSM_ID",
        message:
          "OSM-A-1 does not belong to this campaign (expected ELSEWHERE); to keep it as an alias of a molecule with this campaign's own ID, import with ids=foreign-as-aliases.",
      });

      const bad = await importOsm("elsewhere", "keep");
      expect(bad.status, bad.text).toBe(422);
      expect(errorOf(bad)).toMatchObject({
        code: "validation_failed",
        message: "ids: must be own-only, foreign-as-aliases, adopt-prefix",
        fields: { ids: "must be own-only, foreign-as-aliases, adopt-prefix" },
      });
      expect(await total("elsewhere")).toBe(0);

      const report = expectStatus(await importOsm("elsewhere", "foreign-as-aliases"), 200);
      expect(report).toMatchObject({ imported: 439, unchanged: 1, failed: 0, errors: [], registered: 348, measurementsAdded: 439 });
      const multi = expectStatus(await alice.get<MoleculeJson>("/api/v1/molecules/OSM-S-416"), 200);
      expect(multi).toMatchObject({ aliases: ["OSM-S-208", "OSM-S-218", "OSM-S-416"], campaign: "elsewhere" });
      expect(multi.id).toMatch(/^ELSEWHERE-A-\d+$/);
      const measured = expectStatus(await alice.get<{ measurements: { value: number }[] }>("/api/v1/molecules/OSM-A-1/measurements"), 200);
      expect(measured.measurements.map((m) => m.value)).toEqual([3.05, 4.379]);

      // The campaign has molecules now: adopting the sheet's prefix is refused, naming why and the way out.
      const adopt = await importOsm("elsewhere", "adopt-prefix");
      expect(adopt.status, adopt.text).toBe(409);
      expect(errorOf(adopt).message).toBe(
        "ids: adopt-prefix only works in a campaign without molecules, and Elsewhere has molecules numbered ELSEWHERE-; import with ids=foreign-as-aliases to keep the file's OSM- IDs as aliases",
      );
      expect(errorOf(adopt).fields).toHaveProperty("ids");
      expect(await total("elsewhere")).toBe(348);
    },
  );

  it(
    "adopts the sheet's prefix in an empty campaign with ids=adopt-prefix, and refuses it once another campaign has it",
    { timeout: 240_000 },
    async () => {
      await alice.createCampaign({ name: "OSM here", slug: "osm-here" });
      const report = expectStatus(await importOsm("osm-here", "adopt-prefix"), 200);
      expect(report).toMatchObject({ imported: 439, unchanged: 1, failed: 0, errors: [], registered: 348 });
      expect(expectStatus(await alice.get<{ prefix: string }>("/api/v1/campaigns/osm-here/registry"), 200).prefix).toBe("OSM");
      // The original IDs are the campaign's: an older ID of a compound finds it here, not the alias in "elsewhere".
      expect(expectStatus(await alice.get<MoleculeJson>("/api/v1/molecules/OSM-S-218"), 200)).toMatchObject({
        id: "OSM-S-208",
        aliases: ["OSM-S-218", "OSM-S-416"],
        campaign: "osm-here",
      });

      await alice.createCampaign({ name: "Third", slug: "third" });
      const taken = await importOsm("third", "adopt-prefix");
      expect(taken.status, taken.text).toBe(409);
      expect(errorOf(taken)).toMatchObject({
        code: "conflict",
        message:
          "ids: the prefix OSM belongs to another campaign (OSM here); import with ids=foreign-as-aliases to keep its IDs as aliases",
      });
      expect(await total("third")).toBe(0);
      expect(expectStatus(await alice.get<{ prefix: string; saved: boolean }>("/api/v1/campaigns/third/registry"), 200)).toMatchObject({
        prefix: "THIRD",
        saved: false,
      });
    },
  );
});

async function reportCounts(page: Page) {
  const report = page.getByTestId("import-report");
  const n = async (id: string) => Number((await report.getByTestId(id).innerText()).replaceAll(",", ""));
  return { imported: await n("imported"), unchanged: await n("unchanged"), failed: await n("failed"), registered: await n("registered") };
}

it(
  "lets the chemist choose what becomes of another campaign's IDs in the import wizard, and adopt the file's prefix",
  { timeout: 240_000 },
  async () => {
    const { page } = tab;
    await signInLocally(page, "ada-foreign");
    await startCampaign(page, "Malaria box", "malbox");
    await page.goto("/campaigns/malbox/molecules/import");
    // The master list as another lab's sheet: the same rows under MAL- IDs.
    await page.getByTestId("import-file").setInputFiles({
      name: "mal-series4.tsv",
      mimeType: "text/tab-separated-values",
      buffer: Buffer.from(OSM.replaceAll("OSM-", "MAL-")),
    });
    const summary = () => page.getByTestId("import-summary").innerText();
    const choice = page.getByTestId("import-ids");
    await choice.waitFor();
    expect(await choice.innerText()).toContain("IDs in this file start with MAL-; Malaria box's IDs start with MALBOX-.");
    // Keeping them as aliases is preselected: every row imports.
    expect(await page.getByRole("radio", { name: /^Keep them as aliases/ }).isChecked()).toBe(true);
    await expect.poll(summary).toContain("440 rows; no problems found");
    await page.getByRole("radio", { name: /^Refuse them/ }).check();
    await expect.poll(summary).toContain("440 rows; 440 with problems that stop them");
    expect(await page.locator(".preview-table tbody tr").first().innerText()).toContain("MAL-A-1 does not belong to this campaign");
    await page.getByRole("radio", { name: /^Adopt MAL- as Malaria box's prefix/ }).check();
    await expect.poll(summary).toContain("440 rows; no problems found");
    await page.getByLabel("Unit of values without one").selectOption("µM");
    await screenshot(page, "foreign-ids-1-choice");

    await page.getByRole("button", { name: "Import 440 rows" }).click();
    await page.getByText(/^Done: 440 of 440 rows/).waitFor({ timeout: 200_000 });
    expect(await reportCounts(page)).toEqual({ imported: 439, unchanged: 1, failed: 0, registered: 348 });
    expect(await page.getByTestId("import-ids-note").innerText()).toBe(
      "MAL- is now Malaria box's prefix: the file's MAL- IDs are the molecules' IDs.",
    );
    // The file's IDs are the campaign's own now: nothing left to choose.
    expect(await choice.count()).toBe(0);
    await screenshot(page, "foreign-ids-2-report");

    // An older ID of a compound opens its page, which lists the others.
    await page.goto("/molecules/MAL-S-218");
    await page.waitForURL("**/molecules/MAL-S-208");
    await page.getByText("Also known as MAL-S-218, MAL-S-416").waitFor();
    expect(tab.problems()).toBe("");
  },
);
