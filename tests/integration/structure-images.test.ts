// The drawings behind structures written in entries (lib/markdown/structures.ts), called as Next.js calls the
// route handlers: the drawing of a `smiles` block (read in the real chemistry sandbox), and the picture an <img>
// gets for a molecule ID nobody registered.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import * as moleculeImage from "@/app/depictions/[code]/[format]/route";
import { forgetSmilesReadings } from "@/app/depictions/_lib/smiles";
import * as smilesImage from "@/app/depictions/smiles.svg/route";
import { useDatabase } from "@/db/index";
import { ChemError } from "@/lib/chem/errors";
import { renderMarkdown } from "@/lib/markdown";
import { ChemWorkerPool, closeSharedChemPool } from "@/lib/sandbox/pool";
import { describeEachDatabase } from "./support/databases";

/** What Chromium sends for an <img>. */
const IMG_ACCEPT = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

async function draw(path: string, headers: Record<string, string> = {}) {
  const response = await smilesImage.GET(new Request(`http://notebook.test${path}`, { headers: { accept: IMG_ACCEPT, ...headers } }));
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const query = (smiles: string, extra = "") => `/depictions/smiles.svg?s=${encodeURIComponent(smiles)}${extra}`;

/** The image addresses of rendered markdown, as a browser reads them from the attribute. */
function imageSources(html: string): string[] {
  return [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&#x26;", "&"));
}

describe("the drawing of a SMILES written in an entry", () => {
  const sandboxRuns = vi.spyOn(ChemWorkerPool.prototype, "run");

  beforeEach(() => {
    forgetSmilesReadings();
    sandboxRuns.mockClear();
  });

  afterAll(async () => {
    sandboxRuns.mockRestore();
    await closeSharedChemPool();
  });

  it("draws the SMILES of a `smiles` block from the address the markdown made, cacheable with a strong ETag", async () => {
    const [src] = imageSources(renderMarkdown("```smiles\nC[C@H](N)C(=O)O L-alanine\n```"));
    expect(src).toBe("/depictions/smiles.svg?s=C%5BC%40H%5D(N)C(%3DO)O");
    const image = await draw(src!);
    expect(image.status, image.body).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(image.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(image.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(image.headers.get("etag")).toMatch(/^"[\w-]{32}"$/);
    expect(image.body).toMatch(/^<svg[^>]*width="300px" height="200px"/);
    // Drawn from the structure, not the text: alanine's N and O are labelled, its stereocentre is (S).
    expect(image.body).toContain(">N</text>");
    expect(image.body).toContain(">O</text>");
    expect(image.body).toContain(">S</text>");

    // The same molecule written another way is the same drawing; another size is another box.
    expect((await draw(query("N[C@@H](C)C(=O)O"))).body).toBe(image.body);
    expect((await draw(query("C[C@H](N)C(=O)O", "&w=600"))).body).toMatch(/^<svg[^>]*width="600px" height="400px"/);
    expect((await draw(query("C[C@@H](N)C(=O)O"))).body).toContain(">R</text>");
  });

  it("reads a SMILES in the sandbox once: for concurrent views, later views, other sizes, and not at all to revalidate", async () => {
    const views = await Promise.all([1, 2, 3].map(() => draw(query("c1ccncc1"))));
    expect(views.map((v) => v.status)).toEqual([200, 200, 200]);
    expect(sandboxRuns).toHaveBeenCalledTimes(1);
    expect((await draw(query("c1ccncc1"))).body).toBe(views[0]!.body);
    expect((await draw(query("c1ccncc1", "&w=120"))).status).toBe(200);
    expect(sandboxRuns).toHaveBeenCalledTimes(1);

    forgetSmilesReadings();
    const etag = views[0]!.headers.get("etag")!;
    const revalidated = await draw(query("c1ccncc1"), { "if-none-match": `W/"other", ${etag}` });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe("");
    expect(sandboxRuns).toHaveBeenCalledTimes(1);
  });

  it("answers an unreadable SMILES with 422 and a picture of the reason, and remembers it", async () => {
    const bad = await draw(query("C1CC"));
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(bad.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(bad.headers.get("etag")).toBeNull();
    expect(bad.body).toMatch(/^<svg[^>]*width="300px" height="200px"/);
    expect(bad.body).toContain(">Unreadable SMILES</text>");
    expect(bad.body).toContain(">dangling ring closure: 1; position:4</text>");
    expect((await draw(query("C1CC"))).body).toBe(bad.body);
    expect(sandboxRuns).toHaveBeenCalledTimes(1);
  });

  it("refuses a SMILES over the length cap, a missing one and a bad size before the sandbox sees anything", async () => {
    const tooLong = await draw(query("C".repeat(2001)));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toContain(">SMILES too long to draw</text>");
    expect(tooLong.body).toContain(">over 2,000 characters</text>");
    const missing = await draw("/depictions/smiles.svg");
    expect(missing.status).toBe(422);
    expect(missing.body).toContain(">Nothing to draw</text>");
    const badSize = await draw(query("CCO", "&w=wide"));
    expect(badSize.status).toBe(422);
    expect(badSize.body).toContain(">the size must be a number of pixels</text>");
    expect(sandboxRuns).not.toHaveBeenCalled();
  });

  it("does not draw a structure over the heavy-atom cap in the server's process", async () => {
    const big = await draw(query("C".repeat(151)));
    expect(big.status).toBe(422);
    expect(big.body).toContain(">151 heavy atoms, over 150</text>");
    expect((await draw(query("C".repeat(150)))).status).toBe(200);
  });

  it("keeps markup in the SMILES out of the picture's elements", async () => {
    const hostile = await draw(query('"><svg onload=alert(1)><script>alert(2)</script>'));
    expect(hostile.status).toBe(422);
    expect(hostile.body.match(/<svg/g)).toHaveLength(1);
    expect(hostile.body).not.toMatch(/<script|<[^>]*\sonload=/);
  });

  it("answers 503 and does not remember the SMILES when the workers cannot run", async () => {
    sandboxRuns.mockRejectedValueOnce(new ChemError("worker_failed", "The chemistry worker could not start."));
    const unavailable = await draw(query("CCN"));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("cache-control")).toBe("no-store");
    expect(unavailable.body).toContain(">Drawing unavailable</text>");
    expect((await draw(query("CCN"))).status).toBe(200);
  });
});

describeEachDatabase("the drawing of a molecule ID nobody registered", (get) => {
  it("is a picture saying so for an <img>, and stays a JSON 404 for API clients", async () => {
    useDatabase(get());
    const call = (accept: string) =>
      moleculeImage.GET(new Request("http://notebook.test/depictions/OSM-S-999/svg", { headers: { accept } }), {
        params: Promise.resolve({ code: "OSM-S-999", format: "svg" }),
      });
    const image = await call(IMG_ACCEPT);
    expect(image.status).toBe(404);
    expect(image.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(image.headers.get("vary")).toBe("Accept");
    const svg = await image.text();
    expect(svg).toContain(">OSM-S-999</text>");
    expect(svg).toContain(">is not registered (yet)</text>");

    const json = await call("*/*");
    expect(json.status).toBe(404);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
