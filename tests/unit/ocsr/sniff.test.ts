// What an upload is, from its bytes, and its size in pixels from its headers, before anything decodes it.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { isAppError, type AppError } from "@/lib/errors";
import { declaredKind, magicKind, OCSR_LIMITS, sniffPicture } from "@/lib/ocsr/sniff";
import { elnPicture } from "./pictures";

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(isAppError(error), String(error)).toBe(true);
    return error as AppError;
  }
  throw new Error("expected an AppError");
}

/** A picture encoded by a real encoder (libvips), `width` × `height`, with a drawn line so that it is not blank. */
async function encoded(
  format: "png" | "jpeg" | "gif" | "tiff" | "webp",
  width: number,
  height: number,
  options: object = {},
): Promise<Uint8Array> {
  const image = sharp({ create: { width, height, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } });
  return new Uint8Array(await image.toFormat(format, options).toBuffer());
}

/** A PNG of a signature and an IHDR chunk only: what a 100-megapixel bomb looks like before its pixel data. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 2, 0, 0, 0], 24);
  return bytes;
}

describe("sniffPicture: kind and pixels from the headers of real encoders' files", () => {
  it.each([
    ["png", "image/png", {}],
    ["jpeg", "image/jpeg", {}],
    ["gif", "image/gif", {}],
    ["tiff", "image/tiff", {}],
    ["webp", "image/webp", { lossless: false }],
  ] as const)("reads a %s's size (%s)", async (format, mediaType, options) => {
    const bytes = await encoded(format, 517, 203, options);
    expect(sniffPicture(bytes, mediaType)).toEqual({ kind: format, mediaType, width: 517, height: 203, pages: 1 });
    // The declared type is optional: the bytes decide.
    expect(sniffPicture(bytes, null)).toMatchObject({ kind: format, width: 517, height: 203 });
    expect(sniffPicture(bytes, "application/octet-stream")).toMatchObject({ kind: format });
  });

  it("reads each of WebP's three headers: lossy (VP8), lossless (VP8L) and extended (VP8X, lossy with alpha)", async () => {
    const lossy = await encoded("webp", 300, 17, { lossless: false });
    const lossless = await encoded("webp", 300, 17, { lossless: true });
    const alpha = new Uint8Array(
      await sharp({ create: { width: 300, height: 17, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } })
        .webp({ lossless: false })
        .toBuffer(),
    );
    const chunk = (b: Uint8Array) => String.fromCharCode(...b.subarray(12, 16));
    expect([chunk(lossy), chunk(lossless), chunk(alpha)]).toEqual(["VP8 ", "VP8L", "VP8X"]);
    for (const bytes of [lossy, lossless, alpha]) expect(sniffPicture(bytes, "image/webp")).toMatchObject({ width: 300, height: 17 });
  });

  it("counts the pages of a multi-page TIFF and takes the largest page's size", async () => {
    const page = await sharp({ create: { width: 40, height: 30, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    // libvips writes an animated (multi-page) image as one TIFF directory per page.
    const three = new Uint8Array(
      await sharp([page, page, page], { join: { animated: true } })
        .tiff()
        .toBuffer(),
    );
    expect(sniffPicture(three, "image/tiff")).toMatchObject({ width: 40, height: 30, pages: 3 });
    expect(sniffPicture(await encoded("tiff", 40, 90), "image/tiff")).toMatchObject({ width: 40, height: 90, pages: 1 });
  });

  it("reads the real pictures of the .eln examples: a GIMP TIFF, an RSpace GIF, an eLabFTW JPEG", () => {
    expect(sniffPicture(elnPicture("pasta.eln", "example.tif"), "image/tiff")).toMatchObject({ kind: "tiff", width: 32, height: 32 });
    expect(sniffPicture(elnPicture("rspace-selection.eln", "lemmings_1701965473304.gif"), "image/gif")).toMatchObject({
      kind: "gif",
      width: 489,
      height: 307,
    });
    expect(sniffPicture(elnPicture("elabftw-export.eln", "example.jpg"), "image/jpeg")).toMatchObject({
      kind: "jpeg",
      width: 600,
      height: 900,
    });
  });

  it("knows a PDF by its header (pages are counted by pdfinfo later)", () => {
    expect(sniffPicture(new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "application/pdf")).toEqual({
      kind: "pdf",
      mediaType: "application/pdf",
    });
    expect(magicKind(elnPicture("ai4green-workbook.eln", "AI4-001-summary.pdf"))).toBe("pdf");
  });
});

describe("sniffPicture refuses before decoding", () => {
  it("refuses a PNG whose header claims 100 megapixels from its first 33 bytes (413), at once", () => {
    const error = refusal(() => sniffPicture(pngHeader(10_000, 10_000), "image/png"));
    expect(error.code).toBe("payload_too_large");
    expect(error.status).toBe(413);
    expect(error.message).toBe("file: is 10000 × 10000 pixels (100 megapixels); the limit is 40 megapixels: scale it down first.");
  });

  it("accepts a picture at the pixel cap and refuses one pixel row more", () => {
    expect(sniffPicture(pngHeader(8000, 5000), "image/png")).toMatchObject({ width: 8000, height: 5000 });
    expect(refusal(() => sniffPicture(pngHeader(8000, 5001), "image/png")).code).toBe("payload_too_large");
  });

  it("refuses a file over the byte cap (413) before looking at it", () => {
    const error = refusal(() => sniffPicture(new Uint8Array(OCSR_LIMITS.maxBytes + 1), "image/png"));
    expect(error).toMatchObject({
      code: "payload_too_large",
      message: "file: is larger than 20 MB; send a smaller picture or fewer pages.",
    });
  });

  it("refuses a file whose type lies (415): a real RSpace attachment named .png that is a JPEG, and a PNG sent as a PDF", async () => {
    const jpegNamedPng = elnPicture("rspace-selection.eln", "Picture1_1701965472094.png");
    expect(magicKind(jpegNamedPng)).toBe("jpeg");
    const lie = refusal(() => sniffPicture(jpegNamedPng, "image/png"));
    expect(lie).toMatchObject({
      code: "unsupported_media_type",
      message: "file: says it is image/png but its content is image/jpeg; send it with its real type.",
    });
    expect(lie.status).toBe(415);
    const png = await encoded("png", 50, 50);
    expect(refusal(() => sniffPicture(png, "application/pdf")).code).toBe("unsupported_media_type");
    // Named as another kind entirely (a text type) is a lie too.
    expect(refusal(() => sniffPicture(png, "text/plain")).code).toBe("unsupported_media_type");
  });

  it("refuses what is no picture at all (415), whatever it says it is", () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(refusal(() => sniffPicture(svg, "image/svg+xml"))).toMatchObject({
      code: "unsupported_media_type",
      message: "file: is not a PNG, JPEG, GIF, TIFF, WebP or PDF file (it says image/svg+xml).",
    });
    expect(refusal(() => sniffPicture(new TextEncoder().encode("PK\u0003\u0004zip"), null)).code).toBe("unsupported_media_type");
  });

  it("refuses a damaged header (422): a PNG without IHDR, a JPEG cut before its frame header, a TIFF pointing outside itself", () => {
    const noIhdr = pngHeader(100, 100);
    noIhdr.set([0x49, 0x44, 0x41, 0x54], 12); // IDAT where IHDR must be
    const cutJpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const badTiff = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0x00, 0x00]);
    for (const bytes of [noIhdr, cutJpeg, badTiff]) {
      const error = refusal(() => sniffPicture(bytes, null));
      expect(error.code).toBe("validation_failed");
      expect(error.message).toMatch(/^file: looks like a (PNG|JPEG|TIFF) file, but its header is damaged or cut short$/);
    }
  });

  it("refuses an empty file and a picture too small to hold a structure (422)", async () => {
    expect(refusal(() => sniffPicture(new Uint8Array(), "image/png")).code).toBe("validation_failed");
    const sliver = await encoded("png", 200, 8);
    expect(refusal(() => sniffPicture(sliver, "image/png")).message).toBe(
      "file: is 200 × 8 pixels: too small to hold a readable structure",
    );
  });
});

describe("declaredKind", () => {
  it("knows the usual spellings and treats octet-stream as unspecified", () => {
    expect(declaredKind("image/jpg")).toBe("jpeg");
    expect(declaredKind("IMAGE/PNG; charset=binary")).toBe("png");
    expect(declaredKind("application/x-pdf")).toBe("pdf");
    expect(declaredKind("application/octet-stream")).toBeUndefined();
    expect(declaredKind(null)).toBeUndefined();
    expect(declaredKind("text/plain")).toBeNull();
  });
});
