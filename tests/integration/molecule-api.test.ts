// The molecule registry's route handlers, called as Next.js calls them: a Request in, a Response out. Callers
// authenticate with API tokens; the session-cookie path (Auth.js) is not needed here and is stubbed out.
import { beforeAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import * as exportCsv from "@/app/api/v1/campaigns/[slug]/export.csv/route";
import * as exportSdf from "@/app/api/v1/campaigns/[slug]/export.sdf/route";
import * as registry from "@/app/api/v1/campaigns/[slug]/registry/route";
import * as imports from "@/app/api/v1/imports/route";
import * as activate from "@/app/api/v1/molecules/[id]/activate/route";
import * as measurementsRoute from "@/app/api/v1/molecules/[id]/measurements/route";
import * as park from "@/app/api/v1/molecules/[id]/park/route";
import * as molecule from "@/app/api/v1/molecules/[id]/route";
import * as moleculesRoute from "@/app/api/v1/molecules/route";
import { useDatabase } from "@/db/index";
import { createToken } from "@/db/queries/tokens";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry } from "./support/molecules";
import { makeUser } from "./support/seed";

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P>(
  handler: Handler<P>,
  method: string,
  path: string,
  params: P,
  options: { token?: string; json?: unknown; body?: BodyInit; type?: string } = {},
) {
  const headers = new Headers();
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.json);
  }
  if (options.type) headers.set("content-type", options.type);
  const response = await handler(new Request(`http://notebook.test${path}`, { method, headers, body, duplex: "half" } as RequestInit), {
    params: Promise.resolve(params),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read nested JSON answers freely
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, text, json };
}

describeEachDatabase("molecule registry API", (get) => {
  let slug: string;
  let prefix: string;
  let member: string;
  let maintainer: string;
  let outsider: string;
  beforeAll(async () => {
    useDatabase(get());
    const { db } = get();
    const chemist = await makeUser(db, "member");
    const stranger = await makeUser(db, "outsider");
    const made = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    ({ slug, prefix } = made);
    member = (await createToken(db, chemist.id, "test")).token;
    maintainer = (await createToken(db, made.maintainer.id, "test")).token;
    outsider = (await createToken(db, stranger.id, "test")).token;
  });

  it("registers a molecule (201), names the existing one on a duplicate (409), refuses bad structures (422, 413)", async () => {
    const created = await call(
      moleculesRoute.POST,
      "POST",
      "/api/v1/molecules",
      {},
      { token: member, json: { campaign: slug, smiles: "CC(=O)Nc1ccc(O)cc1", name: "Paracetamol", aliases: ["APAP"] } },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      id: `${prefix}-A-1`,
      campaign: slug,
      name: "Paracetamol",
      aliases: ["APAP"],
      inchikey: "RZVAJINKPMORJF-UHFFFAOYSA-N",
      formula: "C8H9NO2",
      status: "active",
      warnings: [],
    });
    expect(created.json.properties.averageMass).toBeCloseTo(151.165, 2);
    expect(created.headers.get("location")).toBe(`http://notebook.test/api/v1/molecules/${prefix}-A-1`);

    const duplicate = await call(
      moleculesRoute.POST,
      "POST",
      "/api/v1/molecules",
      {},
      { token: member, json: { campaign: slug, smiles: "Oc1ccc(NC(C)=O)cc1" } },
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error).toMatchObject({ code: "conflict", existing: { id: `${prefix}-A-1` }, compare: "exact" });

    const unreadable = await call(
      moleculesRoute.POST,
      "POST",
      "/api/v1/molecules",
      {},
      { token: member, json: { campaign: slug, smiles: "c1ccccc" } },
    );
    expect(unreadable.status).toBe(422);
    expect(unreadable.json.error.fields.smiles).toMatch(/could not be read/);
    expect(
      (
        await call(
          moleculesRoute.POST,
          "POST",
          "/api/v1/molecules",
          {},
          { token: member, json: { campaign: slug, smiles: "C".repeat(3000) } },
        )
      ).status,
    ).toBe(413);
    expect(
      (
        await call(
          moleculesRoute.POST,
          "POST",
          "/api/v1/molecules",
          {},
          { token: member, body: "smiles=CCO", type: "application/x-www-form-urlencoded" },
        )
      ).status,
    ).toBe(415);
  });

  it("refuses anonymous writes with 401 and non-members with 403", async () => {
    for (const [handler, path, params, json] of [
      [moleculesRoute.POST, "/api/v1/molecules", {}, { campaign: slug, smiles: "CCO" }],
      [measurementsRoute.POST, `/api/v1/molecules/${prefix}-A-1/measurements`, { id: `${prefix}-A-1` }, { assay: "IC50", value: 1 }],
      [park.POST, `/api/v1/molecules/${prefix}-A-1/park`, { id: `${prefix}-A-1` }, { reason: "x" }],
      [registry.PATCH, `/api/v1/campaigns/${slug}/registry`, { slug }, { prefix: "NOPE" }],
    ] as const) {
      const method = handler === registry.PATCH ? "PATCH" : "POST";
      expect((await call(handler as Handler<unknown>, method, path, params, { json })).status, path).toBe(401);
      expect((await call(handler as Handler<unknown>, method, path, params, { json, token: outsider })).status, path).toBe(403);
    }
    expect((await call(imports.POST, "POST", `/api/v1/imports?campaign=${slug}&format=csv`, {}, { body: "SMILES\nCCO" })).status).toBe(401);
    expect(
      (await call(imports.POST, "POST", `/api/v1/imports?campaign=${slug}&format=csv`, {}, { body: "SMILES\nCCO", token: outsider }))
        .status,
    ).toBe(403);
    expect(
      (await call(activate.POST, "POST", `/api/v1/molecules/${prefix}-A-1/activate`, { id: `${prefix}-A-1` }, { token: member })).status,
    ).toBe(403);
  });

  it("reads molecules by ID in any case, lists and searches them, and keeps measurements", async () => {
    const added = await call(
      measurementsRoute.POST,
      "POST",
      "/x",
      { id: `${prefix}-a-1` },
      { token: member, json: { assay: "IC50", target: "Pfal (3D7)", value: 2.5, unit: "uM", qualifier: ">" } },
    );
    expect(added.status, added.text).toBe(201);
    expect(added.json).toMatchObject({ molecule: `${prefix}-A-1`, unit: "µM", qualifier: ">", value: 2.5 });
    const listed = await call(measurementsRoute.GET, "GET", "/x", { id: `${prefix}-A-1` });
    expect(listed.json.measurements).toHaveLength(1);
    const one = await call(molecule.GET, "GET", "/x", { id: `${prefix.toLowerCase()}-a-1` });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      id: `${prefix}-A-1`,
      potency: [{ label: "Pfal (3D7) IC50", qualifier: ">", value: 2.5 }],
      mentionedIn: [],
    });
    expect(one.json.molfile).toContain("M  END");
    expect((await call(molecule.GET, "GET", "/x", { id: "APAP" })).json.id).toBe(`${prefix}-A-1`);
    expect((await call(molecule.GET, "GET", "/x", { id: `${prefix}-A-999` })).status).toBe(404);
    const page = await call(moleculesRoute.GET, "GET", `/api/v1/molecules?campaign=${slug}&q=parac&perPage=10`, {});
    expect(page.json).toMatchObject({ total: 1, page: 1, perPage: 10, hasMore: false });
    expect((await call(moleculesRoute.GET, "GET", `/api/v1/molecules?campaign=${slug}&perPage=5000`, {})).status).toBe(422);
  });

  it("parks and activates (maintainers) and sets the ID prefix", async () => {
    const parked = await call(park.POST, "POST", "/x", { id: `${prefix}-A-1` }, { token: maintainer, json: { reason: "Hepatotoxic" } });
    expect(parked.json).toMatchObject({ status: "parked", parkReason: "Hepatotoxic" });
    expect((await call(activate.POST, "POST", "/x", { id: `${prefix}-A-1` }, { token: maintainer })).json.status).toBe("active");
    expect((await call(registry.PATCH, "PATCH", "/x", { slug }, { token: member, json: { prefix: "ABC" } })).status).toBe(403);
    const changed = await call(
      registry.PATCH,
      "PATCH",
      "/x",
      { slug },
      { token: maintainer, json: { prefix: `${prefix.slice(0, 10)}B`, defaultSite: "s" } },
    );
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({ prefix: `${prefix.slice(0, 10)}B`, defaultSite: "S", saved: true });
    const next = await call(moleculesRoute.POST, "POST", "/x", {}, { token: member, json: { campaign: slug, smiles: "CCOC(=O)C" } });
    expect(next.json.id).toBe(`${prefix.slice(0, 10)}B-S-1`);
    await call(registry.PATCH, "PATCH", "/x", { slug }, { token: maintainer, json: { prefix, defaultSite: "A" } });
    const settings = await call(registry.GET, "GET", "/x", { slug });
    expect(settings.json).toMatchObject({ prefix, defaultSite: "A" });
    expect(settings.json.counters).toHaveLength(2);
    expect(settings.json.counters).toEqual(
      expect.arrayContaining([
        { prefix, site: "A", next: 2 },
        { prefix: `${prefix.slice(0, 10)}B`, site: "S", next: 2 },
      ]),
    );
  });

  it("imports a raw CSV body and exports CSV and SDF as downloads", async () => {
    const body = `ID,SMILES,Name,Assay,Value,Qualifier,Unit\n${prefix}-A-7,c1ccc2ccccc2c1,Naphthalene,IC50,30,>,µM\n,C1CC,broken,,,,\n`;
    const imported = await call(imports.POST, "POST", `/api/v1/imports?campaign=${slug}`, {}, { token: member, body, type: "text/csv" });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toMatchObject({
      imported: 1,
      unchanged: 0,
      failed: 1,
      registered: 1,
      measurementsAdded: 1,
      errors: [{ row: 3, column: "SMILES" }],
    });
    expect(
      (await call(imports.POST, "POST", `/api/v1/imports?campaign=${slug}&format=csv`, {}, { token: member, body })).json,
    ).toMatchObject({ imported: 0, unchanged: 1, failed: 1 });
    expect((await call(imports.POST, "POST", `/api/v1/imports?format=csv`, {}, { token: member, body })).status).toBe(400);
    expect(
      (await call(imports.POST, "POST", `/api/v1/imports?campaign=${slug}&format=csv&mapping={bad`, {}, { token: member, body })).status,
    ).toBe(400);
    expect(
      (
        await call(
          imports.POST,
          "POST",
          `/api/v1/imports?campaign=${slug}&format=csv`,
          {},
          { token: member, body: new Uint8Array([0xff, 0xfe, 0x00, 0x01]) },
        )
      ).status,
    ).toBe(422);
    const huge = await call(
      imports.POST,
      "POST",
      `/api/v1/imports?campaign=${slug}&format=csv`,
      {},
      { token: member, body: new Uint8Array(22_000_000).fill(67) },
    );
    expect(huge.status).toBe(413);

    const csv = await call(exportCsv.GET, "GET", "/x", { slug });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${slug}-molecules.csv"`);
    expect(csv.text).toContain(`${prefix}-A-7,Naphthalene,`);
    const sdf = await call(exportSdf.GET, "GET", "/x", { slug });
    expect(sdf.headers.get("content-type")).toMatch(/^chemical\/x-mdl-sdfile/);
    expect(sdf.text).toContain(`> <ID>\n${prefix}-A-7\n`);
    expect((await call(exportCsv.GET, "GET", "/x", { slug: "no-such-campaign" })).status).toBe(404);
  });
});
