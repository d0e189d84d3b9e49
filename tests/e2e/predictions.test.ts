// The prediction pages in Chromium on the demo campaign (Series 4, Pfal IC50): the scoreboard, a set's page with its
// plots (and one with nothing scored yet), the refusal of a CSV with a bad row and "submit the good rows anyway", the
// model page, "what to make next" with pasted SMILES, the molecule page's prediction and the live prediction of the
// registration form, with the campaign's model trained in the background. Then the journey the issue asks for: a
// forecaster uploads a CSV file, sees the set sealed, a chemist records a result on the molecule page, and the
// scoreboard changes. Over HTTP, every refusal. Screenshots go to test-results/screenshots/predictions-*.png.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { osmDemoSheet } from "@/lib/demo/osm-molecules";
import { parseSheet } from "@/lib/sheets/sheet";
import { readSharedData } from "../unit/chem/shared-data";
import { ApiClient, errorOf, expectStatus } from "./support/api-client";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createTokens, pgliteStore, seedDemoCampaign, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const SLUG = "series-4";
const ASSAY = "Pfal IC50";
const ASSAY_QUERY = "?campaign=series-4&assay=Pfal%20IC50";

interface Submitted {
  id: number;
  hash: string;
  submittedAt: string;
  rows: number;
  skipped: { row: number; field: string; message: string }[];
  url: string;
}
interface Board {
  submissions: { id: number; name: string; submitter: string | null }[];
}

let store: PgliteStore;
let server: Notebook;
let browser: Browser;
let chemist: ApiClient;
let forecaster: ApiClient;
let anon: ApiClient;
/** Molecules registered here without a result, then partly measured after the forecast. */
const fresh: string[] = [];
let scoredSet: number;
let waitingSet: number;
let modelReady = false;
/** Structures not registered here: one pasted on "what to make next", one typed into the registration form. */
let pasteSmiles: string | undefined;
let typedSmiles: string | undefined;

/** Series 4 compounds of the OSM master list that the demo does not have, with a Pfal IC50 (µM) of the Dundee assay. */
function otherSeries4(count: number): { smiles: string; ic50: number }[] {
  const demoKeys = new Set(parseSheet(osmDemoSheet, "tsv").rows.map((r) => r.cells.InChIKey));
  const found: { smiles: string; ic50: number }[] = [];
  for (const { cells } of parseSheet(readSharedData("osm-series4-master-list.tsv"), "tsv").rows) {
    const ic50 = Number(cells["Pfal IC50 (Dundee)"]);
    if (cells.Series !== "4" || !cells.Canonical_Smiles || demoKeys.has(cells.InChIKey) || !(ic50 > 0)) continue;
    if (found.some((f) => f.smiles === cells.Canonical_Smiles)) continue;
    demoKeys.add(cells.InChIKey);
    found.push({ smiles: cells.Canonical_Smiles, ic50 });
    if (found.length === count) break;
  }
  return found;
}

async function problemsAfter(tab: NotebookPage, name: string): Promise<void> {
  await tab.page.waitForLoadState("networkidle");
  await screenshot(tab.page, `predictions-${name}`);
  expect(tab.problems(), name).toBe("");
}

beforeAll(async () => {
  store = await pgliteStore();
  await seedDemoCampaign(store);
  const tokens = await createTokens(store, ["ada-bench", "ui-forecaster"]);
  [server, browser] = await Promise.all([
    startNotebook({ dataDir: store.dataDir, env: { NOTEBOOK_MODEL_INTERVAL: "3" } }),
    launchBrowser(),
  ]);
  anon = new ApiClient(server.url);
  chemist = anon.as(tokens["ada-bench"]); // the demo campaign's maintainer
  forecaster = anon.as(tokens["ui-forecaster"]);

  // Six compounds registered with no result (skipping any the demo has already), forecast with two structures not
  // registered, then four of them measured.
  const candidates = otherSeries4(40);
  const compounds: { smiles: string; ic50: number }[] = [];
  while (fresh.length < 6) {
    const c = candidates.shift()!;
    const res = await chemist.post<{ id: string }>("/api/v1/molecules", { campaign: SLUG, smiles: c.smiles });
    if (res.status === 409) continue;
    fresh.push(expectStatus(res, 201).id);
    compounds.push(c);
  }
  const extra = candidates.splice(0, 2);
  [pasteSmiles, typedSmiles] = candidates.map((c) => c.smiles);
  const submit = (name: string, rows: unknown[]) =>
    forecaster.request<{ id: number }>("POST", `/api/v1/predictions?campaign=${SLUG}&assay=${encodeURIComponent(ASSAY)}`, {
      json: {
        name,
        unit: "pIC50",
        method: "https://example.org/forecast",
        description: "Nearest analogue by eye, shifted by the ether.",
        rows,
      },
    });
  const rows = [
    ...fresh.map((molecule, i) => ({ molecule, value: 6.8 - i * 0.35, uncertainty: 0.4, rank: i + 1 })),
    ...extra.map((c, i) => ({ smiles: c.smiles, value: 5.2 - i * 0.3, uncertainty: 0.6, rank: fresh.length + i + 1 })),
  ];
  scoredSet = expectStatus(await submit("Analogue forecast, round 1", rows), 201).id;
  waitingSet = expectStatus(await submit("Everything still waiting", rows.slice(4, 6)), 201).id;
  // Results after the forecast: three exact, one above the highest concentration tested (> 10 µM).
  const results: [string, number, "=" | ">"][] = [
    [fresh[0]!, compounds[0]!.ic50, "="],
    [fresh[1]!, compounds[1]!.ic50, "="],
    [fresh[2]!, 10, ">"],
    [fresh[3]!, compounds[3]!.ic50, "="],
  ];
  for (const [code, value, qualifier] of results) {
    expectStatus(
      await chemist.post(`/api/v1/molecules/${code}/measurements`, { assay: "IC50", target: "Pfal", value, unit: "µM", qualifier }),
      201,
    );
  }
  // A second assay with one result: a scoreboard with nothing on it, and no model.
  expectStatus(
    await chemist.post(`/api/v1/molecules/${fresh[5]}/measurements`, { assay: "EC50", target: "HepG2", value: 12, unit: "µM" }),
    201,
  );
  // The model trains a few seconds after the start and again after these results.
  for (let i = 0; i < 120 && !modelReady; i++) {
    modelReady = (await anon.get(`/api/v1/molecules/${fresh[4]}/prediction`)).status === 200;
    if (!modelReady) await new Promise((r) => setTimeout(r, 1000));
  }
  if (!modelReady) throw new Error(`the campaign's model was not trained within 120 s:\n${server.logs().slice(-3000)}`);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await store?.dispose();
});

describe("prediction pages in Chromium", () => {
  it("shows the scoreboard from the campaign page, to anyone, with the forecast scored", async () => {
    const tab = await newPage(browser, server.url);
    await tab.page.goto(`/campaigns/${SLUG}`);
    await tab.page.getByRole("link", { name: "Predictions", exact: true }).click();
    await tab.page.waitForURL(`**/campaigns/${SLUG}/predictions`);
    await tab.page.getByRole("heading", { name: `Predictions of ${ASSAY}` }).waitFor();
    const board = tab.page.getByTestId("scoreboard");
    const row = board.getByRole("row").filter({ hasText: "Analogue forecast, round 1" });
    await expect(row.textContent()).resolves.toMatch(/ui-forecaster/);
    await expect(row.textContent()).resolves.toMatch(/4 \/ 8/); // four results of eight forecasts
    await expect(row.textContent()).resolves.toMatch(/3 with “=”/);
    await expect(tab.page.getByTestId("scoring-note").textContent()).resolves.toMatch(
      /Only results recorded after a set was submitted count/,
    );
    await tab.page.getByRole("link", { name: "Sign in to submit predictions" }).waitFor();
    expect(await tab.page.getByTestId("scoring-settings").count()).toBe(0);
    await problemsAfter(tab, "scoreboard-anonymous");

    // Another assay: chosen in the select, nothing submitted yet, no model; and one the campaign does not have.
    await tab.page.getByLabel("Assay", { exact: true }).selectOption("HepG2 EC50");
    await tab.page.getByRole("button", { name: "Show" }).click();
    await tab.page.getByTestId("scoreboard-empty").waitFor();
    await problemsAfter(tab, "scoreboard-empty");
    await tab.page.getByRole("link", { name: "The campaign's model" }).click();
    await expect(tab.page.getByTestId("no-model").textContent()).resolves.toBe(
      "No model yet: HepG2 EC50 has results for 1 molecule; the campaign's model needs 20.",
    );
    await problemsAfter(tab, "model-none");
    await tab.page.goto(`/campaigns/${SLUG}/predictions?assay=hERG%20IC50`);
    await expect(tab.page.getByTestId("scoreboard-problem").textContent()).resolves.toMatch(/no results of "hERG IC50" here/);
    await tab.page.getByTestId("scoreboard-problem").getByRole("link", { name: ASSAY }).waitFor();
    await problemsAfter(tab, "scoreboard-unknown-assay");
    await tab.close();
  });

  it("shows a set with its seal, scores, plots, waiting compounds and timeline; and one with nothing scored", async () => {
    const tab = await newPage(browser, server.url);
    await tab.page.goto(`/predictions/${scoredSet}`);
    await tab.page.getByRole("heading", { name: "Analogue forecast, round 1" }).waitFor();
    await expect(tab.page.getByTestId("hash").textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await tab.page.getByText("sealed at submission; it cannot be changed").waitFor();
    expect(await tab.page.getByTestId("scatter").locator("path.point.bound").count()).toBe(1);
    expect(await tab.page.getByTestId("scatter").locator("circle.point").count()).toBe(3);
    expect(await tab.page.getByTestId("residuals").locator("circle.point").count()).toBe(3);
    expect(await tab.page.getByTestId("waiting").locator("tbody tr").count()).toBe(4);
    const timeline = tab.page.getByTestId("timeline");
    expect(await timeline.locator("tbody tr").count()).toBe(4);
    // Newest first: the last result recorded heads the timeline.
    await expect(timeline.locator("tbody tr").first().textContent()).resolves.toContain(fresh[3]);
    await expect(timeline.textContent()).resolves.toContain("> 10 µM");
    await problemsAfter(tab, "set");

    await tab.page.goto(`/predictions/${waitingSet}`);
    await tab.page.getByTestId("nothing-scored").waitFor();
    expect(await tab.page.getByTestId("waiting").locator("tbody tr").count()).toBe(2);
    await problemsAfter(tab, "set-nothing-scored");
    await tab.close();
  });

  it("lists every bad row of a pasted CSV, then seals the good rows when asked", async () => {
    const tab = await newPage(browser, server.url);
    await tab.page.goto(`/campaigns/${SLUG}/predictions/new`);
    await tab.page.getByTestId("signin-prompt").waitFor();
    await signInLocally(tab.page, "ui-forecaster");
    await tab.page.goto(`/campaigns/${SLUG}/predictions/new`);
    await tab.page.getByLabel("Name of the set").fill("Pasted, with a typo");
    await tab.page.getByLabel("Values are in").selectOption("µM");
    await tab.page.getByLabel("CSV text").fill(`molecule,value\n${fresh[4]},0.5\nOSM-S-99999,2\n${fresh[5]},abc\n`);
    await tab.page.getByRole("button", { name: "Submit and seal" }).click();
    const errors = tab.page.getByTestId("row-errors");
    await errors.waitFor();
    await expect(errors.locator("tbody tr").nth(0).textContent()).resolves.toMatch(/^3molecule.*OSM-S-99999 is not a molecule/);
    await expect(errors.locator("tbody tr").nth(1).textContent()).resolves.toMatch(/^4value/);
    await problemsAfter(tab, "submit-row-errors");
    await tab.page.getByRole("button", { name: "Submit the 1 good row anyway" }).click();
    await tab.page.waitForURL(/\/predictions\/\d+\?sealed=1&skipped=2$/);
    await expect(tab.page.getByTestId("sealed").textContent()).resolves.toMatch(/1 prediction stored, 2 rows with errors left out/);
    await problemsAfter(tab, "submit-sealed");
    await tab.close();
  });

  it("lets the maintainer set how predictions are scored", async () => {
    const tab = await newPage(browser, server.url);
    await signInLocally(tab.page, "ada-bench");
    await tab.page.goto(`/campaigns/${SLUG}/predictions`);
    const form = tab.page.getByTestId("scoring-settings");
    await form.getByLabel("Active at pIC50 ≥").fill("5.5");
    await form.getByText("IC50 ≤ 3.16 µM").waitFor();
    await form.getByRole("button", { name: "Save scoring" }).click();
    await form.getByText("Saved; the scores above follow.").waitFor();
    await tab.page.reload();
    await tab.page.getByTestId("scoring-note").getByText("pIC50 ≥ 5.50, IC50 ≤ 3.16 µM", { exact: false }).waitFor();
    await problemsAfter(tab, "scoreboard-maintainer");
    await tab.close();
  });

  it("shows the model page, what to make next and pasted structures, with the trained model", async () => {
    const tab = await newPage(browser, server.url);
    await signInLocally(tab.page, "ui-forecaster");
    await tab.page.goto(`/campaigns/${SLUG}/predictions/model`);
    await tab.page.getByTestId("model-summary").waitFor();
    await tab.page.getByTestId("evaluation").waitFor();
    await expect(tab.page.locator(".reading").first().textContent()).resolves.toMatch(/nearest neighbour/);
    await problemsAfter(tab, "model");

    await tab.page.goto(`/campaigns/${SLUG}/predictions/next`);
    const next = tab.page.getByTestId("next-compounds");
    await next.waitFor();
    await expect(next.textContent()).resolves.toContain(fresh[4]);
    await tab.page.getByLabel("SMILES, one per line (at most 20)").fill(`${pasteSmiles!}\nC1CC\n`);
    await tab.page.getByRole("button", { name: "Predict" }).click();
    const pasted = tab.page.getByTestId("pasted-predictions");
    await pasted.waitFor();
    await expect(pasted.locator("tbody tr").nth(0).textContent()).resolves.toMatch(/pIC50 \d\.\d\d ± \d\.\d\d/);
    await expect(pasted.locator("tbody tr").nth(1).locator(".field-error").textContent()).resolves.toBeTruthy();
    await problemsAfter(tab, "next");
    await tab.close();
  });

  it("shows the model's prediction on a molecule page and live while a structure is typed", async () => {
    const tab = await newPage(browser, server.url);
    await tab.page.goto(`/molecules/${fresh[4]}`);
    const panel = tab.page.getByTestId("molecule-prediction");
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toMatch(/Pfal IC50 ≈ [\d.]+ µMpIC50 \d\.\d\d ± \d\.\d\d/);
    expect(await panel.locator("ul li a").count()).toBe(3);
    await problemsAfter(tab, "molecule");

    await signInLocally(tab.page, "ada-bench");
    await tab.page.goto(`/campaigns/${SLUG}/molecules/new`);
    const live = tab.page.getByTestId("live-prediction");
    await tab.page.getByLabel("SMILES", { exact: true }).fill(typedSmiles!);
    await tab.page.getByTestId("structure-preview").locator("img").waitFor();
    await expect
      .poll(() => live.textContent(), { timeout: 20_000 })
      .toMatch(/^Predicted Pfal IC50 ≈ [\d.]+ µM \(pIC50 \d\.\d\d ± \d\.\d\d\); nearest measured: OSM-S-\d+ \(\d\.\d\d\)/);
    await problemsAfter(tab, "register-live");
    await tab.page.getByLabel("SMILES", { exact: true }).fill("");
    await expect.poll(() => live.textContent()).toBe("\u00a0");
    await tab.close();
  });
});

describe("a forecast, then its result", () => {
  it("uploads a CSV file, sees it sealed, and sees the scoreboard change when a chemist records a result", async () => {
    const tab = await newPage(browser, server.url);
    await signInLocally(tab.page, "ui-forecaster");
    await tab.page.goto(`/campaigns/${SLUG}/predictions/new`);
    await tab.page.getByLabel("Name of the set").fill("Uploaded forecast");
    await tab.page.getByLabel("Values are in").selectOption("pIC50");
    await tab.page.getByTestId("csv-upload").setInputFiles({
      name: "forecast.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`molecule,value,uncertainty\n${fresh[4]},6.9,0.4\n${fresh[5]},5.1,0.5\n`),
    });
    await expect(tab.page.getByTestId("csv-file").textContent()).resolves.toMatch(/forecast\.csv: 3 lines/);
    await tab.page.getByRole("button", { name: "Submit and seal" }).click();
    await tab.page.waitForURL(/\/predictions\/\d+\?sealed=1/);
    const id = Number(/\/predictions\/(\d+)/.exec(tab.page.url())![1]);
    const hash = (await tab.page.getByTestId("hash").textContent())!;
    expect(hash).toBe(expectStatus(await anon.get<{ hash: string }>(`/api/v1/predictions/${id}`), 200).hash);
    await problemsAfter(tab, "journey-sealed");
    const row = () => tab.page.getByTestId("scoreboard").getByRole("row").filter({ hasText: "Uploaded forecast" });
    await tab.page.goto(`/campaigns/${SLUG}/predictions`);
    await expect(row().textContent()).resolves.toMatch(/0 \/ 2/);

    // The chemist records the result on the molecule page.
    const bench = await newPage(browser, server.url);
    await signInLocally(bench.page, "ada-bench");
    await bench.page.goto(`/molecules/${fresh[4]}`);
    const form = bench.page.getByRole("form", { name: "Add a measurement" });
    await form.getByLabel("Assay").fill("IC50");
    await form.getByLabel("Target / strain").fill("Pfal");
    await form.getByLabel("Value").fill("0.2");
    await form.getByRole("button", { name: "Add measurement" }).click();
    await form.getByText("Added.").waitFor();
    await bench.close();

    await tab.page.reload();
    await expect(row().textContent()).resolves.toMatch(/1 \/ 2/);
    await problemsAfter(tab, "journey-scored");
    const scored = expectStatus(
      await anon.get<{ predictions: { molecule: string; observed: { pic50: number; qualifier: string } | null }[] }>(
        `/api/v1/predictions/${id}`,
      ),
      200,
    );
    expect(scored.predictions.find((p) => p.molecule === fresh[4])!.observed).toMatchObject({ qualifier: "=" });
    expect(scored.predictions.find((p) => p.molecule === fresh[4])!.observed!.pic50).toBeCloseTo(6.69897, 4);
    await tab.close();
  });
});

describe("predictions over HTTP", () => {
  it("refuses what it must, with every bad row named and nothing stored", async () => {
    // The forecaster's sets: the campaign's model may seal a set of its own meanwhile (it retrains on new results).
    const mine = async () =>
      expectStatus(await anon.get<Board>(`/api/v1/campaigns/${SLUG}/scoreboard`), 200).submissions.filter(
        (s) => s.submitter === "ui-forecaster",
      ).length;
    const before = await mine();
    const csv = "molecule,value\nOSM-S-106,0.1\n";
    const asCsv = (body: string, query = "&name=Probe&unit=%C2%B5M") => ({ body, headers: { "content-type": "text/csv" }, q: query });
    const post = (client: ApiClient, body: string, query: string, type = "text/csv") =>
      client.request<Submitted>("POST", `/api/v1/predictions${ASSAY_QUERY}${query}`, { body, headers: { "content-type": type } });

    expect((await post(anon, csv, "&name=x&unit=pIC50")).status).toBe(401);
    const bad = await post(forecaster, "molecule,smiles,value\nOSM-S-106,,0.1\nOSM-S-99999,,1\n,C1CC,2\nOSM-S-201,,1,5\n", asCsv("").q);
    expect(bad.status).toBe(422);
    expect(errorOf(bad).fields).toMatchObject({
      "rows.3.molecule": expect.stringContaining("OSM-S-99999 is not a molecule of"),
      "rows.4.smiles": expect.stringContaining("cannot be read"),
    });
    expect(errorOf(bad).message).toMatch(/rows have errors; nothing was stored/);
    expect((await post(forecaster, csv, "&name=x&unit=%25")).status).toBe(422); // % is not a unit of an IC50
    const unknown = await forecaster.request("POST", "/api/v1/predictions?campaign=series-4&assay=hERG%20IC50&name=x&unit=pIC50", {
      body: csv,
      headers: { "content-type": "text/csv" },
    });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown)).toMatchObject({ assays: expect.arrayContaining(["Pfal IC50"]) });
    expect((await post(forecaster, csv, "&name=x&unit=pIC50", "application/x-www-form-urlencoded")).status).toBe(415);
    const huge = "molecule,value\n" + "OSM-S-106,6.1\n".repeat(100_000);
    const tooMany = await post(forecaster, huge, "&name=x&unit=pIC50");
    expect(tooMany.status).toBe(413);
    expect(errorOf(tooMany).message).toMatch(/10,000 rows/);
    const jsonRows = await forecaster.request("POST", `/api/v1/predictions${ASSAY_QUERY}`, {
      json: { name: "x", unit: "pIC50", rows: Array.from({ length: 10_001 }, () => ({ molecule: "OSM-S-106", value: 6 })) },
    });
    expect(jsonRows.status).toBe(422);
    expect(errorOf(jsonRows).message).toMatch(/at most 10,000 rows/);
    expect(await mine()).toBe(before);

    // With confirm the good row is stored and the others are answered, unstored.
    const kept = expectStatus(
      await post(forecaster, "molecule,value\nOSM-S-106,0.1\nOSM-S-99999,1\n", "&name=Kept&unit=%C2%B5M&confirm=true"),
      201,
    );
    expect(kept).toMatchObject({ rows: 1, skipped: [{ row: 3, field: "molecule" }] });
    expect(kept.hash).toMatch(/^[0-9a-f]{64}$/);

    // Sealed: no way to change or remove it, for anyone.
    for (const client of [anon, forecaster, chemist]) {
      for (const method of ["PATCH", "PUT", "DELETE"]) {
        const res = await client.request(method, `/api/v1/predictions/${kept.id}`, method === "DELETE" ? {} : { json: { name: "better" } });
        expect(res.status, `${method} by ${client.token ? "a member" : "anyone"}`).toBe(405);
        expect(res.headers.get("allow")).toBe("GET, HEAD");
        expect(errorOf(res).code).toBe("method_not_allowed");
      }
    }
    const stored = expectStatus(await anon.get<{ name: string; hash: string }>(`/api/v1/predictions/${kept.id}`), 200);
    expect(stored).toMatchObject({ name: "Kept", hash: kept.hash });
    expect((await anon.get("/api/v1/predictions/99999999")).status).toBe(404);
    expect((await anon.get("/api/v1/predictions/abc")).status).toBe(404);
    expect((await anon.get("/api/v1/campaigns/no-such/scoreboard")).status).toBe(404);

    // Settings: maintainers only, checked values.
    expect((await forecaster.patch(`/api/v1/campaigns/${SLUG}/scoreboard`, { topK: 5 })).status).toBe(403);
    expect((await chemist.patch(`/api/v1/campaigns/${SLUG}/scoreboard`, { topK: 0 })).status).toBe(422);
    expect(expectStatus(await chemist.patch(`/api/v1/campaigns/${SLUG}/scoreboard`, { topK: 10 }), 200)).toMatchObject({ topK: 10 });

    // The model: a structure it cannot read is a 422; one far from everything it knows says so.
    expect((await anon.post("/api/v1/predict", { campaign: SLUG, smiles: "C1CC" })).status).toBe(422);
    expect((await anon.post("/api/v1/predict", { campaign: SLUG, smiles: "x".repeat(2001) })).status).toBe(422);
    const far = expectStatus(
      await anon.post<{ inDomain: boolean; pic50: number }>("/api/v1/predict", { campaign: SLUG, smiles: "CCCCCCCCCCCCCCCC(=O)O" }),
      200,
    );
    expect(far.inDomain).toBe(false);
  });
});
