// .eln archives between two notebooks: a reader downloads a campaign's .eln from its page in Chromium, and a member
// of ANOTHER notebook (its own server and database) imports it from that notebook's campaign page; the entries,
// attachments, molecules and measurements arrive unchanged, the original author and dates named. Then the import's
// refusals over HTTP: 413 (by Content-Length and by bytes read), 422 (a `../` member, a hash mismatch), 401 and 403.
import http from "node:http";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, errorOf, expectStatus, isoDay, type Entry } from "./support/api-client";
import { launchBrowser, newPage, screenshot, type NotebookPage } from "./support/browser";
import { signInLocally } from "./support/pages";
import { createTokens, pgliteStore, type PgliteStore } from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

const SLUG = "eln-trip";
const CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";
const ETHER = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23";
const TLC = "rf,spot\n0.42,product\n0.10,core\n";

let sourceStore: PgliteStore;
let targetStore: PgliteStore;
let source: Notebook;
let target: Notebook;
let browser: Browser;
let tab: NotebookPage;
let tabB: NotebookPage;
let ada: ApiClient;
let importer: ApiClient;
let outsider: ApiClient;
let entry: Entry;

beforeAll(async () => {
  [sourceStore, targetStore] = await Promise.all([pgliteStore(), pgliteStore()]);
  const [a, b] = await Promise.all([createTokens(sourceStore, ["eln-ada"]), createTokens(targetStore, ["eln-importer", "eln-outsider"])]);
  [source, target, browser] = await Promise.all([
    startNotebook({ dataDir: sourceStore.dataDir }),
    startNotebook({ dataDir: targetStore.dataDir }),
    launchBrowser(),
  ]);
  ada = new ApiClient(source.url, a["eln-ada"]);
  importer = new ApiClient(target.url, b["eln-importer"]);
  outsider = new ApiClient(target.url, b["eln-outsider"]);

  // The source notebook: a campaign with molecules, results, an entry with a file, a reaction and a comment.
  await ada.createCampaign({ name: "Series 4 (ELN trip)", slug: SLUG });
  expectStatus(await ada.request("PATCH", `/api/v1/campaigns/${SLUG}/registry`, { json: { prefix: "ELN", defaultSite: "S" } }), 200);
  expectStatus(await ada.post("/api/v1/molecules", { campaign: SLUG, smiles: CORE, id: "ELN-S-1", name: "chloro core" }), 201);
  expectStatus(await ada.post("/api/v1/molecules", { campaign: SLUG, smiles: ETHER, id: "ELN-S-2", aliases: ["MMV669848"] }), 201);
  entry = await ada.createEntry({
    campaign: SLUG,
    date: isoDay(),
    title: "SNAr of ELN-S-1",
    body: "Made ELN-S-2 from ELN-S-1.\n\n- NaH, THF\n- 3 h at rt",
  });
  const form = new FormData();
  form.append("file", new Blob([TLC], { type: "text/csv" }), "tlc.csv");
  expectStatus(await ada.request("POST", `/api/v1/entries/${entry.id}/attachments`, { body: form }), 201);
  expectStatus(
    await ada.patch(`/api/v1/entries/${entry.id}`, {
      baseRevision: (await ada.get<Entry>(`/api/v1/entries/${entry.id}`)).body.revisionId,
      reactions: [
        {
          title: "SNAr",
          rows: [
            { role: "reactant", molecule: "ELN-S-1", massMg: 250 },
            { role: "reagent", name: "2-phenylethanol", smiles: "OCCc1ccccc1", equivalents: 1.2 },
            { role: "product", molecule: "ELN-S-2", isolatedMg: 212 },
          ],
        },
      ],
    }),
    200,
  );
  expectStatus(
    await ada.post("/api/v1/molecules/ELN-S-2/measurements", {
      assay: "IC50",
      target: "Pfal",
      value: 0.0574,
      unit: "µM",
      entryId: entry.id,
    }),
    201,
  );
  expectStatus(await ada.post("/api/v1/comments", { target: { kind: "entry", id: entry.id }, body: "Dry THF?" }), 201);

  // The other notebook: an importer with a campaign of the same name and numbering; an outsider who is no member.
  await importer.createCampaign({ name: "Series 4 (ELN trip)", slug: SLUG });
  expectStatus(await importer.request("PATCH", `/api/v1/campaigns/${SLUG}/registry`, { json: { prefix: "ELN", defaultSite: "S" } }), 200);
  [tab, tabB] = await Promise.all([newPage(browser, source.url), newPage(browser, target.url)]);
});

afterAll(async () => {
  await tab?.close();
  await tabB?.close();
  await browser?.close();
  await Promise.all([source?.stop(), target?.stop()]);
  await Promise.all([sourceStore?.dispose(), targetStore?.dispose()]);
});

describe(".eln from one notebook to another in Chromium", () => {
  let archive: string;

  it("downloads the campaign as .eln from its page, and an entry from its page", async () => {
    const page = tab.page;
    await page.goto(`/campaigns/${SLUG}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: ".eln", exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${SLUG}-\\d{4}-\\d{2}-\\d{2}\\.eln$`));
    archive = await download.path();
    const bytes = readFileSync(archive);
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]); // a zip
    await page.goto(`/entries/${entry.id}`);
    const link = page.getByRole("link", { name: "Export .eln" });
    const one = await page.request.get((await link.getAttribute("href"))!);
    expect(one.headers()["content-type"]).toBe("application/vnd.eln+zip");
    expect(one.headers()["content-disposition"]).toMatch(new RegExp(`^attachment; filename="${SLUG}-entry-${entry.id}-`));
  });

  it("imports it into another notebook from the campaign page, with everything the first one had", async () => {
    const page = tabB.page;
    await signInLocally(page, "eln-importer");
    await page.goto(`/campaigns/${SLUG}`);
    const form = page.getByTestId("eln-import");
    await form.getByLabel(".eln archive").setInputFiles(archive);
    await form.getByRole("button", { name: "Import" }).click();
    const status = form.getByRole("status");
    await status.waitFor();
    expect(await status.innerText()).toMatch(
      /Imported from Open Notebook 0\.1\.0: 1 entry, 1 attachment, 1 comment, 1 reaction, 2 new molecules \(0 already registered\), 1 measurement\./,
    );
    await screenshot(page, "eln-imported");
    await form.getByRole("link", { name: "SNAr of ELN-S-1" }).click();
    await page.waitForURL(/\/entries\/\d+$/);
    const text = await page.locator("article").innerText();
    expect(text).toMatch(/Imported from an \.eln archive of Open Notebook 0\.1\.0 · originally by eln-ada · created \d{4}-/);
    expect(text).toContain("Made ELN-S-2 from ELN-S-1.");
    await screenshot(page, "eln-imported-entry");
    expect(tabB.problems()).toBe("");

    // Over the API of the second notebook: the same file, molecules, result and reaction.
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    const copy = expectStatus(
      await importer.get<Entry & { reactions: { rows: { molecule: string | null }[] }[] }>(`/api/v1/entries/${id}`),
      200,
    );
    expect(copy.title).toBe("SNAr of ELN-S-1");
    expect(copy.reactions[0]!.rows.map((r) => r.molecule ?? null)).toEqual(["ELN-S-1", null, "ELN-S-2"]);
    const files = expectStatus(
      await importer.get<{ attachments: { filename: string; url: string; sha256: string }[] }>(`/api/v1/entries/${id}/attachments`),
      200,
    );
    expect(files.attachments.map((f) => f.filename)).toEqual(["tlc.csv"]);
    expect(await (await fetch(files.attachments[0]!.url)).text()).toBe(TLC);
    const mol = expectStatus(await importer.get<{ code: string; aliases: string[]; smiles: string }>("/api/v1/molecules/ELN-S-2"), 200);
    expect(mol.aliases).toEqual(["MMV669848"]);
    const results = expectStatus(
      await importer.get<{ measurements: { value: number; unit: string; entry: { id: number } | null }[] }>(
        "/api/v1/molecules/ELN-S-2/measurements",
      ),
      200,
    );
    expect(results.measurements).toMatchObject([{ value: 0.0574, unit: "µM", entry: { id } }]);
  });
});

/** A POST whose Content-Length says more than the cap; the server answers before the body is sent. */
function postDeclaring(url: string, token: string, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/vnd.eln+zip", "Content-Length": String(length) },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on("error", reject);
    req.write(Buffer.alloc(1024));
  });
}

describe(".eln import refusals over HTTP", () => {
  const url = () => `/api/v1/imports?format=eln&campaign=${SLUG}`;
  const send = (client: ApiClient, body: Uint8Array) =>
    client.request("POST", url(), { body: body as Uint8Array<ArrayBuffer>, headers: { "Content-Type": "application/vnd.eln+zip" } });
  const crate = (sha256: string) =>
    JSON.stringify({
      "@context": "https://w3id.org/ro/crate/1.1/context",
      "@graph": [
        { "@id": "ro-crate-metadata.json", "@type": "CreativeWork", about: { "@id": "./" } },
        { "@id": "./", "@type": "Dataset", hasPart: [{ "@id": "./e/" }] },
        { "@id": "./e/", "@type": "Dataset", name: "e", hasPart: [{ "@id": "./e/a.txt" }] },
        { "@id": "./e/a.txt", "@type": "File", name: "a.txt", sha256 },
      ],
    });

  it("413 for an archive over 200 MB: by its Content-Length, and by the bytes read when it sends none", async () => {
    const declared = await postDeclaring(target.url + url(), importer.token!, 200 * 1024 * 1024 + 1);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      error: { code: "payload_too_large", message: "The archive is larger than 200 MB; export fewer entries at a time." },
    });
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 210) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(target.url + url(), {
      method: "POST",
      headers: { Authorization: `Bearer ${importer.token}`, "Content-Type": "application/vnd.eln+zip" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(211); // it stopped reading at the cap
  });

  it("422 naming the problem: a member outside the root, a hash that does not match; nothing is written", async () => {
    const before = expectStatus(await importer.get<{ entries: unknown[] }>(`/api/v1/entries?campaign=${SLUG}`), 200).entries.length;
    const escape = zipSync({ "r/ro-crate-metadata.json": strToU8(crate("x")), "r/../../escape.txt": strToU8("x") });
    const res = await send(importer, escape);
    expect(res.status).toBe(422);
    expect(errorOf(res).message).toMatch(/points outside the archive/);
    const altered = zipSync({ "r/ro-crate-metadata.json": strToU8(crate("0".repeat(64))), "r/e/a.txt": strToU8("hello") });
    const mismatch = await send(importer, altered);
    expect(mismatch.status).toBe(422);
    expect(errorOf(mismatch).message).toMatch(/SHA-256 of "r\/e\/a.txt" does not match/);
    const notZip = await send(importer, strToU8("just some text"));
    expect(notZip.status).toBe(422);
    expect(expectStatus(await importer.get<{ entries: unknown[] }>(`/api/v1/entries?campaign=${SLUG}`), 200).entries.length).toBe(before);
  });

  it("401 without a token, 403 for someone who is not a member", async () => {
    const good = zipSync({
      "r/ro-crate-metadata.json": strToU8(crate("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")),
      "r/e/a.txt": strToU8("hello"),
    });
    expect((await send(importer.as(undefined), good)).status).toBe(401);
    const forbidden = await send(outsider, good);
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden).code).toBe("forbidden");
  });
});
