// The spectrum of a JCAMP-DX attachment (app/attachments/[id]/[name]/spectrum), called as Next.js calls the route
// handler, on each database: read in the real chemistry sandbox, answered with at most 4,000 points, revalidated by
// its ETag, and refused with the reason for files that are not spectra.
import { Resvg } from "@resvg/resvg-js";
import { afterAll, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "integration-tests-secret-0123456789";
});
vi.mock("@/app/auth", () => ({ auth: async () => null }));

import * as spectrumRoute from "@/app/attachments/[id]/[name]/spectrum/route";
import { useDatabase } from "@/db/index";
import { addAttachment } from "@/db/queries/attachments";
import { deleteEntry } from "@/db/queries/entries";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import type { SpectrumView } from "@/lib/spectra/model";
import { realSpectrum } from "../unit/spectra/files";
import { describeEachDatabase } from "./support/databases";
import { makeCampaign } from "./support/seed";
import { createEntry } from "./support/use-cases";

afterAll(() => closeSharedChemPool());

async function get(attachment: { id: number; filename: string }, query = "", headers: Record<string, string> = {}) {
  const name = encodeURIComponent(attachment.filename);
  const response = await spectrumRoute.GET(
    new Request(`http://notebook.test/attachments/${attachment.id}/${name}/spectrum${query}`, { headers }),
    {
      params: Promise.resolve({ id: String(attachment.id), name }),
    },
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

describeEachDatabase("the spectrum of an attachment", (getDb) => {
  it("serves a JCAMP-DX attachment's spectrum, zooms, revalidates, and refuses what is not a spectrum", async () => {
    const database = getDb();
    useDatabase(database);
    const { db } = database;
    const { maintainer, slug } = await makeCampaign(db);
    const entry = await createEntry(db, maintainer, {
      campaign: slug,
      date: "2024-03-01",
      title: "Aspirin, 1H NMR",
      body: "See the spectrum.",
    });
    const nmr = await addAttachment(db, maintainer, entry.id, { name: "aspirin-1h.jdx", data: realSpectrum("aspirin-1h.dx") });
    expect(nmr.contentType).toBe("chemical/x-jcamp-dx");

    const whole = await get(nmr);
    expect(whole.status, JSON.stringify(whole.body)).toBe(200);
    expect(whole.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(whole.headers.get("cache-control")).toBe("public, no-cache");
    expect(whole.headers.get("etag")).toBe(`"spectrum-1-${nmr.sha256}"`);
    const spectrum = whole.body as SpectrumView;
    expect(spectrum).toMatchObject({ kindLabel: "1H NMR", x: { unit: "ppm", reversed: true }, pointCount: 32768 });
    expect(spectrum.points.x.length).toBeLessThanOrEqual(4_000);

    const zoomed = (await get(nmr, "?from=7.2&to=7.0")).body as SpectrumView;
    expect(zoomed.window).toEqual({ from: 7.0, to: 7.2 });
    expect(zoomed.points.x.slice(1, -1).every((x) => x >= 7.0 && x <= 7.2)).toBe(true);

    expect((await get(nmr, "", { "if-none-match": `"spectrum-1-${nmr.sha256}"` })).status).toBe(304);
    expect(await get(nmr, "?from=7")).toMatchObject({
      status: 422,
      body: { error: { code: "validation_failed", message: "to: give both from and to, or neither" } },
    });

    // A picture named .jdx: the reason, in words, as a 422.
    const png = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>').render().asPng();
    const fake = await addAttachment(db, maintainer, entry.id, { name: "spectrum.jdx", data: new Uint8Array(png) });
    expect(await get(fake)).toMatchObject({
      status: 422,
      body: {
        error: {
          code: "validation_failed",
          message: expect.stringMatching(/^This file is not a JCAMP-DX spectrum: it is a PNG image\./) as unknown,
        },
      },
    });
    // Over the spectrum cap (attachments may be larger): refused before any worker sees it.
    const big = await addAttachment(db, maintainer, entry.id, { name: "big.dx", data: new Uint8Array(6 * 1024 * 1024).fill(0x20) });
    expect(await get(big)).toMatchObject({
      status: 422,
      body: { error: { message: expect.stringMatching(/^This spectrum file is 6\.0 MB/) as unknown } },
    });

    // Not a JCAMP-DX attachment, no such attachment, a deleted entry's attachment: 404.
    const picture = await addAttachment(db, maintainer, entry.id, { name: "tlc.png", data: new Uint8Array(png) });
    expect(await get(picture)).toMatchObject({
      status: 404,
      body: { error: { message: "tlc.png is not a JCAMP-DX spectrum (.jdx, .dx); only those are drawn." } },
    });
    expect((await get({ id: 99_999, filename: "x.jdx" })).status).toBe(404);
    await deleteEntry(db, maintainer, entry.id);
    expect((await get(nmr)).status).toBe(404);
  }, 120_000);
});
