// The README's Quick start (`npm start` on a fresh data directory) gives a working notebook with
// the demo campaign; everything in it can be read without an account, and nothing can be
// written without one: not through any API route, and not through any server action.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newPage } from "./support/browser";
import { projectRoot } from "./support/paths";
import { freePort } from "./support/server";

let child: ChildProcess;
let url: string;
let dataDir: string;
let browser: Browser;
let logs = "";

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm start did not come up:\n${logs}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "nb-quickstart-"));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NOTEBOOK_DATA_DIR: path.join(dataDir, "data") };
  delete env.DATABASE_URL;
  child = spawn("npm", ["start"], { cwd: projectRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => (logs += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (logs += d.toString()));
  [browser] = await Promise.all([launchBrowser(), waitForHealth()]);
});

afterAll(async () => {
  await browser?.close();
  if (child?.pid && child.exitCode === null) {
    process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function json<T>(p: string): Promise<T> {
  const res = await fetch(`${url}${p}`);
  expect(res.status, p).toBe(200);
  return (await res.json()) as T;
}

type EntryList = { entries: { id: number; title: string; revisionId: number }[] };

describe("npm start on a fresh machine", () => {
  it("serves the demo campaign on the embedded database, listening on loopback only", async () => {
    expect(logs).toContain("Added the demo campaign");
    expect(logs).toMatch(/Open notebook on http:\/\/127\.0\.0\.1:\d+ \(embedded database/);
    expect(await json<{ database: string }>("/api/health")).toMatchObject({ ok: true, database: "pglite" });
    const { entries } = await json<EntryList>("/api/v1/entries?campaign=series-4");
    expect(entries.length).toBeGreaterThanOrEqual(4);
  });
});

describe("reading without an account", () => {
  it("every kind of page answers 200 with a title and a description, server-rendered", async () => {
    const { entries } = await json<EntryList>("/api/v1/entries?campaign=series-4");
    const revised = entries.find((e) => e.title.startsWith("SNAr"))!;
    const pages = [
      "/",
      "/campaigns",
      "/campaigns/series-4",
      "/campaigns/series-4/wiki",
      "/campaigns/series-4/wiki/home",
      "/campaigns/series-4/wiki/ether-side-chains",
      "/campaigns/series-4/story",
      `/entries/${revised.id}`,
      `/entries/${revised.id}/history`,
      `/entries/${revised.id}/revisions/1`,
      `/entries/${revised.id}/diff?from=1&to=2`,
      "/search?q=NaH",
    ];
    for (const p of pages) {
      const res = await fetch(`${url}${p}`);
      expect(res.status, p).toBe(200);
      const html = await res.text();
      expect(html, p).toMatch(/<title>[^<]+<\/title>/);
      expect(html, p).toMatch(/<meta name="description" content="[^"]+"/);
    }
    const entryHtml = await (await fetch(`${url}/entries/${revised.id}`)).text();
    expect(entryHtml).toContain("<title>SNAr with 2-phenylethanol (2024-03-05) · Open Notebook</title>");
    expect(entryHtml).toContain("212 mg (66 %)"); // the body is in the HTML, not fetched by script
    // Its discussion, server-rendered: a reader's question to the chemist, answered.
    expect(entryHtml).toContain("Was the THF dried before the NaH went in");
    expect(entryHtml).toMatch(/class="tag answered">answered</);
    // Its reaction block: the table as saved with the revision, and the product's page lists the reaction.
    expect(entryHtml).toMatch(/isolated 212 mg, yield 65\.8 %/);
    const productHtml = await (await fetch(`${url}/molecules/OSM-S-369`)).text();
    expect(productHtml).toMatch(/data-testid="made-in"[\s\S]*SNAr with 2-phenylethanol[\s\S]*212 mg, 65\.8 % yield/);
    // Shared links preview the chemistry: an absolute PNG of the structure as the card image, which answers as one.
    for (const html of [productHtml, entryHtml]) {
      const image = /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
      expect(image).toBe(`${url}/molecules/OSM-S-369.png?w=1200&h=630`);
      expect(html).toContain('<meta name="twitter:card" content="summary_large_image"');
    }
    const png = await fetch(`${url}/molecules/OSM-S-369.png?w=1200&h=630`);
    expect(png.headers.get("content-type")).toBe("image/png");
    // The feed shows structures: the product's picture on the entry's item.
    const feed = await json<{ items: { title: string; content_html: string }[] }>("/campaigns/series-4/feed.json");
    expect(feed.items.find((i) => i.title.startsWith("ben-synth wrote “SNAr with 2-phenylethanol”"))?.content_html).toContain(
      `/molecules/OSM-S-369.png`,
    );
    const tab = await newPage(browser, url);
    await tab.page.goto("/campaigns/series-4");
    expect(await tab.page.getByRole("link", { name: "Write today's entry" }).count()).toBe(0);
    await tab.page.goto(`/entries/${revised.id}`);
    expect(await tab.page.getByRole("link", { name: "Edit" }).count()).toBe(0);
    await tab.page.goto(`/entries/${revised.id}/edit`);
    expect(new URL(tab.page.url()).pathname).toBe("/signin");
    expect(tab.problems()).toBe("");
    await tab.close();
  });
});

describe("writing without an account", () => {
  async function snapshot() {
    const campaigns = await json<{ campaigns: unknown[] }>("/api/v1/campaigns");
    const campaign = await json<{ members: unknown[] }>("/api/v1/campaigns/series-4");
    const { entries } = await json<EntryList>("/api/v1/entries?perPage=100");
    const revisions = await Promise.all(entries.map((e) => json<{ revisions: unknown[] }>(`/api/v1/entries/${e.id}/revisions`)));
    const feed = await json<{ items: unknown[] }>("/feed.json");
    const molecules = await json<{ molecules: unknown[] }>("/api/v1/molecules?campaign=series-4&perPage=1000");
    return JSON.stringify({ campaigns, campaign, entries, revisions, molecules, feed: feed.items.length });
  }

  it("every API write route answers 401 and changes nothing", async () => {
    const before = await snapshot();
    const { entries } = await json<EntryList>("/api/v1/entries");
    const e = entries[0]!;
    const writes: [string, string, unknown][] = [
      ["POST", "/api/v1/campaigns", { name: "Anon", slug: "anon" }],
      ["POST", "/api/v1/campaigns/series-4/members", { login: "anon", role: "maintainer" }],
      ["POST", "/api/v1/entries", { campaign: "series-4", date: "2024-03-09", title: "anon", body: "x" }],
      ["PATCH", `/api/v1/entries/${e.id}`, { body: "anon", baseRevision: e.revisionId }],
      ["DELETE", `/api/v1/entries/${e.id}`, undefined],
      ["POST", `/api/v1/entries/${e.id}/restore`, undefined],
      ["POST", `/api/v1/entries/${e.id}/attachments?filename=a.txt`, "raw"],
      ["PATCH", "/api/v1/campaigns/series-4/registry", { prefix: "ANON" }],
      ["POST", "/api/v1/molecules", { campaign: "series-4", smiles: "CCO" }],
      ["POST", "/api/v1/molecules/OSM-S-1/measurements", { assay: "IC50", value: 1 }],
      ["POST", "/api/v1/molecules/OSM-S-1/park", { reason: "anon" }],
      ["POST", "/api/v1/campaigns/series-4/wiki", { title: "Anon page", body: "x" }],
      ["PATCH", "/api/v1/campaigns/series-4/wiki/home", { body: "anon", baseRevision: 1 }],
      ["DELETE", "/api/v1/campaigns/series-4/wiki/home", undefined],
      ["PATCH", "/api/v1/campaigns/series-4", { license: "CC0-1.0" }],
      ["POST", "/api/v1/molecules/OSM-S-1/activate", undefined],
      ["POST", "/api/v1/imports?campaign=series-4&format=csv", "raw"],
      ["POST", "/api/v1/imports?campaign=series-4&format=eln", "raw"],
      ["POST", "/api/v1/campaigns/series-4/newsletters/2026-W49/send", undefined],
      ["POST", "/api/v1/comments", { target: { kind: "entry", id: e.id }, body: "anon" }],
      ["PATCH", "/api/v1/comments/1", { body: "anon" }],
      ["POST", "/api/v1/comments/1/hide", { reason: "anon" }],
      ["POST", "/api/v1/comments/1/answered", undefined],
      ["POST", "/api/v1/notifications/read", {}],
      [
        "POST",
        "/api/v1/predictions?campaign=series-4&assay=Pfal%20IC50",
        { name: "anon", unit: "pIC50", rows: [{ molecule: "OSM-S-106", value: 7 }] },
      ],
      ["PATCH", "/api/v1/campaigns/series-4/scoreboard", { topK: 5 }],
      ["POST", "/api/v1/recognize", "raw"],
    ];
    // Open to anyone by design (a newsletter needs no account): tested in tests/integration/subscriptions.test.ts and
    // tests/e2e/mail.test.ts (202 whatever the address, tokens that are forged, reused or expired refused).
    const anonymousByDesign = new Set([
      "/api/v1/campaigns/[slug]/subscriptions",
      "/api/v1/subscriptions/confirm",
      "/api/v1/subscriptions/unsubscribe",
      // A computation, not a write: the campaign model's forecast for a drawn structure (rate-limited like a write).
      "/api/v1/predict",
    ]);
    // Sealed at submission: PATCH, PUT and DELETE answer 405 to everyone, signed in or not (tests/e2e/predictions.test.ts).
    const refusedToAll = new Set(["/api/v1/predictions/[id]"]);
    // Every route file's write methods must be in the list above, so a new route cannot slip past this test.
    const manifest = JSON.parse(readFileSync(path.join(projectRoot, ".next/server/app-paths-manifest.json"), "utf8")) as Record<
      string,
      string
    >;
    const apiRoutes = Object.keys(manifest).filter((r) => r.startsWith("/api/v1/") && r.endsWith("/route"));
    const covered = new Set(
      writes.map(([, p]) =>
        p
          .split("?")[0]!
          .replace(/\/entries\/\d+/, "/entries/[id]")
          .replace(/\/molecules\/[A-Z]+-[A-Z]-\d+/, "/molecules/[id]")
          .replace(/\/newsletters\/\d{4}-W\d{2}/, "/newsletters/[week]")
          .replace(/\/comments\/\d+/, "/comments/[id]")
          .replace("/campaigns/series-4", "/campaigns/[slug]")
          .replace(/\/wiki\/[a-z0-9-]+$/, "/wiki/[page]"),
      ),
    );
    for (const route of apiRoutes) {
      const source = readFileSync(path.join(projectRoot, "app", `${route.replace(/\/route$/, "")}/route.ts`), "utf8");
      if (anonymousByDesign.has(route.replace(/\/route$/, "")) || refusedToAll.has(route.replace(/\/route$/, ""))) continue;
      if (/export const (POST|PATCH|PUT|DELETE)\b/.test(source)) expect(covered, route).toContain(route.replace(/\/route$/, ""));
    }
    for (const [method, p, body] of writes) {
      const res = await fetch(`${url}${p}`, {
        method,
        headers: body === "raw" ? { "content-type": "text/plain" } : { "content-type": "application/json" },
        body: body === undefined ? undefined : body === "raw" ? "anonymous" : JSON.stringify(body),
      });
      expect(res.status, `${method} ${p}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
    const badToken = await fetch(`${url}/api/v1/entries`, {
      method: "POST",
      headers: { authorization: "Bearer nbk_not-a-real-token", "content-type": "application/json" },
      body: "{}",
    });
    expect(badToken.status).toBe(401);
    expect(await snapshot()).toBe(before);
  });

  it("every server action refuses an anonymous caller and changes nothing", async () => {
    const before = await snapshot();
    const manifest = JSON.parse(readFileSync(path.join(projectRoot, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName: string; filename: string; workers: Record<string, unknown> }>;
    };
    const { entries } = await json<EntryList>("/api/v1/entries");
    const e = entries[0]!;
    // The sign-in actions are how an anonymous user becomes someone; everything else writes.
    // Newsletter subscription needs no account by design, and a mailed confirmation link is proof by its token (their
    // own tests check tokens and rate limits).
    const signIn = new Set([
      "signInLocally",
      "signInWithGitHub",
      "signOutAction",
      "subscribeAction",
      "confirmSubscriptionAction",
      "unsubscribeAction",
      "confirmEmailAction",
    ]);
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      data.set("0", '[null,"$K1"]');
      for (const [k, v] of Object.entries(fields)) data.set(`1_${k}`, v);
      return data;
    };
    const args: Record<string, () => BodyInit> = {
      saveEntryAction: () => JSON.stringify([{ entryId: e.id, body: "anon", baseRevision: e.revisionId }]),
      deleteEntryAction: () => JSON.stringify([e.id]),
      restoreEntryAction: () => JSON.stringify([e.id]),
      registerProductAction: () => JSON.stringify([{ entryId: e.id, reactionId: "snar", row: 4, baseRevision: e.revisionId }]),
      saveTemplateAction: () => JSON.stringify([{ entryId: e.id, name: "anon template" }]),
      setWatchAction: () => JSON.stringify([{ kind: "entry", id: e.id, on: true, path: `/entries/${e.id}` }]),
      markReadAction: () => JSON.stringify([]),
      setEmailAction: () => form({ email: "anon@example.org" }),
      removeEmailAction: () => JSON.stringify([]),
      setPreferencesAction: () => form({ mention: "immediate" }),
      createCampaignAction: () => form({ name: "Anon", slug: "anon-campaign" }),
      setLicenseAction: () => {
        const data = form({ license: "CC0-1.0" });
        data.set("0", '["series-4",null,"$K1"]');
        return data;
      },
      setMemberAction: () => {
        const data = form({ login: "anon", role: "maintainer" });
        data.set("0", '["series-4",null,"$K1"]');
        return data;
      },
      removeMemberAction: () => JSON.stringify(["series-4", "ada-bench"]),
      createTokenAction: () => form({ name: "anon" }),
      revokeTokenAction: () => JSON.stringify([1]),
      registerMoleculeAction: () => {
        const data = form({ source: "smiles", smiles: "CCO", name: "anon" });
        data.set("0", '["series-4","$K1"]');
        return data;
      },
      parkMoleculeAction: () => {
        const data = form({ reason: "anon" });
        data.set("0", '["OSM-S-1",null,"$K1"]');
        return data;
      },
      activateMoleculeAction: () => JSON.stringify(["OSM-S-1"]),
      saveScoringSettingsAction: () => {
        const data = form({ activeThreshold: "5", topK: "3", compare: "parent" });
        data.set("0", '["series-4",null,"$K1"]');
        return data;
      },
      submitPredictionsAction: () => {
        const data = form({ name: "anon", unit: "pIC50", assay: "Pfal IC50", csv: "molecule,value\nOSM-S-106,7\n" });
        data.set("0", '["series-4","$K1"]');
        return data;
      },
      predictPastedAction: () => {
        const data = form({ smiles: "CCO" });
        data.set("0", '["series-4","Pfal IC50","$K1"]');
        return data;
      },
      connectAction: () => {
        const data = form({ repository: "osm/series-4", authKind: "token", token: "ghp_anon" });
        data.set("0", '["series-4","$K1"]');
        return data;
      },
      createTodoAction: () => {
        const data = form({ title: "anon" });
        data.set("0", '["series-4","$K1"]');
        return data;
      },
      updateTodoAction: () => {
        const data = form({ title: "anon", seen_title: "before" });
        data.set("0", '["series-4",1,"$K1"]');
        return data;
      },
      resolveAction: () => JSON.stringify(["series-4", 1, "title", "notebook"]),
      syncNowAction: () => JSON.stringify(["series-4"]),
      addMeasurementAction: () => {
        const data = form({ assay: "IC50", value: "1", unit: "µM", qualifier: "=" });
        data.set("0", '["OSM-S-1",null,"$K1"]');
        return data;
      },
      saveNewsletterAction: () => {
        const data = form({ editorial: "anon", sendAt: "" });
        data.set("0", '["series-4","2026-W49","$K1"]');
        return data;
      },
      newsletterItemAction: () => JSON.stringify(["series-4", "2026-W49", "entry:1", "drop"]),
      sendNewsletterAction: () => JSON.stringify(["series-4", "2026-W49"]),
    };
    const actions = Object.entries(manifest.node).filter(([, a]) => !signIn.has(a.exportedName));
    expect(actions.length).toBeGreaterThanOrEqual(8);
    for (const [id, action] of actions) {
      expect(Object.keys(args), `no anonymous test for server action ${action.exportedName} in ${action.filename}`).toContain(
        action.exportedName,
      );
      const worker =
        Object.keys(action.workers)[0]!
          .replace(/^app/, "")
          .replace(/\/page$/, "") || "/";
      const pagePath = worker
        .replace("[id]", String(e.id))
        .replace("[slug]", "series-4")
        .replace("[code]", "OSM-S-1")
        .replace("[week]", "2026-W49");
      const body = args[action.exportedName]!();
      const res = await fetch(`${url}${pagePath}`, {
        method: "POST",
        headers: {
          "Next-Action": id,
          Accept: "text/x-component",
          ...(typeof body === "string" ? { "Content-Type": "text/plain;charset=UTF-8" } : {}),
        },
        body,
      });
      const text = await res.text();
      expect(res.status, action.exportedName).toBe(200);
      // Form actions answer with their result; the to-do actions redirect back to their page with the refusal.
      const redirect = decodeURIComponent(res.headers.get("x-action-redirect") ?? "");
      if (redirect) expect(redirect, action.exportedName).toContain("error=Sign in to do this.");
      else expect(text, action.exportedName).toContain('"code":"unauthorized"');
    }
    expect(await snapshot()).toBe(before);
  });
});
