// POST /api/v1/recognize, called as Next.js calls it: a picture of a registered Series 4 compound comes back as its
// structure, read in the real chemistry sandbox and matched to the registry; refusals answer with their statuses.
// Needs OSRA (`apt-get install osra`; CI's .ci/run installs it): without it these tests fail saying so.
import { afterAll, beforeAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import * as recognizeRoute from "@/app/api/v1/recognize/route";
import { useDatabase } from "@/db/index";
import { createToken } from "@/db/queries/tokens";
import { getRDKit } from "@/lib/chem/inchi";
import { findExecutable } from "@/lib/ocsr/child";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { render, STYLES } from "../bench/ocsr-render";
import { pixelBomb, seriesFourCompound } from "../unit/ocsr/pictures";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry } from "./support/molecules";
import { makeUser } from "./support/seed";
import { registerMolecule } from "./support/use-cases";

const { smiles, inchikey } = seriesFourCompound();

async function post(body: BodyInit, headers: Record<string, string>) {
  const request = new Request("http://notebook.test/api/v1/recognize", { method: "POST", headers, body, duplex: "half" } as RequestInit);
  const response = await recognizeRoute.POST(request, { params: Promise.resolve({}) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read nested JSON answers freely
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

let picture: Uint8Array;
beforeAll(async () => {
  if (findExecutable("osra") === null) throw new Error("osra is not installed: install it with `apt-get install osra` (CI's .ci/run does)");
  picture = (
    await render(
      smiles,
      STYLES.find((s) => s.name === "ocl-300")!,
      await getRDKit(),
      1,
    )
  ).bytes;
});
afterAll(async () => {
  await closeSharedChemPool();
});

describeEachDatabase("recognizing structures in pictures", (get) => {
  let token: string;
  let code: string;
  beforeAll(async () => {
    useDatabase(get());
    const { db } = get();
    const chemist = await makeUser(db, "chemist");
    const { slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    code = (await registerMolecule(db, chemist, { campaign: slug, smiles })).molecule.code;
    token = (await createToken(db, chemist.id, "test")).token;
  });

  it("answers a picture of a registered compound with its structure, molfile, formula and the match", { timeout: 120_000 }, async () => {
    const { status, json } = await post(Buffer.from(picture), { authorization: `Bearer ${token}`, "content-type": "image/png" });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.warnings).toEqual([]);
    expect(json.structures).toHaveLength(1);
    const [found] = json.structures;
    expect(found.match).toEqual({ id: code, path: `/molecules/${code}` });
    expect(found.formula).toBe("C19H11F5N6O2");
    expect(found.molfile).toContain("V2000");
    expect(found.page).toBe(1);
    const rdkit = await getRDKit();
    const mol = rdkit.get_mol(String(found.smiles))!;
    expect(rdkit.get_inchikey_for_inchi(mol.get_inchi())).toBe(inchikey);
    mol.delete();
  });

  it("reads a multipart upload the way a browser sends it, and says when nothing is recognized", { timeout: 120_000 }, async () => {
    const sharp = (await import("sharp")).default;
    const blank = await sharp({ create: { width: 300, height: 200, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(blank)], { type: "image/png" }), "blank.png");
    const request = new Request("http://notebook.test/api/v1/recognize", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const response = await recognizeRoute.POST(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ structures: [], message: "nothing recognized", warnings: [] });
  });

  it("refuses: anonymous callers (401), other types and lying types (415), over the caps (413)", async () => {
    expect((await post(Buffer.from(picture), { "content-type": "image/png" })).status).toBe(401);
    const auth = { authorization: `Bearer ${token}` };
    const svg = await post('<svg xmlns="http://www.w3.org/2000/svg"/>', { ...auth, "content-type": "image/svg+xml" });
    expect(svg).toMatchObject({ status: 415, json: { error: { code: "unsupported_media_type" } } });
    const lie = await post(Buffer.from(picture), { ...auth, "content-type": "application/pdf" });
    expect(lie).toMatchObject({
      status: 415,
      json: { error: { message: "file: says it is application/pdf but its content is image/png; send it with its real type." } },
    });
    expect(await post(Buffer.from(pixelBomb()), { ...auth, "content-type": "image/png" })).toMatchObject({
      status: 413,
      json: { error: { code: "payload_too_large" } },
    });
    const huge = await post(new Uint8Array(21 * 1024 * 1024), { ...auth, "content-type": "image/png" });
    expect(huge).toMatchObject({
      status: 413,
      json: { error: { message: "file: is larger than 20 MB; send a smaller picture or fewer pages." } },
    });
  });
});
