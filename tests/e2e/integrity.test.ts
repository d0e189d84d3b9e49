// The verifiable history and the campaign archive through what users run: the production server's integrity check
// and archive download (maintainers only), the campaign page's chain head, and the admin command's export, verify
// and import — the import into a second notebook served again. A row changed behind the notebook's back (the server
// stopped, the database opened directly) makes `verify` exit 1 naming the record, and the API say so.
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "@/db/index";
import { ApiClient, errorOf, expectStatus, isoDay } from "./support/api-client";
import { launchBrowser, newPage, screenshot } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createTokens, pgliteStore, runAdmin, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const SLUG = "chained";
let store: PgliteStore;
let second: PgliteStore;
let server: Notebook;
let browser: Browser;
let maintainer: ApiClient;
let member: ApiClient;
let moleculeId: string;
const archivePath = path.join(os.tmpdir(), `chained-${process.pid}.zip`);

beforeAll(async () => {
  [store, second] = await Promise.all([pgliteStore(), pgliteStore()]);
  const tokens = await createTokens(store, ["chain-keeper", "chain-member"]);
  [server, browser] = await Promise.all([startNotebook({ dataDir: store.dataDir }), launchBrowser()]);
  maintainer = new ApiClient(server.url, tokens["chain-keeper"]);
  member = new ApiClient(server.url, tokens["chain-member"]);
  await maintainer.createCampaign({ name: "Chained campaign", slug: SLUG });
  await maintainer.addMember(SLUG, "chain-member", "member");
  const entry = await member.createEntry({ campaign: SLUG, date: isoDay(), title: "SNAr", body: "NaH, THF." });
  await member.editEntry(entry.id, { body: "NaH, THF, 0 °C.", baseRevision: entry.revisionId });
  moleculeId = expectStatus(
    await member.post<{ id: string }>("/api/v1/molecules", { campaign: SLUG, smiles: "Clc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23" }),
    201,
  ).id;
  expectStatus(
    await member.post(`/api/v1/molecules/${moleculeId}/measurements`, { assay: "IC50", target: "Pfal", value: 0.0574, unit: "µM" }),
    201,
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([store?.dispose(), second?.dispose(), rm(archivePath, { force: true })]);
});

it("checks the chain over HTTP, shows its head, and gives the archive to maintainers only", async () => {
  const anon = new ApiClient(server.url);
  const report = expectStatus(
    await anon.get<{ ok: boolean; links: number; head: string; failure: null }>(`/api/v1/campaigns/${SLUG}/integrity`),
    200,
  );
  expect(report).toMatchObject({ ok: true, links: 4, failure: null });
  expect((await anon.get("/api/v1/campaigns/nowhere/integrity")).status).toBe(404);

  expect((await anon.get(`/api/v1/campaigns/${SLUG}/archive`)).status).toBe(401);
  const refused = await member.get(`/api/v1/campaigns/${SLUG}/archive`);
  expect(refused.status).toBe(403);
  expect(errorOf(refused).message).toMatch(/maintainers/i);
  const zip = await fetch(`${server.url}/api/v1/campaigns/${SLUG}/archive`, { headers: { authorization: `Bearer ${maintainer.token}` } });
  expect(zip.status).toBe(200);
  expect(zip.headers.get("content-type")).toBe("application/zip");
  expect(zip.headers.get("content-disposition")).toBe(`attachment; filename="${SLUG}-archive.zip"`);

  const tab = await newPage(browser, server.url);
  await signInLocally(tab.page, "chain-keeper");
  await tab.page.goto(`/campaigns/${SLUG}`);
  const card = tab.page.getByTestId("chain-head");
  expect(await card.innerText()).toMatch(new RegExp(`4 records sealed in a SHA-256 chain; head ${report.head.slice(0, 16)}`));
  expect(await card.getByRole("link", { name: "Complete archive (zip)" }).count()).toBe(1);
  await screenshot(tab.page, "integrity-campaign-chain-head");
  expect(tab.problems()).toBe("");
  await tab.close();
});

it("exports, verifies and restores with the admin command, and finds a row changed behind the notebook's back", async () => {
  await server.stop();
  const exported = await runAdmin(store, ["export", "--campaign", SLUG, "--out", archivePath]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toMatch(/chain verified, 4 links/);
  expect((await runAdmin(store, ["verify"])).stdout).toMatch(new RegExp(`${SLUG}: OK, 4 links`));

  // Behind the notebook's back: the result made ten times better, straight in the database.
  const database = await openDatabase({ kind: "pglite", dataDir: store.dataDir });
  try {
    await database.db.execute(sql.raw("alter table measurements disable trigger user"));
    await database.db.execute(sql`update measurements set value = 0.00574`);
    await database.db.execute(sql.raw("alter table measurements enable trigger user"));
  } finally {
    await database.close();
  }
  const verify = await runAdmin(store, ["verify", "--campaign", SLUG]);
  expect(verify.code).toBe(1);
  expect(verify.stdout).toMatch(
    new RegExp(`${SLUG}: BROKEN at link \\d+ \\(measurement \\d+\\): the record was changed after it was sealed`),
  );

  // The archive made before the edit restores into another notebook, which serves it with its chain intact.
  const restored = await runAdmin(second, ["import", "--in", archivePath]);
  expect(restored.code, restored.stderr).toBe(0);
  expect(restored.stdout).toMatch(/Restored chained: .*2 revisions.*Chain verified, 4 links/);
  expect((await readFile(archivePath)).byteLength).toBeGreaterThan(1000);
  server = await startNotebook({ dataDir: second.dataDir });
  const anon = new ApiClient(server.url);
  expect(expectStatus(await anon.get<{ ok: boolean }>(`/api/v1/campaigns/${SLUG}/integrity`), 200).ok).toBe(true);
  const molecule = expectStatus(await anon.get<{ measurements: { value: number }[] }>(`/api/v1/molecules/${moleculeId}/measurements`), 200);
  expect(molecule.measurements.map((m) => m.value)).toEqual([0.0574]);
});
