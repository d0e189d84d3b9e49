import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { depictSvg } from "@/lib/chem/depict";
import { rasterizeSvg } from "@/lib/chem/raster";

/**
 * Structure images for /molecules/{code}.svg|png. Drawings are a pure function of the idcode and the size, so they
 * are kept in an in-process LRU (a cache, never the truth: losing it only costs a redraw) and carry a strong ETag.
 */

export type ImageFormat = "svg" | "png";

/** Bump when the drawing code changes, so that browsers holding an old ETag fetch the new drawing. */
const DRAWING_VERSION = "1";

/**
 * OpenChemLib draws bonds at a fixed natural length and only shrinks a molecule to fit its box, never enlarges it:
 * in a big box a small molecule would be a speck in the middle. So the drawing is made in a box of at most this
 * many pixels a side and scaled up as a vector (SVG viewBox, or resvg's scaling for PNG).
 */
const NATURAL_MAX = 360;

const cache = new LRUCache<string, Buffer>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => b.byteLength + 64 });

/** A strong ETag: a digest of everything the answer is made from. */
export function strongEtag(...parts: string[]): string {
  return `"${createHash("sha256").update(parts.join("\n")).digest("base64url").slice(0, 32)}"`;
}

export function imageEtag(idcode: string, format: ImageFormat, width: number, height: number, highlight: readonly number[] = []): string {
  return highlight.length === 0
    ? strongEtag(DRAWING_VERSION, format, `${width}x${height}`, idcode)
    : strongEtag(DRAWING_VERSION, format, `${width}x${height}`, idcode, highlight.join(","));
}

/** Whether the request's If-None-Match names this ETag (or any), so that a 304 answers it. */
export function etagMatches(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * The ETag of the drawing of a SMILES written in an entry (app/depictions/smiles.svg): known from the text and the
 * size alone, so a browser revalidating it is answered before the SMILES is read again.
 */
export function smilesImageEtag(smiles: string, width: number, height: number): string {
  return strongEtag(DRAWING_VERSION, "smiles", "svg", `${width}x${height}`, smiles);
}

export async function renderImage(
  idcode: string,
  format: ImageFormat,
  width: number,
  height: number,
  highlight: readonly number[] = [],
): Promise<Buffer> {
  const key = `${format} ${width}x${height} ${idcode} ${highlight.join(",")}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const image =
    format === "svg" ? Buffer.from(scaledSvg(idcode, width, height, highlight)) : await rasterize(idcode, width, height, highlight);
  cache.set(key, image);
  return image;
}

function naturalBox(width: number, height: number): { width: number; height: number } {
  const k = Math.max(1, Math.max(width, height) / NATURAL_MAX);
  return { width: Math.max(16, Math.round(width / k)), height: Math.max(16, Math.round(height / k)) };
}

function scaledSvg(idcode: string, width: number, height: number, highlight: readonly number[]): string {
  const box = naturalBox(width, height);
  const svg = depictSvg(idcode, { ...box, highlightAtoms: highlight });
  if (box.width === width && box.height === height) return svg;
  // The root element says width="Wpx" height="Hpx" viewBox="0 0 W H": show the same viewBox at the asked size.
  return svg.replace(/^(<svg\b[^>]*?)\swidth="[^"]*"\sheight="[^"]*"/, `$1 width="${width}px" height="${height}px"`);
}

async function rasterize(idcode: string, width: number, height: number, highlight: readonly number[]): Promise<Buffer> {
  const box = naturalBox(width, height);
  const svg = depictSvg(idcode, { ...box, highlightAtoms: highlight });
  return rasterizeSvg(svg, width);
}
