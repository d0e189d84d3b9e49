import { apiHandler } from "@/app/_lib/api";
import { getMolecule } from "@/db/queries/molecules";
import { AppError } from "@/lib/errors";
import { isCampaignId } from "@/lib/molecules/campaign-id";
import { parseInput } from "@/lib/validation";
import { messageSvg } from "../../_lib/message";
import { etagMatches, imageEtag, renderImage, strongEtag } from "../../_lib/render";
import { depictionFormat, depictionQuery } from "./schema";

/**
 * /molecules/{code}.svg, .png and .mol (next.config.js rewrites those addresses here). The structure of a registered
 * molecule never changes, so answers are cacheable for a day and revalidated by an ETag derived from its idcode.
 */

const CACHE = "public, max-age=86400";

const TYPES = {
  // An SVG opened directly is a document: no script, nothing loaded, only its own inline style.
  svg: { "Content-Type": "image/svg+xml; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" },
  png: { "Content-Type": "image/png" },
  mol: { "Content-Type": "chemical/x-mdl-molfile; charset=utf-8" },
} as const;

export const GET = apiHandler<{ code: string; format: string }>(async ({ request, db }, params) => {
  const format = depictionFormat.safeParse(params.format);
  if (!format.success) throw new AppError("not_found", `No such file: ${JSON.stringify(`${params.code}.${params.format}`)}.`);
  const url = new URL(request.url);
  const size = parseInput(depictionQuery, Object.fromEntries(url.searchParams));
  const molecule = await getMolecule(db, params.code);
  if (!molecule) {
    const message = `No molecule ${JSON.stringify(params.code)}.`;
    // An <img> (an entry's structure figure of an ID not registered yet) gets a picture saying so, not a broken one.
    if (format.data === "svg" && wantsImage(request)) return notRegistered(params.code, message, size);
    throw new AppError("not_found", message);
  }

  const kind = format.data;
  const etag =
    kind === "mol"
      ? strongEtag("mol", molecule.code, molecule.idcode)
      : imageEtag(molecule.idcode, kind, size.width, size.height, size.highlight);
  const headers = new Headers({
    ...TYPES[kind],
    "Cache-Control": CACHE,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": `${kind === "mol" ? "attachment" : "inline"}; filename="${molecule.code}.${kind}"`,
  });
  if (etagMatches(request, etag)) return new Response(null, { status: 304, headers });

  if (kind === "mol") return new Response(namedMolfile(molecule.molfile, molecule.code), { headers });
  const image = await renderImage(molecule.idcode, kind, size.width, size.height, size.highlight);
  headers.set("Content-Length", String(image.byteLength));
  return new Response(new Uint8Array(image), { headers });
});

/** Browsers ask for an <img> with `Accept: image/...`; API clients and fetch() with its default Accept keep the JSON error. */
function wantsImage(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("image/") && !accept.includes("application/json");
}

function notRegistered(code: string, message: string, size: { width: number; height: number }): Response {
  const lines: [string, string?] = isCampaignId(code) ? [code, "is not registered (yet)"] : ["No such molecule"];
  return new Response(messageSvg(lines, message, size.width, size.height), {
    status: 404,
    // Short: the molecule may be registered in a minute.
    headers: { ...TYPES.svg, "Cache-Control": "public, max-age=60", Vary: "Accept", "X-Content-Type-Options": "nosniff" },
  });
}

/** The molfile's first line is the molecule's name: put the campaign ID there, so the file says what it is. */
function namedMolfile(molfile: string, code: string): string {
  const lines = molfile.split("\n");
  lines[0] = code;
  return lines.join("\n");
}
