// The JSON API end to end on the production build over an embedded (PGlite) database: what a script author
// sees, status by status. Every refused request is checked for its error and for having written nothing.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { Resvg } from "@resvg/resvg-js";
import { Molecule } from "openchemlib";
import { depictSvg } from "@/lib/chem/depict";
import { osmDemoSheet } from "@/lib/demo/osm-molecules";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ApiClient,
  errorOf,
  expectStatus,
  isoDay,
  sendOnce,
  type ApiResponse,
  type Attachment,
  type Entry,
  type Member,
  type RequestOptions,
} from "./support/api-client";
import { currentWeek } from "@/lib/newsletter/week";
import { appDir } from "./support/paths";
import {
  createToken,
  createTokens,
  pgliteStore,
  randomSuffix,
  revokeTokenInDatabase,
  waitForFreshMinute,
  type PgliteStore as Store,
} from "./support/seed";
import { startNotebook, type Notebook } from "./support/server";

// alice maintains the campaign, bob and erin are members, carol is signed up but not a member, dave's token is revoked.
const LOGINS = ["alice", "bob", "erin", "carol", "dave"] as const;
const SLUG = "kinase-a";
let store: Store;
let server: Notebook;
let tokens: Record<(typeof LOGINS)[number], string>;
let anon: ApiClient, alice: ApiClient, bob: ApiClient, erin: ApiClient, carol: ApiClient, dave: ApiClient;

beforeAll(async () => {
  store = await pgliteStore();
  tokens = await createTokens(store, LOGINS);
  await revokeTokenInDatabase(store, tokens.dave);
  // The write limit has its own server below; here it must not get in the way of ~200 writes.
  // A campaign's model is trained within seconds of its results (the prediction routes need one).
  server = await startNotebook({ dataDir: store.dataDir, env: { NOTEBOOK_RATE_LIMIT_WRITES: "1000", NOTEBOOK_MODEL_INTERVAL: "2" } });
  anon = new ApiClient(server.url);
  [alice, bob, erin, carol, dave] = LOGINS.map((login) => anon.as(tokens[login])) as [
    ApiClient,
    ApiClient,
    ApiClient,
    ApiClient,
    ApiClient,
  ];
  await alice.createCampaign({ name: "Kinase A", slug: SLUG, description: "Open kinase inhibitors" });
  await alice.addMember(SLUG, "bob", "member");
  await alice.addMember(SLUG, "erin", "member");
});

afterAll(async () => {
  await server?.stop();
  await store?.dispose();
});

/** Everything a reader can see: live entries with their revisions, campaigns, members, the feed, and extras. */
async function visibleState(extraPaths: string[] = []) {
  const entries = await anon.listEntries({ perPage: 100 });
  expect(entries.hasMore, "this file keeps fewer than 100 live entries").toBe(false);
  const paths = [
    "/api/v1/campaigns",
    `/api/v1/campaigns/${SLUG}`,
    "/feed.json",
    ...extraPaths,
    ...entries.entries.map((e) => `/api/v1/entries/${e.id}/revisions`),
  ];
  const answers = await Promise.all(paths.map(async (p) => [p, (await anon.get(p)).text] as const));
  return { entries, answers };
}

/** The request is refused with this status and error code (naming `mention`), and nothing visible changed. */
async function refuses(
  call: () => Promise<ApiResponse<unknown>>,
  status: number,
  code: string,
  mention?: RegExp,
  extraPaths: string[] = [],
) {
  const before = await visibleState(extraPaths);
  const res = await call();
  expect(res.status, res.text).toBe(status);
  const error = errorOf(res);
  expect(error.code).toBe(code);
  if (mention) expect(error.message).toMatch(mention);
  expect(await visibleState(extraPaths)).toEqual(before);
  return error;
}

const entryInput = (over: Record<string, unknown> = {}) => ({
  campaign: SLUG,
  date: isoDay(-1),
  title: "Assay of compound 12",
  body: "IC50 = 40 nM",
  ...over,
});

describe("health, campaigns and members", () => {
  it("reports health and the database kind", async () => {
    expect(expectStatus(await anon.get("/api/health"), 200)).toEqual({ ok: true, database: "pglite" });
  });

  it("lists the new campaign with its creator as maintainer and the members added", async () => {
    const list = expectStatus(await anon.get<{ campaigns: { slug: string }[] }>("/api/v1/campaigns"), 200);
    expect(list.campaigns.map((c) => c.slug)).toContain(SLUG);
    const one = expectStatus(await anon.get<{ slug: string; members: Member[] }>(`/api/v1/campaigns/${SLUG}`), 200);
    expect(one.members.map((m) => [m.login, m.role]).sort()).toEqual([
      ["alice", "maintainer"],
      ["bob", "member"],
      ["erin", "member"],
    ]);
  });

  it("refuses a duplicate slug (409), bad input (422), no or bad token (401)", async () => {
    await refuses(() => alice.post("/api/v1/campaigns", { name: "Again", slug: SLUG }), 409, "conflict", /slug/);
    await refuses(() => alice.post("/api/v1/campaigns", { name: "Bad", slug: "Not a slug!" }), 422, "validation_failed", /slug/);
    await refuses(() => alice.post("/api/v1/campaigns", { slug: "no-name" }), 422, "validation_failed", /name/);
    await refuses(
      () => alice.post("/api/v1/campaigns", { name: "X", slug: "x-colour", colour: "red" }),
      422,
      "validation_failed",
      /colour/,
    );
    await refuses(() => anon.post("/api/v1/campaigns", { name: "Anon", slug: "anon-camp" }), 401, "unauthorized");
    expect(expectStatus(await anon.get(`/api/v1/campaigns/no-such-campaign`), 404)).toMatchObject({ error: { code: "not_found" } });
  });

  it("lets only maintainers add members (403 otherwise) and creates unknown users by login", async () => {
    const members = `/api/v1/campaigns/${SLUG}/members`;
    await refuses(() => bob.post(members, { login: "carol", role: "member" }), 403, "forbidden");
    await refuses(() => carol.post(members, { login: "carol", role: "maintainer" }), 403, "forbidden");
    await refuses(() => alice.post(members, { login: "carol", role: "owner" }), 422, "validation_failed", /role/);
    await refuses(() => alice.post("/api/v1/campaigns/nope/members", { login: "carol", role: "member" }), 404, "not_found");
    expect(await alice.addMember(SLUG, "newcomer-1", "member")).toMatchObject({ login: "newcomer-1", role: "member" });
  });
});

describe("writing entries", () => {
  it("creates an entry for a member with every documented field", async () => {
    const res = await bob.post<Entry>("/api/v1/entries", entryInput({ message: "first" }));
    const entry = expectStatus(res, 201);
    expect(entry).toMatchObject({
      campaign: SLUG,
      date: isoDay(-1),
      title: "Assay of compound 12",
      body: "IC50 = 40 nM",
      author: "bob",
      revisionNumber: 1,
      deleted: false,
    });
    expect(new URL(entry.url).pathname).toBe(`/entries/${entry.id}`);
    expect(new URL(res.headers.get("location") ?? "").pathname).toBe(`/api/v1/entries/${entry.id}`);
    expect(await anon.getEntry(entry.id)).toEqual(entry);
  });

  it("gives absolute URLs at the address the client used (NOTEBOOK_PUBLIC_URL not set)", async () => {
    const entry = await bob.createEntry(entryInput({ title: "Where is this served" }));
    const campaign = expectStatus(await anon.get<{ url: string }>(`/api/v1/campaigns/${SLUG}`), 200);
    const feed = expectStatus(await anon.get<{ home_page_url: string }>("/feed.json"), 200);
    for (const url of [entry.url, campaign.url, feed.home_page_url]) expect(new URL(url).origin, url).toBe(server.url);
  });

  it("answers 401 without a valid token: none, malformed, unknown, revoked, not Bearer", async () => {
    await refuses(() => anon.post("/api/v1/entries", entryInput()), 401, "unauthorized");
    await refuses(() => anon.as("not-a-token").post("/api/v1/entries", entryInput()), 401, "unauthorized");
    await refuses(() => anon.as(`nbk_${"A".repeat(43)}`).post("/api/v1/entries", entryInput()), 401, "unauthorized");
    await refuses(() => dave.post("/api/v1/entries", entryInput()), 401, "unauthorized", /revoked/);
    await refuses(
      () => anon.request("POST", "/api/v1/entries", { json: entryInput(), headers: { Authorization: `Basic ${tokens.bob}` } }),
      401,
      "unauthorized",
    );
  });

  it("answers 403 to a non-member and 404 for an unknown campaign or id", async () => {
    await refuses(() => carol.post("/api/v1/entries", entryInput()), 403, "forbidden");
    await refuses(() => bob.post("/api/v1/entries", entryInput({ campaign: "no-such-campaign" })), 404, "not_found");
    for (const id of ["999999", "abc", "0"]) expect(errorOf(await anon.get(`/api/v1/entries/${id}`)).code).toBe("not_found");
    await refuses(() => bob.patch("/api/v1/entries/999999", { title: "x", baseRevision: 1 }), 404, "not_found");
  });

  it("answers 422 naming the field: title, date, unknown fields", async () => {
    await refuses(() => bob.post("/api/v1/entries", entryInput({ title: "t".repeat(201) })), 422, "validation_failed", /title/);
    await refuses(() => bob.post("/api/v1/entries", entryInput({ title: "  " })), 422, "validation_failed", /title/);
    await refuses(() => bob.post("/api/v1/entries", entryInput({ date: isoDay(3) })), 422, "validation_failed", /date/);
    await refuses(() => bob.post("/api/v1/entries", entryInput({ date: "2023-02-30" })), 422, "validation_failed", /date/);
    await refuses(() => bob.post("/api/v1/entries", entryInput({ date: "yesterday" })), 422, "validation_failed", /date/);
    await refuses(() => bob.post("/api/v1/entries", entryInput({ mood: "happy" })), 422, "validation_failed", /mood/);
    const ok = await bob.createEntry(entryInput({ title: "t".repeat(200) })); // the limit itself is allowed
    expect(ok.title).toHaveLength(200);
  });

  it("answers 413 for a body over 500,000 characters and a request over ~1.1 MB, streamed or not", async () => {
    await refuses(() => bob.post("/api/v1/entries", entryInput({ body: "b".repeat(500_001) })), 413, "payload_too_large", /body/);
    // A padding field would be a 422 if parsed: the 413 shows the size cap acts before parsing.
    const headers = { Authorization: `Bearer ${tokens.bob}`, "Content-Type": "application/json" };
    const padded = JSON.stringify(entryInput({ padding: "p".repeat(1_200_000) }));
    await refuses(
      () => sendOnce(`${server.url}/api/v1/entries`, { method: "POST", headers, body: padded }),
      413,
      "payload_too_large",
      /request body/i,
    );
    // Streamed (chunked, no Content-Length): the cap holds whatever the client declares.
    const chunks = function* () {
      yield new TextEncoder().encode(padded.slice(0, -1));
      for (let i = 0; i < 3; i++) yield new TextEncoder().encode(" ".repeat(100_000));
      yield new TextEncoder().encode("}");
    };
    await refuses(
      () => sendOnce(`${server.url}/api/v1/entries`, { method: "POST", headers, body: chunks }),
      413,
      "payload_too_large",
      /request body/i,
    );
  });

  it("answers 400 for malformed JSON and 415 for a body that is not JSON", async () => {
    const raw = (body: string, type: string) => () => bob.request("POST", "/api/v1/entries", { body, headers: { "Content-Type": type } });
    await refuses(raw('{"campaign": "kinase-a", "title": ', "application/json"), 400, "invalid_json");
    await refuses(raw("[1, 2]", "application/json"), 400, "bad_request");
    await refuses(raw(JSON.stringify(entryInput()), "text/plain"), 415, "unsupported_media_type");
    await refuses(raw("campaign=kinase-a&title=x", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
  });
});

describe("editing, history, delete and restore", () => {
  it("saves an edit as a new revision, and a stale base is a 409 carrying the current revision", async () => {
    const first = await bob.createEntry(entryInput({ title: "Solubility of 12", body: "5 mg/mL" }));
    const saved = expectStatus(
      await bob.patch<Entry>(`/api/v1/entries/${first.id}`, { body: "6 mg/mL", message: "re-measured", baseRevision: first.revisionId }),
      200,
    );
    expect(saved).toMatchObject({ id: first.id, body: "6 mg/mL", revisionNumber: 2, changed: true });
    expect(saved.revisionId).not.toBe(first.revisionId);
    const error = await refuses(
      () => bob.patch(`/api/v1/entries/${first.id}`, { body: "7 mg/mL", baseRevision: first.revisionId }),
      409,
      "conflict",
    );
    expect(error.current).toMatchObject({
      revisionId: saved.revisionId,
      number: 2,
      title: "Solubility of 12",
      body: "6 mg/mL",
      author: "bob",
    });
    expect(Date.parse(error.current?.createdAt ?? "")).not.toBeNaN();
    const same = expectStatus(
      await bob.patch<Entry>(`/api/v1/entries/${first.id}`, { body: "6 mg/mL", baseRevision: saved.revisionId }),
      200,
    );
    expect(same).toMatchObject({ changed: false, revisionId: saved.revisionId, revisionNumber: 2 });
    expect(await anon.revisions(first.id)).toHaveLength(2);
  });

  it("refuses bad edits naming the field, and nothing is saved", async () => {
    const e = await bob.createEntry(entryInput({ title: "Edit checks" }));
    const url = `/api/v1/entries/${e.id}`;
    await refuses(() => bob.patch(url, { title: "no base" }), 422, "validation_failed", /baseRevision/);
    await refuses(() => bob.patch(url, { title: "t".repeat(201), baseRevision: e.revisionId }), 422, "validation_failed", /title/);
    await refuses(() => bob.patch(url, { date: isoDay(5), baseRevision: e.revisionId }), 422, "validation_failed", /date/);
    await refuses(() => bob.patch(url, { colour: "blue", baseRevision: e.revisionId }), 422, "validation_failed", /colour/);
    await refuses(() => bob.patch(url, { body: "b".repeat(500_001), baseRevision: e.revisionId }), 413, "payload_too_large", /body/);
    await refuses(() => bob.request("PATCH", url, { body: "{", headers: { "Content-Type": "application/json" } }), 400, "invalid_json");
    await refuses(
      () => bob.request("PATCH", url, { body: "title=x", headers: { "Content-Type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
    await refuses(() => anon.patch(url, { title: "anon", baseRevision: e.revisionId }), 401, "unauthorized");
  });

  it("does not let a member edit or delete another member's entry; a maintainer can", async () => {
    const e = await bob.createEntry(entryInput({ title: "Bob's synthesis", body: "step 1" }));
    const url = `/api/v1/entries/${e.id}`;
    await refuses(() => erin.patch(url, { body: "erin was here", baseRevision: e.revisionId }), 403, "forbidden", /author|maintainer/);
    await refuses(() => erin.delete(url), 403, "forbidden");
    await refuses(() => carol.patch(url, { body: "carol was here", baseRevision: e.revisionId }), 403, "forbidden");
    await refuses(() => carol.delete(url), 403, "forbidden");
    const edited = await alice.editEntry(e.id, { body: "step 1, checked by alice", baseRevision: e.revisionId });
    expect(edited).toMatchObject({ author: "bob", revisionNumber: 2 });
    expect((await anon.revisions(e.id))[0]).toMatchObject({ number: 2, author: "alice", body: "step 1, checked by alice" });
    expect(expectStatus(await alice.delete<Entry>(url), 200).deleted).toBe(true);
  });

  it("lists revisions newest first and never changes old ones", async () => {
    const e = await bob.createEntry(entryInput({ title: "Titration", body: "v1" }));
    const seen = [await anon.revisions(e.id)];
    let base = e.revisionId;
    for (const body of ["v2", "v3", "v4"]) {
      base = (await bob.editEntry(e.id, { body, message: `to ${body}`, baseRevision: base })).revisionId;
      seen.push(await anon.revisions(e.id));
    }
    const final = seen[seen.length - 1]!;
    expect(final.map((r) => [r.number, r.body])).toEqual([
      [4, "v4"],
      [3, "v3"],
      [2, "v2"],
      [1, "v1"],
    ]);
    expect(final[0]).toMatchObject({ message: "to v4", author: "bob", entryId: e.id });
    expect(new URL(final[0]!.url).pathname).toBe(`/entries/${e.id}/revisions/4`);
    for (const earlier of seen) expect(final.slice(final.length - earlier.length)).toEqual(earlier);
  });

  it("soft-deletes (GET still answers, lists do not) and only a maintainer restores", async () => {
    const e = await bob.createEntry(entryInput({ title: "Soon deleted", body: "chromatography notes" }));
    const deleted = expectStatus(await bob.delete<Entry>(`/api/v1/entries/${e.id}`), 200);
    expect(deleted).toMatchObject({ id: e.id, deleted: true });
    expect(await anon.getEntry(e.id)).toMatchObject({ deleted: true, title: "Soon deleted" });
    expect((await anon.listEntries({ campaign: SLUG, perPage: 100 })).entries.map((x) => x.id)).not.toContain(e.id);
    expect((await anon.listEntries({ q: "chromatography" })).entries.map((x) => x.id)).not.toContain(e.id);
    await refuses(() => bob.post(`/api/v1/entries/${e.id}/restore`), 403, "forbidden", undefined, [`/api/v1/entries/${e.id}`]);
    await refuses(() => bob.patch(`/api/v1/entries/${e.id}`, { body: "x", baseRevision: e.revisionId }), 409, "conflict", /deleted/, [
      `/api/v1/entries/${e.id}`,
    ]);
    await refuses(() => alice.delete("/api/v1/entries/999999"), 404, "not_found");
    expect(expectStatus(await alice.post<Entry>(`/api/v1/entries/${e.id}/restore`), 200).deleted).toBe(false);
    expect((await anon.listEntries({ campaign: SLUG, perPage: 100 })).entries.map((x) => x.id)).toContain(e.id);
    expect(await anon.revisions(e.id)).toHaveLength(1);
  });
});

describe("reactions in entries", () => {
  const CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";
  const PRODUCT = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23";
  const rows = (over: Record<string, unknown> = {}) => [
    { role: "reactant", smiles: CORE, massMg: 250, ...over },
    { role: "reagent", name: "NaH (60 % in oil)", smiles: "[NaH]", purity: 60, equivalents: 1.2 },
    { role: "solvent", name: "THF", volumeUl: 5000 },
    { role: "product", smiles: PRODUCT, isolatedMg: 212 },
  ];

  it("computes the stoichiometry on save and answers it with the entry and its revisions", async () => {
    const entry = await bob.createEntry(entryInput({ title: "SNAr over the API", reactions: [{ title: "SNAr", rows: rows() }] }));
    const [reaction] = entry.reactions as {
      id: string;
      rows: { formula?: string }[];
      computed: {
        rows: { mmol: number; massMg: number; entered: string[]; yieldPercent?: number }[];
        reaction: { atomEconomyPercent: number };
      };
    }[];
    expect(reaction!.id).toBe("r1");
    expect(reaction!.rows[0]!.formula).toBe("C12H7ClF2N4O");
    expect(reaction!.computed.rows[0]!.mmol).toBeCloseTo(250 / 296.66, 3);
    expect(reaction!.computed.rows[0]!.entered).toEqual(["massMg"]);
    expect(reaction!.computed.rows[1]!.massMg).toBeCloseTo(40.45, 1);
    expect(reaction!.computed.rows[3]!.yieldPercent).toBeCloseTo(65.8, 1);
    expect((await anon.revisions(entry.id))[0]!.reactions).toEqual(entry.reactions);
    // The scheme is drawn on the server as SVG.
    const svg = await anon.get(`/entries/${entry.id}/reactions/r1.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    expect(svg.text).toContain("THF");
    expect((await anon.get(`/entries/${entry.id}/reactions/r9.svg`)).status).toBe(404);
  });

  it("answers 422 naming the reaction, the row and the field, and saves nothing", async () => {
    const bad = async (reactions: unknown, field: string) => {
      const error = await refuses(
        () => bob.post("/api/v1/entries", entryInput({ title: "Bad reaction", reactions })),
        422,
        "validation_failed",
        new RegExp(field.replace(/\./g, "\\.")),
      );
      expect(Object.keys(error.fields ?? {})).toContain(field);
    };
    await bad([{ rows: rows({ massMg: -250 }) }], "reactions.0.rows.0.massMg");
    await bad([{ rows: [...rows(), { role: "reagent", name: "Et3N", mw: 101.19, volumeUl: 150 }] }], "reactions.0.rows.4.volumeUl");
    await bad(
      [{ rows: rows({ reference: true }).map((r, i) => (i === 1 ? { ...r, reference: true } : r)) }],
      "reactions.0.rows.1.reference",
    );
    await bad(
      [
        {
          rows: [
            { role: "reactant", smiles: CORE, mmol: 1 },
            { role: "product", name: "ether", isolatedMg: 10 },
          ],
        },
      ],
      "reactions.0.rows.1.mw",
    );
    await bad([{ smiles: `${CORE}>>C1CC` }], "reactions.0.smiles");
    await bad([{ rows: Array.from({ length: 200 }, () => ({ role: "reagent" })) }], "reactions.0.rows");
    const e = await bob.createEntry(entryInput({ title: "Reaction edits" }));
    await refuses(
      () => bob.patch(`/api/v1/entries/${e.id}`, { reactions: [{ rows: rows({ massMg: 0 }) }], baseRevision: e.revisionId }),
      422,
      "validation_failed",
      /reactions\.0\.rows\.0\.massMg/,
    );
  });

  it("serves a JCAMP-DX attachment as a spectrum, and answers 422 saying what a .jdx file really is when it is not one", async () => {
    const e = await bob.createEntry(entryInput({ title: "Spectra of 12" }));
    const upload = async (name: string, bytes: Buffer | string) => {
      const form = new FormData();
      form.set("file", new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)]), name);
      return expectStatus(await bob.request<Attachment>("POST", `/api/v1/entries/${e.id}/attachments`, { body: form }), 201);
    };
    const nmr = await upload("aspirin-1h.dx", readFileSync(path.join(appDir, "node_modules", "jcamp-data-test", "data", "aspirin-1h.dx")));
    expect(nmr.contentType).toBe("chemical/x-jcamp-dx");
    const spectrum = await anon.get<{ kind: string; x: { reversed: boolean }; points: unknown }>(`${new URL(nmr.url).pathname}/spectrum`);
    expect(spectrum.status, spectrum.text).toBe(200);
    expect(spectrum.text).toMatch(/"1H NMR"|NMR/);
    const csv = await upload("export.jdx", "ppm,intensity\n7.26,100\n2.10,300\n");
    const refused = await anon.get(`${new URL(csv.url).pathname}/spectrum`);
    expect(refused.status).toBe(422);
    expect(errorOf(refused).message).toMatch(/table of numbers/i);
    const text = await upload("notes.txt", "not a spectrum");
    expect((await anon.get(`${new URL(text.url).pathname}/spectrum`)).status).toBe(404);
  });
});

describe("comments and notifications", () => {
  it("answers 422 naming the field, 404 for an unknown target, 403 for hiding by a non-maintainer, and writes nothing", async () => {
    const e = await bob.createEntry(entryInput({ title: "Discussed" }));
    const target = { kind: "entry", id: e.id };
    const extra = [`/api/v1/comments?target=entry:${e.id}`];
    await refuses(() => carol.post("/api/v1/comments", { target, body: "" }), 422, "validation_failed", /body: must not be empty/, extra);
    // Too long is a 413, like an entry body that is too long (the boundary treats an oversized `body` so).
    await refuses(
      () => carol.post("/api/v1/comments", { target, body: "x".repeat(10_001) }),
      413,
      "payload_too_large",
      /body: must be at most 10,000/,
      extra,
    );
    await refuses(
      () => carol.post("/api/v1/comments", { target: { kind: "page", id: 1 }, body: "x" }),
      422,
      "validation_failed",
      /target\.kind/,
      extra,
    );
    await refuses(
      () => carol.post("/api/v1/comments", { target: { kind: "entry", id: 999_999 }, body: "x" }),
      404,
      "not_found",
      undefined,
      extra,
    );
    expect((await anon.get("/api/v1/comments?target=nonsense")).status).toBe(400);
    // A non-member comments and mentions the author; the author's inbox has it; only a maintainer hides.
    const c = expectStatus(await carol.post<{ id: number }>("/api/v1/comments", { target, body: "Which batch, @bob?" }), 201);
    const inbox = expectStatus(await bob.get<{ notifications: { kind: string }[]; unread: number }>("/api/v1/notifications"), 200);
    expect(inbox.notifications[0]).toMatchObject({ kind: "mention" });
    await refuses(() => erin.post(`/api/v1/comments/${c.id}/hide`, { reason: "no" }), 403, "forbidden", undefined, extra);
    expect((await anon.get("/api/v1/notifications")).status).toBe(401);
  });
});

describe("search and pagination", () => {
  it("finds a stemmed word, ranks a title match above a body-only match, and marks the match", async () => {
    await alice.createCampaign({ name: "Search test", slug: "search-test" });
    const w = (title: string, body: string) => alice.createEntry({ campaign: "search-test", date: isoDay(-2), title, body });
    const bodyOnly = await w("Workup notes", "The Suzuki coupling gave a brown oil that solidified overnight.");
    const inTitle = await w("Suzuki coupling of bromide 7", "Yield 62 % after workup.");
    await w("Crystallisation of 9", "Needles from ethanol.");
    const found = await anon.listEntries({ campaign: "search-test", q: "coupled" });
    expect(found.entries.map((e) => e.id)).toEqual([inTitle.id, bodyOnly.id]);
    expect(found.entries[0]!.rank).toBeGreaterThan(found.entries[1]!.rank!);
    expect(found.entries[1]!.snippet).toMatch(/«coupling»/);
    expect((await anon.listEntries({ campaign: "search-test", q: "coupled -brown" })).entries.map((e) => e.id)).toEqual([inTitle.id]);
    expect((await anon.listEntries({ campaign: "search-test", q: "ruthenium" })).entries).toEqual([]);
    expect(errorOf(await anon.get(`/api/v1/entries?q=${"a".repeat(201)}`)).message).toMatch(/^q:/);
  });

  it("pages through entries newest work first without gaps or repeats", async () => {
    await alice.createCampaign({ name: "Paging", slug: "paging" });
    const made: number[] = [];
    for (let d = 1; d <= 5; d++) made.push((await alice.createEntry({ campaign: "paging", date: isoDay(-d), title: `Day -${d}` })).id);
    const pages = [1, 2, 3].map((page) => anon.listEntries({ campaign: "paging", perPage: 2, page }));
    const [p1, p2, p3] = await Promise.all(pages);
    expect([p1!.hasMore, p2!.hasMore, p3!.hasMore]).toEqual([true, true, false]);
    expect([...p1!.entries, ...p2!.entries, ...p3!.entries].map((e) => e.id)).toEqual(made);
    expect(await anon.listEntries({ campaign: "paging", perPage: 2, page: 4 })).toEqual({
      entries: [],
      page: 4,
      perPage: 2,
      hasMore: false,
    });
    expect(errorOf(await anon.get("/api/v1/entries?page=0")).message).toMatch(/^page:/);
    expect(errorOf(await anon.get("/api/v1/entries?perPage=101")).message).toMatch(/^perPage:/);
    expect(errorOf(await anon.get("/api/v1/entries?campaign=nope")).code).toBe("not_found");
  });
});

describe("attachments and /me", () => {
  it("stores a multipart upload and serves the same bytes, inline, with nosniff", async () => {
    const e = await bob.createEntry(entryInput({ title: "NMR of 12" }));
    const form = new FormData();
    form.set("file", new Blob(["δ 7.26 (s, 1H)\n"], { type: "text/plain" }), "nmr.txt");
    const a = expectStatus(await bob.request<Attachment>("POST", `/api/v1/entries/${e.id}/attachments`, { body: form }), 201);
    expect(a).toMatchObject({ entryId: e.id, filename: "nmr.txt", contentType: "text/plain", size: Buffer.byteLength("δ 7.26 (s, 1H)\n") });
    expect(expectStatus(await anon.get<{ attachments: Attachment[] }>(`/api/v1/entries/${e.id}/attachments`), 200).attachments).toEqual([
      a,
    ]);
    const served = await fetch(server.url + new URL(a.url).pathname);
    expect(await served.text()).toBe("δ 7.26 (s, 1H)\n");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-disposition")).toMatch(/^inline/);
  });

  it("serves an SVG (which can carry script) as a download, and refuses what it must", async () => {
    const e = await bob.createEntry(entryInput({ title: "Structures" }));
    const url = `/api/v1/entries/${e.id}/attachments`;
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const raw = (client: ApiClient, query: string, body: BodyInit) => () =>
      client.request("POST", url + query, { body, headers: { "Content-Type": "image/svg+xml" } });
    const a = expectStatus((await raw(bob, "?filename=mol.svg", svg)()) as ApiResponse<Attachment>, 201);
    const served = await fetch(server.url + new URL(a.url).pathname);
    expect(await served.text()).toBe(svg);
    expect(served.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    const extra = [url];
    const tooBig = new Uint8Array(10 * 1024 * 1024 + 1);
    const auth = { Authorization: `Bearer ${tokens.bob}` };
    const rawBig = () =>
      sendOnce(`${server.url}${url}?filename=big.bin`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/octet-stream" },
        body: tooBig,
      });
    await refuses(rawBig, 413, "payload_too_large", /larger than/, extra);
    const big = new FormData();
    big.set("file", new Blob([tooBig]), "big.bin");
    const multipart = new Response(big);
    const bigBody = new Uint8Array(await multipart.arrayBuffer());
    const bigType = multipart.headers.get("content-type") ?? "";
    await refuses(
      () => sendOnce(`${server.url}${url}`, { method: "POST", headers: { ...auth, "Content-Type": bigType }, body: bigBody }),
      413,
      "payload_too_large",
      /^file:/,
      extra,
    );
    await refuses(raw(erin, "?filename=x.svg", svg), 403, "forbidden", undefined, extra);
    await refuses(raw(carol, "?filename=x.svg", svg), 403, "forbidden", undefined, extra);
    await refuses(raw(anon, "?filename=x.svg", svg), 401, "unauthorized", undefined, extra);
    await refuses(raw(bob, "", svg), 422, "validation_failed", /filename/, extra);
    await refuses(raw(bob, "?filename=empty.txt", ""), 422, "validation_failed", /file/, extra);
    await refuses(() => bob.request("POST", "/api/v1/entries/999999/attachments?filename=a.txt", { body: "x" }), 404, "not_found");
    const max = expectStatus((await raw(bob, "?filename=max.bin", new Uint8Array(10 * 1024 * 1024))()) as ApiResponse<Attachment>, 201);
    expect(max.size).toBe(10 * 1024 * 1024);
  });

  it("tells a token's owner who they are, and no one else", async () => {
    const me = expectStatus(await alice.get<{ login: string; campaigns: { slug: string; role: string }[] }>("/api/v1/me"), 200);
    expect(me.login).toBe("alice");
    expect(me.campaigns).toContainEqual(expect.objectContaining({ slug: SLUG, role: "maintainer" }));
    expect(errorOf(await anon.get("/api/v1/me")).code).toBe("unauthorized");
    expect(errorOf(await dave.get("/api/v1/me")).code).toBe("unauthorized");
  });
});

describe("write rate limit (NOTEBOOK_RATE_LIMIT_WRITES=5, its own server)", () => {
  let limited: Notebook;
  let rlStore: Store;
  let rita: ApiClient, sam: ApiClient;
  beforeAll(async () => {
    rlStore = await pgliteStore();
    const [r, s] = [await createToken(rlStore, "rita"), await createToken(rlStore, "sam")];
    limited = await startNotebook({ dataDir: rlStore.dataDir, env: { NOTEBOOK_RATE_LIMIT_WRITES: "5" } });
    [rita, sam] = [new ApiClient(limited.url, r), new ApiClient(limited.url, s)];
  });
  afterAll(async () => {
    await limited?.stop();
    await rlStore?.dispose();
  });

  it("answers the 6th write in a minute with 429 and Retry-After, writes nothing, and limits only that user", async () => {
    await waitForFreshMinute(10); // the five writes and the sixth must fall in one fixed window
    await rita.createCampaign({ name: "Limited", slug: "limited" });
    for (let i = 1; i <= 4; i++) await rita.createEntry({ campaign: "limited", date: isoDay(), title: `Write ${i + 1}` });
    const res = await rita.post("/api/v1/entries", { campaign: "limited", date: isoDay(), title: "Write 6" });
    expect(res.status, res.text).toBe(429);
    expect(errorOf(res).code).toBe("rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const titles = (await rita.listEntries({ campaign: "limited" })).entries.map((e) => e.title);
    expect(titles.sort()).toEqual(["Write 2", "Write 3", "Write 4", "Write 5"]);
    expect((await sam.createCampaign({ name: "Sam's", slug: "sams" })).slug).toBe("sams");
  });
});

describe("molecule properties in parameters", () => {
  it("sorts and filters by any property's key, reads earlier spellings (mw, mwMin, mass) the same, and refuses unknown ones", async () => {
    const slug = `props-${randomSuffix()}`;
    await alice.createCampaign({ name: "Property probe", slug });
    // Phenol 94.1, benzoic acid 122.1, paracetamol 151.2 g/mol.
    const ids: string[] = [];
    for (const smiles of ["Oc1ccccc1", "OC(=O)c1ccccc1", "CC(=O)Nc1ccc(O)cc1"]) {
      ids.push(expectStatus(await alice.post<{ id: string }>("/api/v1/molecules", { campaign: slug, smiles }), 201).id);
    }
    type Hits = { sort: string; hits: { id: string; averageMass: number }[] };
    const search = async (query: string) =>
      expectStatus(await anon.get<Hits>(`/api/v1/search/molecules?q=c1ccccc1&campaign=${slug}&${query}`), 200);
    const heaviest = await search("sort=-averageMass");
    expect(heaviest.sort).toBe("-averageMass");
    expect(heaviest.hits.map((h) => h.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(await search("sort=-mw")).toMatchObject({ sort: "-averageMass", hits: heaviest.hits });
    const light = await search("averageMassMax=130");
    expect(light.hits.map((h) => h.id)).toEqual([ids[0], ids[1]]);
    expect((await search("mwMax=130")).hits).toEqual(light.hits);

    type Page = { molecules: { id: string }[] };
    const list = async (query: string) =>
      expectStatus(await anon.get<Page>(`/api/v1/molecules?campaign=${slug}&${query}`), 200).molecules.map((m) => m.id);
    expect(await list("sort=-averageMass")).toEqual([ids[2], ids[1], ids[0]]);
    expect(await list("sort=-mass")).toEqual([ids[2], ids[1], ids[0]]);
    // TPSA: phenol 20.2, benzoic acid 37.3, paracetamol 49.3 Å²; a property the list could not sort by before.
    expect(await list("sort=tpsa")).toEqual(ids);

    const refused = async (url: string, status: number, field: string) => {
      const res = await anon.get(url);
      expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(status);
      expect(errorOf(res).message).toMatch(new RegExp(`^${field}: `));
    };
    await refused(`/api/v1/molecules?campaign=${slug}&sort=weight`, 422, "sort");
    await refused(`/api/v1/search/molecules?q=C&sort=-weight`, 422, "sort");
    await refused(`/api/v1/search/molecules?q=C&averageMassMin=heavy`, 422, "averageMassMin");
    await refused(`/campaigns/${slug}/molecules/table.json?property=charge&min=0`, 422, "property");
    await refused(`/api/v1/entries?perPage=0`, 400, "perPage");
  });
});

describe("structure queries RDKit cannot read", () => {
  it("answers an exact search as before, refuses a similarity search with a 422 that says why, and answers a path that is not valid percent-encoding with a 400", async () => {
    // Pentavalent carbon: OpenChemLib reads it (exact search needs only its reading), RDKit does not (similarity does).
    const q = encodeURIComponent("C(C)(C)(C)(C)C");
    expect(expectStatus(await anon.get<{ total: number }>(`/api/v1/search/molecules?mode=exact&q=${q}`), 200).total).toBe(0);
    const refused = await anon.get(`/api/v1/search/molecules?mode=similarity&q=${q}`);
    expect(refused.status).toBe(422);
    expect(errorOf(refused).message).toMatch(/RDKit could not read this SMILES/);
    const malformed = await anon.get("/api/v1/molecules/%E0%A4%A");
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed).message).toMatch(/not valid percent-encoding/);
  });
});

describe("OpenAPI document", () => {
  type Operation = {
    responses: Record<string, { content?: Record<string, { schema?: object }> }>;
    requestBody?: { content: Record<string, { schema?: object }> };
  };
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };
  const pointer = (...parts: string[]) =>
    "https://notebook.test/openapi.json#/" + parts.map((p) => encodeURIComponent(p.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/");
  beforeAll(async () => {
    doc = expectStatus(await anon.get<typeof doc>("/api/v1/openapi.json"), 200);
  });

  it("is OpenAPI 3.1 and lists every route handler under app/api/v1 with its methods", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const root = path.join(appDir, "app", "api", "v1");
    const routes = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts");
    expect(routes.length).toBeGreaterThan(5);
    for (const file of routes) {
      const route =
        "/api/v1/" +
        path
          .dirname(file)
          .split(path.sep)
          .join("/")
          .replace(/\[(\w+)\]/g, "{$1}");
      const methods = [
        ...readFileSync(path.join(root, file), "utf8").matchAll(
          /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g,
        ),
      ].map((m) => m[1]!.toLowerCase());
      expect(Object.keys(doc.paths[route] ?? {}), `${route} (app/api/v1/${file}) in the OpenAPI document`).toEqual(
        expect.arrayContaining(methods),
      );
    }
  });

  it("answers every documented operation as documented (schemas checked with ajv, 2020-12)", async () => {
    // OpenAPI documents hold keywords that are not JSON Schema (paths, responses, ...): strict mode would refuse them.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, "https://notebook.test/openapi.json");
    const check = (ref: string, value: unknown, what: string) => {
      const validate = ajv.compile({ $ref: ref });
      expect(validate(value), `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 1500)}`).toBe(true);
    };
    const slug = `openapi-${randomSuffix()}`;
    await alice.createCampaign({ name: "OpenAPI probe", slug });
    const entry = await alice.createEntry({ campaign: slug, date: isoDay(), title: "Probe entry", body: "probe" });
    const victim = await alice.createEntry({ campaign: slug, date: isoDay(), title: "Probe to delete" });
    // A molecule for the registry's routes (OSM-S-106's structure, from the Series 4 sheet).
    const molecule = expectStatus(
      await alice.post<{ id: string }>("/api/v1/molecules", { campaign: slug, smiles: "FC(F)(F)c1ccc(cc1)COc1cncc2nnc(n12)c1ccc(F)cc1" }),
      201,
    );
    // A question on the entry for the comment routes (edited, hidden and marked answered by alice, its maintainer).
    const question = expectStatus(
      await alice.post<{ id: number }>("/api/v1/comments", {
        target: { kind: "entry", id: entry.id },
        body: "Probe question?",
        question: true,
      }),
      201,
    );
    // Wiki pages: one to read and edit, one to delete; the SAR table reads the registry's triazolopyrazine.
    const wikiPage = expectStatus(
      await alice.post<{ slug: string }>(`/api/v1/campaigns/${slug}/wiki`, { title: "Probe overview", body: "[[Probe page]]" }),
      201,
    );
    const wikiVictim = expectStatus(
      await alice.post<{ slug: string }>(`/api/v1/campaigns/${slug}/wiki`, { title: "Probe to delete" }),
      201,
    );
    // A result and a prediction set for the prediction routes; for the model's routes, the demo's 40 Series 4 molecules
    // with their results (their OSM IDs kept as aliases), on which the campaign's model trains within seconds.
    expectStatus(
      await alice.request("POST", `/api/v1/imports?campaign=${slug}&format=tsv&unit=${encodeURIComponent("µM")}&ids=foreign-as-aliases`, {
        body: osmDemoSheet,
        headers: { "content-type": "text/tab-separated-values" },
      }),
      200,
    );
    expectStatus(
      await alice.post(`/api/v1/molecules/${molecule.id}/measurements`, { assay: "IC50", target: "3D7", value: 0.2, unit: "µM" }),
      201,
    );
    const predictionQuery = `?campaign=${slug}&assay=${encodeURIComponent("3D7 IC50")}`;
    const forecast = () => ({ name: `Probe forecast ${++n}`, unit: "pIC50", rows: [{ molecule: molecule.id, value: 6.5 }] });
    let n = 0;
    const set = expectStatus(await alice.post<{ id: number }>(`/api/v1/predictions${predictionQuery}`, forecast()), 201);
    for (let tries = 0; (await anon.get(`/api/v1/molecules/${molecule.id}/prediction`)).status !== 200; tries++) {
      expect(tries, "the campaign's model was not trained within 60 s").toBeLessThan(120);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const examples: Record<string, () => Promise<RequestOptions>> = {
      "post /api/v1/predictions": async () => ({ json: forecast() }),
      "post /api/v1/recognize": async () => {
        // A clean drawing of a Series 4 ether, as a chemist would paste it: OSRA reads it back.
        const idcode = Molecule.fromSmiles("FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccc(Cl)cc4)n23").getIDCode();
        const svg = depictSvg(idcode, { width: 2000, height: 2000, autoCrop: true, suppressChiralText: true });
        const png = new Resvg(svg, { background: "white", fitTo: { mode: "zoom", value: 2.5 } }).render().asPng();
        const form = new FormData();
        form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "structure.png");
        return { body: form };
      },
      "patch /api/v1/campaigns/{slug}/scoreboard": async () => ({ json: { topK: 10, activeThreshold: 6.5 } }),
      "post /api/v1/predict": async () => ({ json: { campaign: slug, smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccc(Cl)cc4)n23" } }),
      "post /api/v1/comments": async () => ({ json: { target: { kind: "entry", id: entry.id }, body: `probe comment ${++n} for @alice` } }),
      "patch /api/v1/comments/{id}": async () => ({ json: { body: `Probe question, edited ${++n}?` } }),
      "post /api/v1/comments/{id}/hide": async () => ({ json: { reason: "probe" } }),
      "post /api/v1/notifications/read": async () => ({ json: {} }),
      "post /api/v1/campaigns": async () => ({ json: { name: "Probe campaign", slug: `probe-${randomSuffix()}` } }),
      "post /api/v1/campaigns/{slug}/members": async () => ({ json: { login: "oscar", role: "member" } }),
      "post /api/v1/entries": async () => ({ json: { campaign: slug, date: isoDay(), title: "Probe 2", body: "x" } }),
      "patch /api/v1/entries/{id}": async () => ({
        json: { body: `probe ${++n}`, baseRevision: (await anon.getEntry(entry.id)).revisionId },
      }),
      "patch /api/v1/campaigns/{slug}/registry": async () => ({ json: { defaultSite: "B" } }),
      "patch /api/v1/campaigns/{slug}": async () => ({ json: { license: "CC0-1.0" } }),
      "post /api/v1/campaigns/{slug}/wiki": async () => ({ json: { title: `Probe page ${++n}`, body: "```molecules\nlimit: 3\n```" } }),
      "patch /api/v1/campaigns/{slug}/wiki/{page}": async () => ({
        json: {
          body: `probe ${++n}`,
          baseRevision: expectStatus(await anon.get<{ revisionId: number }>(`/api/v1/campaigns/${slug}/wiki/${wikiPage.slug}`), 200)
            .revisionId,
        },
      }),
      "post /api/v1/molecules": async () => ({
        json: { campaign: slug, smiles: `C1CCN(CC1)C(=O)c1ccccc1${"C".repeat(++n % 5)}`, name: "probe amide" },
      }),
      "post /api/v1/molecules/{id}/measurements": async () => ({
        json: { assay: "IC50", target: "3D7", value: 0.12, unit: "µM", qualifier: "=" },
      }),
      "post /api/v1/molecules/{id}/park": async () => ({ json: { reason: "probe: parked and re-activated" } }),
      "post /api/v1/imports": async () => ({
        body: `SMILES,Name\nCCOC(=O)c1ccccc1,probe ester ${++n}\n`,
        headers: { "content-type": "text/csv" },
      }),
      "post /api/v1/entries/{id}/attachments": async () => {
        const form = new FormData();
        form.set("file", new Blob(["a,b\n1,2\n"], { type: "text/csv" }), "data.csv");
        return { body: form };
      },
    };
    let called = 0;
    for (const [route, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        const id = route.startsWith("/api/v1/molecules/")
          ? molecule.id
          : route.startsWith("/api/v1/predictions/")
            ? set.id
            : route.startsWith("/api/v1/comments/")
              ? question.id
              : method === "delete" || route.endsWith("/restore")
                ? victim.id
                : entry.id;
        const query =
          route === "/api/v1/imports"
            ? `?campaign=${slug}&format=csv`
            : route === "/api/v1/predictions"
              ? predictionQuery
              : route.startsWith("/api/v1/search/molecules")
                ? `?q=c1ccccc1&campaign=${slug}`
                : route === "/api/v1/comments" && method === "get"
                  ? `?target=entry:${entry.id}`
                  : route === "/api/v1/sar"
                    ? `?campaign=${slug}&core=${encodeURIComponent("[*:1]c1nnc2cncc([*:2])n12")}`
                    : "";
        const page = method === "delete" ? wikiVictim.slug : wikiPage.slug;
        const url =
          route.replace("{slug}", slug).replace("{id}", String(id)).replace("{week}", currentWeek()).replace("{page}", page) + query;
        const options = (await examples[`${method} ${route}`]?.()) ?? {};
        if (options.json !== undefined && operation.requestBody?.content["application/json"]?.schema) {
          check(
            pointer("paths", route, method, "requestBody", "content", "application/json", "schema"),
            options.json,
            `${method} ${route} request`,
          );
        }
        const res = await alice.request(method.toUpperCase(), url, options);
        called++;
        const what = `${method.toUpperCase()} ${url} → ${res.status}`;
        // An operation documented only as refused (a sealed prediction set's PATCH, PUT and DELETE) must be refused.
        const refusedByDesign = Object.keys(operation.responses).join() === "405";
        if (refusedByDesign) expect(res.status, what).toBe(405);
        else expect([404, 405], `${what}: ${res.text.slice(0, 300)}`).not.toContain(res.status);
        expect(Object.keys(operation.responses), `${what} is a documented status`).toContain(String(res.status));
        const content = operation.responses[String(res.status)]?.content ?? {};
        const type = res.headers.get("content-type") ?? "";
        expect(
          Object.keys(content).some((t) => type.startsWith(t)),
          `${what}: content-type ${type} documented`,
        ).toBe(true);
        if (content["application/json"]?.schema) {
          check(pointer("paths", route, method, "responses", String(res.status), "content", "application/json", "schema"), res.body, what);
        }
      }
    }
    expect(called).toBeGreaterThanOrEqual(24);
  });
});
