import { LRUCache } from "lru-cache";
import { messageSvg } from "@/app/depictions/_lib/message";
import { drawSubstituentInSandbox } from "@/lib/chem/rgroups-sandbox";
import { etagMatches, renderImage, smilesImageEtag } from "@/app/depictions/_lib/render";
import { readSmiles } from "@/app/depictions/_lib/smiles";
import { isChemError } from "@/lib/chem/errors";
import { STRUCTURE_LIMITS } from "@/lib/chem/limits";
import { AppError, toAppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { SMILES_DRAWING_MAX_HEAVY_ATOMS, smilesImageQuery } from "./schema";

/**
 * /depictions/smiles.svg?s=<SMILES>&w=&h=: the drawing of a SMILES written in an entry (a `smiles` block, see
 * lib/markdown/structures.ts). The SMILES is anyone's text: it is capped, then read in the chemistry sandbox
 * (app/depictions/_lib/smiles.ts keeps the readings), and only the idcode the sandbox made is drawn here. The answer
 * is a function of the text and the size, so it is cacheable like a molecule's drawing, with a strong ETag known
 * before anything is read. What cannot be drawn is answered with its error status and an SVG saying why, so that an
 * <img> shows a reason rather than a broken picture.
 */

const CACHE = "public, max-age=86400";
/** Refusals of the input are as lasting as the input, but a new version may read more: kept an hour. */
const CACHE_REFUSAL = "public, max-age=3600";
const DEFAULT_SIZE = { width: 300, height: 200 };

const SVG_HEADERS = {
  "Content-Type": "image/svg+xml; charset=utf-8",
  // Opened directly, an SVG is a document: no script, nothing loaded, only its own inline style.
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  "X-Content-Type-Options": "nosniff",
  "Content-Disposition": 'inline; filename="structure.svg"',
} as const;

export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const raw = params.get("s");
  let query;
  try {
    query = parseInput(smilesImageQuery, { s: raw ?? undefined, w: params.get("w") ?? undefined, h: params.get("h") ?? undefined });
  } catch (error) {
    const fields = toAppError(error)?.details?.fields ?? {};
    const lines: [string, string?] = fields.s
      ? !raw?.trim()
        ? ["Nothing to draw", "no SMILES was given"]
        : raw.trim().length > STRUCTURE_LIMITS.smilesChars
          ? ["SMILES too long to draw", `over ${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")} characters`]
          : ["Unreadable SMILES"]
      : ["Cannot draw", "the size must be a number of pixels"];
    return refusal(error, lines, DEFAULT_SIZE);
  }
  const { s: smiles, width, height } = query;

  const etag = smilesImageEtag(smiles, width, height);
  const headers = new Headers({ ...SVG_HEADERS, "Cache-Control": CACHE, ETag: etag });
  if (etagMatches(request, etag)) return new Response(null, { status: 304, headers });

  try {
    // A substituent of an SAR table (`[*:1]` attachment points): drawn by RDKit in the sandbox, not registered.
    if (smiles.includes("*")) {
      const image = Buffer.from(await substituentSvg(smiles, width, height));
      headers.set("Content-Length", String(image.byteLength));
      return new Response(new Uint8Array(image), { headers });
    }
    const reading = await readSmiles(smiles);
    if (!reading.ok) {
      const error = { name: "ChemError", code: reading.code, message: reading.message, field: reading.field };
      return refusal(error, linesFor(reading.code, reading.message), { width, height });
    }
    if (reading.heavyAtoms > SMILES_DRAWING_MAX_HEAVY_ATOMS) {
      const message = `The structure has ${reading.heavyAtoms} heavy atoms; structures of more than ${SMILES_DRAWING_MAX_HEAVY_ATOMS} are not drawn in entries.`;
      return refusal(
        new AppError("validation_failed", message, { fields: { s: message } }),
        ["Too large to draw here", `${reading.heavyAtoms} heavy atoms, over ${SMILES_DRAWING_MAX_HEAVY_ATOMS}`],
        { width, height },
      );
    }
    const image = await renderImage(reading.idcode, "svg", width, height);
    headers.set("Content-Length", String(image.byteLength));
    return new Response(new Uint8Array(image), { headers });
  } catch (error) {
    return refusal(error, isChemError(error) ? linesFor(error.code, error.message) : ["Drawing failed"], { width, height });
  }
}

/** Drawn substituents, kept like the SMILES readings (SAR tables show the same few again and again). */
const substituents = new LRUCache<string, string>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (svg, key) => svg.length + key.length });
const DRAW_TIME_LIMIT_MS = 10_000;

async function substituentSvg(smiles: string, width: number, height: number): Promise<string> {
  const key = `${width}x${height} ${smiles}`;
  const known = substituents.get(key);
  if (known !== undefined) return known;
  const svg = await drawSubstituentInSandbox(smiles, { width, height }, { deadline: Date.now() + DRAW_TIME_LIMIT_MS });
  substituents.set(key, svg);
  return svg;
}

function linesFor(code: string, message: string): [string, string?] {
  switch (code) {
    case "invalid_structure":
      return ["Unreadable SMILES", shorten(message)];
    case "too_large":
      return ["SMILES too large to draw", shorten(message)];
    case "timeout":
    case "crashed":
      return ["SMILES too complex to draw", "it took too long to read"];
    default:
      return ["Drawing unavailable", "try again shortly"];
  }
}

/** The error's status (the one mapping of lib/errors.ts) with a picture of the reason. */
function refusal(error: unknown, lines: [string, string?], size: { width: number; height: number }): Response {
  const mapped = toAppError(error);
  if (mapped === null) console.error("[depictions] drawing a SMILES failed", error);
  const status = mapped?.status ?? 500;
  const detail = mapped?.message ?? "Something went wrong on our side.";
  const body = messageSvg(lines, detail, size.width, size.height);
  return new Response(body, {
    status,
    headers: { ...SVG_HEADERS, "Cache-Control": status < 500 && status !== 499 ? CACHE_REFUSAL : "no-store" },
  });
}

function shorten(message: string): string {
  const text = message.replace(/^(?:This|The) SMILES could not be read:\s*/i, "").replace(/\.$/, "");
  return text.length > 44 ? `${text.slice(0, 43)}…` : text;
}
